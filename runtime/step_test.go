package runtime

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStepOutput(t *testing.T) {
	tests := []struct {
		name       string
		src        string
		dryRun     bool
		wantErr    string // the run's error, when it fails
		wantStdout string
		want       []StepReport // compared on Index, Name, Status, Planned, Applied
	}{
		{
			name: "declared total, real run",
			src: `steps(2)
local t = require('testmod')
step("export", function() t.write("pool1", 3) end)
step("switch default pool", function() end)
`,
			wantStdout: "== Step 1/2: export ==\n   done in D (1 action applied)\n== Step 2/2: switch default pool ==\n   done in D\n",
			want: []StepReport{
				{Index: 1, Name: "export", Status: StatusDone, Applied: 1},
				{Index: 2, Name: "switch default pool", Status: StatusDone},
			},
		},
		{
			name: "no total, dry run, module form",
			src: `local pcmig = require('pcmig')
local t = require('testmod')
pcmig.step("import", function() t.write("a") t.write("b") end)
`,
			dryRun:     true,
			wantStdout: "== Step 1: import ==\n   done in D (2 actions planned)\n",
			want:       []StepReport{{Index: 1, Name: "import", Status: StatusDone, Planned: 2}},
		},
		{
			name:       "failed step caught by pcall",
			src:        "local ok = pcall(step, 'bad', function() error('no', 0) end)\nassert(not ok)\nstep('good', function() end)\n",
			wantStdout: "== Step 1: bad ==\n   failed after D: migrate.lua:1: no\n== Step 2: good ==\n   done in D\n",
			// The script went on, but the step that failed did not finish:
			// the run is not done.
			wantErr: `migrate.lua:1: no (the script caught this error and went on, but a step that failed did not finish: the run is not done; --resume runs it again)`,
			want: []StepReport{
				{Index: 1, Name: "bad", Status: StatusFailed},
				{Index: 2, Name: "good", Status: StatusDone},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runSource(t, context.Background(), tc.src, "", Options{DryRun: tc.dryRun})
			if got := fmt.Sprint(r.err); r.err != nil && got != tc.wantErr || r.err == nil && tc.wantErr != "" {
				t.Fatalf("Run() error = %v, want %q", r.err, tc.wantErr)
			}
			if want := map[bool]string{true: StatusFailed, false: StatusDone}[tc.wantErr != ""]; r.rep.Status != want {
				t.Errorf("report status %q, want %q", r.rep.Status, want)
			}
			if diff := cmp.Diff(tc.wantStdout, normDurations(r.stdout)); diff != "" {
				t.Errorf("stdout mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.want, stepSummaries(r.rep)); diff != "" {
				t.Errorf("steps mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

var durationRE = regexp.MustCompile(`(in|after) [0-9][0-9.]*(ns|µs|ms|s|m|h)[0-9.hms]*`)

// normDurations replaces the durations in step results with D.
func normDurations(s string) string { return durationRE.ReplaceAllString(s, "$1 D") }

func stepSummaries(rep *Report) []StepReport {
	var out []StepReport
	for _, s := range rep.Steps {
		out = append(out, StepReport{Index: s.Index, Name: s.Name, Status: s.Status, EarlierRun: s.EarlierRun, Planned: s.Planned, Applied: s.Applied})
	}
	return out
}

func TestStepMisuse(t *testing.T) {
	tests := []struct {
		name, src, wantErr string
	}{
		{"duplicate name", "step('a', function() end)\nstep('a', function() end)\n", `migrate.lua:2: argument: step "a": a run cannot have two steps of the same name`},
		{"nested", "step('a', function()\n  step('b', function() end)\nend)\n", `migrate.lua:2: argument: step "b": steps cannot be nested (inside step "a")`},
		{"no function", "step('a')\n", "bad argument #2 to step (function expected"},
		{"bad total", "steps(0)\n", "the number of steps must be positive"},
		// steps(2.5) was 2 (so "Step 3/2"), steps(2^40) headed every step
		// "Step 1/1099511627776".
		{"fraction", "steps(2.5)\n", "the number of steps must be positive: a whole number from 1 to 1000000, not 2.5"},
		{"half", "steps(0.5)\n", "not 0.5"},
		{"huge total", "steps(2^40)\n", "not 1099511627776"},
		{"nan", "steps(0/0)\n", "the number of steps must be positive"},
		// A name is a heading: one of megabytes was printed, journaled (twice
		// over) and reported whole.
		{"huge name", "step(string.rep('x', 20 * 1024 * 1024), function() end)\n", "bad argument #1 to step (a step's name is at most 1024 bytes, and this one has 20971520)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runSource(t, context.Background(), tc.src, "", Options{})
			if r.err == nil || !strings.Contains(r.err.Error(), tc.wantErr) {
				t.Fatalf("Run() error = %v, want one containing %q", r.err, tc.wantErr)
			}
		})
	}
}
