package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/atomicfile"
	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/internal/grouped"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/textwidth"
)

// ExportSummary prints the short console summary of an export: of the
// warnings that repeat once per node, the first few of each kind
// (grouped.Lines), then how many there are in all and where, which
// says where every one is listed.
func ExportSummary(w io.Writer, r *exporter.Result, where string) {
	fmt.Fprintf(w, "Exported %s (level %s", textwidth.OneLine(r.Archive), r.Level)
	if len(r.Scope) > 0 {
		fmt.Fprintf(w, ", scope %s", strings.Join(r.Scope, ", "))
	}
	if r.Since != nil {
		fmt.Fprintf(w, ", messages since %s", r.Since.Format(time.RFC3339))
	}
	fmt.Fprintf(w, "): %s, %s, %s, %s, %s in %s.\n",
		count(r.Counts.Principals, "principal", "principals"), count(r.Counts.Categories, "category", "categories"),
		count(r.Counts.Addins, "add-in", "add-ins"), count(r.Counts.Rooms, "room", "rooms"), count(r.Counts.Messages, "message", "messages"),
		r.Duration.Round(time.Millisecond))
	if r.Disabled > 0 {
		fmt.Fprintf(w, "Disabled %s in the source.\n", count(r.Disabled, "exported room", "exported rooms"))
	}
	for _, warn := range grouped.Lines(r.Warnings, r.WarningKinds(), exporter.WarningWhat, where) {
		fmt.Fprintf(w, "warning: %s\n", textwidth.OneLine(warn))
	}
}

// ListedIn says where every warning, problem or note a console
// summarised is listed: the report the command writes, or the --report
// that would write one.
func ListedIn(report string) string {
	if report == "" {
		return "--report FILE.html lists every one"
	}
	return "the report lists every one"
}

// WriteExport writes an export report; record as for Write.
func WriteExport(path, source string, r *exporter.Result, record func(tmp string) error, opts ...atomicfile.Option) error {
	return Write(path, ExportPage(source, r, time.Now()), struct {
		Source string `json:"source"`
		*exporter.Result
	}{source, r}, record, opts...)
}

// ExportPage is the page of an export.
func ExportPage(source string, r *exporter.Result, now time.Time) Page {
	p := Page{Kind: "export", Title: "Export: " + r.Archive, Subtitle: "Source " + source, Generated: now,
		SourceLabel: "Archive", Warnings: len(r.Warnings),
		Status: Status{Level: OK, Badge: "DONE", Headline: fmt.Sprintf("The archive is complete and verified: %s and %s.", NumOf(r.Counts.Rooms, "room", "rooms"), NumOf(r.Counts.Messages, "message", "messages")),
			Detail: "Every part's SHA-256 was checked after writing."},
		Totals: []Total{{Label: "Principals", Source: r.Counts.Principals}, {Label: "Categories", Source: r.Counts.Categories},
			{Label: "Rooms", Source: r.Counts.Rooms}, {Label: "Messages", Source: r.Counts.Messages}}}
	if len(r.Warnings) > 0 {
		p.Status.Level = Warn
	}
	scope := "all categories"
	if len(r.Scope) > 0 {
		scope = strings.Join(r.Scope, ", ")
	}
	since := "all"
	if r.Since != nil {
		since = r.Since.Format(time.RFC3339)
	}
	p.Facts = []Fact{{"Source", source}, {"Archive", r.Archive}, {"Level", r.Level}, {"Scope", scope}, {"Messages since", since},
		{"Add-ins", Num(r.Counts.Addins)}, {"Rooms disabled in the source", Num(r.Disabled)},
		{"Started", Time(r.Started)}, {"Duration", Duration(r.Duration)}}
	var bars categoryBars
	rooms := Section{Title: "Rooms", Columns: []string{"Category", "Room", "Messages", "Disabled"}}
	for _, rm := range r.Rooms {
		rooms.Rows = append(rooms.Rows, []string{rm.Category, rm.Name, Num(rm.Messages), yes(rm.Disabled)})
		b := bars.bar(rm.Category)
		b.SourceRooms++
		b.SourceMessages += rm.Messages
	}
	p.Chart, p.ChartNote = bars.chart()
	p.Sections = []Section{{Title: "Warnings", Level: levelIf(len(r.Warnings) > 0, Warn), Items: r.Warnings, Empty: "None."}, rooms}
	return p
}

