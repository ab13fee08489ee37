package runtime

import (
	"fmt"
	"io"
	"time"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/report"
	"github.com/pcmig/pcmig/runbook"
)

// WriteHTML writes the report as pcmig's one report page (package report):
// self-contained, no scripts, every value escaped. The first screen says
// whether the run worked: its status, the reconciliation of target and
// source when the script made one, the totals on both sides, warnings and
// errors counted and the per-category picture; each step follows.
func (r *Report) WriteHTML(w io.Writer) error {
	return report.WriteHTML(w, r.Page(time.Now()))
}

// Page lays the run out as a report page.
func (r *Report) Page(now time.Time) report.Page {
	title := "Run of " + r.Script
	if r.Estate != "" {
		title = "Migration of " + r.Estate
	}
	p := report.Page{Kind: "run", Title: title, Subtitle: "Script " + r.Script, Generated: now}
	warnings, errs := len(r.Warnings), len(r.Errors)
	for _, s := range r.Steps {
		warnings += len(s.Warnings)
		errs += len(s.Errors)
	}
	if r.Status == StatusFailed && errs == 0 {
		errs = 1 // the run's own error, in the summary below
	}
	p.Warnings, p.Errors = warnings, errs
	if rec := r.Reconciliation; rec != nil {
		x := report.FromVerify(rec)
		p.Totals, p.Verdict, p.Chart, p.ChartNote = x.Totals, x.Verdict, x.Chart, x.ChartNote
		defer func() { p.Sections = append(p.Sections, x.Sections...) }()
	}
	p.Status = r.status()
	mode := "real run"
	if r.DryRun {
		mode = "dry run: nothing was changed"
	}
	if r.Resumed {
		mode += ", resumed"
	}
	p.Facts = []report.Fact{{Label: "Script", Value: r.Script}, {Label: "Estate", Value: r.Estate}, {Label: "Mode", Value: mode},
		{Label: "Status", Value: r.Status}, {Label: "Started", Value: report.Time(r.Start)}, {Label: "Ended", Value: report.Time(r.End)},
		{Label: "Duration", Value: report.Duration(time.Duration(r.DurationMS) * time.Millisecond)}}
	if r.Error != "" {
		p.Facts = append(p.Facts, report.Fact{Label: "Error", Value: r.Error})
	}
	if r.Resumable {
		p.Facts = append(p.Facts, report.Fact{Label: "To continue", Value: r.resumeAdvice()})
	}
	count := "Applied"
	if r.DryRun {
		count = "Planned"
	}
	steps := report.Section{Title: "Steps", Columns: []string{"#", "Step", "Status", "Duration", count, "Warnings", "Errors"}, Empty: "The script has no steps."}
	if r.Status == StatusFailed && len(r.Steps) == 0 {
		steps.Empty = "No step ran: the run stopped before its first step."
	}
	for _, s := range r.Steps {
		n := s.Applied
		if r.DryRun {
			n = s.Planned
		}
		status := s.Status
		if s.EarlierRun {
			status += " (in an earlier run)"
		}
		steps.Rows = append(steps.Rows, []string{fmt.Sprint(s.Index), shown(s.Name), status, report.Duration(time.Duration(s.DurationMS) * time.Millisecond),
			report.Num(n), report.Num(len(s.Warnings)), report.Num(len(s.Errors))})
	}
	p.Sections = append(p.Sections, steps)
	for _, s := range r.Steps {
		if len(s.Actions)+len(s.Warnings)+len(s.Errors) == 0 {
			continue
		}
		p.Sections = append(p.Sections, details(fmt.Sprintf("Step %d: %s", s.Index, shown(s.Name)), s.Status, s.Actions, s.Warnings, s.Errors))
	}
	if len(r.Actions)+len(r.Warnings)+len(r.Errors) > 0 {
		p.Sections = append(p.Sections, details("Outside any step", "", r.Actions, r.Warnings, r.Errors))
	}
	return p
}

