package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pcmig/pcmig/filelock"
	"github.com/pcmig/pcmig/inventory"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/scripts"
)

// migrateSteps are the step names of the bundled migrate.lua, read from
// the script itself.
func migrateSteps(t *testing.T) []string {
	t.Helper()
	src, ok := scripts.Read("migrate")
	if !ok {
		t.Fatal("no bundled migrate script")
	}
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^step\("([^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		names = append(names, m[1])
	}
	// The 7 steps of the documented procedure, in order, with pcmig's own
	// between them, and the reconciliation last.
	documented := []string{"export the source pool", "import into the target pool", "switch the site's default Persistent Chat pool",
		"verify the categories in the target", "move the users to the target pool", "carry the category creators over",
		"prove that rooms can be created"}
	next := 0
	for _, n := range names {
		if next < len(documented) && n == documented[next] {
			next++
		}
	}
	if next != len(documented) || names[len(names)-1] != "reconcile the target with the source" {
		t.Fatalf("migrate.lua has steps %q, want the 7 of the documented procedure in order and the reconciliation last", names)
	}
	return names
}

// planFile is the JSON that --plan writes.
type planFile struct {
	Version        int           `json:"version"`
	DryRun         bool          `json:"dry_run"`
	ChangesPending bool          `json:"changes_pending"`
	Actions        []pcrt.Action `json:"actions"`
}

func readPlan(t *testing.T, path string) planFile {
	t.Helper()
	var p planFile
	decodeJSON(t, readFile(t, path), &p)
	return p
}

func readReport(t *testing.T, path string) pcrt.Report {
	t.Helper()
	var r pcrt.Report
	decodeJSON(t, readFile(t, path), &r)
	return r
}

// checkStepHeaders checks that the output shows every step, in order,
// followed by its outcome ("done in", "skipped"): one for all steps, or
// one per step.
func checkStepHeaders(t *testing.T, stdout string, steps []string, outcomes ...string) {
	t.Helper()
	rest := stdout
	for i, name := range steps {
		outcome := outcomes[0]
		if len(outcomes) > 1 {
			outcome = outcomes[i]
		}
		head := fmt.Sprintf("== Step %d/%d: %s ==\n", i+1, len(steps), name)
		at := strings.Index(rest, head)
		if at < 0 {
			t.Errorf("output lacks %q (in order):\n%s", head, stdout)
			return
		}
		rest = rest[at+len(head):]
		end := strings.Index(rest, "== Step ")
		if end < 0 {
			end = len(rest)
		}
		if !strings.Contains(rest[:end], "   "+outcome) {
			t.Errorf("step %q: output lacks %q:\n%s", name, outcome, rest[:end])
		}
	}
}

