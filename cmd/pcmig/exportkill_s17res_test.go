package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// killAtTemporary starts pcmig with args in another process and kills it
// (SIGKILL) once dir holds a new file whose name contains mark and the
// ledger file names it (or 100 ms after the file appeared: a pcmig that
// records nothing): a process killed while its temporary file exists, not
// in the instant between making it and recording it. The child stops at
// its first line of export progress ("export messages: ", "INFO export:
// messages: " in a run; its archive's temporary file is
// made and recorded by then) until it is killed, so that a fast export
// on a busy machine cannot end before the file is seen. It returns the
// new file names dir then holds with mark.
func killAtTemporary(t *testing.T, dir, mark, ledger string, args ...string) []string {
	t.Helper()
	before := map[string]bool{}
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			before[e.Name()] = true
		}
	}
	never := filepath.Join(t.TempDir(), "never") // the gate is never opened
	c := startChildEnv(t, []string{childPauseEnv + "=messages: |" + never}, args...)
	deadline := time.Now().Add(time.Minute)
	var seen time.Time
	for {
		var found []string
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.Contains(e.Name(), mark) && !before[e.Name()] {
				if seen.IsZero() {
					seen = time.Now()
				}
				if strings.Contains(string(readLedger(ledger)), e.Name()) || time.Since(seen) > 100*time.Millisecond {
					found = append(found, e.Name())
				}
			}
		}
		if len(found) > 0 {
			if err := c.cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			if _, _, code := c.finish(t); code == 0 {
				t.Fatalf("pcmig %v ended by itself before it was killed", args)
			}
			return found
		}
		if time.Now().After(deadline) {
			t.Fatalf("no file with %q appeared in %s within a minute\nstdout:\n%s", mark, dir, c.output())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func readLedger(path string) []byte {
	b, _ := os.ReadFile(path)
	return b
}

// TestExportKilledLeavesNoPartialArchiveAfterItsRerun kills pcmig export,
// and pcmig run in its export step, while the archive is being written
// (".NAME.partial-DIGITS", chat content, as large as the archive): the
// rerun of the same command removes the killed process's temporary files,
// says so, and leaves no ledger behind; a file of the administrator's
// named like one is kept. Before, nothing removed them: every killed
// export left a partial copy of the pool's chat history beside the
// archive for good.
func TestExportKilledLeavesNoPartialArchiveAfterItsRerun(t *testing.T) {
	if testing.Short() {
		t.Skip("kills exports of 60,000 messages")
	}
	t.Parallel()
	dir := labEstate(t, "--messages", "60000")

	t.Run("export", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		theirs := filepath.Join(out, ".a.zip.partial-123456")
		writeFile(t, theirs, "the administrator's")
		args := []string{"export", "--db", "sqlite:" + filepath.Join(dir, "source-2015.db"), "--file", filepath.Join(out, "a.zip")}
		left := killAtTemporary(t, out, ".a.zip.partial-", filepath.Join(out, ".a.zip.pcmig-temporaries.jsonl"), args...)
		_, stderr := mustRun(t, 0, args...)
		mustContain(t, "rerun's stderr", stderr, "the temporary file of a pcmig export that was stopped before it finished")
		entries, _ := os.ReadDir(out)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if strings.Join(names, " ") != ".a.zip.partial-123456 a.zip" {
			t.Errorf("after the rerun the folder holds %v; want the administrator's file and the archive (the killed export left %v)", names, left)
		}
		if b, err := os.ReadFile(theirs); err != nil || string(b) != "the administrator's" {
			t.Errorf("the administrator's file: %q, %v", b, err)
		}
	})

	t.Run("run", func(t *testing.T) {
		est := filepath.Join(t.TempDir(), "estate")
		copyDir(t, dir, est)
		archives := filepath.Join(est, "archive")
		if err := os.MkdirAll(archives, 0o755); err != nil {
			t.Fatal(err)
		}
		left := killAtTemporary(t, archives, ".partial-", filepath.Join(est, ".pcmig", "temporaries.jsonl"), "run", "--estate", filepath.Join(est, "estate.lua"))
		stdout, stderr := mustRun(t, 0, "run", "--estate", filepath.Join(est, "estate.lua"), "--resume")
		mustContain(t, "resumed run", stdout, "EQUAL")
		mustContain(t, "resumed run's stderr", stderr, "Removed ", "the temporary file of a run that was stopped before it renamed it")
		entries, _ := os.ReadDir(archives)
		for _, e := range entries {
			if e.Name() != "pchat-2015.zip" && !strings.HasSuffix(e.Name(), ".json") {
				t.Errorf("after the resumed run the archive folder holds %s (the killed run left %v)", e.Name(), left)
			}
		}
	})
}
