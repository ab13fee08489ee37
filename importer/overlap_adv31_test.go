package importer_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/store"
)

// TestOverlappedImportCancelledAtEachPoint cancels an import that writes
// while it reads (overlap.go) at every point of its hold, in both read
// modes: when the hold has begun ("plan"), before its structure
// ("structure"), at its first messages written ("pending"), at the first
// part under the hold ("hold"), when every message was written ("read"),
// after the journal's save ("saved") and after the commit ("committed").
// Whatever the point, the import ends cancelled and stopped (never
// refused) or, cancelled after its last commit, done; what it says it
// imported is what the target holds; a journal is written exactly when
// something was committed; and an import run again brings every message
// once.
func TestOverlappedImportCancelledAtEachPoint(t *testing.T) {
	e := newEstate(t)
	e.export(t, exporter.Options{ChunkMessages: 100})
	pristine := readFile(t, e.target)
	for _, twice := range []bool{false, true} {
		for _, at := range []string{"plan", "structure", "pending", "hold", "read", "saved", "committed"} {
			if twice && at == "read" {
				continue // the pre-pass beside the writes ends before them: no "read"
			}
			t.Run(fmt.Sprintf("twice=%v/%s", twice, at), func(t *testing.T) {
				target := filepath.Join(t.TempDir(), "target.db")
				archive := filepath.Join(t.TempDir(), "pchat.zip")
				if os.WriteFile(target, pristine, 0o600) != nil || os.WriteFile(archive, readFile(t, e.archive), 0o600) != nil {
					t.Fatal("copy the target and the archive")
				}
				s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + target})
				if err != nil {
					t.Fatal(err)
				}
				c, cancel := context.WithCancel(ctx)
				defer cancel()
				var points []string
				cancelled := false
				stop := func(p string) {
					points = append(points, p)
					if p == at && !cancelled {
						cancelled = true
						cancel()
					}
				}
				progress := func(pr importer.Progress) {
					switch {
					case pr.Phase == "plan" && s.Holding():
						stop("plan")
					case pr.Phase == "structure" && s.Holding():
						stop("structure")
					case pr.Phase == importer.PendingPhase:
						stop("pending")
					}
				}
				res, err := importer.Import(c, s, archive, importer.Options{Batch: 50, Progress: progress,
					Hooks: importer.Hooks{Point: stop, ReadTwice: twice}})
				commits := s.Commits()
				if cerr := s.Close(); cerr != nil {
					t.Fatal(cerr)
				}
				if !cancelled {
					t.Fatalf("the import never reached %q (passed %q): not overlapped?", at, points)
				}
				if res == nil {
					t.Fatalf("cancelled at %q: no result (err %v)", at, err)
				}
				if err != nil && (!errors.Is(err, context.Canceled) || !res.Stopped || res.Refused != "") {
					t.Errorf("cancelled at %q: err %v, stopped %v, refused %q; want context.Canceled, stopped, not refused", at, err, res.Stopped, res.Refused)
				}
				var held int64
				if err := (estate{target: target}).db(t).QueryRow(`SELECT COUNT(*) FROM tblChat`).Scan(&held); err != nil {
					t.Fatal(err)
				}
				if held != res.Messages.Imported {
					t.Errorf("cancelled at %q: the result says %d messages imported, the target holds %d", at, res.Messages.Imported, held)
				}
				journals, _ := filepath.Glob(archive + ".import-*")
				if (len(journals) > 0) != (commits > 0) {
					t.Errorf("cancelled at %q: %d commits, journals %q", at, commits, journals)
				}
				if commits == 0 && string(readFile(t, target)) != string(pristine) {
					t.Errorf("cancelled at %q with nothing committed: the target file changed", at)
				}
				t.Logf("cancelled at %q: err %v, %d held, %d commits", at, err, held, commits)
				again, err := importInto(t, target, archive, importer.Options{})
				if err != nil {
					t.Fatalf("import again after a cancellation at %q: %v", at, err)
				}
				if again.Messages.AlreadyThere != held || again.Messages.Imported+held != again.Messages.InArchive {
					t.Errorf("import again after a cancellation at %q: %d already there (%d held), %d imported of %d", at,
						again.Messages.AlreadyThere, held, again.Messages.Imported, again.Messages.InArchive)
				}
				var n int64
				if err := (estate{target: target}).db(t).QueryRow(`SELECT COUNT(*) FROM tblChat`).Scan(&n); err != nil || n != again.Messages.InArchive {
					t.Errorf("after the import again the target holds %d messages (%v), want %d", n, err, again.Messages.InArchive)
				}
			})
		}
	}
}

