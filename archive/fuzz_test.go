package archive

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

var updateCorpus = flag.Bool("update-corpus", false, "regenerate testdata/fuzz/FuzzOpen")

// maxFuzzAlloc bounds what reading one fuzzed archive may allocate: the
// limits of the format (one line of MaxRecordBytes) plus working buffers.
const maxFuzzAlloc = MaxRecordBytes + 64<<20

// FuzzOpen checks that no input makes Open, Verify or the accessors panic
// or allocate without bound, and that Verify and the accessors agree.
func FuzzOpen(f *testing.F) {
	f.Add(zipBytes(f, readEntries(f, writeTest(f, WriterOptions{ChunkMessages: 3}))))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		path := filepath.Join(t.TempDir(), "fuzz.zip")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r, err := Open(path)
		if err != nil {
			return
		}
		defer r.Close()
		verifyErr := r.Verify(context.Background())
		_, readErr := readRecords(r)
		if s, err := r.Summary(); err == nil {
			WriteSummaryText(io.Discard, s)
		}
		runtime.ReadMemStats(&after)
		if (verifyErr == nil) != (readErr == nil) {
			t.Errorf("Verify() = %v but reading all = %v", verifyErr, readErr)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > maxFuzzAlloc {
			t.Errorf("reading a %d-byte archive allocated %d bytes", len(data), n)
		}
	})
}

// corpusSeeds are the checked-in seeds of FuzzOpen. Seeds named valid-*
// must open and verify; the others must fail in Open or Verify.
func corpusSeeds(t *testing.T) map[string][]byte {
	small := contents{Principals: testRecords().Principals[:2], Rooms: testRecords().Rooms[2:],
		Messages: testRecords().Messages[9:]}
	write := func(opts WriterOptions, rec contents) []byte {
		path := filepath.Join(t.TempDir(), "seed.zip")
		writeRecords(t, path, opts, rec)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	valid := write(WriterOptions{ChunkMessages: 4}, testRecords())
	return map[string][]byte{
		"valid-empty":             write(WriterOptions{}, contents{}),
		"valid-small":             write(WriterOptions{}, small),
		"valid-chunked":           valid,
		"corrupt-truncated":       valid[:len(valid)*2/3],
		"corrupt-flipped":         flipByte(t, valid, "messages/000002.jsonl"),
		"corrupt-version":         editManifest(t, func(m *Manifest) { m.Format = 2 }),
		"corrupt-escaping-name":   withEntry(t, "../evil"),
		"corrupt-extra-entry":     withEntry(t, "extra.txt"),
		"corrupt-bomb":            bombEntries(t),
		"corrupt-declared-size":   editManifest(t, func(m *Manifest) { m.Parts[4].Bytes-- }),
		"corrupt-unknown-room":    replaced(t, "messages/000001.jsonl", replaceFirst(guid(300), guid(399))),
		"corrupt-room-count":      replaced(t, "rooms.jsonl", replaceFirst(`"messages":"9"`, `"messages":"8"`)),
		"corrupt-surrogate":       replaced(t, "messages/000001.jsonl", replaceFirst("plain text", `\udc00`)),
		"corrupt-missing-newline": replaced(t, "addins.jsonl", func(d []byte) []byte { return d[:len(d)-1] }),
	}
}

// TestFuzzCorpus checks that the checked-in seeds still mean what their
// names say; -update-corpus regenerates them.
func TestFuzzCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzOpen")
	if *updateCorpus {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, data := range corpusSeeds(t) {
			content := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(des) < 10 {
		t.Fatalf("%s holds %d seeds; run go test -run TestFuzzCorpus -update-corpus", dir, len(des))
	}
	for _, de := range des {
		t.Run(de.Name(), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, de.Name()))
			if err != nil {
				t.Fatal(err)
			}
			data := parseCorpusFile(t, string(raw))
			r, err := Open(writeFile(t, data))
			if err == nil {
				err = r.Verify(context.Background())
				r.Close()
			}
			if valid := strings.HasPrefix(de.Name(), "valid-"); valid != (err == nil) {
				t.Errorf("Open and Verify = %v; seed named %s", err, de.Name())
			}
		})
	}
}

// parseCorpusFile decodes a one-value []byte corpus file.
func parseCorpusFile(t *testing.T, s string) []byte {
	const head, open = "go test fuzz v1\n", "[]byte("
	body, ok := strings.CutPrefix(s, head)
	body, ok2 := strings.CutPrefix(body, open)
	body, ok3 := strings.CutSuffix(strings.TrimSpace(body), ")")
	q, err := strconv.Unquote(body)
	if !ok || !ok2 || !ok3 || err != nil {
		t.Fatalf("not a []byte corpus file (%v)", err)
	}
	return []byte(q)
}
