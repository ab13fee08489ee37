package exporter_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/pchat"
)

// disabled reads every room's disabled flag, by GUID.
func disabled(t *testing.T, path string) map[string]bool {
	t.Helper()
	s := open(t, path, true)
	rooms, err := s.Rooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, r := range rooms {
		out[r.GUID] = r.Disabled
	}
	return out
}

func TestDisableExported(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		opts  exporter.Options
		rooms bool // rooms are exported
	}{
		{"all", exporter.Options{}, true},
		{"scope", exporter.Options{Scope: []string{"Support", "Finance"}}, true},
		{"room directory", exporter.Options{Level: exporter.RoomDirectory, Scope: []string{"Sales"}}, true},
		{"user level: no rooms", exporter.Options{Level: exporter.User}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir, path := newSource(t)
			before := disabled(t, path)
			beforeBytes, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s := open(t, path, false)
			out := filepath.Join(dir, "archive.zip")
			opts := tt.opts
			opts.DisableExported = true
			res, err := exporter.Export(ctx, s, out, opts)
			if err != nil {
				t.Fatalf("Export: %v", err)
			}
			// Every exported room is disabled now; the others are as they
			// were; the archive keeps each room's state from before.
			exported := map[string]bool{}
			r, err := archive.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			wantArchived, gotArchived := map[string]bool{}, map[string]bool{}
			if err := r.Rooms(func(x archive.Room) error {
				exported[x.GUID] = true
				wantArchived[x.GUID], gotArchived[x.GUID] = before[x.GUID], x.Disabled
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantArchived, gotArchived); diff != "" {
				t.Errorf("archived rooms' disabled flags mismatch (-want +got):\n%s", diff)
			}
			if tt.rooms != (len(exported) > 0) {
				t.Fatalf("%d rooms exported", len(exported))
			}
			want, newly := map[string]bool{}, 0
			for g, d := range before {
				want[g] = d || exported[g]
				if exported[g] && !d {
					newly++
				}
			}
			if diff := cmp.Diff(want, disabled(t, path)); diff != "" {
				t.Errorf("source rooms' disabled flags mismatch (-want +got):\n%s", diff)
			}
			if res.Disabled != newly {
				t.Errorf("Result.Disabled = %d, want %d", res.Disabled, newly)
			}
			if after, err := os.ReadFile(path); err != nil {
				t.Fatal(err)
			} else if !tt.rooms && !bytes.Equal(beforeBytes, after) {
				t.Errorf("an export without rooms changed the source database file")
			}
		})
	}
}

// TestFailedExportLeavesNothing stops exports at each stage: none leaves a
// file under the archive's name or disables a room.
func TestFailedExportLeavesNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		cancelAt    string // phase whose progress report cancels the export; "now": before it starts
		danglingMsg bool   // a message in the last room whose poster is not in tblPrincipal
		wantPhrase  string
	}{
		{"cancelled before it starts", "now", false, "context canceled"},
		{"cancelled while writing", "structure", false, "context canceled"},
		{"failing in the last room's messages", "", true, "is not in tblPrincipal"},
		{"cancelled while verifying", "verify", false, "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir, path := newSource(t)
			if tt.danglingMsg {
				s := open(t, path, false)
				rooms, err := s.Rooms(ctx)
				if err != nil {
					t.Fatal(err)
				}
				last := rooms[0]
				for _, r := range rooms {
					last.ID = max(last.ID, r.ID)
				}
				if _, err := s.AppendMessages(ctx, last.ID, []pchat.Message{{Date: 1, UserID: 9999, Content: "ghost"}}); err != nil {
					t.Fatal(err)
				}
				if err := s.Close(); err != nil { // the writer lock goes with it
					t.Fatal(err)
				}
			}
			before := disabled(t, path)
			beforeBytes, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s := open(t, path, false)
			c, cancel := context.WithCancel(ctx)
			defer cancel()
			if tt.cancelAt == "now" {
				cancel()
			}
			outDir := filepath.Join(dir, "out")
			out := filepath.Join(outDir, "archive.zip")
			_, err = exporter.Export(c, s, out, exporter.Options{DisableExported: true, ChunkMessages: 400,
				Progress: func(p exporter.Progress) {
					if p.Phase == tt.cancelAt {
						cancel()
					}
				}})
			if err == nil || !strings.Contains(err.Error(), tt.wantPhrase) {
				t.Fatalf("Export: error %v, want one saying %q", err, tt.wantPhrase)
			}
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("Stat(archive) = %v, want no archive", err)
			}
			if ents, err := os.ReadDir(outDir); err == nil && len(ents) > 0 {
				t.Errorf("the failed export left %d files, %s first", len(ents), ents[0].Name())
			}
			if diff := cmp.Diff(before, disabled(t, path)); diff != "" {
				t.Errorf("source rooms' disabled flags mismatch (-want +got):\n%s", diff)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(beforeBytes, after) {
				t.Errorf("the failed export changed the source database file")
			}
		})
	}
}

// TestDisableFailsAfterTheArchive cancels the export as it starts
// disabling rooms: the archive is complete and stays, nothing is disabled,
// and the error says so.
func TestDisableFailsAfterTheArchive(t *testing.T) {
	t.Parallel()
	dir, path := newSource(t)
	before := disabled(t, path)
	s := open(t, path, false)
	c, cancel := context.WithCancel(ctx)
	defer cancel()
	out := filepath.Join(dir, "archive.zip")
	res, err := exporter.Export(c, s, out, exporter.Options{DisableExported: true, Progress: func(p exporter.Progress) {
		if p.Phase == "disable" {
			cancel()
		}
	}})
	if err == nil || !strings.Contains(err.Error(), "is complete") || !errors.Is(err, context.Canceled) {
		t.Fatalf("Export: error %v, want one saying the archive is complete, wrapping context.Canceled", err)
	}
	if res == nil || res.Disabled != 0 {
		t.Errorf("Result = %+v, want one with no rooms disabled", res)
	}
	r, err := archive.Open(out)
	if err != nil {
		t.Fatalf("the archive is not there: %v", err)
	}
	defer r.Close()
	if err := r.Verify(ctx); err != nil {
		t.Errorf("Verify: %v", err)
	}
	if diff := cmp.Diff(before, disabled(t, path)); diff != "" {
		t.Errorf("source rooms' disabled flags mismatch (-want +got):\n%s", diff)
	}
}