// TestOverlappedImportCancelledAnyTime cancels overlapped imports at
// delays spread over their run, so that some cancellations land inside a
// statement (SQLite then interrupts it, and rolls the whole transaction
// back itself) rather than between parts: the same invariants as
// TestOverlappedImportCancelledAtEachPoint hold, whenever it lands.
func TestOverlappedImportCancelledAnyTime(t *testing.T) {
	e := newEstate(t)
	e.export(t, exporter.Options{ChunkMessages: 1000})
	pristine := readFile(t, e.target)
	for _, twice := range []bool{false, true} {
		for k := range 12 {
			delay := time.Duration(k) * 8 * time.Millisecond
			t.Run(fmt.Sprintf("twice=%v/%v", twice, delay), func(t *testing.T) {
				target := filepath.Join(t.TempDir(), "target.db")
				archive := filepath.Join(t.TempDir(), "pchat.zip")
				if os.WriteFile(target, pristine, 0o600) != nil || os.WriteFile(archive, readFile(t, e.archive), 0o600) != nil {
					t.Fatal("copy the target and the archive")
				}
				s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + target})
				if err != nil {
					t.Fatal(err)
				}
				c, cancel := context.WithCancel(ctx)
				defer cancel()
				var points []string
				timer := time.AfterFunc(delay, cancel)
				defer timer.Stop()
				res, err := importer.Import(c, s, archive, importer.Options{Batch: 500,
					Hooks: importer.Hooks{Point: func(p string) { points = append(points, p) }, ReadTwice: twice}})
				commits := s.Commits()
				if cerr := s.Close(); cerr != nil {
					t.Fatalf("close after a cancellation (passed %q, err %v): %v", points, err, cerr)
				}
				var held int64
				if qerr := (estate{target: target}).db(t).QueryRow(`SELECT COUNT(*) FROM tblChat`).Scan(&held); qerr != nil {
					t.Fatal(qerr)
				}
				t.Logf("passed %q: err %v, %d held, %d commits", points, err, held, commits)
				switch {
				case res == nil:
					if err == nil || commits != 0 {
						t.Errorf("no result: err %v, %d commits", err, commits)
					}
				case err != nil && (!errors.Is(err, context.Canceled) || !res.Stopped || res.Refused != ""):
					t.Errorf("err %v, stopped %v, refused %q; want context.Canceled, stopped, not refused", err, res.Stopped, res.Refused)
				case held != res.Messages.Imported:
					t.Errorf("the result says %d messages imported, the target holds %d", res.Messages.Imported, held)
				}
				journals, _ := filepath.Glob(archive + ".import-*")
				if (len(journals) > 0) != (commits > 0) {
					t.Errorf("%d commits, journals %q", commits, journals)
				}
				if commits == 0 && string(readFile(t, target)) != string(pristine) {
					t.Errorf("nothing committed: the target file changed")
				}
				again, err := importInto(t, target, archive, importer.Options{})
				if err != nil {
					t.Fatalf("import again: %v", err)
				}
				if again.Messages.AlreadyThere != held || again.Messages.Imported+held != again.Messages.InArchive {
					t.Errorf("import again: %d already there (%d held), %d imported of %d",
						again.Messages.AlreadyThere, held, again.Messages.Imported, again.Messages.InArchive)
				}
			})
		}
	}
}
