package bindings_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/bindings"
	"github.com/pcmig/pcmig/directory"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/scripts"
	"github.com/pcmig/pcmig/topology"
)

// run runs a bundled script with the modules of env and returns the report
// and the standard output.
func run(t *testing.T, env *bindings.Env, name string, dryRun bool) (*pcrt.Report, string) {
	t.Helper()
	src, ok := scripts.Read(name)
	if !ok {
		t.Fatalf("no bundled script %s", name)
	}
	var stdout, stderr bytes.Buffer
	rep, err := pcrt.Run(t.Context(), pcrt.Script{Name: name, Source: src}, pcrt.Options{
		Stdout: &stdout, Stderr: &stderr, DryRun: dryRun, Modules: env.Modules(), BundledFS: scripts.FS(), Now: clock,
	})
	if err != nil {
		t.Fatalf("%s (dry run %v): %v\nstdout:\n%s\nstderr:\n%s", name, dryRun, err, stdout.String(), stderr.String())
	}
	return rep, stdout.String()
}

// planned is an action as the plans of a dry and a real run must agree on it.
type planned struct {
	Step, Op, Target, Detail string
	Count                    int64
}

func actions(rep *pcrt.Report) []planned {
	var out []planned
	for _, a := range rep.Plan.Actions() {
		out = append(out, planned{Step: a.Step, Op: a.Module + "." + a.Op, Target: a.Target, Detail: a.Detail, Count: a.Count})
	}
	return out
}

// stepActions counts the actions of each step by operation.
func stepActions(rep *pcrt.Report) map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, a := range rep.Plan.Actions() {
		if out[a.Step] == nil {
			out[a.Step] = map[string]int{}
		}
		out[a.Step][a.Module+"."+a.Op]++
	}
	return out
}

var migrateSteps = []string{
	"export the source pool",
	"import into the target pool",
	"copy the uploaded files",
	"switch the site's default Persistent Chat pool",
	"carry the pool's own settings over",
	"verify the categories in the target",
	"move the users to the target pool",
	"carry the category creators over",
	"prove that rooms can be created",
	"reconcile the target with the source",
}

func stepNames(rep *pcrt.Report) []string {
	var out []string
	for _, s := range rep.Steps {
		if s.Status != pcrt.StatusDone {
			continue
		}
		out = append(out, s.Name)
	}
	return out
}

func closeEnv(t *testing.T, env *bindings.Env) {
	t.Helper()
	if err := env.Close(); err != nil {
		t.Fatalf("Env.Close: %v", err)
	}
}

