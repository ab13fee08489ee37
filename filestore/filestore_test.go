package filestore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRelPath(t *testing.T) {
	for link, want := range map[string]string{
		"ma-filelink:///fs01.contoso.com/pchat/ROOM/FILE/Budget%202024.xlsx": "ROOM/FILE/Budget 2024.xlsx",
		"ma-filelink://fs01/share/a/b.txt":                                   "a/b.txt",
		"ma-filelink:///fs01/share/../../etc/passwd":                         "",
		"ma-filelink:///fs01/share/a/%2e%2e/%2e%2e/x":                        "",
		"ma-filelink:///fs01/share/":                                         "",
		"ma-filelink:///fs01":                                                "",
		`ma-filelink:///fs01/share/a\..\b`:                                   "",
	} {
		got, ok := RelPath(link)
		if got != want || ok != (want != "") {
			t.Errorf("RelPath(%q) = %q, %v; want %q", link, got, ok, want)
		}
	}
}

func TestLinks(t *testing.T) {
	got := Links("see ma-filelink:///fs/s/a/x.txt and <a href='ma-filelink:///fs/s/b/y.txt'>y</a>")
	if diff := cmp.Diff([]string{"ma-filelink:///fs/s/a/x.txt", "ma-filelink:///fs/s/b/y.txt"}, got); diff != "" {
		t.Errorf("Links mismatch (-want +got):\n%s", diff)
	}
	if got := Links("ma-filelink:///fs/s/a/name with spaces.docx"); len(got) != 1 || Name(got[0]) != "name with spaces.docx" {
		t.Errorf("a whole-message link: %q", got)
	}
}

func write(t *testing.T, root, rel, data string) {
	t.Helper()
	p := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCopy(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	write(t, src, "r1/f1/a.txt", "aaaa")
	write(t, src, "r2/f2/b.txt", "bb")
	write(t, dst, "r2/f2/b.txt", "bb")      // already there: kept
	write(t, dst, "own/file.txt", "target") // the target's own
	dry, err := Copy(t.Context(), src, dst, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"r1/f1/a.txt"}, dry.Missing); diff != "" || dry.Copied != 0 {
		t.Errorf("dry run: missing %v, copied %d", dry.Missing, dry.Copied)
	}
	if _, err := os.Stat(filepath.Join(dst, "r1")); err == nil {
		t.Error("a dry run wrote into the target")
	}
	res, err := Copy(t.Context(), src, dst, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &Result{Source: Totals{2, 6}, Target: Totals{3, 12}, Copied: 1, Kept: 1}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("Copy mismatch (-want +got):\n%s", diff)
	}
	if !Exists(dst, "ma-filelink:///fs/share/r1/f1/a.txt") || Exists(dst, "ma-filelink:///fs/share/r1/f1/zzz.txt") {
		t.Error("Exists does not find the copied file, or finds one that is not there")
	}
	if _, err := Copy(t.Context(), filepath.Join(src, "nope"), dst, false, nil); err == nil {
		t.Error("Copy from a missing folder succeeded")
	}
}