// status answers "did it work" in one line.
func (r *Report) status() report.Status {
	rec := r.Reconciliation
	failed := ""
	for _, s := range r.Steps {
		if s.Status == StatusFailed {
			failed = fmt.Sprintf("step %d, %s", s.Index, shown(s.Name))
		}
	}
	switch {
	case r.Status == StatusFailed && rec != nil && !rec.IsEqual():
		return report.Status{Level: report.Fail, Badge: "DIFFERENT", Headline: "The target differs from the source.",
			Detail: fmt.Sprintf("The reconciliation found %s; each is listed under Reconciliation.", report.NumOf(len(rec.Differences), "difference", "differences"))}
	case r.Status == StatusFailed && failed != "":
		return report.Status{Level: report.Fail, Badge: "FAILED", Headline: "The run stopped at " + failed + ".", Detail: r.Error}
	case r.Status == StatusFailed && len(r.Steps) == 0:
		return report.Status{Level: report.Fail, Badge: "FAILED", Headline: "The run stopped before its first step.", Detail: r.Error}
	case r.Status == StatusFailed:
		return report.Status{Level: report.Fail, Badge: "FAILED", Headline: "The run failed.", Detail: r.Error}
	case r.DryRun:
		head := "Dry run: nothing was changed, and nothing is pending."
		if r.ChangesPending {
			n := len(r.Actions)
			for _, s := range r.Steps {
				n += s.Planned
			}
			head = fmt.Sprintf("Dry run: nothing was changed; %s pending.", report.NumOf(n, "change is", "changes are"))
		}
		st := report.Status{Level: report.Info, Badge: "DRY RUN", Headline: head}
		if rec != nil {
			st.Detail = "Reconciliation of the simulated structure: " + rec.Verdict + "."
		}
		return st
	case rec != nil && len(r.ChangesAfterReconciliation) > 0:
		a := r.ChangesAfterReconciliation[0]
		return report.Status{Level: report.Warn, Badge: "UNVERIFIED", Headline: fmt.Sprintf("The run finished, but it made %s after its reconciliation (%s), which the verdict does not cover.",
			report.NumOf(len(r.ChangesAfterReconciliation), "change", "changes"), rec.Verdict),
			Detail: fmt.Sprintf("The first: step %s, %s.%s %s. Run pcmig verify to compare the target as it is now.", shown(a.Step), a.Module, a.Op, a.Target)}
	case rec != nil && rec.IsEqual():
		return report.Status{Level: report.OK, Badge: "EQUAL", Headline: "Migration complete: the target holds what the source had.",
			Detail: fmt.Sprintf("%s done; the reconciliation compared every category, room, role and message.", report.NumOf(len(r.Steps), "step", "steps"))}
	case rec != nil:
		return report.Status{Level: report.Fail, Badge: "DIFFERENT", Headline: "The run finished, but the target differs from the source.",
			Detail: fmt.Sprintf("%s; each is listed under Reconciliation.", report.NumOf(len(rec.Differences), "difference", "differences"))}
	}
	return report.Status{Level: report.OK, Badge: "DONE", Headline: fmt.Sprintf("The run finished: %s done.", report.NumOf(len(r.Steps), "step", "steps")),
		Detail: "The script made no reconciliation (verify.run); the bundled scripts end with one."}
}

// details is one step's actions, warnings and errors.
func details(title, status string, actions []Action, warnings, errs []string) report.Section {
	s := report.Section{Title: title, Columns: []string{"Operation", "Target", "Count", "Detail"}}
	switch {
	case status == StatusFailed || len(errs) > 0:
		s.Level = report.Fail
	case len(warnings) > 0:
		s.Level = report.Warn
	case status == StatusDone:
		s.Level = report.OK
	}
	for _, e := range errs {
		s.Items = append(s.Items, "Error: "+e)
	}
	for _, w := range warnings {
		s.Items = append(s.Items, "Warning: "+w)
	}
	for _, a := range actions {
		count := ""
		if a.Count != 0 {
			count = report.Num(a.Count)
		}
		s.Rows = append(s.Rows, []string{actionOp(a), a.Target, count, a.Detail})
	}
	return s
}

// shown is a step name as people see it, on the page as on the console:
// control and invisible characters escaped (\u001B). The report's JSON
// keeps the real name.
func shown(name string) string { return runbook.CommentText(name) }

// resumeAdvice says how a run that stopped is continued: its journal keeps
// the finished steps, and --resume skips them.
func (r *Report) resumeAdvice() string {
	done, stopped := 0, ""
	for _, s := range r.Steps {
		switch s.Status {
		case StatusDone:
			done++
		case StatusFailed:
			stopped = s.Name
		}
	}
	advice := fmt.Sprintf("run the same command with --resume: it skips the %s this run's journal records as finished", numtext.Count(done, "step", "steps"))
	if stopped != "" {
		advice += fmt.Sprintf(" and runs step %q again", stopped)
	}
	return advice
}
