package report

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pcmig/pcmig/atomicfile"
	"github.com/pcmig/pcmig/verify"
)

// ChartCategories is how many categories the chart shows at most: the
// busiest ones; the tables list every one.
const ChartCategories = 15

// Shown is how many differences and notes the first screen lists.
const (
	shownDifferences = 12
	shownNotes       = 6
)

// Reconciliation is what a page shows of a verification.
type Reconciliation struct {
	Totals    []Total
	Verdict   *Verdict
	Chart     []Bar
	ChartNote string
	Sections  []Section
}

// FromVerify lays out a verification for a page.
func FromVerify(r *verify.Result) Reconciliation {
	t := r.Totals
	out := Reconciliation{Totals: []Total{
		{Label: "Categories", Source: int64(t.Source.Categories), Target: int64(t.Target.Categories), HasTarget: true},
		{Label: "Rooms", Source: int64(t.Source.Rooms), Target: int64(t.Target.Rooms), HasTarget: true},
	}}
	if !r.Structure {
		out.Totals = append(out.Totals, Total{Label: "Messages", Source: t.Source.Messages, Target: t.Target.Messages, HasTarget: true})
	}
	v := &Verdict{Verdict: r.Verdict, Equal: r.IsEqual(), Notes: r.Notes}
	for _, d := range r.Differences {
		text := d.Text
		if len(r.Sources) > 1 {
			text = d.Source + ": " + text
		}
		v.Differences = append(v.Differences, text)
	}
	switch {
	case r.IsEqual() && r.Structure:
		v.Summary = "The simulated target holds every category, room and role that was meant to arrive. Messages are compared in the real run."
	case r.IsEqual():
		v.Summary = fmt.Sprintf("Every category, room, role and message that was meant to arrive is in the target: %s categories, %s rooms and %s messages compared, histories identical.",
			Num(t.Source.Categories), Num(t.Source.Rooms), Num(t.Source.Messages))
		if n := len(r.NoCategory); n > 0 {
			var msgs int64
			for _, x := range r.NoCategory {
				msgs += x.Messages
			}
			v.Summary += fmt.Sprintf(" %s in no category with %s did not arrive: no export carries a room outside a category (see “Rooms in no category”).",
				NumOf(n, "source room", "source rooms"), NumOf(msgs, "message", "messages"))
		}
	default:
		v.Summary = fmt.Sprintf("The target differs from what was meant to arrive in %s:", NumOf(len(r.Differences), "way", "ways"))
	}
	v.Checks = verifyChecks(r)
	out.Verdict = v

	bars := make([]Bar, 0, len(r.Categories))
	for _, c := range r.Categories {
		name := c.Name
		if len(r.Sources) > 1 {
			name += " (" + c.Source + ")"
		}
		tm := c.TargetMessages
		if r.Structure {
			tm = c.SourceMessages // nothing was imported to compare: show the plan
		}
		bars = append(bars, Bar{Name: name, SourceRooms: int64(c.SourceRooms), TargetRooms: int64(c.TargetRooms), SourceMessages: c.SourceMessages, TargetMessages: tm})
	}
	sort.SliceStable(bars, func(i, j int) bool { return bars[i].SourceMessages > bars[j].SourceMessages })
	if len(bars) > ChartCategories {
		out.ChartNote = fmt.Sprintf("The %d busiest of %s categories; the table “Categories” lists every one.", ChartCategories, Num(len(bars)))
		bars = bars[:ChartCategories]
	}
	if r.Structure {
		out.ChartNote = strings.TrimSpace(out.ChartNote + " Dry run: messages are shown as the archive would bring them.")
	}
	out.Chart = bars
	out.Sections = verifySections(r)
	return out
}

