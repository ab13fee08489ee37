package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRunReportCarriesTheRealStepName: a step named with an escape
// sequence and a bell reaches the console and the HTML report escaped
// (\u001B, \u0007), while the JSON report and plan carry the real name
// (JSON escapes it itself), not the console's escaped text escaped again.
func TestRunReportCarriesTheRealStepName(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	dir := t.TempDir()
	script := filepath.Join(dir, "named.lua")
	writeFile(t, script, "step(\"next\\27[31mred\\7\", function() print(\"ran\") end)\n")
	const raw, shown = "next\x1b[31mred\x07", `next\u001B[31mred\u0007`
	for _, name := range []string{"report.json", "report.html"} {
		out := filepath.Join(dir, name)
		stdout, _ := mustRun(t, 0, "run", script, "--estate", filepath.Join(est, "estate.lua"), "--report", out)
		mustContain(t, "stdout", stdout, "Step 1: "+shown+" ==")
		if strings.ContainsAny(stdout, "\x1b\x07") {
			t.Errorf("stdout holds raw control characters: %q", stdout)
		}
		data := string(readFile(t, out))
		if name == "report.html" {
			mustContain(t, "HTML report", data, shown)
			if strings.ContainsAny(data, "\x1b\x07") {
				t.Errorf("the HTML report holds raw control characters")
			}
			continue
		}
		rep := readReport(t, out)
		if len(rep.Steps) != 1 || rep.Steps[0].Name != raw {
			t.Errorf("JSON report steps %+v, want one named %q", rep.Steps, raw)
		}
		if strings.Contains(data, `\\u001B`) || strings.ContainsAny(data, "\x1b\x07") {
			t.Errorf("JSON report escapes the name twice or not at all:\n%s", data)
		}
	}
}
