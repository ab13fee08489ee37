package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRunCopiesASourceFileNamedLikeATemporaryFile: a source file store
// that holds ".report.docx.pcmig-copy" beside "report.docx" (the name the
// copy once gave its temporary file) is copied whole, both files
// byte-identical. Before, the copy of report.docx renamed its temporary
// file over the copied source file of that name: "1 files did not arrive",
// and no run could complete.
func TestRunCopiesASourceFileNamedLikeATemporaryFile(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	src, dst := filepath.Join(dir, "filestore-2015"), filepath.Join(dir, "filestore-2019")
	files := map[string]string{
		"room1/report.docx":                         "the report",
		"room1/.report.docx.pcmig-copy":             "a user's file that happens to have this name",
		"room1/.report.docx.pcmig-copy-1":           "and another",
		"room1/..report.docx.pcmig-copy.pcmig-copy": "and one more",
	}
	if err := os.MkdirAll(filepath.Join(src, "room1"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		writeFile(t, filepath.Join(src, name), content)
	}
	stdout, _ := mustRun(t, 0, "run", "--estate", filepath.Join(dir, "estate.lua"))
	mustContain(t, "run", stdout, "4 copied, 0 already there")
	for name, content := range files {
		got, err := os.ReadFile(filepath.Join(dst, name))
		if err != nil || string(got) != content {
			t.Errorf("target %s = %q, %v; want %q", name, got, err, content)
		}
	}
	entries, err := os.ReadDir(filepath.Join(dst, "room1"))
	if err != nil || len(entries) != len(files) {
		t.Errorf("the target's room1 holds %d entries (%v), want the %d source files and nothing else", len(entries), err, len(files))
	}
}

// TestRunKeepsTargetFilesNamedLikeATemporaryFile: the target file store
// holds files of its administrator's whose names are the copy's temporary
// names (".report.docx.pcmig-copy" and variants) and that the source does
// not have. The copy of report.docx never writes over them, renames them
// or removes them. Before, the copy chose its temporary name by looking at
// the source only: it truncated the administrator's file, wrote
// report.docx into it and renamed it away.
func TestRunKeepsTargetFilesNamedLikeATemporaryFile(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	src, dst := filepath.Join(dir, "filestore-2015"), filepath.Join(dir, "filestore-2019")
	for _, d := range []string{src, dst} {
		if err := os.MkdirAll(filepath.Join(d, "room1"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(src, "room1", "report.docx"), "the report")
	theirs := map[string]string{
		"room1/.report.docx.pcmig-copy":   "the administrator's notes",
		"room1/.report.docx.pcmig-copy-1": "and more of them",
		"room1/.pcmig-copy":               "and a short one",
	}
	for name, content := range theirs {
		writeFile(t, filepath.Join(dst, name), content)
	}
	mustRun(t, 0, "run", "--estate", filepath.Join(dir, "estate.lua"))
	for name, content := range theirs {
		if got, err := os.ReadFile(filepath.Join(dst, name)); err != nil || string(got) != content {
			t.Errorf("the target's own %s = %q, %v; want it untouched, %q", name, got, err, content)
		}
	}
	if got, err := os.ReadFile(filepath.Join(dst, "room1", "report.docx")); err != nil || string(got) != "the report" {
		t.Errorf("target room1/report.docx = %q, %v", got, err)
	}
	entries, err := os.ReadDir(filepath.Join(dst, "room1"))
	if err != nil || len(entries) != len(theirs)+1 {
		t.Errorf("the target's room1 holds %d entries (%v), want its own %d files and report.docx", len(entries), err, len(theirs))
	}
}
