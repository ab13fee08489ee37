package importer_test

import (
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/store"
)

// TestImportStopsWhenServerComesUp: a Persistent Chat server that starts
// heartbeating during a long import stops it before its next write, once
// the store's reading of the heartbeats is older than LiveRecheck; what
// was written is kept, and the import resumes to the same result as an
// uninterrupted one once the server is stopped.
func TestImportStopsWhenServerComesUp(t *testing.T) {
	t.Parallel()
	e := newEstate(t)
	e.export(t, exporter.Options{ChunkMessages: 300}) // a commit per part: the server comes up between two
	refTarget := filepath.Join(t.TempDir(), "target.db")
	labtest.CopyFile(t, e.target, refTarget)
	if _, err := importInto(t, refTarget, e.archive, importer.Options{Batch: 100}); err != nil {
		t.Fatalf("reference Import: %v", err)
	}
	want := snapshot(t, refTarget)

	// The clock moves 5 seconds each time it is read.
	var mu sync.Mutex
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(5 * time.Second)
		return now
	}
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + e.target, Now: clock, LiveRecheck: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	side, err := sql.Open("sqlite", e.target)
	if err != nil {
		t.Fatal(err)
	}
	defer side.Close()
	var started int64
	// Sequential: under the hold of an import that writes while it reads
	// (overlap.go) no other connection can write the heartbeat (SQLite's
	// lock), and the hold commits nothing before its end.
	res, err := importer.Import(ctx, s, e.archive, importer.Options{Sequential: true, Batch: 100, Progress: func(p importer.Progress) {
		if p.Phase == "messages" && p.Done > 0 && started == 0 {
			started = p.Done
			ping := clock().Format("2006-01-02 15:04:05.000")
			if _, err := side.Exec(`INSERT INTO tblServerIdentity (serverID, serverAddress, serverLastPingTime) VALUES (9, 'net.tcp://pchat19.contoso.com:8011', ?)`, ping); err != nil {
				t.Errorf("start a server: %v", err)
			}
		}
	}})
	if cerr := s.Close(); cerr != nil {
		t.Fatal(cerr)
	}
	if !errors.Is(err, store.ErrLivePool) {
		t.Fatalf("Import with a server coming up: err = %v, want ErrLivePool", err)
	}
	for _, w := range []string{"net.tcp://pchat19.contoso.com:8011", "during the run", "--resume"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
	t.Logf("server came up after %d messages; the import stopped at %+v", started, res.Messages)
	if res == nil || res.Messages.Imported <= started || res.Messages.Imported >= res.Messages.ToImport {
		t.Errorf("stopped after %+v messages, want more than the %d before the server came up and fewer than all", res.Messages, started)
	}
	// The administrator stops the server; the import resumes.
	if _, err := side.Exec(`DELETE FROM tblServerIdentity WHERE serverID = 9`); err != nil {
		t.Fatal(err)
	}
	res, err = importInto(t, e.target, e.archive, importer.Options{Batch: 100})
	if err != nil {
		t.Fatalf("resumed Import: %v", err)
	}
	if !res.Resumed {
		t.Errorf("resumed Import: Resumed = false")
	}
	if diff := cmp.Diff(want, snapshot(t, e.target)); diff != "" {
		t.Errorf("resumed target mismatch (-want +got):\n%s", diff)
	}
}
