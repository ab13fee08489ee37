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

// TestScriptPoolTableFileSettingsPaired: a script's pool table on an
// estate server could name any krb5_ccache, krb5_config, certificate or
// server_certificate, and a sqlserver:// DSN any krb5-keytabfile,
// krb5-configfile, krb5-credcachefile, certificate, servercertificate or
// failoverpartner: pcmig handed them to the driver (another account's
// Kerberos cache or keytab, a Kerberos setup sending the sign-in to a KDC
// the script chose, a certificate it trusts, a second server the sign-in
// goes to), and its check of a certificate file told whether any .pem
// path exists ("no such file or directory"). Now each must be the value a
// pool of the estate file gives for that server (the estate's target pins
// ca.pem: a script may give it again, spelt another way), refused before
// connecting, naming the key and not the file. Failed before: the
// missing certificate was reported missing and every other table went on
// to connect (the listener's handshake error).
func TestScriptPoolTableFileSettingsPaired(t *testing.T) {
	t.Parallel()
	good, _ := listenCount(t)
	host, port, _ := strings.Cut(good, ",")
	est := labEstateTargetDB(t, `{ instance = "`+good+`", database = "mgc", encrypt = "true", certificate = "ca.pem" }`)
	dir := filepath.Dir(est)
	writeFile(t, filepath.Join(dir, "ca.pem"), "not read in this test\n")
	outside := t.TempDir()
	for _, f := range []string{"ca.pem", "cc", "krb5.conf", "kt"} {
		writeFile(t, filepath.Join(outside, f), "lua27-secret-content\n")
	}
	o := func(f string) string { return filepath.Join(outside, f) }
	dsn := "sqlserver://" + host + ":" + port + "?database=mgc&encrypt=true&"
	script := filepath.Join(t.TempDir(), "files.lua")
	writeFile(t, script, `local category = require("category")
local function try(what, db)
  local ok, err = pcall(category.list, {db = db})
  print(what .. ": " .. tostring(err))
end
local function tbl(k, v)
  local t = {instance = "`+good+`", database = "mgc", encrypt = "true"}
  t[k] = v
  return t
end
try("cert missing", tbl("certificate", "/nonexistent-lua27/x.pem"))
try("cert outside", tbl("certificate", "`+o("ca.pem")+`"))
try("pinned outside", tbl("server_certificate", "`+o("ca.pem")+`"))
try("ccache", tbl("krb5_ccache", "FILE:`+o("cc")+`"))
try("config", tbl("krb5_config", "`+o("krb5.conf")+`"))
try("dsn keytab", "`+dsn+`krb5-keytabfile=`+o("kt")+`")
try("dsn config", "`+dsn+`krb5-configfile=`+o("krb5.conf")+`")
try("dsn failover", "`+dsn+`failoverpartner=evil.example")
try("own cert", tbl("certificate", "ca.pem"))
try("own cert spelt", tbl("certificate", "`+dir+`/./ca.pem"))
`)
	stdout, stderr, _ := runCmd(t, "run", script, "--estate", est, "--dry-run")
	out := stdout + stderr
	line := func(what string) string {
		i := strings.Index(out, "\n"+what+": ")
		if i < 0 {
			t.Fatalf("no line %q:\n%s", what, out)
		}
		l := out[i+1:]
		return l[:strings.IndexByte(l, '\n')]
	}
	for what, key := range map[string]string{
		"cert missing": "certificate", "cert outside": "certificate", "pinned outside": "server_certificate",
		"ccache": "krb5_ccache", "config": "krb5_config", "dsn keytab": "krb5-keytabfile (in the sqlserver:// query)",
		"dsn config": "krb5-configfile (in the sqlserver:// query)", "dsn failover": "failoverpartner (in the sqlserver:// query)",
	} {
		l := line(what)
		if !strings.Contains(l, ": "+key+": the estate file does not give this value for server ") || strings.Contains(l, "cannot connect") {
			t.Errorf("%s: not refused naming %s: %s", what, key, l)
		}
	}
	for _, what := range []string{"own cert", "own cert spelt"} {
		if l := line(what); !strings.Contains(l, "cannot connect") {
			t.Errorf("%s: the estate's own certificate was not used to connect: %s", what, l)
		}
	}
	for _, leak := range []string{"lua27-secret-content", "no such file"} {
		if strings.Contains(out, leak) {
			t.Errorf("the output holds %q:\n%s", leak, out)
		}
	}
}
