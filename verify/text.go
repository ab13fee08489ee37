package verify

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pcmig/pcmig/numtext"
)

// WriteText writes the reconciliation for people: what was compared, the
// notes, every difference, and the verdict last.
func WriteText(w io.Writer, r *Result) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	for _, s := range r.Sources {
		line := fmt.Sprintf("Source %s (%s", s.Label, s.Database)
		if s.Archive != "" {
			line += ", archive " + s.Archive
		}
		p("%s)", line)
	}
	p("Target %s", r.Target)
	t := r.Totals
	p("Compared: %s of %s categories, %s of %s rooms, %s of %s messages arrived (target of source).",
		count(int64(t.Target.Categories)), count(int64(t.Source.Categories)), count(int64(t.Target.Rooms)), count(int64(t.Source.Rooms)),
		count(t.Target.Messages), count(t.Source.Messages))
	if o := t.TargetObjects; o.Categories < t.Target.Categories || o.Rooms < t.Target.Rooms {
		p("The %s categories and %s rooms found are %s categories and %s rooms of the target: several sources' were merged into one.",
			count(int64(t.Target.Categories)), count(int64(t.Target.Rooms)), count(int64(o.Categories)), count(int64(o.Rooms)))
	}
	if t.SharedMessages > 0 {
		p("The sources hold %s messages: %s of them are also in another source's room merged into the same target room, and are expected there once.",
			count(t.Source.Messages+t.SharedMessages), count(t.SharedMessages))
	}
	if r.Files.Store != "" {
		found := r.Files.Links - r.Files.Missing - r.Files.MissingSourceToo
		p("Uploaded files: %s of %s linked files found in the target's file store %s%s.", count(found), count(r.Files.Links), r.Files.Store,
			sourceToo(r.Files.MissingSourceToo))
	}
	for _, n := range r.Notes {
		p("note: %s", n)
	}
	for _, n := range r.NotCarried {
		p("not carried: %s", n.Text)
	}
	multi := len(r.Sources) > 1
	for _, d := range r.Differences {
		if multi {
			p("difference (%s): %s", d.Source, d.Text)
		} else {
			p("difference: %s", d.Text)
		}
	}
	if r.IsEqual() {
		what := "source and target hold the same categories, rooms, roles and messages"
		if r.Structure {
			what = "source and simulated target hold the same categories, rooms and roles"
		}
		p("EQUAL: %s (verified in %s).", what, r.duration.Round(time.Millisecond))
	} else {
		p("DIFFERENT: %s differences (verified in %s).", count(int64(len(r.Differences))), r.duration.Round(time.Millisecond))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Summary is the verdict in one line.
func (r *Result) Summary() string {
	if r.IsEqual() {
		return fmt.Sprintf("EQUAL: %s categories, %s rooms and %s messages verified",
			count(int64(r.Totals.Source.Categories)), count(int64(r.Totals.Source.Rooms)), count(r.Totals.Source.Messages))
	}
	return fmt.Sprintf("DIFFERENT: %s differences", count(int64(len(r.Differences))))
}

// count writes n with thousands separators: 1,204.
func count(n int64) string { return numtext.Thousands(n) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// sourceToo says how many linked files the source's file store lacks too.
func sourceToo(n int64) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%s missing from the source's file store too: nothing to copy)", count(n))
}
