package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// optTypoScript is the administrator's script with a misspelt option:
// levl instead of level. Ignored, it would export the whole history.
const optTypoScript = `local export = require("export")
local r = export.run("source", { file = "x.zip", overwrite = true, levl = "Structure" })
print(r.counts.messages)
`

// levlRefused is how both checks word the misspelt key after its place:
// validate's (and run's before the script starts) and the function's own
// when it is called.
const levlRefused = "export.run: argument: option levl is not known; did you mean level?"

// TestValidateReportsUnknownOptionKeys: validate names a misspelt key of a
// table constructor passed as a module function's options (file, line,
// column, the function, the key and the nearest known key), without
// touching a database; also a positional value and keys of the script's
// own modules.
func TestValidateReportsUnknownOptionKeys(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "helpers.lua"),
		"local room = require(\"room\")\nlocal M = {}\nfunction M.make(cat)\n  return room.create(\"target\", { name = \"R\", categroy = cat })\nend\nreturn M\n")
	script := filepath.Join(dir, "opt.lua")
	writeFile(t, script, optTypoScript+`local import = require("import")
local helpers = require("helpers")
import.run("target", { "x.zip", on_conflcit = "skip" })
require("verify").run("source", "target", { ["scpoe"] = { "Sales" } })
helpers.make("Sales")
`)
	got := validateFindings(t, dir, script)
	want := []string{
		"opt.lua:2:68: " + levlRefused,
		"opt.lua:6:24: import.run: argument: option #1 is a value without a name; the options are named (file, on_conflict)",
		"opt.lua:6:33: import.run: argument: option on_conflcit is not known; did you mean on_conflict?",
		`opt.lua:7:45: verify.run: argument: option scpoe is not known; did you mean scope?`,
		"helpers.lua:4:46: room.create: argument: option categroy is not known; did you mean category?",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("validate findings mismatch (-want +got):\n%s", diff)
	}
}

// TestRunRefusesUnknownOptionKeys: pcmig run stops on the misspelt key
// before the script starts, in a dry run and a real one: no archive is
// written and the estate (databases included) is unchanged.
func TestRunRefusesUnknownOptionKeys(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "500")
	script := filepath.Join(t.TempDir(), "opt.lua")
	writeFile(t, script, optTypoScript)
	before := hashTree(t, est)
	for _, mode := range [][]string{{"--dry-run"}, {}} {
		args := append(append([]string{"run", "--estate", filepath.Join(est, "estate.lua")}, mode...), script)
		stdout, stderr, code := runCmd(t, args...)
		if code != exitError {
			t.Errorf("run %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", mode, code, exitError, stdout, stderr)
		}
		mustContain(t, "stderr", stderr, "opt.lua:2:68: "+levlRefused)
		// The script prints the message count on a line of its own; the
		// temporary folder's name in the banner may hold the digits too.
		if slices.Contains(strings.Split(stdout, "\n"), "500") {
			t.Errorf("run %v exported:\nstdout:\n%s", mode, stdout)
		}
	}
	unchangedEstate(t, est, before)
}

// TestRunRefusesUnknownOptionKeysAtRuntime: options built where validate
// cannot see their keys (a table made elsewhere, a computed key) are
// checked when the function is called, before it does anything: a typed
// argument error that pcall can catch, naming the function, the key and
// the nearest known key; no archive is written.
func TestRunRefusesUnknownOptionKeysAtRuntime(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "500")
	script := filepath.Join(t.TempDir(), "late.lua")
	writeFile(t, script, `local export = require("export")
local o = { file = "x.zip" }
o["le" .. "vl"] = "Structure"
local ok, err = pcall(export.run, "source", o)
print(ok, type(err), err.kind, err.op, err.message)
export.run("source", o)
`)
	stdout, _ := mustRun(t, 0, "validate", script)
	if !strings.HasSuffix(stdout, ": ok\n") {
		t.Errorf("validate = %q: the keys are not constants, so validate leaves them to the run", stdout)
	}
	before := hashTree(t, est)
	stdout, stderr, code := runCmd(t, "run", "--estate", filepath.Join(est, "estate.lua"), script)
	if code != exitError {
		t.Errorf("run: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "stdout", stdout, "false\tuserdata\targument\texport.run\toption levl is not known; did you mean level?")
	mustContain(t, "stderr", stderr, "late.lua:6: "+levlRefused)
	unchangedEstate(t, est, before)
}

// unchangedEstate fails the test when the estate est differs from before
// (its hashTree before the run; the lock's folder aside) or holds the
// archive x.zip.
func unchangedEstate(t *testing.T, est string, before map[string]string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(est, "x.zip")); err == nil {
		t.Error("an archive was written")
	}
	after := hashTree(t, est, ".pcmig")
	delete(before, ".pcmig/")
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("the run changed the estate (-before +after):\n%s", diff)
	}
}

// validateFindings runs pcmig validate on script, which must fail without
// printing anything, and returns its findings, one a line, with dir left
// out of the paths.
func validateFindings(t *testing.T, dir, script string) []string {
	t.Helper()
	stdout, stderr, code := runCmd(t, "validate", script)
	if code != exitError || stdout != "" {
		t.Errorf("validate: exit %d, stdout %q; want exit %d and nothing printed\nstderr:\n%s", code, stdout, exitError, stderr)
	}
	var got []string
	// Each finding is an error line of its own: "pcmig: FILE:LINE:COL: ...".
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		got = append(got, strings.ReplaceAll(strings.TrimPrefix(line, "pcmig: "), dir+string(filepath.Separator), ""))
	}
	return got
}