// verifyChecks are the figures a verification compared, each held or not.
func verifyChecks(r *verify.Result) []Check {
	t := r.Totals
	kinds := map[string]int{}
	for _, d := range r.Differences {
		kind, _, _ := strings.Cut(d.Object, " ")
		kinds[kind]++
	}
	equalRooms, withMessages := 0, 0
	for _, rm := range r.Rooms {
		if rm.SourceDigest != "" {
			withMessages++
			if rm.SourceDigest == rm.TargetDigest {
				equalRooms++
			}
		}
	}
	checks := []Check{
		{fmt.Sprintf("Categories: %s of %s in the target%s, settings and access lists compared", Num(t.Target.Categories), Num(t.Source.Categories),
			mergedInto(t.Target.Categories, t.TargetObjects.Categories, "categories")), kinds["category"] == 0},
		{fmt.Sprintf("Rooms: %s of %s in the target%s, settings, add-ins and roles compared", Num(t.Target.Rooms), Num(t.Source.Rooms),
			mergedInto(t.Target.Rooms, t.TargetObjects.Rooms, "rooms")), kinds["room"] == 0},
	}
	if n := kinds["principal"]; n > 0 {
		checks = append(checks, Check{fmt.Sprintf("Principals: %s held in the target under another address", Num(n)), false})
	}
	if !r.Structure {
		checks = append(checks,
			Check{fmt.Sprintf("Messages: %s of %s arrived%s", Num(t.Target.Messages), Num(t.Source.Messages), sharedNote(t.SharedMessages)), t.Target.Messages == t.Source.Messages},
			Check{fmt.Sprintf("Histories: %s of %s room digests identical", Num(equalRooms), Num(withMessages)), equalRooms == withMessages})
		if r.Files.Store != "" {
			text := fmt.Sprintf("Uploaded files: %s of %s linked files in the target's file store",
				Num(r.Files.Links-r.Files.Missing-r.Files.MissingSourceToo), Num(r.Files.Links))
			if n := r.Files.Differ; n > 0 {
				text += fmt.Sprintf(", %s of them other than the source's", Num(n))
			}
			if n := r.Files.MissingSourceToo; n > 0 {
				text += fmt.Sprintf(" (%s missing from the source's file store too: nothing to copy)", Num(n))
			}
			checks = append(checks, Check{text, r.Files.Missing == 0 && r.Files.Differ == 0})
		}
	}
	return checks
}

func verifySections(r *verify.Result) []Section {
	var out []Section
	if len(r.Differences) > shownDifferences {
		s := Section{Title: "All differences", Level: Fail}
		for _, d := range r.Differences {
			s.Items = append(s.Items, d.Source+": "+d.Text)
		}
		out = append(out, s)
	}
	if len(r.NotCarried) > 0 {
		s := Section{Title: "Roles not carried", Level: Warn,
			Note: "Source roles whose principal is outside the target category's allowed members minus denied members: Persistent Chat does not allow them, so the import did not grant them. Not differences."}
		for _, n := range r.NotCarried {
			s.Items = append(s.Items, n.Source+": "+n.Text)
		}
		out = append(out, s)
	}
	if len(r.NoCategory) > 0 {
		s := Section{Title: "Rooms in no category", Level: Warn,
			Note: "Source rooms whose parent node is the root, another room or missing: Persistent Chat keeps every room in a category, so no export carries them or their history. Not differences; move such a room into a category in the source and migrate again to carry it."}
		for _, n := range r.NoCategory {
			s.Items = append(s.Items, n.Text)
		}
		out = append(out, s)
	}
	if len(r.Notes) > shownNotes {
		out = append(out, Section{Title: "All notes", Note: "What was not compared and why, and what the target holds besides.", Items: r.Notes})
	}
	srcs := Section{Title: "Compared", Columns: []string{"Source", "Database", "Archive", "Import journal", "Level", "Scope", "Messages since"}}
	for _, s := range r.Sources {
		since := "all"
		if s.Since != nil {
			since = s.Since.UTC().Format(time.RFC3339)
		}
		scope := "all categories"
		if len(s.Scope) > 0 {
			scope = strings.Join(s.Scope, ", ")
		}
		srcs.Rows = append(srcs.Rows, []string{s.Label, s.Database, orDash(s.Archive), orDash(s.Journal), s.Level, scope, since})
	}
	srcs.Rows = append(srcs.Rows, []string{"target", r.Target, "", "", "", "", ""})
	cats := Section{Title: "Categories", Columns: []string{"Source", "Category", "In the target", "Import", "Rooms", "Messages", "Differences"}}
	for _, c := range r.Categories {
		cats.Rows = append(cats.Rows, []string{c.Source, c.Name, orDash(c.TargetName), orDash(c.Action),
			Num(c.SourceRooms) + " → " + Num(c.TargetRooms), Num(c.SourceMessages) + " → " + Num(c.TargetMessages) + shared(c.SharedMessages), Num(c.Differences)})
	}
	rooms := Section{Title: "Rooms", Note: "Digests are SHA-256 over every message's time, poster URI, alert flag, content and RTF, in order: equal digests mean identical histories. Compared: the room's whole history in order, the chat IDs the import journal says the import wrote (journal range), in order, or each source message looked for anywhere in the room (multiset), in the source's order where that is checked. Messages marked shared are also in the room of a source compared before, merged into the same target room: they are expected there once.",
		Columns: []string{"Category", "Room", "In the target", "Import", "Messages", "Compared", "First", "Last", "Digest (source / target)", "Equal"}}
	for _, rm := range r.Rooms {
		rooms.Rows = append(rooms.Rows, []string{rm.Category, rm.Name, orDash(rm.TargetName), orDash(rm.Action),
			Num(rm.SourceMessages) + " → " + Num(rm.TargetMessages) + shared(rm.SharedMessages), orDash(rm.Comparison), day(rm.First), day(rm.Last),
			short(rm.SourceDigest) + " / " + short(rm.TargetDigest), yes(rm.Equal)})
	}
	return append(out, srcs, cats, rooms)
}

