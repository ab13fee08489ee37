package filestore

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCopyRemovesOnlyTheTemporaryFileOfAKilledCopy: a copy killed after
// creating its temporary file (recorded in the ledger, as every copy
// records its token before its first temporary file) left it in the
// target. The next copy into that target removes it, keeps every file of
// the target's own however it is named (the old temporary names, another
// token's name), copies the source and leaves no ledger behind. A copy
// into another target leaves the first target's entry alone.
func TestCopyRemovesOnlyTheTemporaryFileOfAKilledCopy(t *testing.T) {
	src, dst, other := t.TempDir(), t.TempDir(), t.TempDir()
	ledgerPath := filepath.Join(t.TempDir(), "file-copies.json")
	write(t, src, "r/report.docx", "report")
	theirs := map[string]string{
		"r/.report.docx.pcmig-copy":                  "the administrator's",
		"r/.report.docx.pcmig-copy-1":                "another",
		"r/.report.docx.pcmig-copy-0123456789abcdef": "a random name of their own",
		"r/notes.txt": "notes",
	}
	for rel, data := range theirs {
		write(t, dst, rel, data)
	}

	// The killed copy: its token recorded, its temporary file created.
	to, err := os.OpenRoot(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer to.Close()
	l := ledger{path: ledgerPath, store: storeKey(dst)}
	token, err := l.begin(to)
	if err != nil {
		t.Fatal(err)
	}
	f, left, err := createTemp(to, filepath.Join("r", "report.docx"), token)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("half a rep")
	f.Close()

	// A copy into another target: the entry of dst stays.
	if _, err := CopyWith(t.Context(), src, other, Options{Ledger: ledgerPath}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dst, left)); err != nil {
		t.Fatalf("a copy into another target removed the first target's temporary file: %v", err)
	}
	if es, err := l.read(); err != nil || len(es) != 1 || es[0].Token != token {
		t.Fatalf("after a copy into another target the ledger holds %v, %v; want dst's entry only", es, err)
	}

	res, err := CopyWith(t.Context(), src, dst, Options{Ledger: ledgerPath})
	if err != nil {
		t.Fatal(err)
	}
	if res.Copied != 1 || len(res.Missing) != 0 {
		t.Errorf("copied %d, missing %v", res.Copied, res.Missing)
	}
	if _, err := os.Stat(filepath.Join(dst, left)); !os.IsNotExist(err) {
		t.Errorf("the killed copy's temporary file %s is still there: %v", left, err)
	}
	for rel, data := range theirs {
		if got, err := os.ReadFile(filepath.Join(dst, rel)); err != nil || string(got) != data {
			t.Errorf("the target's own %s = %q, %v; want %q", rel, got, err, data)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(dst, "r")); len(entries) != len(theirs)+1 {
		t.Errorf("the target holds %d entries, want its own %d and report.docx", len(entries), len(theirs))
	}
	if _, err := os.Stat(ledgerPath); !os.IsNotExist(err) {
		t.Errorf("the ledger is left after every copy succeeded: %v", err)
	}
}

// TestIsTemp: only the names a copy of that token makes.
func TestIsTemp(t *testing.T) {
	const tok = "00112233aabbccdd"
	for name, want := range map[string]bool{
		".a.txt.pcmig-copy-" + tok:           true,
		".a.txt.pcmig-copy-" + tok + "-12":   true,
		".pcmig-copy-" + tok:                 true,
		"a.txt.pcmig-copy-" + tok:            false,
		".a.txt.pcmig-copy-" + tok + "-":     false,
		".a.txt.pcmig-copy-" + tok + "-1x":   false,
		".a.txt.pcmig-copy-" + tok + ".bak":  false,
		".a.txt.pcmig-copy-ffffffffffffffff": false,
		".a.txt.pcmig-copy":                  false,
	} {
		if got := isTemp(name, tok); got != want {
			t.Errorf("isTemp(%q) = %v, want %v", name, got, want)
		}
	}
}
