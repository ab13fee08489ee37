package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
)

// ExportSummary prints the short console summary of an export.
func ExportSummary(w io.Writer, r *exporter.Result) {
	fmt.Fprintf(w, "Exported %s (level %s", r.Archive, r.Level)
	if len(r.Scope) > 0 {
		fmt.Fprintf(w, ", scope %s", strings.Join(r.Scope, ", "))
	}
	if r.Since != nil {
		fmt.Fprintf(w, ", messages since %s", r.Since.Format(time.RFC3339))
	}
	fmt.Fprintf(w, "): %d principals, %d categories, %d add-ins, %d rooms, %d messages in %s.\n",
		r.Counts.Principals, r.Counts.Categories, r.Counts.Addins, r.Counts.Rooms, r.Counts.Messages, r.Duration.Round(time.Millisecond))
	if r.Disabled > 0 {
		fmt.Fprintf(w, "Disabled %d exported rooms in the source.\n", r.Disabled)
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
}

// WriteExport writes an export report.
func WriteExport(path, source string, r *exporter.Result) error {
	doc := Doc{Title: "pcmig export report", Generated: time.Now().UTC(), Summary: [][2]string{
		{"Source", source}, {"Archive", r.Archive}, {"Level", r.Level}, {"Scope", strings.Join(r.Scope, ", ")},
		{"Principals", itoa(r.Counts.Principals)}, {"Categories", itoa(r.Counts.Categories)}, {"Add-ins", itoa(r.Counts.Addins)},
		{"Rooms", itoa(r.Counts.Rooms)}, {"Messages", itoa(r.Counts.Messages)}, {"Rooms disabled in the source", itoa(r.Disabled)},
		{"Duration", r.Duration.Round(time.Millisecond).String()},
	}}
	if r.Since != nil {
		doc.Summary = append(doc.Summary, [2]string{"Messages since", r.Since.Format(time.RFC3339)})
	}
	rooms := Section{Title: "Rooms", Columns: []string{"Category", "Room", "Messages", "Disabled"}}
	for _, rm := range r.Rooms {
		rooms.Rows = append(rooms.Rows, []string{rm.Category, rm.Name, itoa(rm.Messages), fmt.Sprint(rm.Disabled)})
	}
	warn := Section{Title: "Warnings", Columns: []string{"Warning"}}
	for _, w := range r.Warnings {
		warn.Rows = append(warn.Rows, []string{w})
	}
	doc.Sections = []Section{warn, rooms}
	return Write(path, doc, struct {
		Source string `json:"source"`
		*exporter.Result
	}{source, r})
}

// ImportSummary prints the plan or outcome of an import, problems first,
// and ends with a one-line summary.
func ImportSummary(w io.Writer, r *importer.Result) {
	for _, p := range r.Problems {
		fmt.Fprintf(w, "%s: %s: %s\n", p.Severity, p.Object, p.Message)
	}
	for _, c := range r.Conflicts {
		fmt.Fprintf(w, "conflict: %s %q exists in the target: %s\n", c.Kind, c.Name, c.Resolution)
	}
	verb := "Imported"
	if r.DryRun {
		verb = "Would import"
		fmt.Fprintln(w, "Plan (dry run, nothing written):")
		for _, c := range r.Categories {
			fmt.Fprintf(w, "  category %-8s %s%s\n", c.Action, quoteName(c.Name, c.Target), adds(c.AddAllowed, "allowed", c.AddDenied, "denied", c.AddCreators, "creators"))
		}
		for _, rm := range r.Rooms {
			msgs := ""
			if n := rm.Messages - rm.AlreadyThere; rm.Action != importer.ActSkip && n > 0 {
				msgs = fmt.Sprintf(", %d messages", n)
			}
			fmt.Fprintf(w, "  room     %-8s %s in %q%s%s\n", rm.Action, quoteName(rm.Name, rm.Target), rm.Category,
				adds(rm.AddMembers, "members", rm.AddManagers, "managers", rm.AddPresenters, "presenters"), msgs)
		}
	}
	created := 0
	for _, c := range r.Categories {
		if c.Action == importer.ActCreate || c.Action == importer.ActRename {
			created++
		}
	}
	msgs := r.Messages.Imported
	if r.DryRun {
		msgs = r.Messages.ToImport
	}
	fmt.Fprintf(w, "%s into %s: %d new principals, %d new add-ins, %d new categories, %d rooms, %d messages (%d already there, %d skipped); %d conflicts, %d errors, %d warnings.\n",
		verb, r.Target, r.Principals.Create, r.Addins.Create, created, len(r.Rooms), msgs, r.Messages.AlreadyThere, r.Messages.Skipped,
		len(r.Conflicts), r.Errors(), r.Warnings())
}

func quoteName(name, target string) string {
	if target != "" && target != name {
		return fmt.Sprintf("%q -> %q", name, target)
	}
	return fmt.Sprintf("%q", name)
}

func adds(kv ...any) string {
	var parts []string
	for i := 0; i+1 < len(kv); i += 2 {
		if n := kv[i].(int); n > 0 {
			parts = append(parts, fmt.Sprintf("+%d %s", n, kv[i+1]))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// WriteImport writes an import report.
func WriteImport(path string, r *importer.Result) error {
	title := "pcmig import report"
	if r.DryRun {
		title += " (dry run: nothing was written)"
	}
	doc := Doc{Title: title, Generated: time.Now().UTC(), Summary: [][2]string{
		{"Archive", r.Archive}, {"Target", r.Target}, {"On conflict", r.OnConflict},
		{"Principals", fmt.Sprintf("%d new, %d already there", r.Principals.Create, r.Principals.Existing)},
		{"Group memberships added", itoa(r.Affiliations)},
		{"Add-ins", fmt.Sprintf("%d new, %d already there", r.Addins.Create, r.Addins.Existing)},
		{"Messages", fmt.Sprintf("%d in the archive, %d imported, %d already there, %d skipped", r.Messages.InArchive, r.Messages.Imported, r.Messages.AlreadyThere, r.Messages.Skipped)},
		{"Conflicts", itoa(len(r.Conflicts))}, {"Errors", itoa(r.Errors())}, {"Warnings", itoa(r.Warnings())},
		{"Duration", r.Duration.Round(time.Millisecond).String()},
	}}
	conf := Section{Title: "Conflicts", Columns: []string{"Kind", "Name", "Resolution", "Detail"}, Empty: "No name conflicts."}
	for _, c := range r.Conflicts {
		conf.Rows = append(conf.Rows, []string{c.Kind, c.Name, c.Resolution, c.Detail})
	}
	probs := Section{Title: "Errors and warnings", Columns: []string{"Severity", "Object", "Problem"}, Empty: "Validation found nothing."}
	for _, p := range r.Problems {
		probs.Rows = append(probs.Rows, []string{p.Severity, p.Object, p.Message})
	}
	cats := Section{Title: "Categories", Columns: []string{"Category", "Name in target", "Action", "Rooms", "+Allowed", "+Denied", "+Creators"}}
	for _, c := range r.Categories {
		cats.Rows = append(cats.Rows, []string{c.Name, c.Target, c.Action, itoa(c.Rooms), itoa(c.AddAllowed), itoa(c.AddDenied), itoa(c.AddCreators)})
	}
	rooms := Section{Title: "Rooms", Columns: []string{"Category", "Room", "Name in target", "Action", "+Members", "+Managers", "+Presenters", "Messages", "Already there", "Imported"}}
	for _, rm := range r.Rooms {
		rooms.Rows = append(rooms.Rows, []string{rm.Category, rm.Name, rm.Target, rm.Action, itoa(rm.AddMembers), itoa(rm.AddManagers), itoa(rm.AddPresenters),
			itoa(rm.Messages), itoa(rm.AlreadyThere), itoa(rm.Imported)})
	}
	doc.Sections = []Section{probs, conf, cats, rooms}
	return Write(path, doc, r)
}
