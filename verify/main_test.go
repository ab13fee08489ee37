package verify_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/verify"
)

// template holds the lab estate built once for the package; tests copy its
// databases.
var template string

func TestMain(m *testing.M) { labtest.Main(m, lab.Options{Messages: 3000, Seed: 7}, &template) }

// migration is one test's copy of the lab, exported and imported.
type migration struct {
	dir, source, target, archive string
}

func newMigration(t testing.TB) *migration {
	t.Helper()
	dir := t.TempDir()
	m := &migration{dir: dir, source: filepath.Join(dir, "source.db"), target: filepath.Join(dir, "target.db"),
		archive: filepath.Join(dir, "archive.zip")}
	labtest.CopyFile(t, filepath.Join(template, "source-2015.db"), m.source)
	labtest.CopyFile(t, filepath.Join(template, "target-2019.db"), m.target)
	return m
}

func open(t testing.TB, path string, readOnly bool) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), store.Config{DSN: "sqlite:" + path, ReadOnly: readOnly, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// export runs step 1.
func (m *migration) export(t testing.TB, opts exporter.Options) {
	t.Helper()
	s := open(t, m.source, false)
	opts.Overwrite = true
	if _, err := exporter.Export(context.Background(), s, m.archive, opts); err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// importArchive runs step 2.
func (m *migration) importArchive(t testing.TB, opts importer.Options) *importer.Result {
	t.Helper()
	s := open(t, m.target, false)
	res, err := importer.Import(context.Background(), s, m.archive, opts)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	return res
}

// migrate exports everything and imports it into the empty target.
func (m *migration) migrate(t *testing.T) {
	t.Helper()
	m.export(t, exporter.Options{})
	m.importArchive(t, importer.Options{})
}

// verify reconciles the source with the target.
func (m *migration) verify(t *testing.T, opts verify.Options) *verify.Result {
	t.Helper()
	src, tgt := open(t, m.source, true), open(t, m.target, true)
	res, err := verify.Run(t.Context(), []verify.Source{{Label: "pchat15", Store: src, Archive: m.archive}}, tgt, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// sqlExec changes a database behind pcmig's back, as someone with SQL
// access to the target would.
func sqlExec(t *testing.T, path, query string, args ...any) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func sqlInt(t *testing.T, path, query string, args ...any) int64 {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func sqlString(t *testing.T, path, query string, args ...any) string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s string
	if err := db.QueryRow(query, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return s
}

// texts lists the differences' sentences.
func texts(r *verify.Result) []string {
	out := []string{}
	for _, d := range r.Differences {
		out = append(out, d.Text)
	}
	return out
}

// wantEqual fails unless the verdict is EQUAL.
func wantEqual(t *testing.T, r *verify.Result) {
	t.Helper()
	if !r.IsEqual() {
		var b strings.Builder
		verify.WriteText(&b, r, "")
		t.Fatalf("verdict %s, want EQUAL:\n%s", r.Verdict, b.String())
	}
}
