package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// slowMatch backtracks for hours: no Lua instruction runs while it does.
const slowMatch = `string.find(("a"):rep(40), ("a*"):rep(40) .. "b")`

// TestRunUsageMistakes checks that mistakes in the options of run and
// validate exit 64 naming the mistake, before anything runs.
func TestRunUsageMistakes(t *testing.T) {
	t.Parallel()
	est := filepath.Join(labEstate(t, "--messages", "500"), "estate.lua")
	script := filepath.Join(t.TempDir(), "ran.lua")
	writeFile(t, script, `print("the script ran")`)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"run", script, "--estate", est, "--timeout", "-5s"}, "--timeout -5s is negative"},
		{[]string{"run", script, "--estate", est, "--timeout", "soon"}, `invalid value "soon" for flag -timeout`},
		{[]string{"run", script, "--estate", est, "--resume", "--fresh"}, "--resume and --fresh contradict each other"},
		{[]string{"run", script, "--estate", est, "--memory-limit", "lots"}, `--memory-limit: invalid size "lots"`},
		{[]string{"run", script, "--estate", est, "--memory-limit", "1MiB"}, "--memory-limit 1MiB is below the least pcmig needs, 64 MiB"},
		{[]string{"run", script, "--estate", est, "--log-level", "loud"}, `--log-level: unknown log level "loud"`},
		{[]string{"run", script, "--estate", ""}, "run needs an estate file"},
		{[]string{"run", script, "other.lua", "--estate", est}, `run takes at most one argument ([SCRIPT]), got 2: "other.lua" is one too many`},
		{[]string{"run", script, "--estate"}, "option --estate needs a value"},
		{[]string{"run", script, "--estate", est, "--nosuch"}, "flag provided but not defined: -nosuch"},
		{[]string{"validate"}, "validate takes one script"},
		{[]string{"validate", script, script}, "validate takes one argument (SCRIPT), got 2"},
		{[]string{"validate", script, "--nosuch"}, "flag provided but not defined: -nosuch"},
	}
	for _, tc := range tests {
		stdout, stderr, code := runCmd(t, tc.args...)
		if code != exitUsage {
			t.Errorf("pcmig %s: exit %d, want %d\nstderr: %s", strings.Join(tc.args, " "), code, exitUsage, stderr)
		}
		if !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("pcmig %s: stderr %q, want one line containing %q", strings.Join(tc.args, " "), stderr, tc.want)
		}
		if strings.Contains(stdout, "the script ran") {
			t.Errorf("pcmig %s ran the script", strings.Join(tc.args, " "))
		}
	}
}

// TestRunMemoryLimitMistakes gives --memory-limit values that are no
// size: each exits 64 with one line that names the problem and says what
// is accepted. NaN was taken as a number and reported as "below the least
// pcmig needs"; infinity and negative sizes got no word on what was wrong.
func TestRunMemoryLimitMistakes(t *testing.T) {
	t.Parallel()
	est := filepath.Join(labEstate(t, "--messages", "50"), "estate.lua")
	script := filepath.Join(t.TempDir(), "ran.lua")
	writeFile(t, script, `print("the script ran")`)
	const accepted = "give a number of bytes, or a number with a unit (B, KiB, MiB, GiB or TiB), such as 512MiB or 2GiB, at least 64 MiB"
	for _, tc := range []struct{ value, want string }{
		{"nan", `--memory-limit: invalid size "nan": not a number`},
		{"NaN", `--memory-limit: invalid size "NaN": not a number`},
		{"-NaN", `--memory-limit: invalid size "-NaN": not a number`},
		{"inf", `--memory-limit: invalid size "inf": a size must be finite`},
		{"+Infinity", `--memory-limit: invalid size "+Infinity": a size must be finite`},
		{"-inf", `--memory-limit: invalid size "-inf": a size cannot be negative`},
		{"-1", `--memory-limit: invalid size "-1": a size cannot be negative`},
		{"-5MiB", `--memory-limit: invalid size "-5MiB": a size cannot be negative`},
		{"lots", `--memory-limit: invalid size "lots": not a size`},
		{"0x100000000", `--memory-limit: invalid size "0x100000000": not a size`},
		{"1e10", `--memory-limit: invalid size "1e10": not a size`},
		{"5 parsecs", `--memory-limit: invalid size "5 parsecs": not a size`},
		{"9999999TiB", `--memory-limit: invalid size "9999999TiB": more than pcmig can count`},
	} {
		args := []string{"run", script, "--estate", est, "--memory-limit", tc.value}
		stdout, stderr, code := runCmd(t, args...)
		if code != exitUsage {
			t.Errorf("--memory-limit %s: exit %d, want %d\nstderr: %s", tc.value, code, exitUsage, stderr)
		}
		if !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, accepted) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("--memory-limit %s: stderr %q, want one line containing %q and %q", tc.value, stderr, tc.want, accepted)
		}
		if !strings.Contains(stderr, "without --memory-limit the limit is a quarter of the machine's memory") {
			t.Errorf("--memory-limit %s: stderr %q does not say what leaving it out does", tc.value, stderr)
		}
		if strings.Contains(stdout, "the script ran") {
			t.Errorf("--memory-limit %s ran the script", tc.value)
		}
	}
}

