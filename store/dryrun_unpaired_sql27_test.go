package store_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/store"
)

// unpairedRoomDesc puts a lone high surrogate in the first room's
// description of a lab source and returns the room's nodeID.
func unpairedRoomDesc(t *testing.T, source string) string {
	t.Helper()
	const pick = `(SELECT nodeID FROM tblNode WHERE nodeType = 0 ORDER BY nodeID LIMIT 1)`
	labtest.ExecSQLite(t, source, `UPDATE tblNode SET nodeDesc = CAST(X'6869EDA0BD21' AS TEXT) WHERE nodeID = `+pick)
	return labtest.QuerySQLite(t, source, `SELECT nodeID FROM tblNode WHERE nodeID = `+pick)[0][0]
}

// TestDryRunExportSeesUnpairedStructure: a dry-run store on a SQL Server
// source whose room description holds a UTF-16 surrogate without its
// pair. The real export refuses it at step 1; the dry run's export read
// the structure from its scratch copy (U+FFFD already, as the driver read
// it) and exported without a word. Now it reads that text from the
// database itself: refused as the real run is, and with the opt-in the
// row is named as replaced. Failed before: the dry-run export succeeded
// with no warning.
func TestDryRunExportSeesUnpairedStructure(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lab")
	if _, err := lab.Init(t.Context(), dir, lab.Options{Users: 12, Categories: 2, Rooms: 4, Messages: 60, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "source-2015.db")
	room := unpairedRoomDesc(t, path)
	shim, err := store.NewTSQLShim(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { shim.Close() })
	s, err := store.OpenConnector(t.Context(), store.Config{Instance: `sql15.contoso.com\rtc`, Database: "mgc", ReadOnly: true, Shadow: true}, shim)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if !s.DryRun() {
		t.Fatal("not a dry run")
	}
	out := filepath.Join(t.TempDir(), "out")
	_, err = exporter.Export(t.Context(), s, filepath.Join(out, "pool.pcmig"), exporter.Options{})
	if err == nil {
		t.Fatal("the dry-run export passed a room description the real export refuses")
	}
	if w := "tblNode nodeID " + room + ": nodeDesc"; !strings.Contains(err.Error(), w) {
		t.Errorf("the refusal does not name %q:\n%v", w, err)
	}
	res, err := exporter.Export(t.Context(), s, filepath.Join(out, "pool.pcmig"), exporter.Options{ReplaceUnpairedSurrogates: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Replaced == nil || res.Replaced.Structure != 1 {
		t.Errorf("the dry run counts %+v replaced structure values, want 1", res.Replaced)
	}
	checkReadsOnly(t, "source", shim.Statements())
}

// TestBundledMigrateDryRunNamesReplacedStructure: migrate.lua as a dry
// run on SQL Server pools with the estate's replace_unpaired_surrogates
// and a room description holding a surrogate without its pair: the real
// run names the row in its warnings and counts it in the manifest; the
// dry run said nothing of it ("0 structure values"). Failed before: no
// warning naming tblNode.
func TestBundledMigrateDryRunNamesReplacedStructure(t *testing.T) {
	var room string
	dir, shims := sqlServerLab(t, func(source, _ string) { room = unpairedRoomDesc(t, source) })
	file := filepath.Join(dir, lab.EstateFile)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(b), "replace_unpaired_surrogates = false", "replace_unpaired_surrogates = true", 1)
	if text == string(b) {
		t.Fatalf("the lab estate has no replace_unpaired_surrogates = false:\n%s", b)
	}
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, err := dryRunMigrate(t, dir, shims)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, w := range []string{"tblNode nodeID " + room + ": nodeDesc exported with U+FFFD", "0 messages and 1 structure value"} {
		if !strings.Contains(out, w) {
			t.Errorf("the dry run does not say %q:\n%s", w, out)
		}
	}
	for instance, shim := range shims {
		checkReadsOnly(t, instance, shim.Statements())
	}
}
