package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/pcmig/pcmig/atomicfile"
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
func WriteExport(path, source string, r *exporter.Result, opts ...atomicfile.Option) error {
	return Write(path, ExportPage(source, r, time.Now()), struct {
		Source string `json:"source"`
		*exporter.Result
	}{source, r}, opts...)
}

// ExportPage is the page of an export.
func ExportPage(source string, r *exporter.Result, now time.Time) Page {
	p := Page{Kind: "export", Title: "Export: " + r.Archive, Subtitle: "Source " + source, Generated: now,
		SourceLabel: "Archive", Warnings: len(r.Warnings),
		Status: Status{Level: OK, Badge: "DONE", Headline: fmt.Sprintf("The archive is complete and verified: %s rooms and %s messages.", Num(r.Counts.Rooms), Num(r.Counts.Messages)),
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
		return bars[:ChartCategories], fmt.Sprintf("The %d busiest of %s categories; the tables list every room.", ChartCategories, Num(len(bars)))
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
	if r.Stopped {
		// What was planned, not what was written: an import stopped in
		// its structure phase wrote only part of it.
		fmt.Fprintf(w, "Stopped before the end: %d of %d messages imported into %s so far. The plan: %d new principals, %d new add-ins, %d new categories, %d rooms; %d conflicts, %d errors, %d warnings.\n",
			r.Messages.Imported, r.Messages.ToImport, r.Target, r.Principals.Create, r.Addins.Create, created, len(r.Rooms),
			len(r.Conflicts), r.Errors(), r.Warnings())
		return
	}
	if r.Refused != "" {
		fmt.Fprintf(w, "Nothing imported into %s: refused before anything was written (%s). The plan was: %d new principals, %d new add-ins, %d new categories, %d rooms, %d messages; %d conflicts, %d warnings.\n",
			r.Target, r.Refused, r.Principals.Create, r.Addins.Create, created, len(r.Rooms), r.Messages.ToImport,
			len(r.Conflicts), r.Warnings())
		return
	}
	if !r.DryRun && r.Errors() > 0 {
		// Refused by the pre-flight, before the first write.
		fmt.Fprintf(w, "Nothing imported into %s: %d errors (listed above). The plan was: %d new principals, %d new add-ins, %d new categories, %d rooms, %d messages; %d conflicts, %d warnings.\n",
			r.Target, r.Errors(), r.Principals.Create, r.Addins.Create, created, len(r.Rooms), r.Messages.ToImport,
			len(r.Conflicts), r.Warnings())
		return
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
func WriteImport(path string, r *importer.Result, opts ...atomicfile.Option) error {
	return Write(path, ImportPage(r, time.Now()), r, opts...)
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
		p.Status = Status{Level: Fail, Badge: "REFUSED", Headline: fmt.Sprintf("Pre-flight validation found %s errors; nothing was written.", Num(r.Errors())),
			Detail: "Each error is listed under “Errors and warnings”."}
	case r.Refused != "":
		p.Status = Status{Level: Fail, Badge: "REFUSED", Headline: "The import was refused at its first write; nothing was written.", Detail: r.Refused}
	case r.Stopped:
		p.Status = Status{Level: Fail, Badge: "STOPPED", Headline: fmt.Sprintf("Stopped before the end: %s of %s messages imported so far; running the import again resumes it.", Num(r.Messages.Imported), Num(r.Messages.ToImport))}
	case r.DryRun:
		p.Status = Status{Level: Info, Badge: "DRY RUN", Headline: fmt.Sprintf("Nothing was written. The import would add %s messages and %s new categories.", Num(r.Messages.ToImport), Num(created))}
	default:
		p.Status = Status{Level: OK, Badge: "DONE", Headline: fmt.Sprintf("Imported %s messages; %s were already there.", Num(r.Messages.Imported), Num(r.Messages.AlreadyThere))}
		if r.Warnings() > 0 {
			p.Status.Level = Warn
			p.Status.Detail = fmt.Sprintf("%s warnings: see “Errors and warnings”.", Num(r.Warnings()))
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
