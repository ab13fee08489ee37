package importer_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/store"
)

// TestImportCancelledBeforeFirstWriteIsNotRefused: an import the operator
// cancels (Ctrl-C, a run's --timeout) after its plan and before its first
// write committed wrote nothing, but it was stopped, not refused: the
// result says stopped (running it again resumes it), and its refused field,
// which reports and scripts read as "the target refused the write", stays
// empty instead of holding the raw "context canceled".
func TestImportCancelledBeforeFirstWriteIsNotRefused(t *testing.T) {
	t.Parallel()
	e := newEstate(t)
	e.export(t, exporter.Options{})
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + e.target})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, cancel := context.WithCancel(ctx)
	defer cancel()
	// Sequential: an import that writes while it reads reports its
	// structure phase once its hold is committed (overlap.go);
	// TestOverlappedImportCancelledUnderItsHold cancels that one.
	res, err := importer.Import(c, s, e.archive, importer.Options{Sequential: true, Progress: func(p importer.Progress) {
		if p.Phase == "structure" {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Import cancelled at its structure phase: err = %v, want context.Canceled", err)
	}
	if res == nil {
		t.Fatal("no result")
	}
	if res.Refused != "" || !res.Stopped {
		t.Fatalf("cancelled before its first write: stopped %v, refused %q; want stopped, not refused", res != nil && res.Stopped, res.Refused)
	}
	if s.Commits() != 0 {
		t.Errorf("%d write transactions committed; want none", s.Commits())
	}
}
