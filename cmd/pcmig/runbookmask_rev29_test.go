package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/numtext"
)

// TestRunbookMaskedPasswordSaid: the runbook is masked like everything
// pcmig writes, so a password that is also text of the runbook (a lab
// login's "contoso", the domain of every pool and user) became xxxxx in
// its commands (Set-CsSite ... 'pchat19.xxxxx.com'), which fail as
// written, and pcmig said nothing but "review it". Now it says how many
// lines hold it and what to do. Failed before: no warning (86 lines
// masked).
func TestRunbookMaskedPasswordSaid(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "20")
	est := filepath.Join(dir, "estate.lua")
	src := string(readFile(t, est))
	writeFile(t, est, strings.Replace(src, `kind = "lab"`, `kind = "real"`, 1))
	runbook := filepath.Join(dir, "rb.ps1")
	stdout, stderr, code := runCmdEnv(t, map[string]string{"PCMIG_DB_PASSWORD": "contoso"}, "run", "--estate", est, "--runbook", runbook)
	out := stdout + stderr
	if code != 0 {
		t.Fatalf("run failed (exit %d):\n%s", code, out)
	}
	rb := string(readFile(t, runbook))
	n := 0
	for _, line := range strings.Split(rb, "\n") {
		if strings.Contains(line, "xxxxx") {
			n++
		}
	}
	if n == 0 || strings.Contains(rb, "contoso") {
		t.Fatalf("the runbook was not masked (%d lines):\n%s", n, rb)
	}
	mustContain(t, "output", out, "pcmig: warning: "+numtext.Count(n, "line", "lines")+" of the runbook hold", "change the password")

	// Without the password in it, nothing is said.
	stdout, stderr, _ = runCmdEnv(t, map[string]string{"PCMIG_DB_PASSWORD": "Rev29Pw"}, "run", "--estate", est, "--runbook", runbook, "--fresh")
	if strings.Contains(stdout+stderr, "of the runbook hold") {
		t.Errorf("a warning without a masked line:\n%s%s", stdout, stderr)
	}
}
