package runtime

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
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

// finish records that step finished, with what each recorder keeps of it.
// Without a journal, or in a dry run (which writes none), nothing is asked
// of the recorders.
func (s *stepRunner) finish(step string) error {
	var data map[string]json.RawMessage
	if s.journal != nil && s.journal.write {
		for _, k := range s.recorderNames() {
			d, err := s.recorders[k].StepFinished(step)
			if err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
			if data == nil {
				data = map[string]json.RawMessage{}
			}
			data[k] = d
		}
	}
	return s.journal.finishedStep(step, data)
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
