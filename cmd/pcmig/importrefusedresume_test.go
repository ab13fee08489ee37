package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestRefusedResumeSaysAnEarlierImportIsUnfinished: an import stopped
// part-way, then run again while the target's servers heartbeat, is
// refused at its first write. "Nothing imported into X: refused before
// anything was written" read as a target the archive never touched,
// though the earlier run's messages are there: the summary says this run
// wrote nothing and that the earlier import is unfinished.
func TestRefusedResumeSaysAnEarlierImportIsUnfinished(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "20000")
	src, dst := filepath.Join(dir, "source-2015.db"), filepath.Join(dir, "target-2019.db")
	zipPath := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", zipPath)

	// Sequential: an import that writes while it reads commits nothing
	// before its end (importer/overlap.go), this one a part at a time.
	seq := map[string]string{sequentialImportEnv: "1"}
	if code, stdout, stderr := runCancelledAtEnv(t, seq, "import messages:", "import", "--db", "sqlite:"+dst, "--file", zipPath); code != exitError {
		t.Fatalf("cancelled import: exit %d\n%s\n%s", code, stdout, stderr)
	}
	held := queryInt(t, openDB(t, dst), "SELECT COUNT(*) FROM tblChat")
	if held <= 0 || held >= 20000 {
		t.Fatalf("the cancelled import left %d messages; want some, not all, of 20000", held)
	}

	labtest.ExecSQLite(t, dst, `DELETE FROM tblServerIdentity`,
		`INSERT INTO tblServerIdentity VALUES (4, 'net.tcp://pchat19.contoso.com:8011/', '`+time.Now().UTC().Add(-time.Minute).Format("2006-01-02 15:04:05")+`')`)
	stdout, _, code := runCmd(t, "import", "--db", "sqlite:"+dst, "--file", zipPath)
	if code != exitError {
		t.Errorf("exit %d, want %d", code, exitError)
	}
	mustContain(t, "stdout", stdout, "Nothing more imported into ", "this run was refused before it wrote anything",
		"Persistent Chat servers are active", "an earlier import of this archive is unfinished")
	if strings.Contains(stdout, "refused before anything was written") {
		t.Errorf("the refused resume reads as a target the archive never touched:\n%s", stdout)
	}
	if n := queryInt(t, openDB(t, dst), "SELECT COUNT(*) FROM tblChat"); n != held {
		t.Errorf("the refused resume changed the target's messages: %d, then %d", held, n)
	}
}
