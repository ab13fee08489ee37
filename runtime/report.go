package runtime

import (
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/pcmig/pcmig/atomicfile"
	"github.com/pcmig/pcmig/report"
	"github.com/pcmig/pcmig/verify"
)

// Report describes a run for people (HTML) and machines (JSON). Run returns
// it even when the run fails, filled as far as the run got.
type Report struct {
	Script         string    `json:"script"`
	Estate         string    `json:"estate,omitempty"`
	DryRun         bool      `json:"dry_run"`
	Resumed        bool      `json:"resumed"`
	Start          time.Time `json:"start"`
	End            time.Time `json:"end"`
	DurationMS     int64     `json:"duration_ms"`
	Status         string    `json:"status"` // done or failed
	Error          string    `json:"error,omitempty"`
	ChangesPending bool      `json:"changes_pending"`
	// TotalSteps is the number the script declared with steps(n), or 0.
	TotalSteps int          `json:"total_steps,omitempty"`
	Steps      []StepReport `json:"steps"`
	// Actions, Warnings and Errors hold what happened outside any step.
	Actions  []Action `json:"actions,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	Errors   []string `json:"errors,omitempty"`
	// Reconciliation is the run's last verification of source and target
	// (the verify module): the answer to "did it work".
	Reconciliation *verify.Result `json:"reconciliation,omitempty"`
	// ChangesAfterReconciliation are the writes a real run made after its
	// reconciliation, which it does not cover: the target may no longer be
	// what the verdict says.
	ChangesAfterReconciliation []Action `json:"changes_after_reconciliation,omitempty"`

	// Resumable says that the run stopped (an error, Ctrl-C, a limit)
	// after its first step began and its journal records how far it got:
	// pcmig run --resume continues it. Journal is that journal's path.
	Resumable bool   `json:"resumable,omitempty"`
	Journal   string `json:"-"`

	// Plan holds every action of the run, for the plan renderers.
	Plan *Plan `json:"-"`
}

// StepReport describes one step.
type StepReport struct {
	Index int    `json:"index"`
	Name  string `json:"name"`
	// Status is done, failed, or skipped: a step a resumed run did not
	// run, whose journal entry holds no result (written by a pcmig that
	// did not keep it).
	Status string `json:"status"`
	// EarlierRun marks a step that an earlier run finished, in a resumed
	// run: its result (status, times, actions, warnings) is the one that
	// run journaled.
	EarlierRun bool      `json:"earlier_run,omitempty"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	DurationMS int64     `json:"duration_ms"`
	// Planned counts the actions of a dry run, Applied those of a real one.
	Planned  int      `json:"planned"`
	Applied  int      `json:"applied"`
	Actions  []Action `json:"actions,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	Errors   []string `json:"errors,omitempty"`
}

// finish completes the report when the run ends.
func (r *Report) finish(h *Host, err error, end time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r.End = end
	r.DurationMS = end.Sub(r.Start).Milliseconds()
	r.Status = StatusDone
	if err != nil {
		r.Status = StatusFailed
		r.Error = err.Error()
	}
	r.ChangesPending = h.Plan.Pending()
	r.Actions = h.Plan.outside()
	if r.Reconciliation != nil && !r.DryRun {
		if acts := h.Plan.Actions(); len(acts) > h.recMark {
			r.ChangesAfterReconciliation = acts[h.recMark:]
		}
	}
}

// SetReconciliation records a verification as the run's result; the last
// one a run makes is the one its report shows.
func (h *Host) SetReconciliation(r *verify.Result) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.rep.Reconciliation = r
	h.recMark = h.Plan.Len()
	if h.cur != nil {
		h.stepRec = r
	}
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	return writeJSON(w, r)
}

// writeJSON writes v as indented JSON without HTML escaping: the output is
// a file for people and programs, not a web page.
func writeJSON(w io.Writer, v any) error { return report.WriteJSON(w, v) }

// WriteReport writes the report to path, atomically: JSON when path ends
// in .json, HTML otherwise.
// Options (atomicfile.Scrub) apply to the file's bytes.
func (r *Report) WriteReport(path string, opts ...atomicfile.Option) error {
	b, err := r.Render(path)
	if err != nil {
		return err
	}
	return atomicfile.Write(path, b, opts...)
}

// Render is the report as WriteReport writes it to path: JSON when path
// ends in .json, HTML otherwise.
func (r *Report) Render(path string) ([]byte, error) {
	var b strings.Builder
	var err error
	if strings.EqualFold(filepath.Ext(path), ".json") {
		err = r.WriteJSON(&b)
	} else {
		err = r.WriteHTML(&b)
	}
	return []byte(b.String()), err
}