func TestRunDryRunThenRun(t *testing.T) {
	t.Parallel()
	steps := migrateSteps(t)
	est := labEstate(t, "--messages", "500")
	estFile := filepath.Join(est, "estate.lua")
	out := t.TempDir() // plans and reports go outside the estate
	srcInv := takeInventory(t, filepath.Join(est, "source-2015.db"))
	topoBefore, usersBefore := string(readFile(t, filepath.Join(est, "topology.xml"))), string(readFile(t, filepath.Join(est, "users.csv")))
	before := hashTree(t, est)

	// The dry run plans all seven steps, exits 2 and changes nothing.
	stdout, _ := mustRun(t, exitPending, "run", "--estate", estFile, "--dry-run", "--plan", filepath.Join(out, "plan.json"))
	checkStepHeaders(t, stdout, steps, "done in")
	if !regexp.MustCompile(`Dry run: \d+ actions pending in \d+ steps; nothing was changed\.`).MatchString(stdout) {
		t.Errorf("dry run output lacks its summary line:\n%s", stdout)
	}
	golden(t, "run-dry-run.golden", []byte(normalize(strings.ReplaceAll(stdout, out, "OUT"), est)))
	if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
		t.Fatalf("run --dry-run changed the estate (-before +after):\n%s", diff)
	}
	plan := readPlan(t, filepath.Join(out, "plan.json"))
	if plan.Version != 1 || !plan.DryRun || !plan.ChangesPending || len(plan.Actions) == 0 {
		t.Fatalf("plan.json: version %d, dry_run %v, changes_pending %v, %d actions; want a dry run with changes",
			plan.Version, plan.DryRun, plan.ChangesPending, len(plan.Actions))
	}
	planned := map[string]bool{}
	for _, a := range plan.Actions {
		if !slices.Contains(steps, a.Step) {
			t.Errorf("plan action %+v belongs to no step of migrate.lua", a)
		}
		planned[a.Step] = true
	}
	// Every step that changes something has actions; verifying and
	// reconciling change nothing.
	for _, s := range steps {
		if want := !strings.HasPrefix(s, "verify") && !strings.HasPrefix(s, "reconcile"); planned[s] != want {
			t.Errorf("step %q has planned actions: %v, want %v", s, planned[s], want)
		}
	}

	// The real run does what the plan said.
	stdout, _ = mustRun(t, 0, "run", "--estate", estFile, "--report", filepath.Join(out, "report.json"))
	checkStepHeaders(t, stdout, steps, "done in")
	rep := readReport(t, filepath.Join(out, "report.json"))
	if rep.DryRun || rep.Status != pcrt.StatusDone || len(rep.Steps) != len(steps) {
		t.Fatalf("report: dry_run %v, status %s, %d steps; want a finished real run of %d steps", rep.DryRun, rep.Status, len(rep.Steps), len(steps))
	}
	var applied []pcrt.Action
	for _, s := range rep.Steps {
		applied = append(applied, s.Actions...)
	}
	if diff := cmp.Diff(plan.Actions, applied); diff != "" {
		t.Errorf("applied actions mismatch with the plan (-planned +applied):\n%s", diff)
	}
	checkMigrated(t, est, srcInv, topoBefore, usersBefore)

	// After a finished run the journal has every step done: a resumed dry
	// run has nothing to do.
	after := hashTree(t, est)
	stdout, _ = mustRun(t, 0, "run", "--estate", estFile, "--dry-run", "--resume", "--plan", filepath.Join(out, "plan2.json"))
	if diff := cmp.Diff(after, hashTree(t, est)); diff != "" {
		t.Errorf("a resumed dry run changed the estate (-before +after):\n%s", diff)
	}
	checkStepHeaders(t, stdout, steps, "skipped (finished in an earlier run)")
	mustContain(t, "resumed dry run", stdout, "Dry run: no changes pending.")
	if p := readPlan(t, filepath.Join(out, "plan2.json")); p.ChangesPending || len(p.Actions) != 0 {
		t.Errorf("plan of a resumed dry run after a finished run: %+v, want nothing pending", p)
	}
	mustRun(t, 0, "run", "--estate", estFile, "--resume")

	// A dry run that starts over plans only what a new run would really
	// do again: a new export and the probe room; the migration itself is
	// done.
	_, _ = mustRun(t, exitPending, "run", "--estate", estFile, "--dry-run", "--plan", filepath.Join(out, "plan3.json"))
	for _, a := range readPlan(t, filepath.Join(out, "plan3.json")).Actions {
		if a.Module != "export" && a.Module != "room" {
			t.Errorf("a dry run after the migration plans %s.%s %s (step %q); want only the export and the probe room", a.Module, a.Op, a.Target, a.Step)
		}
	}
	// The journal records runs (and the ledger the temporary files of
	// their plans); nothing else changed.
	delete(after, ".pcmig/run-journal.json")
	delete(after, ".pcmig/temporaries.jsonl")
	delete(after, ".pcmig/")
	if diff := cmp.Diff(after, hashTree(t, est, ".pcmig")); diff != "" {
		t.Errorf("the runs after a finished run changed the estate (-before +after):\n%s", diff)
	}
}

