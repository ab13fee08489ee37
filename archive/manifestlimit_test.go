package archive

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// messagesOf makes n messages of room 300, in order.
func messagesOf(n int) contents {
	rec := contents{Rooms: testRecords().Rooms}
	for i := 1; i <= n; i++ {
		rec.Messages = append(rec.Messages, Message{Room: guid(300), ChatID: int64(i), Date: bigTicks,
			User: guid(1), Content: fmt.Sprintf("message %02d", i)})
	}
	return rec
}

// TestChunksGrowSoTheManifestStaysReadable: parts of a fixed size would
// take a very large archive's manifest past MaxManifestBytes (at pcmig's
// 10,000 messages, about 800 million messages), an archive no reader
// accepts. Every chunkGrowEvery parts, parts may hold ChunkMessages more:
// lowered here to every 3 parts of 2 messages.
func TestChunksGrowSoTheManifestStaysReadable(t *testing.T) {
	rec := messagesOf(30)
	path := filepath.Join(t.TempDir(), "grow.zip")
	if err := writeTuned(t, path, WriterOptions{ChunkMessages: 2}, rec, func(w *Writer) { w.growEvery = 3 }); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var parts []int64
	for _, p := range r.Manifest().Parts {
		if p.Kind == KindMessages {
			parts = append(parts, p.Records)
		}
	}
	// Parts 0-2 hold 2, parts 3-5 hold 4, parts 6-8 hold 6: 2·3+4·3+6·2 = 30.
	if diff := cmp.Diff([]int64{2, 2, 2, 4, 4, 4, 6, 6}, parts); diff != "" {
		t.Errorf("records per part (-want +got):\n%s", diff)
	}
	var got []Message
	if err := r.Messages(func(m Message) error { got = append(got, m); return nil }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rec.Messages, got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}

// TestCommitRefusesAManifestReadersRefuse: an archive whose manifest is
// over the readers' limit could never be imported, so Commit refuses it
// and leaves no file (the limit lowered to what 5 parts take).
func TestCommitRefusesAManifestReadersRefuse(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "big.zip")
	err := writeTuned(t, path, WriterOptions{ChunkMessages: 1}, messagesOf(8), func(w *Writer) { w.maxManifest = 2000 })
	if err == nil || !strings.Contains(err.Error(), "over the limit of 2000 that readers accept") ||
		!strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("Commit = %v, want the manifest refused", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("archive exists after the refusal: %v", err)
	}
	left, _ := os.ReadDir(dir)
	for _, e := range left {
		t.Errorf("left behind: %s", e.Name())
	}
	// The same archive under the limit is written.
	if err := writeTuned(t, path, WriterOptions{ChunkMessages: 1}, messagesOf(8), func(*Writer) {}); err != nil {
		t.Fatal(err)
	}
}
