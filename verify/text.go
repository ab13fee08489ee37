package verify

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pcmig/pcmig/internal/grouped"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/textwidth"
)

// WriteText writes the reconciliation for people: what was compared, the
// notes, the differences, and the verdict last. Of the notes that repeat
// once per category, room or role (NoteKind), the rooms in no category,
// the roles not carried and the differences (Difference.Kind), it shows
// the first few of each kind (grouped.Lines), then how many there are and
// where, which says where every one is listed.
func WriteText(w io.Writer, r *Result, where string) error {
	var b strings.Builder
	// Every line is one line: names with line breaks are shown escaped.
	p := func(format string, args ...any) {
		b.WriteString(textwidth.OneLine(fmt.Sprintf(format, args...)) + "\n")
	}
	for _, s := range r.Sources {
		line := fmt.Sprintf("Source %s (%s", s.Label, s.Database)
		if s.Archive != "" {
			line += ", archive " + s.Archive
		}
		p("%s)", line)
	}
	p("Target %s", r.Target)
	t := r.Totals
	// "present", not "arrived": a message whose content differs is
	// present, and the rooms whose history differs are counted.
	differs := ""
	if n := t.RoomsHistoryDiffers; n > 0 {
		differs = fmt.Sprintf("; %s a different history (see the differences)", countOf(int64(n), "room has", "rooms have"))
	}
	p("Compared: %s of %s, %s of %s, %s of %s present (target of source)%s.",
		count(int64(t.Target.Categories)), countOf(int64(t.Source.Categories), "category", "categories"),
		count(int64(t.Target.Rooms)), countOf(int64(t.Source.Rooms), "room", "rooms"),
		count(t.Target.Messages), countOf(t.Source.Messages, "message", "messages"), differs)
	if o := t.TargetObjects; o.Categories < t.Target.Categories || o.Rooms < t.Target.Rooms {
		p("The %s and %s found are %s and %s of the target: several sources' were merged into one.",
			countOf(int64(t.Target.Categories), "category", "categories"), countOf(int64(t.Target.Rooms), "room", "rooms"),
			countOf(int64(o.Categories), "category", "categories"), countOf(int64(o.Rooms), "room", "rooms"))
	}
	if t.SharedMessages > 0 {
		p("The sources hold %s: %s of them %s also in another source's room merged into the same target room, and %s expected there once.",
			countOf(t.Source.Messages+t.SharedMessages, "message", "messages"), count(t.SharedMessages),
			numtext.Noun(t.SharedMessages, "is", "are"), numtext.Noun(t.SharedMessages, "is", "are"))
	}
	if r.Files.Store != "" {
		found := r.Files.Links - r.Files.Missing - r.Files.MissingSourceToo
		p("Uploaded files: %s of %s found in the target's file store %s%s%s.", count(found), countOf(r.Files.Links, "linked file", "linked files"), r.Files.Store,
			otherBytes(r.Files.Differ), sourceToo(r.Files.MissingSourceToo))
	}
	var lines, kinds []string
	for _, n := range r.Notes {
		lines, kinds = append(lines, "note: "+n), append(kinds, r.NoteKind(n))
	}
	for _, n := range r.NoCategory {
		lines, kinds = append(lines, "note: "+n.Text), append(kinds, noteNoCategory)
	}
	for _, n := range r.NotCarried {
		lines, kinds = append(lines, "not carried: "+n.Text), append(kinds, noteNotCarried)
	}
	for _, l := range grouped.Lines(lines, kinds, NoteWhat, where) {
		if strings.HasPrefix(l, "... ") {
			l = "note: " + l
		}
		p("%s", l)
	}
	multi := len(r.Sources) > 1
	lines, kinds = lines[:0], kinds[:0]
	for _, d := range r.Differences {
		if multi {
			lines = append(lines, fmt.Sprintf("difference (%s): %s", d.Source, d.Text))
		} else {
			lines = append(lines, "difference: "+d.Text)
		}
		kinds = append(kinds, d.kind)
	}
	for _, l := range grouped.Lines(lines, kinds, DifferenceWhat, where) {
		if strings.HasPrefix(l, "... ") {
			l = "difference: " + l
		}
		p("%s", l)
	}
	if r.IsEqual() {
		what := "source and target hold the same categories, rooms, roles and messages"
		if r.Structure {
			what = "source and simulated target hold the same categories, rooms and roles"
		}
		p("EQUAL: %s%s (verified in %s).", what, r.noCategoryClause(), r.duration.Round(time.Millisecond))
	} else {
		p("DIFFERENT: %s (verified in %s).", countOf(int64(len(r.Differences)), "difference", "differences"), r.duration.Round(time.Millisecond))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Summary is the verdict in one line.
func (r *Result) Summary() string {
	if r.IsEqual() {
		return fmt.Sprintf("EQUAL: %s, %s and %s verified%s", countOf(int64(r.Totals.Source.Categories), "category", "categories"),
			countOf(int64(r.Totals.Source.Rooms), "room", "rooms"), countOf(r.Totals.Source.Messages, "message", "messages"), r.noCategoryClause())
	}
	return "DIFFERENT: " + countOf(int64(len(r.Differences)), "difference", "differences")
}

// noCategoryClause is what an EQUAL verdict says of the source rooms in
// no category, which no export carries: "" when there is none.
// It also names the source's role grants and allowed/denied entries that
// no archive carries (uncarriedNote).
func (r *Result) noCategoryClause() string {
	var parts []string
	if len(r.NoCategory) > 0 {
		var msgs int64
		for _, n := range r.NoCategory {
			msgs += n.Messages
		}
		parts = append(parts, fmt.Sprintf("%s in no category (%s)",
			countOf(int64(len(r.NoCategory)), "source room", "source rooms"), countOf(msgs, "message", "messages")))
	}
	if r.uncarried > 0 {
		parts = append(parts, fmt.Sprintf("%s of %s",
			countOf(r.uncarried, "role grant or allowed/denied entry", "role grants or allowed/denied entries"),
			countOf(r.uncarriedNodes, "source node", "source nodes")))
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf(", but for %s that no export carries (see the notes)", strings.Join(parts, " and "))
}

// count writes n with thousands separators: 1,204.
func count(n int64) string { return numtext.Thousands(n) }

// countOf writes n as count does with its noun, singular for one.
func countOf(n int64, one, many string) string { return count(n) + " " + numtext.Noun(n, one, many) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// otherBytes says how many of the linked files found differ from the
// source's.
func otherBytes(n int64) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", %s of them other than the source's", count(n))
}

// sourceToo says how many linked files the source's file store lacks too.
func sourceToo(n int64) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%s missing from the source's file store too: nothing to copy)", count(n))
}
