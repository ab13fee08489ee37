package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/scripts"
)

func TestScriptsListAndShow(t *testing.T) {
	t.Parallel()
	stdout, _ := mustRun(t, 0, "scripts", "list")
	if want := strings.Join(append(scripts.Names(), scripts.Modules()...), "\n") + "\n"; stdout != want || !strings.Contains(stdout, "common/imported.lua\n") {
		t.Errorf("scripts list = %q, want %q", stdout, want)
	}
	for _, name := range []string{"migrate", "migrate.lua", "multipool", "common/imported", "common/imported.lua"} {
		stdout, _ := mustRun(t, 0, "scripts", "show", name)
		want, _ := scripts.Read(name)
		if stdout != string(want) {
			t.Errorf("scripts show %s mismatch (-bundled +shown):\n%s", name, cmp.Diff(string(want), stdout))
		}
	}
	stdout, stderr, code := runCmd(t, "scripts", "show", "nosuch")
	if code != exitError || stdout != "" {
		t.Errorf("scripts show nosuch: exit %d, stdout %q; want exit %d and nothing printed", code, stdout, exitError)
	}
	mustContain(t, "stderr", stderr, `no bundled script "nosuch"`, "migrate.lua")

	// The documented way to start an own script: copy the bundled one and validate it.
	mine := filepath.Join(t.TempDir(), "my-migration.lua")
	src, _ := mustRun(t, 0, "scripts", "show", "migrate")
	writeFile(t, mine, src)
	stdout, _ = mustRun(t, 0, "validate", mine)
	if want := mine + ": ok\n"; stdout != want {
		t.Errorf("validate copy = %q, want %q", stdout, want)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		writeFile(t, p, src)
		return p
	}
	good := write("good.lua", "local log = require(\"log\")\nsteps(1)\nstep(\"one\", function() log.info(\"hi\") end)\n")
	for _, script := range []string{"migrate", "multipool", good} {
		stdout, _ := mustRun(t, 0, "validate", script)
		if !strings.HasSuffix(stdout, ": ok\n") {
			t.Errorf("validate %s = %q, want ok", script, stdout)
		}
	}
	tests := []struct {
		name, src string
		want      []string
	}{
		{"syntax.lua", "steps(1)\nstep(\"one\", function()\n  local x =\nend)\n", []string{"syntax.lua:4:", "syntax error"}},
		{"require.lua", "steps(1)\n\nlocal m = require(\"nosuch\")\n", []string{"require.lua:3:", `module "nosuch" not found`}},
	}
	for _, tt := range tests {
		path := write(tt.name, tt.src)
		stdout, stderr, code := runCmd(t, "validate", path)
		if code != exitError || stdout != "" {
			t.Errorf("validate %s: exit %d, stdout %q; want exit %d and nothing printed", tt.name, code, stdout, exitError)
		}
		mustContain(t, "validate "+tt.name, stderr, tt.want...)
	}
	_, stderr, code := runCmd(t, "validate", filepath.Join(dir, "nosuch.lua"))
	if code != exitError {
		t.Errorf("validate of a missing file: exit %d, want %d", code, exitError)
	}
	mustContain(t, "stderr", stderr, "nosuch.lua: no such file")
}

// TestBrokenScriptsChangeNothing runs broken scripts against a lab estate:
// each fails with file and line (and the step), and leaves the estate's
// files as they were; only the run journal records where it stopped.
func TestBrokenScriptsChangeNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		args      []string
		want      []string
		journal   bool // the run started: the journal records it
	}{
		{
			name: "syntax.lua",
			src:  "steps(1)\nstep(\"one\", function()\n  local x =\nend)\n",
			want: []string{"syntax.lua:4:", "syntax error"},
		},
		{
			name: "runtime.lua",
			src: "local category = require(\"category\")\nsteps(2)\n" +
				"step(\"look around\", function()\n  print(#category.list(\"source\") .. \" categories\")\nend)\n" +
				"step(\"blow up\", function()\n  error(\"boom\")\nend)\n",
			want:    []string{`step 2/2 "blow up" failed`, "runtime.lua:7: boom"},
			journal: true,
		},
		{
			name:    "loop.lua",
			src:     "steps(1)\nstep(\"spin\", function()\n  while true do end\nend)\n",
			args:    []string{"--timeout", "1s"},
			want:    []string{`step 1/1 "spin" failed`, "loop.lua:3:", "time limit of 1s exceeded"},
			journal: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			est := labEstate(t, "--messages", "500")
			script := filepath.Join(t.TempDir(), tt.name)
			writeFile(t, script, tt.src)
			before := hashTree(t, est)
			for _, mode := range [][]string{{"--dry-run"}, {}} {
				args := append(append(append([]string{"run", "--estate", filepath.Join(est, "estate.lua")}, mode...), tt.args...), script)
				start := time.Now()
				stdout, stderr, code := runCmd(t, args...)
				if code != exitError {
					t.Errorf("run %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", mode, code, exitError, stdout, stderr)
				}
				mustContain(t, "stderr", stderr, tt.want...)
				if took := time.Since(start); took > 10*time.Second {
					t.Errorf("run %v took %s", mode, took)
				}
			}
			after := hashTree(t, est, ".pcmig")
			delete(before, ".pcmig/")
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("a broken script changed the estate (-before +after):\n%s", diff)
			}
			journal := hashTree(t, est)[".pcmig/run-journal.json"] != ""
			if journal != tt.journal {
				t.Errorf("journal written: %v, want %v", journal, tt.journal)
			}
			if _, ok := hashTree(t, est)[".pcmig/run.lock"]; ok {
				t.Error("the lock was left behind")
			}
		})
	}
}