// checkMigrated checks the outcome of the bundled script on a lab estate.
func checkMigrated(t *testing.T, est string, srcInv inventory.Inventory, topoBefore, usersBefore string) {
	t.Helper()
	// Every category, room and message arrived (creators: step 6 adds the
	// estate's administrator everywhere).
	dst := takeInventory(t, filepath.Join(est, "target-2019.db"))
	opts := cmp.Options{
		cmpopts.IgnoreFields(inventory.Inventory{}, "Database", "PoolID", "Principals", "Warnings"),
		cmpopts.IgnoreFields(inventory.FileLink{}, "ChatID"),
		cmpopts.IgnoreFields(inventory.Category{}, "Creators"),
	}
	if diff := cmp.Diff(srcInv, dst, opts); diff != "" {
		t.Errorf("target inventory mismatch (-source +target):\n%s", diff)
	}
	for _, c := range dst.Categories {
		if c.Creators == 0 {
			t.Errorf("category %q has no creators in the target", c.Name)
		}
	}

	// The topology differs in the one line that carries the default pool.
	topo := string(readFile(t, filepath.Join(est, "topology.xml")))
	oldLines, newLines := strings.Split(topoBefore, "\n"), strings.Split(topo, "\n")
	if len(oldLines) != len(newLines) {
		t.Fatalf("topology.xml has %d lines after the run, %d before", len(newLines), len(oldLines))
	}
	var changed []string
	for i := range oldLines {
		if oldLines[i] != newLines[i] {
			changed = append(changed, newLines[i])
		}
	}
	if len(changed) != 1 || !strings.Contains(changed[0], `DefaultPersistentChatPool="pchat19.contoso.com"`) {
		t.Errorf("topology.xml changed lines %q, want the one default pool line, now pchat19.contoso.com", changed)
	}
	stdout, _ := mustRun(t, 0, "topology", "show", "--file", filepath.Join(est, "topology.xml"))
	mustContain(t, "topology show", stdout, "default Persistent Chat pool pchat19.contoso.com")

	// Every user of the 2015 pool is homed on the 2019 pool; nothing else changed.
	users := string(readFile(t, filepath.Join(est, "users.csv")))
	if strings.Contains(users, "fe15.contoso.com") {
		t.Errorf("users.csv still homes users on fe15.contoso.com:\n%s", users)
	}
	if want := strings.ReplaceAll(usersBefore, `"fe15.contoso.com"`, `"fe19.contoso.com"`); users != want {
		t.Errorf("users.csv mismatch (-want +got):\n%s", cmp.Diff(want, users))
	}
}

func TestRunRefusesWhileAnotherRunHoldsTheLock(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "500")
	state := filepath.Join(est, ".pcmig")
	if err := os.Mkdir(state, 0o755); err != nil {
		t.Fatal(err)
	}
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	// Another run: a record, and the OS lock that makes it current.
	lock, err := json.Marshal(map[string]any{"pid": os.Getpid(), "host": host, "started": time.Now().UTC(), "script": "migrate.lua"})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(state, "run.lock"), string(lock))
	held, _, err := filelock.Acquire(filepath.Join(state, "run.lock"), func([]byte) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	defer held.Abandon()
	before := hashTree(t, est)
	for _, args := range [][]string{{}, {"--resume"}, {"--fresh"}} {
		stdout, stderr, code := runCmd(t, append([]string{"run", "--estate", filepath.Join(est, "estate.lua")}, args...)...)
		if code != exitError {
			t.Errorf("run %v under another run's lock: exit %d, want %d\nstdout:\n%s", args, code, exitError, stdout)
		}
		mustContain(t, "stderr", stderr, "another run holds the lock", filepath.Join(state, "run.lock"), fmt.Sprintf("pid %d on host %s", os.Getpid(), host))
		if strings.Contains(stdout, "== Step") {
			t.Errorf("run %v started steps under another run's lock:\n%s", args, stdout)
		}
	}
	if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
		t.Errorf("refused runs changed the estate (-before +after):\n%s", diff)
	}
	// A dry run takes no lock: it may plan while a run is going on.
	mustRun(t, exitPending, "run", "--estate", filepath.Join(est, "estate.lua"), "--dry-run")
}