// TestRunLimits runs hostile scripts through pcmig run: the memory limit,
// the time limit and Ctrl-C (a cancelled context, as signal.NotifyContext
// gives) each end the run with a clear error within seconds.
func TestRunLimits(t *testing.T) {
	t.Parallel()
	est := filepath.Join(labEstate(t, "--messages", "500"), "estate.lua")
	dir := t.TempDir()
	tests := []struct {
		name, src string
		args      []string
		cancel    time.Duration
		want      string
	}{
		{name: "memory", src: "local s = (\"x\"):rep(16)\nfor i = 1, 40 do s = s .. s end\n",
			args: []string{"--memory-limit", "96MiB"}, want: "memory limit of 96 MiB exceeded"},
		{name: "table growth", src: "local t, i = {}, 0\nwhile true do i = i + 1; t[i] = {i} end\n",
			args: []string{"--memory-limit", "96MiB"}, want: "memory limit of 96 MiB exceeded"},
		{name: "timeout", src: slowMatch, args: []string{"--timeout", "1s"}, want: "time limit of 1s exceeded"},
		{name: "ctrl-c", src: slowMatch, cancel: time.Second, want: "run cancelled"},
	}
	for _, tc := range tests {
		script := filepath.Join(dir, tc.name+".lua")
		writeFile(t, script, tc.src)
		ctx, cancel := context.WithCancel(context.Background())
		if tc.cancel > 0 {
			time.AfterFunc(tc.cancel, cancel)
		}
		var stdout, stderr bytes.Buffer
		start := time.Now()
		code := runApp(ctx, append([]string{"run", script, "--estate", est, "--fresh"}, tc.args...), env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }})
		took := time.Since(start)
		cancel()
		if code != exitError || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and %q", tc.name, code, stderr.String(), exitError, tc.want)
		}
		if took > 30*time.Second {
			t.Errorf("%s: the run took %s to end", tc.name, took)
		}
	}
}

// TestRunResumesAfterTimeout stops a run with --timeout in the middle of a
// step that writes (the script is stuck in a slow pattern match after its
// third category), then resumes it: every category is created exactly
// once, because each write is a transaction and the journal marks the
// step unfinished.
func TestRunResumesAfterTimeout(t *testing.T) {
	t.Parallel()
	est := filepath.Join(labEstate(t, "--messages", "500"), "estate.lua")
	script := filepath.Join(t.TempDir(), "categories.lua")
	writeFile(t, script, `local category = require("category")
step("create categories", function()
  local created = 0
  for i = 1, 5 do
    local name = "Resume test " .. i
    if not category.get("target", name) then
      category.create("target", { name = name })
      created = created + 1
    end
    if i == 3 and created == 3 then
      `+slowMatch+` -- the first run is stopped here
    end
  end
end)
local n = 0
for _, c in ipairs(category.list("target")) do
  if c.name:find("^Resume test") then n = n + 1 end
end
print("categories: " .. n)
`)
	start := time.Now()
	_, stderr, code := runCmd(t, "run", script, "--estate", est, "--timeout", "2s")
	if code != exitError || !strings.Contains(stderr, "time limit of 2s exceeded") {
		t.Fatalf("first run: exit %d, stderr %q; want the time limit", code, stderr)
	}
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("first run took %s to stop", took)
	}
	stdout, _ := mustRun(t, 0, "run", script, "--estate", est, "--resume")
	mustContain(t, "resumed run", stdout, "categories: 5\n")
}
