package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// noteRecorder keeps, per step, the steps started so far; it can be told
// to fail on finishing a step.
type noteRecorder struct {
	started  []string
	failOn   string
	restored map[string]string // step -> data given back ("<nil>" for none)
}

func (r *noteRecorder) StepStarted(step string) { r.started = append(r.started, step) }

func (r *noteRecorder) StepFinished(step string) (json.RawMessage, error) {
	if step == r.failOn {
		return nil, errors.New("disk full")
	}
	return json.Marshal(strings.Join(r.started, ","))
}

func (r *noteRecorder) StepRestored(step string, data json.RawMessage) error {
	if r.restored == nil {
		r.restored = map[string]string{}
	}
	r.restored[step] = "<nil>"
	if data != nil {
		r.restored[step] = string(data)
	}
	return nil
}

// TestRecordersKeepDataWithTheJournal: what a recorder keeps of a step is
// journaled with the step's end and given back when a resumed run skips
// the step; a step whose record cannot be made fails and is not journaled
// as finished.
func TestRecordersKeepDataWithTheJournal(t *testing.T) {
	journal := filepath.Join(t.TempDir(), "journal.json")
	script := Script{Name: "migrate.lua", Source: []byte(`steps(3)
step("export", function() end)
step("import", function() end)
step("verify", function() end)
`)}
	rec := &noteRecorder{failOn: "import"}
	opts := Options{Journal: journal, Now: fixedClock(), Recorders: map[string]StepRecorder{"notes": rec}}
	rep, err := Run(context.Background(), script, opts)
	if err == nil || !strings.Contains(err.Error(), `step "import" finished but the journal could not record it: notes: disk full`) {
		t.Fatalf("Run = %v, want the import step to fail on its record", err)
	}
	if got := statuses(rep); !cmp.Equal(got, []string{StatusDone, StatusFailed}) {
		t.Errorf("statuses = %v", got)
	}
	d, err := readJournal(journal)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Steps) != 1 || string(d.Steps[0].Data["notes"]) != `"export"` {
		t.Fatalf("journal steps = %+v, want export with its record", d.Steps)
	}

	rec2 := &noteRecorder{}
	opts.Recorders = map[string]StepRecorder{"notes": rec2, "other": &noteRecorder{}}
	opts.Resume = true
	if _, err := Run(context.Background(), script, opts); err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"export": `"export"`}; !cmp.Equal(rec2.restored, want) {
		t.Errorf("restored = %v, want %v", rec2.restored, want)
	}
	if !cmp.Equal(rec2.started, []string{"import", "verify"}) {
		t.Errorf("started = %v, want the steps this run ran", rec2.started)
	}
	d, err = readJournal(journal)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range d.Steps {
		got = append(got, s.Name+"="+string(s.Data["notes"]))
	}
	if want := []string{`export="export"`, `import="import"`, `verify="import,verify"`}; !cmp.Equal(got, want) {
		t.Errorf("journal = %v, want %v", got, want)
	}

	// A recorder the journal has nothing for gets nil.
	rec3 := &noteRecorder{}
	opts.Recorders = map[string]StepRecorder{"new": rec3}
	if _, err := Run(context.Background(), script, opts); err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"export": "<nil>", "import": "<nil>", "verify": "<nil>"}; !cmp.Equal(rec3.restored, want) {
		t.Errorf("restored = %v, want %v", rec3.restored, want)
	}
}

func statuses(rep *Report) []string {
	var out []string
	for _, s := range rep.Steps {
		out = append(out, s.Status)
	}
	return out
}