// WriteVerify writes a reconciliation report; record as for Write.
// Options (atomicfile.Scrub) apply to the file's bytes.
func WriteVerify(path string, r *verify.Result, record func(tmp string) error, opts ...atomicfile.Option) error {
	return Write(path, VerifyPage(r, time.Now()), r, record, opts...)
}

// VerifyPage is the page of a verification on its own.
func VerifyPage(r *verify.Result, now time.Time) Page {
	rec := FromVerify(r)
	p := Page{Kind: "verify", Title: "Verification: target against source", Subtitle: "Target " + r.Target, Generated: now,
		Totals: rec.Totals, Verdict: rec.Verdict, Chart: rec.Chart, ChartNote: rec.ChartNote, Sections: rec.Sections,
		Errors: len(r.Differences)}
	p.Facts = []Fact{{"Target", r.Target}, {"Started", Time(r.Started)}, {"Duration", Duration(time.Duration(r.DurationMS) * time.Millisecond)}}
	for _, s := range r.Sources {
		p.Facts = append(p.Facts, Fact{"Source " + s.Label, s.Database})
	}
	if r.IsEqual() {
		p.Status = Status{Level: OK, Badge: "EQUAL", Headline: "The target holds what the source had.", Detail: rec.Verdict.Summary}
	} else {
		p.Status = Status{Level: Fail, Badge: "DIFFERENT", Headline: fmt.Sprintf("%s between source and target.", NumOf(len(r.Differences), "difference", "differences")),
			Detail: "Each is listed under Reconciliation."}
	}
	return p
}

// mergedInto says how many of the target's objects the found ones are,
// when several sources' were merged into one ("" otherwise).
func mergedInto(found, objects int, what string) string {
	if objects >= found {
		return ""
	}
	return fmt.Sprintf(" (%s %s of the target: several sources' merged into one)", Num(objects), what)
}

// sharedNote says how many of the sources' messages another source's room
// merged into the same target room holds too ("" for none).
func sharedNote(n int64) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (the sources hold %s more that are also another source's, in a room merged into the same target room: expected once)", Num(n))
}

// shared marks a room's or category's messages that a source compared
// before holds too ("" for none).
func shared(n int64) string {
	if n == 0 {
		return ""
	}
	return " (" + Num(n) + " shared)"
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func short(digest string) string {
	if len(digest) > 12 {
		return digest[:12]
	}
	return orDash(digest)
}

func day(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02")
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
