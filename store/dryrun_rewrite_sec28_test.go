package store_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/bindings"
	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/lab"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/scripts"
	"github.com/pcmig/pcmig/store"
)

// dryRunSource runs a Lua script as a dry run on the estate, every
// database reached through its stand-in server.
func dryRunSource(t *testing.T, dir string, shims map[string]*store.TSQLShim, source string) (string, error) {
	t.Helper()
	est, err := estate.Load(context.Background(), filepath.Join(dir, lab.EstateFile))
	if err != nil {
		t.Fatal(err)
	}
	env := &bindings.Env{Estate: est, ToolVersion: "test", Now: func() time.Time { return time.Date(2025, 3, 1, 22, 0, 0, 0, time.UTC) },
		OpenStore: func(ctx context.Context, cfg store.Config) (*store.Store, error) {
			return store.OpenConnector(ctx, cfg, shims[cfg.Instance])
		}}
	defer func() {
		if err := env.Close(); err != nil {
			t.Errorf("Env.Close: %v", err)
		}
	}()
	var out bytes.Buffer
	_, err = pcrt.Run(t.Context(), pcrt.Script{Name: "rewrite.lua", Source: []byte(source)}, pcrt.Options{
		Stdout: &out, Stderr: &out, DryRun: true, Modules: env.Modules(), BundledFS: scripts.FS(), Now: env.Now,
	})
	return out.String(), err
}

// TestDryRunExportAfterScriptRewroteUnpairedText: a SQL Server source
// whose category description holds a UTF-16 surrogate without its pair,
// and a script that rewrites that description (category.update) before
// exporting. The real run writes the new text to the database and its
// export finds nothing to refuse; the dry run wrote the new text to its
// scratch copy but looked for lone surrogates in the database itself
// (a0ca194), so it refused the export the real run makes. Now a dry run
// leaves out the rows whose flagged text it has rewritten (the scratch
// copy no longer holds the U+FFFD the driver read in its place). A script
// that changes nothing of that text is still refused, as the real run
// is. Failed before: "the export refuses ... tblNode nodeID N: nodeDesc".
func TestDryRunExportAfterScriptRewroteUnpairedText(t *testing.T) {
	var name, id string
	dir, shims := sqlServerLab(t, func(source, _ string) {
		const pick = `(SELECT nodeID FROM tblNode WHERE nodeType = 1 AND nodeID <> parentID ORDER BY nodeID LIMIT 1)`
		labtest.ExecSQLite(t, source, `UPDATE tblNode SET nodeDesc = CAST(X'6869EDA0BD21' AS TEXT) WHERE nodeID = `+pick)
		row := labtest.QuerySQLite(t, source, `SELECT nodeID, nodeName FROM tblNode WHERE nodeID = `+pick)[0]
		id, name = row[0], row[1]
	})
	script := func(fields string) string {
		return `local category, export, estate = require("category"), require("export"), require("estate")
step("fix", function()
  category.update(estate.source, "` + name + `", ` + fields + `)
end)
step("export", function()
  local res = export.run(estate.source)
  print("exported " .. tostring(res.file))
end)
`
	}
	out, err := dryRunSource(t, dir, shims, script(`{description = "fixed"}`))
	if err != nil || !strings.Contains(out, "exported ") {
		t.Fatalf("the dry run refused an export the real run makes: %v\n%s", err, out)
	}
	// The description as the driver reads it, U+FFFD in place of the
	// surrogate, and a new name: the text flagged is not rewritten.
	out, err = dryRunSource(t, dir, shims, script(`{new_name = "`+name+` 2"}`))
	if err == nil || !strings.Contains(err.Error()+out, "tblNode nodeID "+id+": nodeDesc") {
		t.Fatalf("the dry run did not refuse text it left as it was: %v\n%s", err, out)
	}
	checkReadsOnly(t, "source", shims[`sql15.contoso.com\rtc`].Statements())
}