// categoryBars gathers a chart's bars, one per category, in the order the
// categories first appear.
type categoryBars struct {
	byName map[string]*Bar
	order  []string
}

// bar is the category's bar, added the first time the category is named.
func (c *categoryBars) bar(category string) *Bar {
	b := c.byName[category]
	if b == nil {
		if c.byName == nil {
			c.byName = map[string]*Bar{}
		}
		b = &Bar{Name: category}
		c.byName[category] = b
		c.order = append(c.order, category)
	}
	return b
}

// chart is the busiest bars and the chart's note (see busiest).
func (c *categoryBars) chart() ([]Bar, string) {
	var bars []Bar
	for _, name := range c.order {
		bars = append(bars, *c.byName[name])
	}
	return busiest(bars)
}

// busiest keeps the ChartCategories busiest bars.
func busiest(bars []Bar) ([]Bar, string) {
	sort.SliceStable(bars, func(i, j int) bool { return bars[i].SourceMessages > bars[j].SourceMessages })
	if len(bars) > ChartCategories {
		return bars[:ChartCategories], fmt.Sprintf("The %d busiest of %s; the tables list every room.", ChartCategories, NumOf(len(bars), "category", "categories"))
	}
	return bars, ""
}

func levelIf(cond bool, level string) string {
	if cond {
		return level
	}
	return OK
}