func TestRunRefusesABrokenEstate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, content string
		want          []string
	}{
		{"syntax error", "return {\n  name = \"x\",\n  kind = \n}\n", []string{"syntax error"}},
		{"not a table", "return 42\n", []string{"must return a table"}},
		{"missing pools", `return { name = "x", kind = "lab" }`, []string{"no source pool", "target.pool is missing", "target.db is missing"}},
		{"unknown kind", `return { name = "x", kind = "other" }`, []string{`line 1: kind: want "lab" or "real"`}},
		{"runtime error", `error("no estate today")`, []string{"no estate today"}},
		{"sandbox", `os.remove("users.csv") return {}`, []string{"estate.lua:1:", "'remove'"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			est := labEstate(t, "--messages", "500")
			estFile := filepath.Join(est, "estate.lua")
			writeFile(t, estFile, tt.content)
			before := hashTree(t, est)
			for _, mode := range [][]string{{"--dry-run"}, {}} {
				stdout, stderr, code := runCmd(t, append([]string{"run", "--estate", estFile}, mode...)...)
				if code != exitError {
					t.Errorf("run %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", mode, code, exitError, stdout, stderr)
				}
				mustContain(t, "stderr", stderr, append([]string{"estate " + estFile}, tt.want...)...)
				if tt.name == "syntax error" && !regexp.MustCompile(`estate\.lua(:| line:)4\b`).MatchString(stderr) {
					t.Errorf("the syntax error does not name line 4 of estate.lua: %s", stderr)
				}
			}
			if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
				t.Errorf("runs on a broken estate changed files (-before +after):\n%s", diff)
			}
		})
	}
	_, stderr, code := runCmd(t, "run", "--estate", filepath.Join(t.TempDir(), "nosuch.lua"), "--dry-run")
	if code != exitError {
		t.Errorf("run with a missing estate file: exit %d, want %d", code, exitError)
	}
	mustContain(t, "stderr", stderr, "nosuch.lua", "no such file")
}

// TestRunRefusesABadTopologyBeforeWriting: a target pool the topology does
// not have, or a topology that does not parse, stops the bundled script
// before its first write: no archive, no import, nothing in the estate
// changes except the run's own state folder.
func TestRunRefusesABadTopologyBeforeWriting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(t *testing.T, est string)
		want   []string
	}{
		{"target pool missing from the topology", func(t *testing.T, est string) {
			estFile := filepath.Join(est, "estate.lua")
			writeFile(t, estFile, strings.Replace(string(readFile(t, estFile)), `pool = "pchat19.contoso.com"`, `pool = "pchat99.contoso.com"`, 1))
		}, []string{"pchat99.contoso.com", "topology.xml"}},
		{"malformed topology", func(t *testing.T, est string) {
			path := filepath.Join(est, "topology.xml")
			data := readFile(t, path)
			writeFile(t, path, string(data[:len(data)/2]))
		}, []string{"topology.xml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			est := labEstate(t, "--messages", "500")
			tt.change(t, est)
			before := hashTree(t, est, ".pcmig")
			for _, mode := range [][]string{{"--dry-run"}, {}} {
				stdout, stderr, code := runCmd(t, append([]string{"run", "--estate", filepath.Join(est, "estate.lua")}, mode...)...)
				if code != exitError {
					t.Errorf("run %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", mode, code, exitError, stdout, stderr)
				}
				mustContain(t, "stderr", stderr, tt.want...)
				if strings.Contains(stdout, "Step 1/") {
					t.Errorf("run %v started step 1 before checking the topology:\n%s", mode, stdout)
				}
			}
			if diff := cmp.Diff(before, hashTree(t, est, ".pcmig")); diff != "" {
				t.Errorf("a refused run changed the estate (-before +after):\n%s", diff)
			}
		})
	}
}

// TestRunSaysWhereItsOutputsWent: pcmig run names the report and the plan
// it wrote, as export and import name theirs and run names its runbook.
func TestRunSaysWhereItsOutputsWent(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	report, plan := filepath.Join(dir, "run.html"), filepath.Join(dir, "plan.json")
	stdout, _ := mustRun(t, exitPending, "run", "--estate", filepath.Join(dir, "estate.lua"), "--dry-run", "--report", report, "--plan", plan)
	mustContain(t, "run --dry-run", stdout, "Report: "+report+"\n", "Plan: "+plan+"\n")
}
