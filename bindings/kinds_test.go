package bindings_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/store"
)

// TestErrorKindsLua walks every documented error path of every module and
// checks its kind (testdata/kinds_test.lua).
func TestErrorKindsLua(t *testing.T) {
	runLuaTests(t, "kinds_test.lua", smallLab(1), writeDamagedArchives)
}

// writeDamagedArchives exports the lab's source and writes damaged copies
// of the archive into the estate folder: damaged-NAME.zip.
func writeDamagedArchives(t testing.TB, dir string) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + filepath.Join(dir, "source-2015.db"), ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(t.TempDir(), "good.zip")
	if _, err := exporter.Export(ctx, s, good, exporter.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, "damaged-"+name+".zip"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("truncated", data[:len(data)/2])
	// edit rebuilds the zip with fn applied to each entry (nil drops it);
	// with fix, the manifest's sizes and checksums follow the new parts.
	edit := func(name string, fix bool, fn func(entry string, b []byte) []byte, extra map[string][]byte) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		parts := map[string][]byte{}
		var order []string
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			if b = fn(f.Name, b); b != nil {
				parts[f.Name] = b
				order = append(order, f.Name)
			}
		}
		for k, v := range extra {
			parts[k] = v
			order = append(order, k)
		}
		if fix {
			var m map[string]any
			if err := json.Unmarshal(parts["manifest.json"], &m); err != nil {
				t.Fatal(err)
			}
			for _, p := range m["parts"].([]any) {
				pm := p.(map[string]any)
				b := parts[pm["name"].(string)]
				sum := sha256.Sum256(b)
				pm["sha256"], pm["bytes"] = hex.EncodeToString(sum[:]), strconv.Itoa(len(b))
			}
			if parts["manifest.json"], err = json.Marshal(m); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, n := range order {
			w, err := zw.Create(n)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write(parts[n]); err != nil {
				t.Fatal(err)
			}
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		write(name, buf.Bytes())
	}
	same := func(_ string, b []byte) []byte { return b }
	edit("checksum", false, func(n string, b []byte) []byte {
		if n == "principals.jsonl" {
			b = bytes.Replace(b, []byte("sip:"), []byte("sip;"), 1)
		}
		return b
	}, nil)
	edit("missing-part", false, func(n string, b []byte) []byte {
		if n == "categories.jsonl" {
			return nil
		}
		return b
	}, nil)
	edit("extra-entry", false, same, map[string][]byte{"notes.txt": []byte("hello")})
	edit("newer-format", false, func(n string, b []byte) []byte {
		if n == "manifest.json" {
			b = bytes.Replace(b, []byte(`"format": 1`), []byte(`"format": 2`), 1)
			b = bytes.Replace(b, []byte(`"format":1`), []byte(`"format":2`), 1)
		}
		return b
	}, nil)
	edit("bad-record", true, func(n string, b []byte) []byte {
		if n == "principals.jsonl" {
			b = bytes.Replace(b, []byte(`{"guid"`), []byte(`{"color":"red","guid"`), 1)
		}
		return b
	}, nil)
	edit("bad-json", true, func(n string, b []byte) []byte {
		if strings.HasPrefix(n, "messages/") {
			b = append([]byte("{not json\n"), b...)
		}
		return b
	}, nil)
}
