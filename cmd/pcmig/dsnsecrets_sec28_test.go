package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScriptPoolDSNPasswordNotShown: a script's pool table naming a
// sqlserver:// DSN that the guards refuse (a server the estate does not
// name) was named in the error by its DSN as the script wrote it,
// password and all: the scrubber did not know a password written in a
// script, whatever its length. Now the DSN is shown as pcmig shows DSNs,
// its password masked, and a script's DSN password is a secret for the
// rest of the run. Failed before: the console and the report held "Zq"
// and "LongPassw0rd".
func TestScriptPoolDSNPasswordNotShown(t *testing.T) {
	t.Parallel()
	good, _ := listenCount(t)
	est := labEstateTargetDB(t, `{ instance = "`+good+`", database = "mgc", user = "pcmig", password_env = "PCMIG_SEC28_PW" }`)
	script := filepath.Join(t.TempDir(), "dsn.lua")
	writeFile(t, script, `local category = require("category")
local function try(what, db)
  local ok, err = pcall(category.list, {db = db})
  print(what .. ": " .. tostring(err))
end
try("short", "sqlserver://sa:Zq@evil.example:1433?database=mgc")
try("long", {dsn = "sqlserver://sa:LongPassw0rd@evil.example:1433?database=mgc"})
try("query", "sqlserver://evil.example:1433?database=mgc&user+id=sa&password=Q7")
`)
	report := filepath.Join(t.TempDir(), "run.json")
	stdout, stderr, _ := runCmdEnv(t, map[string]string{"PCMIG_SEC28_PW": "Sec28Pw"}, "run", script, "--estate", est, "--dry-run", "--report", report)
	out := stdout + stderr
	mustContain(t, "output", out, "short: ", "long: ", "query: ", "sqlserver://sa:xxxxx@evil.example:1433", "is not one the estate file names")
	texts := map[string]string{"console": out}
	if b, err := os.ReadFile(report); err == nil {
		texts["report"] = string(b)
	}
	for where, text := range texts {
		for _, pw := range []string{"Zq", "LongPassw0rd", "Q7", "Sec28Pw"} {
			if strings.Contains(text, pw) {
				t.Errorf("the %s holds the password %q:\n%s", where, pw, text)
			}
		}
	}
}

// TestDSNChangePasswordNotShown: go-mssqldb reads "change password" (the
// login's new password, set at sign-in) from a sqlserver:// URL; pcmig
// took it for an ordinary key and showed its value wherever it names the
// database (warnings, errors, reports, an archive's source_database), and
// no redaction knew it. Failed before: "NewPw9" and "N2" on the console.
// Such a DSN is now also refused before connecting (TestDSNChangePasswordRefused).
func TestDSNChangePasswordNotShown(t *testing.T) {
	t.Parallel()
	for _, pw := range []string{"NewPw9", "N2"} {
		stdout, stderr, code := runCmdEnv(t, nil, "inventory", "--db", "sqlserver://sa:Zq@127.0.0.1:1?dial+timeout=1&encrypt=disable&change+password="+pw)
		out := stdout + stderr
		if code == 0 {
			t.Fatalf("inventory of a closed port succeeded:\n%s", out)
		}
		mustContain(t, "output", out, "127.0.0.1:1", "change+password=xxxxx")
		if strings.Contains(out, pw) {
			t.Errorf("the output holds the new password %q:\n%s", pw, out)
		}
	}
}

// TestShortPasswordQuotedByDriverMasked: go-mssqldb quotes the value of a
// key it cannot read ("invalid log parameter 'Zq'", strconv's parsing
// "Zq"); pcmig masks the configured password in what the driver says, but
// only one of 3 bytes or more, so a password of 1 or 2 characters (a SQL
// login with CHECK_POLICY = OFF) written in the wrong key was shown. Now a
// short password is masked where the driver quotes it. Failed before:
// "'Zq'" and "\"Zq\"" on the console.
func TestShortPasswordQuotedByDriverMasked(t *testing.T) {
	t.Parallel()
	for _, dsn := range []string{
		"sqlserver://sa:Zq@127.0.0.1:1?dial+timeout=1&encrypt=disable&log=Zq",
		"sqlserver://127.0.0.1:1?user+id=sa&password=Zq&dial+timeout=1&encrypt=disable&packet+size=Zq",
	} {
		stdout, stderr, code := runCmdEnv(t, nil, "inventory", "--db", dsn)
		out := stdout + stderr
		if code == 0 {
			t.Fatalf("inventory succeeded:\n%s", out)
		}
		mustContain(t, "output", out, "127.0.0.1:1", "'xxxxx'")
		if strings.Contains(out, "Zq") {
			t.Errorf("the output holds the password:\n%s", out)
		}
	}
}

// TestDSNChangePasswordRefused: a DSN with go-mssqldb's "change password"
// was passed to the driver, so pcmig's first connection to a production
// SQL Server would have changed the login's password, and every later
// connection of the run (signing in with the DSN's old password) failed.
// Now such a DSN is refused before connecting, naming the key and not its
// value, with what to do. Failed before: the inventory tried to connect
// (the listener counted a connection).
func TestDSNChangePasswordRefused(t *testing.T) {
	t.Parallel()
	addr, conns := listenCount(t)
	host, port, _ := strings.Cut(addr, ",")
	stdout, stderr, code := runCmdEnv(t, nil, "inventory", "--db", "sqlserver://sa:OldPw1@"+host+":"+port+"?dial+timeout=2&encrypt=disable&change+password=NewPw9")
	out := stdout + stderr
	if code == 0 {
		t.Fatalf("inventory succeeded:\n%s", out)
	}
	mustContain(t, "output", out, `"change password" sets the SQL login's password at sign-in`, "ALTER LOGIN", "change+password=xxxxx")
	if conns.Load() != 0 {
		t.Errorf("pcmig connected to the server (%d connections):\n%s", conns.Load(), out)
	}
	for _, pw := range []string{"NewPw9", "OldPw1"} {
		if strings.Contains(out, pw) {
			t.Errorf("the output holds %q:\n%s", pw, out)
		}
	}
}
