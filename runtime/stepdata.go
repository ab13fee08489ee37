package runtime

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/verify"
)

// StepRecorder keeps a module's record of each step with the step's entry
// in the journal, so that a resumed run has it for the steps that earlier
// runs finished. pcmig keeps the runbook's commands this way: a resumed
// run writes the whole runbook, not only the commands of the steps it ran
// itself. Steps are named as the journal names them (escaped, see step).
type StepRecorder interface {
	// StepStarted is called before a step's body runs.
	StepStarted(step string)
	// StepFinished returns what to keep of the step whose body has just
	// succeeded. The journal records it with the step's end, in the same
	// atomic write: a step is never journaled as finished without it. An
	// error fails the step.
	StepFinished(step string) (json.RawMessage, error)
	// StepRestored is given, for a step that a resumed run skips, what
	// StepFinished returned when the step finished: nil when the journal
	// holds nothing for this recorder (a pcmig that did not keep it wrote
	// the entry). An error fails the step, and so the run.
	StepRestored(step string, data json.RawMessage) error
}

// ResumeChecker is a StepRecorder that checks, before a resumed run runs
// anything (a dry run with Options.Resume too), what it recorded of the
// finished steps: an error refuses the resume, as a changed
// Options.Subject does (ErrEstateChanged). A journal that holds no record
// of the recorder (an older pcmig's) is not checked.
type ResumeChecker interface {
	StepRecorder
	// CheckResume is given the recorder's data of each finished step
	// that holds some, in the order the steps finished, with the step
	// the run stopped in.
	CheckResume(c ResumeCheck) error
}

// ResumeCheck is what a ResumeChecker is given.
type ResumeCheck struct {
	// Records are the recorder's data of each finished step that holds
	// some, in the order the steps finished.
	Records []StepRecord
	// Stopped is the step the run stopped in (started and not
	// finished: it failed, or the process was killed in it), "" when
	// the run stopped between steps.
	Stopped string
	// Warnf says something the resumed run should know and goes on
	// with (a warning on the run's log).
	Warnf func(format string, args ...any)
}

// StepRecord is what a StepRecorder kept of a finished step.
type StepRecord struct {
	Step string
	Data json.RawMessage
}

// checkRecorders gives each ResumeChecker among recorders its records in
// the journal old.
func checkRecorders(h *Host, recorders map[string]StepRecorder, old journalData) error {
	for _, k := range slices.Sorted(maps.Keys(recorders)) {
		rc, ok := recorders[k].(ResumeChecker)
		if !ok {
			continue
		}
		var recs []StepRecord
		for _, st := range old.Steps {
			if d, ok := st.Data[k]; ok && d != nil {
				recs = append(recs, StepRecord{Step: st.Name, Data: d})
			}
		}
		if len(recs) == 0 {
			continue
		}
		if err := rc.CheckResume(ResumeCheck{Records: recs, Stopped: old.Current, Warnf: h.Warnf}); err != nil {
			return err
		}
	}
	return nil
}

// recorderNames are the names of the run's recorders, in a fixed order.
func (s *stepRunner) recorderNames() []string {
	return slices.Sorted(maps.Keys(s.recorders))
}

// startRecorders tells the recorders that step starts.
func (s *stepRunner) startRecorders(step string) {
	for _, k := range s.recorderNames() {
		s.recorders[k].StepStarted(step)
	}
}

// finish records that step finished, with its result sr (done), the
// reconciliation it made (rec, or nil) and what each recorder keeps of it.
// Without a journal, or in a dry run (which writes none), nothing is asked
// of the recorders.
func (s *stepRunner) finish(step string, sr StepReport, rec *verify.Result) error {
	sr.Status = StatusDone
	st := journalStep{Name: step, Report: &sr, Reconciliation: rec}
	if s.journal != nil && s.journal.write {
		for _, k := range s.recorderNames() {
			d, err := s.recorders[k].StepFinished(step)
			if err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
			if st.Data == nil {
				st.Data = map[string]json.RawMessage{}
			}
			st.Data[k] = d
		}
	}
	return s.journal.finishedStep(st)
}

// restore gives each recorder what it kept of step, which finished in an
// earlier run.
func (s *stepRunner) restore(step string) error {
	entry := s.journal.entry(step)
	for _, k := range s.recorderNames() {
		if err := s.recorders[k].StepRestored(step, entry.Data[k]); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	return nil
}

// skip reports step name, which an earlier run finished (sr is its report
// so far: index, name, start), and hands the recorders what they kept of
// it. The step's result is the one that run journaled, marked EarlierRun;
// in a real run its actions join the plan, as the writes of the whole run
// (a dry run's plan holds only what is pending). The reconciliation it
// made becomes the run's, unless a later step makes another. An entry
// without a result (an older pcmig's) reports the step as skipped.
func (s *stepRunner) skip(L *lua.LState, h *Host, name string, sr StepReport) {
	entry := s.journal.entry(name)
	sr.Status, sr.End = StatusSkipped, sr.Start
	if prev := entry.Report; prev != nil {
		r := *prev
		r.Index, r.Name, r.Status, r.EarlierRun = sr.Index, sr.Name, StatusDone, true
		sr = r
	}
	var raise *ScriptError
	if err := s.restore(name); err != nil {
		sr.Status = StatusFailed
		msg := fmt.Sprintf("step %q finished in an earlier run, but %v", name, err)
		sr.Errors = append(sr.Errors, msg)
		fmt.Fprintf(h.Stdout, "   failed: %s\n", msg)
		raise = &ScriptError{Kind: KindIO, Op: "step", Message: msg, Err: err}
	} else {
		fmt.Fprintln(h.Stdout, "   skipped (finished in an earlier run)")
		if sr.EarlierRun && !h.DryRun {
			h.Plan.restore(sr.Name, sr.Actions)
		}
	}
	h.mu.Lock()
	if entry.Reconciliation != nil && raise == nil {
		h.rep.Reconciliation = entry.Reconciliation
		h.recMark = h.Plan.Len()
	}
	h.rep.Steps = append(h.rep.Steps, sr)
	h.mu.Unlock()
	if raise != nil {
		L.Error(newErrorValue(L, raise), 0)
	}
}
