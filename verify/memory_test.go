package verify_test

import (
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/verify"
)

// roomsLab migrates a structure-heavy lab (many rooms, few messages each)
// into dir.
func roomsLab(tb testing.TB, dir string, o lab.Options) *migration {
	tb.Helper()
	if _, err := lab.Init(context.Background(), dir, o); err != nil {
		tb.Fatal(err)
	}
	m := &migration{dir: dir, source: filepath.Join(dir, "source-2015.db"), target: filepath.Join(dir, "target-2019.db"),
		archive: filepath.Join(dir, "archive.zip")}
	m.export(tb, exporter.Options{})
	m.importArchive(tb, importer.Options{})
	return m
}

// Reconciling a pool of many small rooms allocates a bounded amount per
// room and per message: each side's history is read in one pass that keeps
// a digest per room, role lists are interned URIs. (It allocated about
// 1.3 MB per room when each room's two histories were streamed with
// buffers sized for 5,000 messages.) Not parallel: the figure is the
// process's allocations while verify runs.
func TestAllocationsPerRoomBounded(t *testing.T) {
	const rooms, messages = 1000, 5000
	m := roomsLab(t, t.TempDir(), lab.Options{Users: 500, Categories: 10, Rooms: rooms, Messages: messages, Seed: 5})
	src, tgt := open(t, m.source, true), open(t, m.target, true)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r, err := verify.Run(t.Context(), []verify.Source{{Label: "pchat15", Store: src, Archive: m.archive}}, tgt, verify.Options{})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	wantEqual(t, r)
	if r.Totals.Target.Rooms != rooms || r.Totals.Target.Messages != messages {
		t.Fatalf("compared %d rooms and %d messages, want %d and %d", r.Totals.Target.Rooms, r.Totals.Target.Messages, rooms, messages)
	}
	// Each room is read on both sides (structure, roles, figures) and each
	// message on both sides (its text, once per side).
	const perRoom, perMessage = 24 << 10, 2 << 10
	got := after.TotalAlloc - before.TotalAlloc
	if limit := uint64(rooms*perRoom + messages*perMessage); got > limit {
		t.Errorf("verify allocated %d KB for %d rooms and %d messages (%d KB per room), want at most %d KB",
			got>>10, rooms, messages, got/rooms>>10, limit>>10)
	}
	t.Logf("verify allocated %d KB: %d bytes per room with its messages", got>>10, got/rooms)
}

// A room's message differences follow its other differences, and precede
// the next room's, although histories are compared after the structure.
func TestDifferencesInRoomOrder(t *testing.T) {
	t.Parallel()
	m := newMigration(t)
	m.migrate(t)
	var busy []string // rooms with messages, in the order verify walks them
	for _, rf := range m.verify(t, verify.Options{}).Rooms {
		if rf.SourceMessages > 1 {
			busy = append(busy, rf.Name)
		}
	}
	if len(busy) < 2 {
		t.Fatalf("the lab has %d rooms with messages", len(busy))
	}
	a, b := busy[0], busy[len(busy)-1]
	for _, room := range []string{a, b} {
		sqlExec(t, m.target, `UPDATE tblNode SET nodeDesc = 'changed by hand' WHERE nodeName = ?`, room)
	}
	sqlExec(t, m.target, `DELETE FROM tblChat WHERE chatId = (SELECT MAX(c.chatId) FROM tblChat c JOIN tblNode n ON n.nodeID = c.channelId WHERE n.nodeName = ?)
AND channelId = (SELECT nodeID FROM tblNode WHERE nodeName = ?)`, a, a)
	got := texts(m.verify(t, verify.Options{}))
	want := []string{"room " + a + ": description", "room " + a + ": ", "room " + b + ": description"}
	if len(got) != len(want) {
		t.Fatalf("differences %q, want 3: room %s's description and messages, then room %s's description", got, a, b)
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("difference %d is %q, want it to start with %q", i+1, got[i], w)
		}
	}
	if !strings.Contains(got[1], "messages in the source") {
		t.Errorf("the second difference %q is not room %s's messages", got[1], a)
	}
}
