package runtime

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestJournalStepStartDoesNotRewriteTheJournal: a step's start rewrote and
// synced the whole run journal (every finished step's records: 14.6 MB
// for the 20,000-room estate, 21 times a run) to change one field, the
// step the run is in. It now writes only the small step mark beside the
// journal, and the journal read back (a killed run's) still names the step
// the run stopped in; a later save makes the mark stale, and a mark that
// is stale, damaged or not a file is not read: the journal alone then says
// how the run stood after its last finished step.
func TestJournalStepStartDoesNotRewriteTheJournal(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run-journal.json")
	clock := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	now := func() time.Time { clock = clock.Add(time.Second); return clock }
	j := &journal{path: path, write: true, now: now, done: map[string]journalStep{},
		data: journalData{Version: 1, Script: "migrate.lua", Fingerprint: "sha256:00", Started: now(), Steps: []journalStep{}}}
	big := json.RawMessage(`"` + strings.Repeat("x", 1<<20) + `"`)
	if err := j.started("export"); err != nil {
		t.Fatal(err)
	}
	if err := j.finishedStep(journalStep{Name: "export", Data: map[string]json.RawMessage{"r": big}}); err != nil {
		t.Fatal(err)
	}
	before := inode(t, path)
	saved := readFileT(t, path)
	if err := j.started("import"); err != nil {
		t.Fatal(err)
	}
	if inode(t, path) != before {
		t.Errorf("the step's start replaced the journal file (%d bytes), want only its step mark written", len(saved))
	}
	stoppedIn := func(want string) {
		t.Helper()
		d, err := readJournal(path)
		if err != nil {
			t.Fatal(err)
		}
		if d.Current != want || len(d.Steps) != 1 || d.Steps[0].Name != "export" {
			t.Errorf("journal read back: in step %q after %d finished steps, want in step %q after export", d.Current, len(d.Steps), want)
		}
	}
	stoppedIn("import") // killed inside the step
	mark := readFileT(t, markPath(path))

	// The step finished: the journal records it, and the mark goes.
	if err := j.finishedStep(journalStep{Name: "import"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(markPath(path)); !os.IsNotExist(err) {
		t.Errorf("the step mark is still there after the journal was saved: %v", err)
	}
	// A mark of the journal as it was (a kill before it was removed) is stale.
	if err := os.WriteFile(markPath(path), mark, 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := readJournal(path)
	if err != nil || d.Current != "" || len(d.Steps) != 2 {
		t.Errorf("journal with a stale step mark: in step %q after %d steps (%v), want after the 2 finished steps, in none", d.Current, len(d.Steps), err)
	}

	// The run stopped in the journal as saved after export, with a damaged
	// mark, or a mark that is a folder: the journal alone.
	if err := os.WriteFile(path, saved, 0o644); err != nil {
		t.Fatal(err)
	}
	stoppedIn("import")
	if err := os.WriteFile(markPath(path), mark[:len(mark)/2], 0o644); err != nil { // cut short
		t.Fatal(err)
	}
	stoppedIn("")
	if err := os.Remove(markPath(path)); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(markPath(path), 0o755); err != nil {
		t.Fatal(err)
	}
	stoppedIn("")
}

func inode(t *testing.T, path string) uint64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Sys().(*syscall.Stat_t).Ino
}

func readFileT(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
