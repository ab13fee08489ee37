package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRunbookCommentsNameStepsItHas: the runbook's sections carry the run's
// step numbers (docs/runbook.md), so a comment that sends the administrator
// to "step N" must find a section "Step N". The cmdlet route's import
// section said "step 6 re-adds them" (Microsoft's numbering), while the
// bundled script's creators are its step 8 and the runbook has no step 6.
func TestRunbookCommentsNameStepsItHas(t *testing.T) {
	t.Parallel()
	est := realEstate(t)
	rb := filepath.Join(t.TempDir(), "rb.ps1")
	mustRun(t, exitPending, "run", "--estate", filepath.Join(est, "estate.lua"), "--dry-run", "--runbook", rb, "--runbook-cmdlets")
	text := string(readFile(t, rb))
	sections := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^Write-Host 'Step (\d+):`).FindAllStringSubmatch(text, -1) {
		sections[m[1]] = true
	}
	ref := regexp.MustCompile(`(?i)\bsteps? (\d+)\b`)
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "#") || strings.HasPrefix(line, "# Step ") {
			continue
		}
		for _, m := range ref.FindAllStringSubmatch(line, -1) {
			if !sections[m[1]] {
				t.Errorf("a comment names step %s, which the runbook does not have (sections %v): %s", m[1], sections, line)
			}
		}
	}
}

// TestRunbookDocNumbersMigrateSteps ties docs/runbook.md's table of commands
// ("switch the site's default Persistent Chat pool (4)") to the steps of the
// bundled migrate.lua, whose numbers the runbook's sections carry.
func TestRunbookDocNumbersMigrateSteps(t *testing.T) {
	script := string(readFile(t, filepath.Join("..", "..", "scripts", "migrate.lua")))
	var steps []string
	for _, m := range regexp.MustCompile(`(?m)^step\("([^"]+)"`).FindAllStringSubmatch(script, -1) {
		steps = append(steps, m[1])
	}
	doc := string(readFile(t, filepath.Join("..", "..", "docs", "runbook.md")))
	rows := regexp.MustCompile(`(?m)^\| ([A-Za-z' ]+) \((\d+)[,)]`).FindAllStringSubmatch(doc, -1)
	if len(rows) < 7 {
		t.Fatalf("docs/runbook.md: %d numbered rows in the table of commands, want 7", len(rows))
	}
	for _, r := range rows {
		n := 0
		for _, c := range r[2] {
			n = n*10 + int(c-'0')
		}
		if n < 1 || n > len(steps) || steps[n-1] != r[1] {
			t.Errorf("docs/runbook.md numbers %q as step %d; migrate.lua's steps are %q", r[1], n, steps)
		}
	}
}

// TestHelpCountsMigrateSteps: `pcmig run --help` and `pcmig demo --help`
// called the bundled script "the 7-step procedure" and "the bundled 7-step
// script", while it runs as "Step 1/10" ... "Step 10/10" (Microsoft's seven
// steps with pcmig's copy of the uploaded files, the pool's own settings and
// the reconciliation). The help gives the script's own count.
func TestHelpCountsMigrateSteps(t *testing.T) {
	script := string(readFile(t, filepath.Join("..", "..", "scripts", "migrate.lua")))
	m := regexp.MustCompile(`(?m)^steps\((\d+)\)`).FindStringSubmatch(script)
	if m == nil {
		t.Fatal("migrate.lua declares no steps(n)")
	}
	for _, cmd := range []string{"run", "demo"} {
		out, _ := mustRun(t, 0, cmd, "--help")
		flat := strings.Join(strings.Fields(out), " ")
		mustContain(t, "pcmig "+cmd+" --help", flat, m[1]+" steps")
		if strings.Contains(flat, "bundled 7-step") || strings.Contains(flat, "7-step procedure by default") {
			t.Errorf("pcmig %s --help calls the bundled script 7-step:\n%s", cmd, out)
		}
	}
}
