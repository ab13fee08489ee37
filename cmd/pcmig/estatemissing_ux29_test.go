package main

import (
	"os"
	"strings"
	"testing"
)

// TestMissingEstateSaysWhatToDo: pcmig run in a folder without estate.lua
// (the default of --estate), or with a misspelt --estate, said only
// "read estate: stat estate.lua: no such file or directory". It now names
// the file with its folder and says how to give one.
func TestMissingEstateSaysWhatToDo(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, args := range [][]string{
		{"run"},
		{"run", "--estate", "estate-typo.lua", "--dry-run"},
		{"doctor", "--estate", "estate-typo.lua"},
		{"verify", "--estate", "estate-typo.lua"},
	} {
		_, stderr, code := runCmd(t, args...)
		if code != exitError {
			t.Errorf("pcmig %s: exit %d, want %d", strings.Join(args, " "), code, exitError)
		}
		name := "estate.lua"
		if len(args) > 1 {
			name = "estate-typo.lua"
		}
		want := "pcmig: estate " + name + ": no such file in " + dir + ": name the estate file with --estate FILE (pcmig lab init DIR writes a practice estate; docs/estate.md describes one)"
		if strings.TrimSpace(stderr) != want {
			t.Errorf("pcmig %s said\n%s\nwant\n%s", strings.Join(args, " "), stderr, want)
		}
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("the folder holds %v (%v), want nothing", entries, err)
	}
}
