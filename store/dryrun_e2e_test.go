package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/bindings"
	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/lab"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/scripts"
	"github.com/pcmig/pcmig/store"
)

// sqlServerLab writes a lab estate whose two pools are SQL Server
// instances, as a real estate names them, and returns its folder and the
// stand-in servers (keyed by instance) that answer for them from the lab's
// embedded databases. edit, if not nil, changes an embedded database first.
func sqlServerLab(t *testing.T, edit func(source, target string)) (string, map[string]*store.TSQLShim) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "estate")
	if _, err := lab.Init(context.Background(), dir, lab.Options{Users: 24, Categories: 6, Rooms: 12, Messages: 500, Seed: 11}); err != nil {
		t.Fatal(err)
	}
	source, target := filepath.Join(dir, "source-2015.db"), filepath.Join(dir, "target-2019.db")
	if edit != nil {
		edit(source, target)
	}
	file := filepath.Join(dir, lab.EstateFile)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	shims := map[string]*store.TSQLShim{}
	text := string(b)
	for _, db := range []struct{ dsn, instance, path string }{
		{`"sqlite:source-2015.db"`, `sql15.contoso.com\\rtc`, source},
		{`"sqlite:target-2019.db"`, `sql19.contoso.com\\rtc`, target},
	} {
		if !strings.Contains(text, "db = "+db.dsn) {
			t.Fatalf("the lab estate file has no db = %s:\n%s", db.dsn, text)
		}
		text = strings.Replace(text, "db = "+db.dsn, `db = { instance = "`+db.instance+`", database = "mgc" }`, 1)
		shim, err := store.NewTSQLShim(db.path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { shim.Close() })
		shims[strings.ReplaceAll(db.instance, `\\`, `\`)] = shim
	}
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, shims
}

// dryRunMigrate runs the bundled migrate.lua as a dry run on the estate,
// every database reached through its stand-in server.
func dryRunMigrate(t *testing.T, dir string, shims map[string]*store.TSQLShim) (*pcrt.Report, string, error) {
	t.Helper()
	return dryRunScript(t, dir, shims, "migrate.lua")
}

// dryRunScript is dryRunMigrate for any bundled script.
func dryRunScript(t *testing.T, dir string, shims map[string]*store.TSQLShim, script string) (*pcrt.Report, string, error) {
	t.Helper()
	est, err := estate.Load(context.Background(), filepath.Join(dir, lab.EstateFile))
	if err != nil {
		t.Fatal(err)
	}
	opened := map[string]bool{}
	env := &bindings.Env{Estate: est, ToolVersion: "test", Now: func() time.Time { return time.Date(2025, 3, 1, 22, 0, 0, 0, time.UTC) },
		OpenStore: func(ctx context.Context, cfg store.Config) (*store.Store, error) {
			shim, ok := shims[cfg.Instance]
			if !ok {
				return nil, errors.New("no stand-in server for " + cfg.Describe())
			}
			opened[cfg.Instance] = true
			return store.OpenConnector(ctx, cfg, shim)
		}}
	defer func() {
		if err := env.Close(); err != nil {
			t.Errorf("Env.Close: %v", err)
		}
	}()
	src, ok := scripts.Read(script)
	if !ok {
		t.Fatalf("no bundled %s", script)
	}
	var out bytes.Buffer
	rep, err := pcrt.Run(t.Context(), pcrt.Script{Name: script, Source: src}, pcrt.Options{
		Stdout: &out, Stderr: &out, DryRun: true, Modules: env.Modules(), BundledFS: scripts.FS(), Now: env.Now,
	})
	for instance := range shims {
		if err == nil && !opened[instance] {
			t.Errorf("the run never opened %s", instance)
		}
	}
	return rep, out.String(), err
}

// writeVerbs are the first words of statements that change a SQL Server
// database or open a transaction.
var writeVerbs = []string{"INSERT", "UPDATE", "DELETE", "MERGE", "SET IDENTITY_INSERT", "BEGIN", "TRUNCATE", "CREATE", "DROP", "ALTER", "DECLARE"}

// checkReadsOnly fails the test for any statement but a plain read.
func checkReadsOnly(t *testing.T, instance string, stmts []string) {
	t.Helper()
	reads := 0
	for _, s := range stmts {
		if s == "exec "+store.SessionInitSQL { // SET options of every session
			continue
		}
		op, q, _ := strings.Cut(s, " ")
		up := strings.ToUpper(strings.TrimSpace(q))
		write := op != "query" || strings.Contains(up, "INSERTBULK") || strings.Contains(up, "INSERT BULK")
		for _, v := range writeVerbs {
			write = write || strings.HasPrefix(up, v) || strings.Contains(up, ";\n"+v) || strings.Contains(up, "; "+v)
		}
		if write {
			t.Errorf("%s: the dry run sent a statement that is not a read: %.200s", instance, s)
			continue
		}
		reads++
	}
	if reads == 0 {
		t.Errorf("%s: the dry run read nothing", instance)
	}
}

// TestSQLServerDryRunWritesNothing runs the bundled migration script as a
// dry run against two SQL Server pools, each a stand-in server that answers
// reads from a lab database and records everything: the run plans the whole
// migration (principals, categories, rooms, roles, creators, the probe
// room) and sends the servers nothing but reads - no INSERT, UPDATE,
// DELETE, MERGE, SET IDENTITY_INSERT, bulk copy or transaction - and the
// lab databases keep every byte.
func TestSQLServerDryRunWritesNothing(t *testing.T) {
	dir, shims := sqlServerLab(t, nil)
	before := snapshot(t, dir)
	rep, out, err := dryRunMigrate(t, dir, shims)
	if err != nil {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	ops := map[string]int{}
	for _, a := range rep.Plan.Actions() {
		ops[a.Module+"."+a.Op]++
	}
	for _, op := range []string{"import.add principals", "import.create category", "import.create room"} {
		if ops[op] == 0 {
			t.Errorf("the dry run planned no %s (planned %v)", op, ops)
		}
	}
	for instance, shim := range shims {
		checkReadsOnly(t, instance, shim.Statements())
	}
	if diff := snapshotDiff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("the dry run changed the estate: %s", diff)
	}
}

// TestSQLServerDryRunChecksLiveness: the dry run reads the heartbeats of the
// real target and stops where the real run would, without writing.
func TestSQLServerDryRunChecksLiveness(t *testing.T) {
	dir, shims := sqlServerLab(t, func(_, target string) {
		db, err := sql.Open("sqlite", target)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`UPDATE tblServerIdentity SET serverLastPingTime = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`); err != nil {
			t.Fatal(err)
		}
	})
	_, out, err := dryRunMigrate(t, dir, shims)
	if err == nil || !strings.Contains(err.Error()+out, "Persistent Chat servers are active") {
		t.Fatalf("dry run on a live target = %v, want the live-pool refusal\n%s", err, out)
	}
	for instance, shim := range shims {
		checkReadsOnly(t, instance, shim.Statements())
	}
}

// snapshotDiff names the files that differ between two snapshots.
func snapshotDiff(a, b map[string]string) string {
	var diff []string
	for k, v := range a {
		if b[k] != v {
			diff = append(diff, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			diff = append(diff, k+" (new)")
		}
	}
	return strings.Join(diff, ", ")
}
