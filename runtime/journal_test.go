package runtime

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	lua "github.com/yuin/gopher-lua"
)

// flaky is a module whose fail_once raises the first time only, like a
// database that is briefly unavailable; ran counts the calls of count.
type flaky struct {
	mu     sync.Mutex
	failed bool
	ran    map[string]int
}

func (f *flaky) module() Module {
	return Module{Name: "flaky", Loader: func(L *lua.LState) int {
		t := L.NewTable()
		SetFuncs(L, t, "flaky", map[string]lua.LGFunction{
			"fail_once": func(L *lua.LState) int {
				f.mu.Lock()
				defer f.mu.Unlock()
				if !f.failed {
					f.failed = true
					RaiseError(L, KindDatabase, "connection reset")
				}
				return 0
			},
			"count": func(L *lua.LState) int {
				f.mu.Lock()
				defer f.mu.Unlock()
				f.ran[L.CheckString(1)]++
				return 0
			},
		})
		L.Push(t)
		return 1
	}}
}

const resumeScript = `local f = require('flaky')
steps(3)
step("export", function() f.count("export") end)
step("import", function() f.count("import") f.fail_once() end)
step("verify", function() f.count("verify") end)
`

func TestJournalAndResume(t *testing.T) {
	dir := t.TempDir()
	journalPath := filepath.Join(dir, "journal.json")
	fl := &flaky{ran: map[string]int{}}
	type run struct {
		name       string
		opts       Options
		wantErr    string // substring; "" for success
		wantIs     error
		wantSteps  []StepReport
		wantStdout string
		wantRan    map[string]int // cumulative
		wantJourn  journalData    // compared on Completed, Current, step names
	}
	runs := []run{
		{
			name:       "first run fails in step 2",
			wantErr:    "migrate.lua:4: flaky.fail_once: database: connection reset",
			wantSteps:  []StepReport{{Index: 1, Name: "export", Status: StatusDone}, {Index: 2, Name: "import", Status: StatusFailed}},
			wantStdout: "== Step 1/3: export ==\n   done in D\n== Step 2/3: import ==\n   failed after D: migrate.lua:4: flaky.fail_once: database: connection reset\n",
			wantRan:    map[string]int{"export": 1, "import": 1},
			wantJourn:  journalData{Current: "import", Steps: []journalStep{{Name: "export"}}},
		},
		{
			name:      "second run without resume is refused",
			wantErr:   "stopped after 1 finished step, in step \"import\" (migrate.lua:4: flaky.fail_once: database: connection reset); use --resume to continue it, or --fresh to start over",
			wantIs:    ErrUnfinishedRun,
			wantRan:   map[string]int{"export": 1, "import": 1},
			wantJourn: journalData{Current: "import", Steps: []journalStep{{Name: "export"}}},
		},
		{
			name:       "resume skips the finished step",
			opts:       Options{Resume: true},
			wantSteps:  []StepReport{{Index: 1, Name: "export", Status: StatusDone, EarlierRun: true}, {Index: 2, Name: "import", Status: StatusDone}, {Index: 3, Name: "verify", Status: StatusDone}},
			wantStdout: "== Step 1/3: export ==\n   skipped (finished in an earlier run)\n== Step 2/3: import ==\n   done in D\n== Step 3/3: verify ==\n   done in D\n",
			wantRan:    map[string]int{"export": 1, "import": 2, "verify": 1},
			wantJourn:  journalData{Completed: true, Steps: []journalStep{{Name: "export"}, {Name: "import"}, {Name: "verify"}}},
		},
		{
			name: "resuming a finished run runs nothing",
			opts: Options{Resume: true},
			wantSteps: []StepReport{{Index: 1, Name: "export", Status: StatusDone, EarlierRun: true}, {Index: 2, Name: "import", Status: StatusDone, EarlierRun: true},
				{Index: 3, Name: "verify", Status: StatusDone, EarlierRun: true}},
			wantStdout: "== Step 1/3: export ==\n   skipped (finished in an earlier run)\n== Step 2/3: import ==\n   skipped (finished in an earlier run)\n== Step 3/3: verify ==\n   skipped (finished in an earlier run)\n",
			wantRan:    map[string]int{"export": 1, "import": 2, "verify": 1},
			wantJourn:  journalData{Completed: true, Steps: []journalStep{{Name: "export"}, {Name: "import"}, {Name: "verify"}}},
		},
		{
			name:       "a new run after a finished one starts over",
			wantSteps:  []StepReport{{Index: 1, Name: "export", Status: StatusDone}, {Index: 2, Name: "import", Status: StatusDone}, {Index: 3, Name: "verify", Status: StatusDone}},
			wantStdout: "== Step 1/3: export ==\n   done in D\n== Step 2/3: import ==\n   done in D\n== Step 3/3: verify ==\n   done in D\n",
			wantRan:    map[string]int{"export": 2, "import": 3, "verify": 2},
			wantJourn:  journalData{Completed: true, Steps: []journalStep{{Name: "export"}, {Name: "import"}, {Name: "verify"}}},
		},
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			opts := r.opts
			opts.Journal = journalPath
			opts.Modules = []Module{fl.module()}
			res := runSource(t, context.Background(), resumeScript, "", opts)
			switch {
			case r.wantErr == "" && res.err != nil:
				t.Fatalf("Run() error = %v", res.err)
			case r.wantErr != "" && (res.err == nil || !strings.Contains(res.err.Error(), r.wantErr)):
				t.Fatalf("Run() error = %v, want one containing %q", res.err, r.wantErr)
			case r.wantIs != nil && !errors.Is(res.err, r.wantIs):
				t.Errorf("errors.Is(%v, %v) = false", res.err, r.wantIs)
			}
			if diff := cmp.Diff(r.wantSteps, stepSummaries(res.rep)); diff != "" {
				t.Errorf("steps mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(r.wantStdout, normDurations(res.stdout)); diff != "" {
				t.Errorf("stdout mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(r.wantRan, fl.ran); diff != "" {
				t.Errorf("step bodies run mismatch (-want +got):\n%s", diff)
			}
			got, err := readJournal(journalPath)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(r.wantJourn, journalSummary(got)); diff != "" {
				t.Errorf("journal mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func journalSummary(d journalData) journalData {
	out := journalData{Completed: d.Completed, Current: d.Current}
	for _, s := range d.Steps {
		out.Steps = append(out.Steps, journalStep{Name: s.Name})
	}
	return out
}

func TestJournalFresh(t *testing.T) {
	journalPath := filepath.Join(t.TempDir(), "journal.json")
	fl := &flaky{ran: map[string]int{}}
	opts := Options{Journal: journalPath, Modules: []Module{fl.module()}}
	if r := runSource(t, context.Background(), resumeScript, "", opts); r.err == nil {
		t.Fatal("first run succeeded, want it to fail in step 2")
	}
	opts.Fresh = true
	r := runSource(t, context.Background(), resumeScript, "", opts)
	if r.err != nil {
		t.Fatal(r.err)
	}
	want := map[string]int{"export": 2, "import": 2, "verify": 1}
	if diff := cmp.Diff(want, fl.ran); diff != "" {
		t.Errorf("step bodies run mismatch (-want +got):\n%s", diff)
	}
}

func TestJournalOfAnotherScript(t *testing.T) {
	journalPath := filepath.Join(t.TempDir(), "journal.json")
	other := `{"version": 1, "script": "other.lua", "fingerprint": "x", "completed": false, "finished_steps": []}`
	if err := os.WriteFile(journalPath, seal([]byte(other)), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runSource(t, context.Background(), "step('a', function() end)", "", Options{Journal: journalPath, Resume: true})
	want := "journal " + journalPath + " belongs to script other.lua, not migrate.lua"
	if r.err == nil || !strings.Contains(r.err.Error(), want) {
		t.Fatalf("Run() error = %v, want one containing %q", r.err, want)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	tests := []struct {
		name      string
		journal   string // initial journal content; "" for none
		resume    bool
		wantSteps []StepReport
		wantWarn  string
	}{
		{
			name:      "no journal",
			wantSteps: []StepReport{{Index: 1, Name: "export", Status: StatusDone, Planned: 1}, {Index: 2, Name: "import", Status: StatusDone, Planned: 1}},
		},
		{
			name:      "unfinished journal without resume plans every step",
			journal:   `{"version": 1, "script": "migrate.lua", "fingerprint": "x", "completed": false, "finished_steps": [{"name": "export"}]}`,
			wantSteps: []StepReport{{Index: 1, Name: "export", Status: StatusDone, Planned: 1}, {Index: 2, Name: "import", Status: StatusDone, Planned: 1}},
			wantWarn:  "WARN journal",
		},
		{
			name:      "unfinished journal with resume plans the rest",
			journal:   `{"version": 1, "script": "migrate.lua", "fingerprint": "x", "completed": false, "finished_steps": [{"name": "export"}]}`,
			resume:    true,
			wantSteps: []StepReport{{Index: 1, Name: "export", Status: StatusSkipped}, {Index: 2, Name: "import", Status: StatusDone, Planned: 1}},
			wantWarn:  "WARN migrate.lua has changed since the journal was written",
		},
	}
	src := "local t = require('testmod')\nstep('export', function() t.write('x') end)\nstep('import', function() t.write('y') end)\n"
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			journalPath := filepath.Join(dir, "journal.json")
			if tc.journal != "" {
				if err := os.WriteFile(journalPath, seal([]byte(tc.journal)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			before := dirContents(t, dir)
			r := runSource(t, context.Background(), src, "", Options{
				DryRun: true, Resume: tc.resume, Journal: journalPath, LockFile: filepath.Join(dir, "run.lock"),
			})
			if r.err != nil {
				t.Fatal(r.err)
			}
			if diff := cmp.Diff(before, dirContents(t, dir)); diff != "" {
				t.Errorf("dry run changed the folder (-before +after):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantSteps, stepSummaries(r.rep)); diff != "" {
				t.Errorf("steps mismatch (-want +got):\n%s", diff)
			}
			if !strings.Contains(r.stderr, tc.wantWarn) {
				t.Errorf("stderr = %q, want it to contain %q", r.stderr, tc.wantWarn)
			}
			if !r.rep.ChangesPending || ExitCode(r.rep, r.err) != ExitChangesPending {
				t.Errorf("changes pending, exit code = %v, %d; want true, %d", r.rep.ChangesPending, ExitCode(r.rep, r.err), ExitChangesPending)
			}
		})
	}
}

func dirContents(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	return out
}

// TestNoJournalBeforeTheScriptRuns checks that a run refused or stopped
// before the script starts leaves no journal behind, so the next run needs
// neither --resume nor --fresh.
func TestNoJournalBeforeTheScriptRuns(t *testing.T) {
	tests := []struct {
		name string
		src  string
		opts Options
	}{
		{name: "syntax error", src: "step('a', function()\n"},
		{name: "bad module", src: "print(1)", opts: Options{Modules: []Module{{Name: "nameless"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.opts.Journal = filepath.Join(dir, "journal.json")
			if r := runSource(t, context.Background(), tc.src, "", tc.opts); r.err == nil {
				t.Fatal("Run() succeeded, want an error")
			}
			if diff := cmp.Diff(map[string]string{}, dirContents(t, dir)); diff != "" {
				t.Errorf("files left (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDamagedJournalQuotesNothing: a run journal that is not the JSON pcmig
// writes is refused saying where and what was expected, never with its
// bytes or values (encoding/json quotes them). The journals are sealed
// (a damaged one is refused by its checksum first, see
// TestJournalChecksum), so that the JSON is what is looked at.
func TestDamagedJournalQuotesNothing(t *testing.T) {
	tests := []struct{ content, want string }{
		{"{\"version\": 1,\x00\n}", "line 1, column 100: expected a quoted key"},
		{"{\"version\": 1,\n \"started\": \"hunter2\"}", "line 2, column 13: started: expected a time in RFC 3339 form"},
		{"{\"version\": 99999999999999999999}", "line 1: version: expected a whole number"},
	}
	for _, tt := range tests {
		journalPath := filepath.Join(t.TempDir(), "journal.json")
		if err := os.WriteFile(journalPath, seal([]byte(tt.content)), 0o644); err != nil {
			t.Fatal(err)
		}
		r := runSource(t, context.Background(), "step('a', function() end)", "", Options{Journal: journalPath, Resume: true})
		if r.err == nil || !strings.Contains(r.err.Error(), tt.want) || !strings.Contains(r.err.Error(), "--fresh") {
			t.Errorf("Run() with journal %q: error = %v, want one containing %q and --fresh", tt.content, r.err, tt.want)
		}
		// The journal's temporary path, which the error names, may hold
		// the digits by chance.
		if msg := strings.ReplaceAll(fmt.Sprint(r.err), journalPath, "JOURNAL"); r.err != nil && (strings.Contains(msg, "hunter2") || strings.Contains(msg, "99999") || strings.Contains(msg, `\x00`)) {
			t.Errorf("Run() error quotes the journal: %v", r.err)
		}
	}
}

// TestJournalNotWrittenBeforeFirstStep: a run that stops before its first
// step (a database locked by another process, a failed pre-flight) did
// nothing to resume: it writes no journal, removes the state folder it
// made for its lock, and leaves an earlier run's journal as it was.
func TestJournalNotWrittenBeforeFirstStep(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	journalPath := filepath.Join(state, "journal.json")
	fl := &flaky{ran: map[string]int{}}
	opts := Options{Journal: journalPath, LockFile: filepath.Join(state, "run.lock"), Modules: []Module{fl.module()}}
	early := "local f = require('flaky')\nf.fail_once()\n" + resumeScript
	if r := runSource(t, context.Background(), early, "", opts); r.err == nil {
		t.Fatal("the run succeeded, want it to fail before its first step")
	}
	if _, err := os.Stat(state); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a run that failed before its first step left its state folder (%v)", err)
	}
	// An earlier run's journal stays as it was, whatever this run was told.
	fl.failed = false
	if r := runSource(t, context.Background(), resumeScript, "", opts); r.err == nil {
		t.Fatal("the run succeeded, want it to fail in step 2")
	}
	before, err := os.ReadFile(journalPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []Options{{Resume: true}, {Fresh: true}} {
		fl.failed = false
		o.Journal, o.LockFile, o.Modules = opts.Journal, opts.LockFile, opts.Modules
		if r := runSource(t, context.Background(), early, "", o); r.err == nil {
			t.Fatal("the run succeeded, want it to fail before its first step")
		}
		after, err := os.ReadFile(journalPath)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(before, after) {
			t.Errorf("resume %v, fresh %v: a run that failed before its first step changed the journal:\n%s\nnow:\n%s", o.Resume, o.Fresh, before, after)
		}
	}
}

// TestJournalSubject: a resumed run goes on only on what the journal's run
// worked on (Options.Subject). A fact not known now is not compared, and
// is kept in the journal for the next resume; a journal without a subject
// (an older pcmig's) is resumed with a warning.
func TestJournalSubject(t *testing.T) {
	journalPath := filepath.Join(t.TempDir(), "journal.json")
	fl := &flaky{ran: map[string]int{}}
	subject := []Fact{{"kind", "lab"}, {"target database", "sqlite:t.db"}, {"target pool ID", "id-1"}}
	opts := Options{Journal: journalPath, Modules: []Module{fl.module()}, Subject: subject}
	if r := runSource(t, context.Background(), resumeScript, "", opts); r.err == nil {
		t.Fatal("first run succeeded, want it to fail in step 2")
	}
	for _, tc := range []struct {
		name    string
		subject []Fact
		want    string
	}{
		{"changed", []Fact{{"kind", "lab"}, {"target database", "sqlite:empty.db"}, {"target pool ID", "id-1"}},
			"target database: was sqlite:t.db, now sqlite:empty.db"},
		{"added", append(slices.Clone(subject), Fact{"target file store", "fs"}), "target file store: was not given, now fs"},
		{"gone", subject[:2], "target pool ID: was id-1, now not in the estate"},
	} {
		o := opts
		o.Resume, o.Subject = true, tc.subject
		r := runSource(t, context.Background(), resumeScript, "", o)
		if !errors.Is(r.err, ErrEstateChanged) || !strings.Contains(r.err.Error(), tc.want) || !strings.Contains(r.err.Error(), "--fresh") {
			t.Errorf("%s: Run() = %v, want ErrEstateChanged naming %q", tc.name, r.err, tc.want)
		}
		if r.stdout != "" {
			t.Errorf("%s: the refused resume ran steps:\n%s", tc.name, r.stdout)
		}
	}
	// The pool ID is not known now: not compared, and kept.
	o := opts
	o.Resume, o.Subject = true, []Fact{{"kind", "lab"}, {"target database", "sqlite:t.db"}, {"target pool ID", ""}}
	if r := runSource(t, context.Background(), resumeScript, "", o); r.err != nil {
		t.Fatalf("resume with an unknown pool ID: %v", r.err)
	}
	d, err := readJournal(journalPath)
	if err != nil {
		t.Fatal(err)
	}
	if d.Subject["target pool ID"] != "id-1" {
		t.Errorf("the journal's subject lost the pool ID not known now: %v", d.Subject)
	}
	// Not known then (the first run could not open the database), known
	// now: not compared either.
	if err := os.WriteFile(journalPath, seal([]byte(`{"version": 1, "script": "migrate.lua", "fingerprint": "x", "completed": false,
	  "subject": {"kind": "lab", "target database": "sqlite:t.db", "target pool ID": ""}, "finished_steps": [{"name": "export"}]}`)), 0o644); err != nil {
		t.Fatal(err)
	}
	o.Subject = subject
	if r := runSource(t, context.Background(), resumeScript, "", o); r.err != nil {
		t.Fatalf("resume with a pool ID not known then: %v", r.err)
	}
	// An older pcmig's journal, without a subject: resumed, with a warning.
	if err := os.WriteFile(journalPath, seal([]byte(`{"version": 1, "script": "migrate.lua", "fingerprint": "x", "completed": false, "finished_steps": [{"name": "export"}]}`)), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runSource(t, context.Background(), resumeScript, "", Options{Journal: journalPath, Modules: opts.Modules, Subject: subject, Resume: true})
	if r.err != nil {
		t.Fatalf("resume of a journal without a subject: %v", r.err)
	}
	if !strings.Contains(r.stderr, "does not record what its run worked on") {
		t.Errorf("no warning about the journal without a subject:\n%s", r.stderr)
	}
}

// TestResumeFindsAStepWhoseNameHoldsASecret: every journal write masks the
// run's secrets, so a step named with one ("export Zq9SecretPW", from a
// script value that is the password) was journaled as "export xxxxx",
// never matched the live name, and ran again on every resume.
func TestResumeFindsAStepWhoseNameHoldsASecret(t *testing.T) {
	journalPath := filepath.Join(t.TempDir(), "journal.json")
	fl := &flaky{ran: map[string]int{}}
	scrub := func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("Zq9SecretPW"), []byte("xxxxx")) }
	src := `local f = require('flaky')
local note = "Zq9SecretPW"
steps(2)
step("export " .. note, function() f.count("export") end)
step("import", function() f.count("import") f.fail_once() end)
`
	for _, resume := range []bool{false, true} {
		res := runSource(t, context.Background(), src, "", Options{Journal: journalPath, Modules: []Module{fl.module()}, Resume: resume, Scrub: scrub})
		if resume && res.err != nil {
			t.Fatalf("resumed run: %v", res.err)
		}
	}
	if diff := cmp.Diff(map[string]int{"export": 1, "import": 2}, fl.ran); diff != "" {
		t.Errorf("step bodies run (-want +got):\n%s", diff)
	}
	if b, err := os.ReadFile(journalPath); err != nil || bytes.Contains(b, []byte("Zq9SecretPW")) {
		t.Errorf("the journal (%v) holds the secret", err)
	}
}

// TestJournalChecksum: a journal a run wrote and then changed (one value
// edited, the checksum left out, a byte lost) is refused on --resume,
// without its content; as written, it resumes.
func TestJournalChecksum(t *testing.T) {
	journalPath := filepath.Join(t.TempDir(), "journal.json")
	fl := &flaky{ran: map[string]int{}}
	src := "local f = require('flaky')\nstep('export', function() f.count('export') end)\nstep('import', function() f.fail_once() end)\n"
	runSource(t, context.Background(), src, "", Options{Journal: journalPath, Modules: []Module{fl.module()}})
	good, err := os.ReadFile(journalPath)
	if err != nil {
		t.Fatal(err)
	}
	if !sealPrefix.Match(good) {
		t.Fatalf("the journal is not sealed:\n%s", good)
	}
	body := string(good[sealPrefix.FindIndex(good)[1]:])
	for _, tc := range []struct{ name, content, want string }{
		{"edited", strings.Replace(string(good), `"name":"export"`, `"name":"exporT"`, 1), "is damaged or was edited"},
		{"no checksum", "{" + body, "has no checksum"},
		{"a byte lost", string(good[:len(good)-3]) + "\n", "is damaged or was edited"},
	} {
		if tc.content == string(good) {
			t.Fatalf("%s: nothing changed", tc.name)
		}
		if err := os.WriteFile(journalPath, []byte(tc.content), 0o644); err != nil {
			t.Fatal(err)
		}
		r := runSource(t, context.Background(), src, "", Options{Journal: journalPath, Modules: []Module{fl.module()}, Resume: true})
		if r.err == nil || !strings.Contains(r.err.Error(), tc.want) || !strings.Contains(r.err.Error(), "--fresh") || strings.Contains(r.err.Error(), "exporT") {
			t.Errorf("%s: Run() error = %v, want one containing %q and --fresh, quoting nothing", tc.name, r.err, tc.want)
		}
	}
	if err := os.WriteFile(journalPath, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runSource(t, context.Background(), src, "", Options{Journal: journalPath, Modules: []Module{fl.module()}, Resume: true}); r.err != nil {
		t.Fatalf("resume of the journal as written: %v", r.err)
	}
}