// ImportSummary prints the plan or outcome of an import, problems first,
// and ends with a one-line summary. Problems that repeat for many objects
// (importer.Problem.Kind), conflicts and a dry run's plan lines show the
// first few of each kind (grouped.Lines), then how many there are in all
// and where, which says where every one is listed.
func ImportSummary(w io.Writer, r *importer.Result, where string) {
	var lines, kinds []string
	for _, p := range r.Problems {
		lines = append(lines, fmt.Sprintf("%s: %s: %s", p.Severity, textwidth.OneLine(p.Object), textwidth.OneLine(p.Message)))
		k := ""
		if p.Kind != "" {
			k = p.Severity + " " + p.Kind
		}
		kinds = append(kinds, k)
	}
	for _, c := range r.Conflicts {
		lines = append(lines, fmt.Sprintf("conflict: %s %q exists in the target: %s", c.Kind, c.Name, c.Resolution))
		kinds = append(kinds, "conflict "+c.Kind)
	}
	what := func(k string) string {
		if kind, ok := strings.CutPrefix(k, "conflict "); ok {
			return kind + " conflicts"
		}
		_, kind, _ := strings.Cut(k, " ")
		return importer.ProblemWhat(kind)
	}
	for _, l := range grouped.Lines(lines, kinds, what, where) {
		fmt.Fprintln(w, l)
	}
	verb := "Imported"
	if r.DryRun {
		verb = "Would import"
		fmt.Fprintln(w, "Plan (dry run, nothing written):")
		lines, kinds = lines[:0], kinds[:0]
		for _, c := range r.Categories {
			lines = append(lines, fmt.Sprintf("  category %-8s %s%s", c.Action, quoteName(c.Name, c.Target), adds(c.AddAllowed, "allowed", "allowed", c.AddDenied, "denied", "denied", c.AddCreators, "creator", "creators")))
			kinds = append(kinds, "categories")
		}
		for _, rm := range r.Rooms {
			msgs := ""
			if n := rm.Messages - rm.AlreadyThere; rm.Action != importer.ActSkip && n > 0 {
				msgs = ", " + count(n, "message", "messages")
			}
			lines = append(lines, fmt.Sprintf("  room     %-8s %s in %q%s%s", rm.Action, quoteName(rm.Name, rm.Target), rm.Category,
				adds(rm.AddMembers, "member", "members", rm.AddManagers, "manager", "managers", rm.AddPresenters, "presenter", "presenters"), msgs))
			kinds = append(kinds, "rooms")
		}
		plan := func(k string) string { return k + " in the plan" }
		for _, l := range grouped.Lines(lines, kinds, plan, where) {
			if strings.HasPrefix(l, "... ") {
				l = "  " + l
			}
			fmt.Fprintln(w, l)
		}
	}
	created := 0
	for _, c := range r.Categories {
		if c.Action == importer.ActCreate || c.Action == importer.ActRename {
			created++
		}
	}
	target := textwidth.OneLine(r.Target) // a path: its line breaks would start console lines
	msgs := r.Messages.Imported
	if r.DryRun {
		msgs = r.Messages.ToImport
	}
	if r.Stopped {
		// What was planned, not what was written: an import stopped in
		// its structure phase wrote only part of it.
		fmt.Fprintf(w, "Stopped before the end: %d of %s imported into %s so far. The plan: %s; %s.\n",
			r.Messages.Imported, count(r.Messages.ToImport, "message", "messages"), target, planned(r, created, false), problems(r, true))
		return
	}
	if r.Refused != "" && earlierUnfinished(r) {
		fmt.Fprintf(w, "Nothing more imported into %s: this run was refused before it wrote anything (%s); an earlier import of this archive is unfinished, and running the import again resumes it. The plan was: %s; %s.\n",
			target, textwidth.OneLine(r.Refused), planned(r, created, true), problems(r, false))
		return
	}
	if r.Refused != "" {
		fmt.Fprintf(w, "Nothing imported into %s: refused before anything was written (%s). The plan was: %s; %s.\n",
			target, textwidth.OneLine(r.Refused), planned(r, created, true), problems(r, false))
		return
	}
	if !r.DryRun && r.Errors() > 0 {
		// Refused by the pre-flight, before the first write.
		fmt.Fprintf(w, "Nothing imported into %s: %s (listed above). The plan was: %s; %s.\n",
			target, count(r.Errors(), "error", "errors"), planned(r, created, true), problems(r, false))
		return
	}
	fmt.Fprintf(w, "%s into %s: %s, %s (%d already there, %d skipped); %s.\n",
		verb, target, planned(r, created, false), count(msgs, "message", "messages"), r.Messages.AlreadyThere, r.Messages.Skipped, problems(r, true))
	if holds := levelHolds(r.Level); holds != "" {
		fmt.Fprintf(w, "The archive's level is %s: it holds %s.\n", r.Level, holds)
	}
}

// levelHolds says what an archive of a level below Content holds
// (docs/archive-format.md §7): an import of it brings no more.
func levelHolds(level string) string {
	switch level {
	case archive.LevelUser:
		return "principals only (no categories, rooms or messages)"
	case archive.LevelCategory:
		return "principals and categories only (no rooms or messages)"
	case archive.LevelRoomDirectory:
		return "principals, categories, add-ins and rooms (no messages)"
	}
	return ""
}

func quoteName(name, target string) string {
	if target != "" && target != name {
		return fmt.Sprintf("%q -> %q", name, target)
	}
	return fmt.Sprintf("%q", name)
}

// count is numtext.Count: "1 room", "3 rooms".
func count[T ~int | ~int64](n T, one, many string) string { return numtext.Count(n, one, many) }

// planned is an import's plan in words: new principals, add-ins and
// categories, rooms and, with messages, the messages to import.
func planned(r *importer.Result, created int, messages bool) string {
	s := fmt.Sprintf("%s, %s, %s, %s", count(r.Principals.Create, "new principal", "new principals"), count(r.Addins.Create, "new add-in", "new add-ins"),
		count(created, "new category", "new categories"), count(len(r.Rooms), "room", "rooms"))
	if messages {
		s += ", " + count(r.Messages.ToImport, "message", "messages")
	}
	return s
}