// TestMigrateDryRunThenRun runs the bundled migration on a lab estate, first
// as a dry run, which must change no file and plan every step against what
// the earlier steps would have written, and then for real, which must do
// what the plan said and move everything.
func TestMigrateDryRunThenRun(t *testing.T) {
	t.Parallel()
	dir := newLab(t, smallLab(3))
	before := hashFiles(t, dir)
	source := readPool(t, filepath.Join(dir, "source-2015.db"))
	users, err := directoryUsers(filepath.Join(dir, "users.csv"))
	if err != nil {
		t.Fatal(err)
	}

	env := newEnv(t, dir)
	dry, out := run(t, env, "migrate.lua", true)
	closeEnv(t, env)
	if diff := cmp.Diff(before, hashFiles(t, dir)); diff != "" {
		t.Fatalf("the dry run changed the estate folder (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(migrateSteps, stepNames(dry)); diff != "" {
		t.Errorf("dry run steps mismatch (-want +got):\n%s", diff)
	}
	if !dry.Plan.Pending() {
		t.Error("the dry run's plan has no pending changes")
	}
	got := stepActions(dry)
	// Step 2 imports into the simulated target what step 1 exported into
	// scratch space; steps 4, 6 and 7 find its categories there.
	want := map[string]map[string]int{
		migrateSteps[0]: {"export.write archive": 1},
		migrateSteps[1]: {"import.add principals": 1, "import.add affiliations": 1, "import.add add-ins": 1,
			"import.create category": len(source.Categories), "import.create room": len(source.Rooms)},
		migrateSteps[2]: {"pool.copy files": 1},
		migrateSteps[3]: {"topology.set default pool": 1},
		migrateSteps[4]: {"pool.carry configuration": 1, "pool.carry compliance": 1, "pool.carry endpoint": 1},
		migrateSteps[6]: {"user.move": 1},
		migrateSteps[7]: {"creator.add": len(source.Categories)}, // the estate's "*" creator in each
		migrateSteps[8]: {"room.create": 1, "room.remove": 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dry run actions per step mismatch (-want +got):\n%s", diff)
	}
	for _, line := range []string{
		"6 of 6 source categories exist in the target",
		"users homed on fe15.contoso.com would move to fe19.contoso.com",
		"6 of 6 categories have a creator who can create rooms",
		"probe room would be created and removed in",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("dry run output lacks %q:\n%s", line, out)
		}
	}
	for _, a := range dry.Plan.Actions() {
		if a.Module == "user" && a.Count != int64(len(users)) {
			t.Errorf("dry run moves %d users, want the directory's %d", a.Count, len(users))
		}
	}

	env = newEnv(t, dir)
	applied, _ := run(t, env, "migrate.lua", false)
	closeEnv(t, env)
	if diff := cmp.Diff(actions(dry), actions(applied)); diff != "" {
		t.Errorf("the real run did other than the dry run planned (-planned +done):\n%s", diff)
	}
	if applied.Plan.Pending() {
		t.Error("the real run's plan has pending changes")
	}
	checkMigrated(t, dir, source)
}

// checkMigrated checks that the target of the lab estate in dir holds the
// source's content, that the site's default pool is the target and that
// every user is homed on the target's registrar.
func checkMigrated(t *testing.T, dir string, source poolContent) {
	t.Helper()
	target := readPool(t, filepath.Join(dir, "target-2019.db"))
	const admin = "sip:pcadmin@contoso.com"
	if got, want := len(target.Categories), len(source.Categories); got != want {
		t.Errorf("target has %d categories, want %d", got, want)
	}
	for name, sc := range source.Categories {
		tc, ok := target.Categories[name]
		if !ok {
			t.Errorf("category %q is not in the target", name)
			continue
		}
		// The estate adds the administrator as a creator everywhere.
		want := sc
		want.Creators = slices.Sorted(slices.Values(append(slices.Clone(sc.Creators), admin)))
		want.Creators = slices.Compact(want.Creators)
		if diff := cmp.Diff(want, tc); diff != "" {
			t.Errorf("category %q mismatch (-source +target):\n%s", name, diff)
		}
	}
	if diff := cmp.Diff(source.Rooms, target.Rooms); diff != "" {
		t.Errorf("rooms mismatch (-source +target):\n%s", diff)
	}
	if diff := cmp.Diff(source.Messages, target.Messages); diff != "" {
		t.Errorf("messages mismatch (-source +target):\n%s", diff)
	}
	if n := target.messageCount(); n != 500 {
		t.Errorf("target holds %d messages, want 500", n)
	}
	if _, ok := target.Rooms["pcmig probe room"]; ok {
		t.Error("the probe room was not removed")
	}
	data, err := os.ReadFile(filepath.Join(dir, "topology.xml"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := topology.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := doc.DefaultPersistentChatPool("Redmond"); got != "pchat19.contoso.com" {
		t.Errorf("site Redmond's default Persistent Chat pool is %q, want pchat19.contoso.com", got)
	}
	users, err := directoryUsers(filepath.Join(dir, "users.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.RegistrarPool != "fe19.contoso.com" {
			t.Errorf("user %s is homed on %s, want fe19.contoso.com", u.SipAddress, u.RegistrarPool)
		}
	}
}

func directoryUsers(path string) ([]directory.User, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	d, _, err := directory.Parse(data)
	if err != nil {
		return nil, err
	}
	return d.Users(), nil
}

// TestMigrateRealEstate runs the bundled migration on a real estate (kind
// "real", embedded databases): the topology and the directory are left
// alone and the cmdlets go into the runbook, which a dry run already
// produces in full.
func TestMigrateRealEstate(t *testing.T) {
	t.Parallel()
	dir := newLab(t, smallLab(4))
	makeReal(t, dir)
	before := hashFiles(t, dir)

	env := newEnv(t, dir)
	dry, _ := run(t, env, "migrate.lua", true)
	closeEnv(t, env)
	if diff := cmp.Diff(before, hashFiles(t, dir)); diff != "" {
		t.Fatalf("the dry run changed the estate folder (-before +after):\n%s", diff)
	}
	if env.Runbook == nil || !env.Runbook.HasCommands() {
		t.Fatal("the dry run of a real estate wrote no runbook")
	}
	planned := string(env.Runbook.Bytes())
	for _, want := range []string{
		"Set-CsSite -Identity 'site:Redmond' -DefaultPersistentChatPool 'pchat19.contoso.com'",
		"Move-PcmigUserBatch -Report $MoveReport1 -Target 'fe19.contoso.com' -Users @(",
		`Add-PcmigCategoryCreators -Identity 'pchat19.contoso.com\Sales' -Creators @(`,
		": switch the site's default Persistent Chat pool\r\n",
		": move the users to the target pool\r\n",
		": carry the category creators over\r\n",
	} {
		if !strings.Contains(planned, want) {
			t.Errorf("the dry run's runbook lacks %q:\n%s", want, planned)
		}
	}
	if strings.Contains(planned, "-Force") {
		t.Errorf("the runbook uses -Force:\n%s", planned)
	}

	env = newEnv(t, dir)
	applied, _ := run(t, env, "migrate.lua", false)
	closeEnv(t, env)
	if diff := cmp.Diff(actions(dry), actions(applied)); diff != "" {
		t.Errorf("the real run did other than the dry run planned (-planned +done):\n%s", diff)
	}
	if diff := cmp.Diff(planned, string(env.Runbook.Bytes())); diff != "" {
		t.Errorf("runbook of the real run mismatch (-dry run +real run):\n%s", diff)
	}
	after := hashFiles(t, dir)
	for _, f := range []string{"topology.xml", "users.csv", "estate.lua", "source-2015.db"} {
		if before[f] != after[f] {
			t.Errorf("the real run changed %s of a real estate", f)
		}
	}
	if before["target-2019.db"] == after["target-2019.db"] {
		t.Error("the real run did not write the target database")
	}
	for _, a := range applied.Plan.Actions() {
		if a.Module == "room" {
			t.Errorf("a real estate got a probe room: %+v", a)
		}
	}
}

// TestMigrateAgain runs the migration a second time on a migrated lab:
// nothing is left to do but the probe room.
func TestMigrateAgain(t *testing.T) {
	t.Parallel()
	dir := newLab(t, smallLab(5))
	env := newEnv(t, dir)
	run(t, env, "migrate.lua", false)
	closeEnv(t, env)
	source := readPool(t, filepath.Join(dir, "source-2015.db"))
	env = newEnv(t, dir)
	again, out := run(t, env, "migrate.lua", false)
	closeEnv(t, env)
	want := map[string]map[string]int{
		// The archive is written again (overwrite = true); the import finds it all there.
		migrateSteps[0]: {"export.write archive": 1},
		migrateSteps[8]: {"room.create": 1, "room.remove": 1},
	}
	if diff := cmp.Diff(want, stepActions(again)); diff != "" {
		t.Errorf("second run actions mismatch (-want +got):\n%s", diff)
	}
	for _, line := range []string{"0 new categories", "0 messages (500 were already there)", "site Redmond already uses pchat19.contoso.com", "0 users homed on fe15.contoso.com moved"} {
		if !strings.Contains(out, line) {
			t.Errorf("second run output lacks %q:\n%s", line, out)
		}
	}
	checkMigrated(t, dir, source)
}
