package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestScriptUnrecognisedDSNNotShown: a script's pool table whose db is a
// string pcmig does not recognise was refused with "unrecognised database
// (... the rest is not shown: it may hold a password)", after naming the
// pool by that very string: "pool sqlserver:sa:PASSWORD@h: ..." (pcmig
// described any string without "=" as it was written, and one with "="
// up to a password key only). Now such a string is described as not
// shown, and an ADO.NET or ODBC string still up to its password key.
// Failed before: the console held "Rev29Secret".
func TestScriptUnrecognisedDSNNotShown(t *testing.T) {
	t.Parallel()
	good, _ := listenCount(t)
	est := labEstateTargetDB(t, `{ instance = "`+good+`", database = "mgc", user = "pcmig", password_env = "PCMIG_REV29_PW" }`)
	script := filepath.Join(t.TempDir(), "dsn.lua")
	writeFile(t, script, `local category = require("category")
for _, db in ipairs({ "sqlserver:sa:Rev29Secret@h", "sqlserver:sa:Rev29Secret@h?database=mgc", "sqlserver:/sa:Rev29Secret@h",
    'Server=h;Application Name="a;Rev29Secret"', "odbc:server=h;uid=sa;pwd=Rev29Secret" }) do
  local ok, err = pcall(category.list, {db = db})
  print("refused: " .. tostring(err))
end
`)
	stdout, stderr, _ := runCmdEnv(t, map[string]string{"PCMIG_REV29_PW": "Rev29Pw"}, "run", script, "--estate", est, "--dry-run")
	out := stdout + stderr
	mustContain(t, "output", out, "refused: ", "unrecognised database", "odbc:server=h;uid=sa;pwd=xxxxx")
	if strings.Count(out, "refused: ") != 5 {
		t.Errorf("want 5 refusals:\n%s", out)
	}
	if strings.Contains(out, "Rev29Secret") {
		t.Errorf("the output holds the password:\n%s", out)
	}
}
