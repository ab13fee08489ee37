package atomicfile

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// missingLines returns those of files the ledger at path does not record.
func missingLines(t *testing.T, path string, files []string) (missing []string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !bytes.Contains(b, []byte(`"file":"`+f+`"`)) {
			missing = append(missing, f)
		}
	}
	return missing
}

// TestLedgerRecordsWhileSweeping: Sweep and Forget read the ledger, then
// wrote back what they had read (a new file renamed over it): a line
// that another process recorded in between was lost, and the temporary
// file of that process, killed later, was left for good. Records made
// while the ledger is swept and forgotten are all kept now. Every file
// exists and is this process's, so no Sweep or Forget may drop a line.
func TestLedgerRecordsWhileSweeping(t *testing.T) {
	dir := t.TempDir()
	l := Ledger{Path: filepath.Join(dir, "temporaries.jsonl")}
	const writers, each = 4, 30
	var files []string
	for w := range writers {
		for i := range each {
			f := filepath.Join(dir, fmt.Sprintf(".r%d.tmp-%d", w, i))
			if err := os.WriteFile(f, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
	}
	errs := make(chan error, 4*len(files))
	stop := make(chan struct{})
	var sweeper sync.WaitGroup
	sweeper.Add(1)
	go func() {
		defer sweeper.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := l.Sweep(); err != nil {
				errs <- err
			}
			if err := l.Forget(); err != nil {
				errs <- err
			}
			time.Sleep(time.Millisecond) // the writers' turn
		}
	}()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if err := l.Record(files[w*each+i]); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	sweeper.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if missing := missingLines(t, l.Path, files); len(missing) > 0 {
		t.Errorf("%d of %d recorded temporary files are not in the ledger after concurrent sweeps, e.g. %s", len(missing), len(files), missing[0])
	}
}

// TestLedgerRecordWaitsForSweep: a Record made while a Sweep has read the
// ledger and not yet written it back waits for it (the ledger's lock),
// and its line is kept: deterministic, at the point the line was lost.
func TestLedgerRecordWaitsForSweep(t *testing.T) {
	dir := t.TempDir()
	l := Ledger{Path: filepath.Join(dir, "temporaries.jsonl")}
	mine := filepath.Join(dir, ".mine.tmp-1")
	if err := os.WriteFile(mine, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := l.Record(mine); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, ".other.tmp-2")
	done := make(chan error, 1)
	l.sweepRead = func() {
		go func() { done <- l.Record(other) }()
		select {
		case err := <-done:
			t.Errorf("Record finished while Sweep held the ledger (err %v)", err)
			done <- err
		case <-time.After(200 * time.Millisecond):
		}
	}
	if _, err := l.Sweep(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if missing := missingLines(t, l.Path, []string{mine, other}); len(missing) > 0 {
		t.Errorf("not in the ledger: %v", missing)
	}
}
