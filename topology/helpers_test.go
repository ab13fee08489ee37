package topology

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustParse(t *testing.T, data []byte) *Document {
	t.Helper()
	d, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return d
}

// lineDiff returns the lines removed from a ("-" prefix) and added in b
// ("+" prefix), in order, from a longest-common-subsequence alignment.
// Lines keep their "\r" so line-ending changes show up.
func lineDiff(a, b []byte) []string {
	x := strings.SplitAfter(string(a), "\n")
	y := strings.SplitAfter(string(b), "\n")
	// lcs[i][j] is the LCS length of x[i:] and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			i, j = i+1, j+1
		case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, "-"+x[i])
			i++
		default:
			out = append(out, "+"+y[j])
			j++
		}
	}
	return out
}

func TestLineDiff(t *testing.T) {
	tests := []struct {
		a, b string
		want []string
	}{
		{"a\nb\nc\n", "a\nb\nc\n", nil},
		{"a\nb\nc\n", "a\nB\nc\n", []string{"-b\n", "+B\n"}},
		{"a\nc\n", "a\nb\nc\n", []string{"+b\n"}},
		{"a\r\nb\r\n", "a\r\nb\n", []string{"-b\r\n", "+b\n"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, lineDiff([]byte(tt.a), []byte(tt.b))); diff != "" {
			t.Errorf("lineDiff(%q, %q) mismatch (-want +got):\n%s", tt.a, tt.b, diff)
		}
	}
}

// utf16le encodes s as UTF-16LE with a byte order mark.
func utf16le(s string) []byte {
	return envelope{Enc: encUTF16LE, BOM: true}.Encode([]byte(s))
}

// crlf converts LF line endings to CRLF.
func crlf(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")) }

// utf32le encodes b as UTF-32LE with a byte order mark, by hand.
func utf32le(b []byte) []byte {
	out := []byte{0xFF, 0xFE, 0, 0}
	for _, r := range string(b) {
		out = append(out, byte(r), byte(r>>8), byte(r>>16), byte(r>>24))
	}
	return out
}
