package bindings_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
	pcrt "github.com/pcmig/pcmig/runtime"
)

// creator.carry_over matches a source creator to the target's principal by
// GUID, then by URI; but a deleted (or SIP-disabled) account's address may
// since belong to another person, whose account has another GUID. Such a
// creator is not granted to the target's holder of the address.
func TestCarryOverDeletedCreatorNotGrantedByURI(t *testing.T) {
	t.Parallel()
	dir := newLab(t, smallLab(1))
	run := func(name, script string) string {
		t.Helper()
		env := newEnv(t, dir)
		defer closeEnv(t, env)
		var stdout, stderr bytes.Buffer
		if _, err := pcrt.Run(t.Context(), pcrt.Script{Name: name, Source: []byte(script)}, pcrt.Options{
			Stdout: &stdout, Stderr: &stderr, Modules: env.Modules(), Now: clock,
		}); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, stderr.String())
		}
		return stdout.String()
	}
	src, tgt := filepath.Join(dir, "source-2015.db"), filepath.Join(dir, "target-2019.db")
	// A creator of the source, deleted there.
	out := run("pick.lua", `
local category = require("category")
for _, c in ipairs(category.list("source")) do
  if #c.creators > 0 then print(c.name .. "|" .. c.creators[1]) break end
end
`)
	cat, uri, ok := strings.Cut(strings.TrimSpace(out), "|")
	if !ok {
		t.Fatalf("no creator in the lab: %q", out)
	}
	labtest.ExecSQLite(t, src, `UPDATE tblPrincipal SET prinDisabled = 2 WHERE prinUri = '`+uri+`'`)
	run("import.lua", `
local export, import = require("export"), require("import")
export.run("source", { file = "out/all.zip" })
import.run("target", { file = "out/all.zip" })
`)
	// In the target the address now belongs to another, active account;
	// the deleted one's creator grant is gone (as the cmdlet import may
	// drop creators).
	const other = "0badc0de-0000-4000-8000-00000000abcf"
	labtest.ExecSQLite(t, tgt,
		`DELETE FROM tblPrincipalRole WHERE prinRolePrinID = (SELECT prinID FROM tblPrincipal WHERE prinUri = '`+uri+`')`,
		`UPDATE tblPrincipal SET prinGuid = '`+other+`', prinDisabled = 0 WHERE prinUri = '`+uri+`'`)
	out = run("carry.lua", `
local creator = require("creator")
creator.carry_over("source", "target", { categories = { "`+cat+`" } })
for _, u in ipairs(creator.list("target", "`+cat+`")) do print("creator: " .. u) end
`)
	if strings.Contains(out, "creator: "+uri+"\n") {
		t.Errorf("the deleted creator %s was granted to the target's other account with that address:\n%s", uri, out)
	}
}
