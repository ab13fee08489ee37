package archive

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/flate"
)

// The compressed blocks are inflated and compared with their input: a
// block whose compressed form is damaged is caught where it was made.
func TestCheckBlockCatchesDamage(t *testing.T) {
	in := []byte(strings.Repeat("the build server is down again, please check ", 30000))
	for _, last := range []bool{false, true} {
		z := newPdeflate(flate.BestSpeed)
		b := &pdBlock{in: in, last: last, done: make(chan struct{})}
		z.compress(b)
		if b.err != nil {
			t.Fatalf("last=%v: compress: %v", last, b.err)
		}
		out := b.out.Bytes()
		out[len(out)/2] ^= 0x55
		if err := z.checkBlock(b); !errors.Is(err, errBlockCheck) {
			t.Errorf("last=%v: checkBlock of a damaged block = %v, want errBlockCheck", last, err)
		}
		b.out.Reset()
		b.out.Write(out[:len(out)/3])
		if err := z.checkBlock(b); !errors.Is(err, errBlockCheck) {
			t.Errorf("last=%v: checkBlock of a truncated block = %v, want errBlockCheck", last, err)
		}
	}
}

// A block that inflates to its input and more, or a last block whose
// stream does not end (no final deflate block), fails the check; a block
// that inflates to exactly its input passes it.
func TestCheckBlockCatchesLongerOrUnendedStreams(t *testing.T) {
	in := []byte(strings.Repeat("déploiement ce soir, 22:00 ", 50000))
	z := newPdeflate(flate.BestSpeed)
	compress := func(data []byte, last bool) *pdBlock {
		b := &pdBlock{in: data, last: last, done: make(chan struct{})}
		z.compress(b)
		if b.err != nil {
			t.Fatalf("compress (last=%v): %v", last, b.err)
		}
		return b
	}
	for _, last := range []bool{false, true} {
		b := compress(append(append([]byte(nil), in...), "and more"...), last)
		b.in = in
		if err := z.checkBlock(b); !errors.Is(err, errBlockCheck) {
			t.Errorf("last=%v: checkBlock of a block longer than its input = %v, want errBlockCheck", last, err)
		}
		b = compress(in, last)
		if err := z.checkBlock(b); err != nil {
			t.Errorf("last=%v: checkBlock of a good block = %v", last, err)
		}
	}
	b := compress(in, false)
	b.last = true
	if err := z.checkBlock(b); !errors.Is(err, errBlockCheck) {
		t.Errorf("checkBlock of a last block without a final deflate block = %v, want errBlockCheck", err)
	}
}

// Commit reads the file back: a byte changed under the Writer is caught
// and the archive is not committed.
func TestCommitCatchesFileDamage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.zip")
	w, err := Create(path, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, p := range testRecords().Principals {
		if err := w.AddPrincipal(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.zw.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.f.WriteAt([]byte{0xFF}, 40); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(testManifest()); !errors.Is(err, errFileCheck) {
		t.Fatalf("Commit = %v, want errFileCheck", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the damaged archive was committed: %v", err)
	}
}

// A message's line is read back with the reader's decoder before it is
// written.
func TestMatchesReadsTheLineBack(t *testing.T) {
	c := newBenchCorpus()
	d := newMsgDecoder()
	for i := 0; i < 50; i++ {
		m := c.message(i * 31)
		line, err := appendMessage(nil, &m)
		if err != nil {
			t.Fatal(err)
		}
		line = line[:len(line)-1]
		if !d.matches(line, &m) {
			t.Fatalf("message %d does not match its own line %s", i, line)
		}
		for _, change := range []func(*Message){
			func(m *Message) { m.Content += "x" },
			func(m *Message) { m.ChatID++ },
			func(m *Message) { m.Alert = !m.Alert },
			func(m *Message) {
				if m.RTF == nil {
					m.RTF = ptr("")
				} else {
					m.RTF = nil
				}
			},
		} {
			other := m
			change(&other)
			if d.matches(line, &other) {
				t.Errorf("message %d: a changed message matches the line %s", i, line)
			}
		}
	}
}
