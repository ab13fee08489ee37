package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/directory"
)

// TestDirectoryExportAsksForEnabled: the directory export that the README,
// the docs, the lab's estate file and pcmig's own messages gave was
// "Get-CsUser | Select-Object SipAddress,UserPrincipalName,RegistrarPool",
// without Enabled, so a file made as told never marked a user suspended with
// Set-CsUser -Enabled $False, and the run's, the plan's and the runbook's
// notes of disabled users to move could never appear; the lab's users.csv
// had no Enabled column either. Every place now gives one command, with
// Enabled, the lab writes the column, and the doctor says when a file lacks
// it. Failed before: the docs named the command without Enabled, the lab's
// header ended with RegistrarPool and the doctor said nothing.
func TestDirectoryExportAsksForEnabled(t *testing.T) {
	t.Parallel()
	sel := regexp.MustCompile(`Get-CsUser \| Select(-Object)? [A-Za-z,]+`)
	want := sel.FindString(directory.ExportCommand)
	if !strings.HasSuffix(want, ",Enabled") {
		t.Fatalf("directory.ExportCommand %q does not select Enabled", directory.ExportCommand)
	}
	root := filepath.Join("..", "..")
	for _, f := range []string{"README.md", "docs/estate.md", "docs/lua-api.md", "docs/pcmig.d.lua", "testdata/estates/real-example.lua"} {
		text := strings.ReplaceAll(string(readFile(t, filepath.Join(root, f))), "\n| ", " | ")
		text = strings.ReplaceAll(text, "|\n---", "|")
		got := sel.FindAllString(text, -1)
		if len(got) == 0 {
			t.Errorf("%s gives no Get-CsUser export", f)
		}
		for _, g := range got {
			if g != want {
				t.Errorf("%s gives %q, want %q", f, g, want)
			}
		}
	}

	dir := labEstate(t, "--messages", "50")
	estFile := filepath.Join(dir, "estate.lua")
	users := filepath.Join(dir, "users.csv")
	if est := string(readFile(t, estFile)); !strings.Contains(est, directory.ExportCommand) {
		t.Errorf("the lab's estate file does not give %q", directory.ExportCommand)
	}
	lines := strings.Split(string(readFile(t, users)), "\r\n")
	if lines[1] != `"SipAddress","UserPrincipalName","RegistrarPool","Enabled"` || !strings.HasSuffix(lines[2], `,"True"`) {
		t.Errorf("the lab's users.csv does not end its rows with Enabled:\n%s\n%s", lines[1], lines[2])
	}
	stdout, _ := mustRun(t, 0, "doctor", "--estate", estFile)
	if strings.Contains(stdout, "no Enabled column") {
		t.Errorf("doctor says the lab's file has no Enabled column:\n%s", stdout)
	}

	// The same file without the column: read as before, and said.
	for i, l := range lines {
		if i > 0 {
			lines[i] = strings.TrimSuffix(strings.TrimSuffix(l, `,"Enabled"`), `,"True"`)
		}
	}
	writeFile(t, users, strings.Join(lines, "\r\n"))
	stdout, _ = mustRun(t, 0, "doctor", "--estate", estFile)
	mustContain(t, "doctor", stdout, "57 homed on fe15.contoso.com; it has no Enabled column, so users suspended with Set-CsUser -Enabled $False cannot be told apart")
}
