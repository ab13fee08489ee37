package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestDoctorEstateSizeUnknownSaid: when a source's messages cannot be
// read, `pcmig doctor --estate` has no import size for the target; its
// size line said only "embedded database of …", as if there were nothing
// to compare. It now warns that the size is unknown and why.
func TestDoctorEstateSizeUnknownSaid(t *testing.T) {
	dir := labEstate(t, "--messages", "20")
	labtest.ExecSQLite(t, filepath.Join(dir, "source-2015.db"), []string{`ALTER TABLE tblChat RENAME TO tblChatGone`}...)
	out, _ := mustRun(t, exitError, "doctor", "--estate", filepath.Join(dir, "estate.lua"))
	var line string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "WARN  size") || strings.HasPrefix(l, "N/A   size") || strings.HasPrefix(l, "OK    size") {
			line = l
		}
	}
	if !strings.HasPrefix(line, "WARN  size") || !strings.Contains(line, "the import's size is unknown: the messages of ") || !strings.Contains(line, "could not be read (see its report)") {
		t.Errorf("the target's size line is %q, want a warning that the import's size is unknown:\n%s", line, out)
	}
}