// problems counts an import's conflicts, errors (when withErrors) and
// warnings.
func problems(r *importer.Result, withErrors bool) string {
	parts := []string{count(len(r.Conflicts), "conflict", "conflicts")}
	if withErrors {
		parts = append(parts, count(r.Errors(), "error", "errors"))
	}
	return strings.Join(append(parts, count(r.Warnings(), "warning", "warnings")), ", ")
}

// adds writes "(+1 member, +2 managers)" from (count, singular, plural)
// triples, leaving out the zeros.
func adds(kv ...any) string {
	var parts []string
	for i := 0; i+2 < len(kv); i += 3 {
		if n := kv[i].(int); n > 0 {
			parts = append(parts, "+"+count(n, kv[i+1].(string), kv[i+2].(string)))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// WriteImport writes an import report; record as for Write.
func WriteImport(path string, r *importer.Result, record func(tmp string) error, opts ...atomicfile.Option) error {
	return Write(path, ImportPage(r, time.Now()), r, record, opts...)
}

// ImportPage is the page of an import or of its dry run.
func ImportPage(r *importer.Result, now time.Time) Page {
	created := 0
	for _, c := range r.Categories {
		if c.Action == importer.ActCreate || c.Action == importer.ActRename {
			created++
		}
	}
	arrived := r.Messages.Imported + r.Messages.AlreadyThere
	if r.DryRun {
		arrived = r.Messages.ToImport + r.Messages.AlreadyThere
	}
	catsKept, roomsKept := notSkipped(r)
	p := Page{Kind: "import", Title: "Import: " + r.Archive, Subtitle: "Target " + r.Target, Generated: now,
		SourceLabel: "Archive", Warnings: r.Warnings(), Errors: r.Errors(),
		Totals: []Total{
			{Label: "Categories", Source: int64(len(r.Categories)), Target: int64(catsKept), HasTarget: true},
			{Label: "Rooms", Source: int64(len(r.Rooms)), Target: int64(roomsKept), HasTarget: true},
			{Label: "Messages", Source: r.Messages.InArchive, Target: arrived, HasTarget: true},
		}}
	switch {
	case r.Errors() > 0:
		p.Status = Status{Level: Fail, Badge: "REFUSED", Headline: fmt.Sprintf("Pre-flight validation found %s; nothing was written.", NumOf(r.Errors(), "error", "errors")),
			Detail: "Each error is listed under “Errors and warnings”."}
	case r.Refused != "" && earlierUnfinished(r):
		p.Status = Status{Level: Fail, Badge: "REFUSED", Headline: "This run of the import was refused at its first write and wrote nothing; an earlier import of this archive is unfinished, and running the import again resumes it.", Detail: r.Refused}
	case r.Refused != "":
		p.Status = Status{Level: Fail, Badge: "REFUSED", Headline: "The import was refused at its first write; nothing was written.", Detail: r.Refused}
	case r.Stopped:
		p.Status = Status{Level: Fail, Badge: "STOPPED", Headline: fmt.Sprintf("Stopped before the end: %s of %s imported so far; running the import again resumes it.", Num(r.Messages.Imported), NumOf(r.Messages.ToImport, "message", "messages"))}
	case r.DryRun:
		p.Status = Status{Level: Info, Badge: "DRY RUN", Headline: fmt.Sprintf("Nothing was written. The import would add %s and %s.", NumOf(r.Messages.ToImport, "message", "messages"), NumOf(created, "new category", "new categories"))}
	default:
		p.Status = Status{Level: OK, Badge: "DONE", Headline: fmt.Sprintf("Imported %s; %s already there.", NumOf(r.Messages.Imported, "message", "messages"), NumOf(r.Messages.AlreadyThere, "was", "were"))}
		if r.Warnings() > 0 {
			p.Status.Level = Warn
			p.Status.Detail = fmt.Sprintf("%s: see “Errors and warnings”.", NumOf(r.Warnings(), "warning", "warnings"))
		}
	}
	p.Facts = []Fact{{"Archive", r.Archive}, {"Target", r.Target}, {"On conflict", r.OnConflict},
		{"Principals", fmt.Sprintf("%s new, %s already there", Num(r.Principals.Create), Num(r.Principals.Existing))},
		{"Group memberships added", Num(r.Affiliations)},
		{"Add-ins", fmt.Sprintf("%s new, %s already there", Num(r.Addins.Create), Num(r.Addins.Existing))},
		{"Messages", fmt.Sprintf("%s in the archive, %s imported, %s already there, %s skipped", Num(r.Messages.InArchive), Num(r.Messages.Imported), Num(r.Messages.AlreadyThere), Num(r.Messages.Skipped))},
		{"Conflicts", Num(len(r.Conflicts))}, {"Resumed", yes(r.Resumed)}, {"Duration", Duration(r.Duration)}}
	conf := Section{Title: "Conflicts", Columns: []string{"Kind", "Name", "Resolution", "Detail"}, Empty: "No name conflicts."}
	for _, c := range r.Conflicts {
		conf.Rows = append(conf.Rows, []string{c.Kind, c.Name, c.Resolution, c.Detail})
	}
	probs := Section{Title: "Errors and warnings", Columns: []string{"Severity", "Object", "Problem"}, Empty: "Validation found nothing.",
		Level: levelIf(r.Errors() > 0, Fail)}
	if r.Errors() == 0 && r.Warnings() > 0 {
		probs.Level = Warn
	}
	for _, pr := range r.Problems {
		probs.Rows = append(probs.Rows, []string{pr.Severity, pr.Object, pr.Message})
	}
	cats := Section{Title: "Categories", Columns: []string{"Category", "Name in target", "Action", "Rooms", "+Allowed", "+Denied", "+Creators"}}
	for _, c := range r.Categories {
		cats.Rows = append(cats.Rows, []string{c.Name, c.Target, c.Action, Num(c.Rooms), Num(c.AddAllowed), Num(c.AddDenied), Num(c.AddCreators)})
	}
	rooms := Section{Title: "Rooms", Columns: []string{"Category", "Room", "Name in target", "Action", "+Members", "+Managers", "+Presenters", "Messages", "Already there", "Imported"}}
	var bars categoryBars
	for _, rm := range r.Rooms {
		rooms.Rows = append(rooms.Rows, []string{rm.Category, rm.Name, rm.Target, rm.Action, Num(rm.AddMembers), Num(rm.AddManagers), Num(rm.AddPresenters),
			Num(rm.Messages), Num(rm.AlreadyThere), Num(rm.Imported)})
		b := bars.bar(rm.Category)
		b.SourceRooms++
		b.SourceMessages += rm.Messages
		if rm.Action != importer.ActSkip {
			b.TargetRooms++
			if r.DryRun {
				b.TargetMessages += rm.Messages
			} else {
				b.TargetMessages += rm.Imported + rm.AlreadyThere
			}
		}
	}
	p.Chart, p.ChartNote = bars.chart()
	p.Sections = []Section{probs, conf, cats, rooms}
	return p
}

// notSkipped counts the archive's categories and rooms that the import did
// not skip: those the target holds after it.
func notSkipped(r *importer.Result) (cats, rooms int) {
	for _, c := range r.Categories {
		if c.Action != importer.ActSkip {
			cats++
		}
	}
	for _, rm := range r.Rooms {
		if rm.Action != importer.ActSkip {
			rooms++
		}
	}
	return cats, rooms
}

// earlierUnfinished tells whether the target already holds part of this
// archive from an earlier import (its journal, or messages found there).
func earlierUnfinished(r *importer.Result) bool {
	return r.Resumed || r.Messages.AlreadyThere > 0
}
