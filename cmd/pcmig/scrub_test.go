package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The planted passwords: $PCMIG_DB_PASSWORD and a password_env variable of
// the estate.
const (
	plantedDB     = "S3cr3tPW1"
	plantedTarget = "T4rg3t&PW2"
)

// TestPlantedPasswordsNeverLeaveThePassword plants two passwords in the
// environment, makes a real estate, a script and the commands put them
// into every kind of output (the estate's name, log lines, print, step
// names, errors, the runbook, the plan, the run journal, reports of runs,
// imports and exports), and then greps every byte pcmig wrote: the
// passwords are masked everywhere.
func TestPlantedPasswordsNeverLeave(t *testing.T) {
	t.Parallel()
	est := realEstate(t)
	estFile := filepath.Join(est, "estate.lua")
	text := string(readFile(t, estFile))
	text = replaceOnce(t, text, `name = "Contoso lab"`, `name = "Contoso `+plantedDB+` `+plantedTarget+`"`)
	// A secret's variable named in the script table (a db table cannot
	// name one beside a DSN): masked from the start of the run, read or not.
	text = replaceOnce(t, text, `name = "Contoso `+plantedDB+` `+plantedTarget+`"`, `name = "Contoso `+plantedDB+` `+plantedTarget+`", script = { app_password_env = "PCMIG_TARGET_PW" }`)
	writeFile(t, estFile, text)
	script := filepath.Join(est, "leak.lua")
	writeFile(t, script, `
step("say `+plantedDB+`", function()
  log.warn("the passwords are `+plantedDB+` and `+plantedTarget+`")
  print("print `+plantedTarget+`")
end)
step("fail", function() error("boom `+plantedDB+` `+plantedTarget+`") end)
`)
	vars := map[string]string{"PCMIG_DB_PASSWORD": plantedDB, "PCMIG_TARGET_PW": plantedTarget}
	out := t.TempDir()
	var console strings.Builder
	run := func(args ...string) {
		stdout, stderr, _ := runCmdEnv(t, vars, args...)
		console.WriteString(stdout + stderr)
	}
	run("run", "--estate", estFile, "--dry-run", "--plan", filepath.Join(out, "dry-plan.json"), "--report", filepath.Join(out, "dry.json"), "--runbook", filepath.Join(out, "dry.ps1"))
	run("run", "--estate", estFile, "--plan", filepath.Join(out, "plan.json"), "--report", filepath.Join(out, "run.html"))
	run("run", script, "--estate", estFile, "--fresh", "--report", filepath.Join(out, "leak.json"), "--plan", filepath.Join(out, "leak-plan.json"))
	run("run", script, "--estate", estFile, "--resume", "--report", filepath.Join(out, "leak.html"))
	zip := filepath.Join(out, "x.zip")
	run("export", "--db", "sqlite:"+filepath.Join(est, "source-2015.db"), "--file", zip, "--pool", "pool-"+plantedDB+".contoso.com", "--report", filepath.Join(out, "export.html"))
	run("export", "--db", "sqlite:"+filepath.Join(est, "source-2015.db"), "--file", zip, "--overwrite", "--pool", "pool-"+plantedDB+".contoso.com", "--report", filepath.Join(out, "export.json"))
	run("import", "--db", "sqlite:"+filepath.Join(est, "target-2019.db"), "--file", zip, "--report", filepath.Join(out, "import.html"), "--dry-run")
	run("inventory", "--db", "sqlserver://sa:"+plantedDB+"@127.0.0.1:1?dial+timeout=1")

	if !strings.Contains(console.String(), "Contoso xxxxx xxxxx") {
		t.Errorf("the console does not show the masked estate name; the test does not reach the scrubber:\n%s", console.String())
	}
	for _, p := range []string{plantedDB, plantedTarget, "T4rg3t&amp;PW2", "T4rg3t\\u0026PW2", "T4rg3t%26PW2"} {
		if strings.Contains(console.String(), p) {
			t.Errorf("the console shows %q:\n%s", p, console.String())
		}
	}
	files := 0
	for _, dir := range []string{est, out} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			switch filepath.Ext(path) {
			case ".db", ".zip", ".lua":
				return nil // the databases and archive are data; the script is the test's
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files++
			for _, p := range []string{plantedDB, plantedTarget, "T4rg3t&amp;PW2", "T4rg3t\\u0026PW2", "T4rg3t%26PW2"} {
				if strings.Contains(string(b), p) {
					t.Errorf("%s holds %q", path, p)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"dry-plan.json", "dry.json", "dry.ps1", "plan.json", "run.html", "leak.json", "leak-plan.json", "leak.html", "export.html", "export.json", "import.html"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("no %s: the run did not write it (%v)", name, err)
		}
	}
	for _, name := range []string{filepath.Join(".pcmig", "run-journal.json"), "runbook.ps1"} {
		b := string(readFile(t, filepath.Join(est, name)))
		if !strings.Contains(b, "xxxxx") {
			t.Errorf("%s shows no masked password: the test does not reach it", name)
		}
	}
	t.Logf("%d files checked", files)
}
