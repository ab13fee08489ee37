package report

import (
	"time"

	"github.com/pcmig/pcmig/verify"
)

// WriteVerify writes a reconciliation report.
func WriteVerify(path string, r *verify.Result) error {
	doc := Doc{Title: "pcmig verify: " + r.Verdict, Generated: time.Now().UTC(), Summary: [][2]string{
		{"Verdict", r.Verdict}, {"Target", r.Target},
		{"Categories (source / target)", itoa(r.Totals.Source.Categories) + " / " + itoa(r.Totals.Target.Categories)},
		{"Rooms (source / target)", itoa(r.Totals.Source.Rooms) + " / " + itoa(r.Totals.Target.Rooms)},
		{"Messages (source / target)", itoa(r.Totals.Source.Messages) + " / " + itoa(r.Totals.Target.Messages)},
	}}
	diffs := Section{Title: "Differences", Columns: []string{"Source", "Difference"}, Empty: "None: the target holds what the source had."}
	for _, d := range r.Differences {
		diffs.Rows = append(diffs.Rows, []string{d.Source, d.Text})
	}
	notes := Section{Title: "Notes", Columns: []string{"Note"}}
	for _, n := range r.Notes {
		notes.Rows = append(notes.Rows, []string{n})
	}
	rooms := Section{Title: "Rooms", Columns: []string{"Category", "Room", "Name in target", "Source messages", "Target messages", "Equal"}}
	for _, rm := range r.Rooms {
		rooms.Rows = append(rooms.Rows, []string{rm.Category, rm.Name, rm.TargetName, itoa(rm.SourceMessages), itoa(rm.TargetMessages), yes(rm.Equal)})
	}
	doc.Sections = []Section{diffs, notes, rooms}
	return Write(path, doc, r)
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