func TestLinksInventoryCases(t *testing.T) {
	tests := []struct {
		content string
		want    []string
	}{
		{"no link here", nil},
		{"ma-filelink:///fs01/pchat/a/b/report.docx", []string{"ma-filelink:///fs01/pchat/a/b/report.docx"}},
		{"ma-filelink:///fs01/pchat/a/b/Budget 2024.xlsx", []string{"ma-filelink:///fs01/pchat/a/b/Budget 2024.xlsx"}},
		{"see ma-filelink:///x/a.txt and ma-filelink:///x/b.txt\n", []string{"ma-filelink:///x/a.txt", "ma-filelink:///x/b.txt"}},
		{`<a href="ma-filelink:///x/c.pdf">c</a>`, []string{"ma-filelink:///x/c.pdf"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Links(tt.content)); diff != "" {
			t.Errorf("Links(%q) mismatch (-want +got):\n%s", tt.content, diff)
		}
	}
}

func TestName(t *testing.T) {
	tests := []struct{ link, want string }{
		{"ma-filelink:///fs/pchat/r/f/report.docx", "report.docx"},
		{"ma-filelink:///fs/pchat/r/f/Budget%202024.xlsx", "Budget 2024.xlsx"},
		{"ma-filelink:///fs/pchat/r/f/100%.txt", "100%.txt"},
		{"ma-filelink:///fs/pchat/r/f/議事録.pdf", "議事録.pdf"},
	}
	for _, tt := range tests {
		if got := Name(tt.link); got != tt.want {
			t.Errorf("Name(%q) = %q, want %q", tt.link, got, tt.want)
		}
	}
}

// TestCount totals the regular files of a store tree, nested ones
// included and symbolic links passed over; an absent store holds none.
func TestCount(t *testing.T) {
	root := t.TempDir()
	if got, err := Count(filepath.Join(root, "absent")); err != nil || got != (Totals{}) {
		t.Errorf("Count(absent) = %+v, %v; want zero, nil", got, err)
	}
	if err := os.MkdirAll(filepath.Join(root, "a", "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, size := range map[string]int{"one.txt": 3, "a/two.bin": 10, "a/b/three": 0} {
		if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(name)), make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(root, "one.txt"), filepath.Join(root, "link.txt")); err != nil {
		t.Log("no symbolic links here:", err)
	}
	if got, err := Count(root); err != nil || got != (Totals{Files: 3, Bytes: 13}) {
		t.Errorf("Count = %+v, %v; want 3 files, 13 bytes", got, err)
	}
}

// TestCopyComparesTimesNotOnlySizes: a target file of the source file's
// size but another content was kept as "already there" (the copy once
// looked at sizes only); then, like robocopy, it was copied over when its
// time differed: a file put there by hand, another pool's upload of that
// name, was lost. A file is kept when its size and modification time are
// the source's, or its content is; a file of other content refuses the
// copy, which copies nothing and names it. Moved out of the way, the
// copy goes on, and a re-run keeps every file.
func TestCopyComparesTimesNotOnlySizes(t *testing.T) {
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "store")
	write(t, src, "ROOM/FILE/minutes.pdf", "the real minutes")
	write(t, src, "ROOM/FILE2/plan.txt", "plan")
	write(t, src, "ROOM/FILE3/notes.txt", "notes")
	write(t, dst, "ROOM/FILE/minutes.pdf", "XXXXXXXXXXXXXXXX") // the same size
	write(t, dst, "ROOM/FILE3/notes.txt", "notes")             // the same content
	old := time.Now().Add(-48 * time.Hour)
	for _, f := range []string{"ROOM/FILE/minutes.pdf", "ROOM/FILE3/notes.txt"} {
		if err := os.Chtimes(filepath.Join(dst, f), old, old); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Copy(context.Background(), src, dst, false, nil)
	var refused *RefusedError
	if !errors.As(err, &refused) || len(refused.Conflicts) != 1 || refused.Conflicts[0].File != "ROOM/FILE/minutes.pdf" ||
		!strings.Contains(err.Error(), "nothing was copied") {
		t.Fatalf("copy over a file of other content = %v, want a refusal naming ROOM/FILE/minutes.pdf", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dst, "ROOM/FILE/minutes.pdf")); string(got) != "XXXXXXXXXXXXXXXX" {
		t.Errorf("the target's file holds %q, want it untouched", got)
	}
	if _, err := os.Stat(filepath.Join(dst, "ROOM/FILE2/plan.txt")); err == nil {
		t.Error("the refused copy copied plan.txt")
	}
	if err := os.Remove(filepath.Join(dst, "ROOM/FILE/minutes.pdf")); err != nil {
		t.Fatal(err)
	}
	res, err := Copy(context.Background(), src, dst, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Copied != 2 || res.Kept != 1 || len(res.Missing) != 0 {
		t.Errorf("copy: %d copied, %d kept, missing %v; want 2, 1 (the same content), none", res.Copied, res.Kept, res.Missing)
	}
	if got, _ := os.ReadFile(filepath.Join(dst, "ROOM/FILE/minutes.pdf")); string(got) != "the real minutes" {
		t.Errorf("the target file holds %q", got)
	}
	res, err = Copy(context.Background(), src, dst, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Copied != 0 || res.Kept != 3 {
		t.Errorf("second copy: %d copied, %d kept; want 0, 3", res.Copied, res.Kept)
	}
}
