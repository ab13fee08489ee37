package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// reportTimes are the report's RFC 3339 times ("start", "end"), whose
// nanoseconds may hold any four digits: the password's "2024" is looked
// for without them.
var reportTimes = regexp.MustCompile(`"\d{4}-\d\d-\d\dT[0-9:.]+Z"`)

// TestDSNPasswordWithBareSlashNotShown: a sqlserver:// DSN whose password
// holds a /, ? or # not percent-encoded, after digits only
// ("sqlserver://pcmig:2024/Winter!@sql19"), parsed as the host
// "pcmig:2024" (user name and port) with the rest of the password as the
// instance: pcmig printed the DSN as it parsed, the password whole, in
// its warnings and errors, and go-mssqldb connected to that "host" and
// asked its SQL Server Browser for the instance "Winter!@sql19", the
// password in clear. Now such a DSN is refused before any connection
// and never shown, saying to write / ? # percent-encoded. Failed before:
// the console held "Winter" (and "2024"), and the listener standing in
// for the host counted a connection. A password with a bare @ before its
// / ("ab@2024/Winter!x") parsed with user information "pcmig:ab", and
// showed the rest as host and instance.
func TestDSNPasswordWithBareSlashNotShown(t *testing.T) {
	t.Parallel()
	addr, conns := listenCount(t)
	_, port, _ := strings.Cut(addr, ",")
	for _, dsn := range []string{
		"sqlserver://pcmig:2024/Winter!x@sql19.contoso.invalid:1433?dial+timeout=1&encrypt=disable",
		"sqlserver://pcmig:/Winter!x@sql19.contoso.invalid?dial+timeout=1",
		"sqlserver://pcmig:2024?Winter!x@sql19.contoso.invalid:1433",
		"sqlserver://pcmig:2024?dial+timeout=1&Winter!x=y@sql19.contoso.invalid:1433",
		"sqlserver://pcmig:2024?dial+timeout=1&a=Winter!x@sql19.contoso.invalid:1433",
		"sqlserver://pcmig:2024#Winter!x@sql19.contoso.invalid:1433",
		"sqlserver://pcmig:ab@2024/Winter!x@sql19.contoso.invalid:1433?dial+timeout=1",
		// The user name 127.0.0.1 makes the password's digits a port of this
		// machine, where the listener counts what reaches it.
		"sqlserver://127.0.0.1:" + port + "/Winter!x@sql19.contoso.invalid?dial+timeout=2&encrypt=disable",
	} {
		stdout, stderr, code := runCmdEnv(t, nil, "inventory", "--db", dsn)
		out := stdout + stderr
		if code == 0 {
			t.Fatalf("inventory of %s succeeded:\n%s", dsn, out)
		}
		mustContain(t, "output", out, "%2F")
		for _, pw := range []string{"Winter", "2024", port} {
			if strings.Contains(out, pw) {
				t.Errorf("the output for %s holds %q of its password:\n%s", dsn, pw, out)
			}
		}
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("pcmig connected %d times to the host the password's first part made", n)
	}
}

// TestDSNAtInDriverKeyValueKept: an @ in the value of a key go-mssqldb
// reads (a Kerberos SPN with its realm) is that value's own, not a cut
// password: such a DSN is shown and used as before.
func TestDSNAtInDriverKeyValueKept(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := runCmdEnv(t, nil, "inventory", "--db",
		"sqlserver://sa:Sec29pw@127.0.0.1:1?dial+timeout=1&encrypt=disable&serverspn=MSSQLSvc%2Fsql19.contoso.com%3A1433%40CONTOSO.COM")
	out := stdout + stderr
	if code == 0 {
		t.Fatalf("inventory of a closed port succeeded:\n%s", out)
	}
	mustContain(t, "output", out, "sqlserver://sa:xxxxx@127.0.0.1:1?", "CONTOSO.COM", "no connection to 127.0.0.1:1")
}

// TestScriptDSNPasswordWithBareSlashNotShown: a script's pool table whose
// DSN's password holds a bare / was refused as a server the estate does
// not name, and the error named that "server" by the parts the DSN parsed
// as: "pcmig\Winter!x@evil.example,2024", the password whole. Failed
// before: the console and the report held "Winter".
func TestScriptDSNPasswordWithBareSlashNotShown(t *testing.T) {
	t.Parallel()
	good, _ := listenCount(t)
	est := labEstateTargetDB(t, `{ instance = "`+good+`", database = "mgc", user = "pcmig", password_env = "PCMIG_REV29_PW" }`)
	script := filepath.Join(t.TempDir(), "dsn.lua")
	writeFile(t, script, `local category = require("category")
local ok, err = pcall(category.list, {db = "sqlserver://pcmig:2024/Winter!x@evil.example:1433?database=mgc"})
print("refused: " .. tostring(err))
`)
	report := filepath.Join(t.TempDir(), "run.json")
	stdout, stderr, _ := runCmdEnv(t, map[string]string{"PCMIG_REV29_PW": "Rev29Pw"}, "run", script, "--estate", est, "--dry-run", "--report", report)
	out := stdout + stderr
	mustContain(t, "output", out, "refused: ", "is not one the estate file names")
	texts := map[string]string{"console": out, "report": reportTimes.ReplaceAllString(string(readFile(t, report)), `"<time>"`)}
	for where, text := range texts {
		for _, pw := range []string{"Winter", "2024"} {
			if strings.Contains(text, pw) {
				t.Errorf("the %s holds %q of the password:\n%s", where, pw, text)
			}
		}
	}
}

// TestEstateDSNPasswordWithBareSlashNotShown: an estate DSN whose password
// holds a bare / (sqlserver://pcmig:2024/Winter!x@...) was given to
// scripts as written (pcmig masks a DSN's password for scripts only when
// it finds one, and found none in its user information), so a script
// printing its estate's db printed the password, and nothing masked it.
// Now scripts see such a DSN hidden, its password is a secret of the
// run, and the doctor refuses the DSN without showing it. Failed before:
// the console held "Winter".
func TestEstateDSNPasswordWithBareSlashNotShown(t *testing.T) {
	t.Parallel()
	est := labEstateTargetDB(t, `"sqlserver://pcmig:2024/Winter!x@127.0.0.1:1?dial+timeout=1&encrypt=disable"`)
	script := filepath.Join(t.TempDir(), "show.lua")
	writeFile(t, script, `local estate = require("estate")
print("target db: " .. tostring(estate.target.db))
local ok, err = pcall(require("category").list, "target")
print("list: " .. tostring(err))
`)
	report := filepath.Join(t.TempDir(), "run.json")
	stdout, stderr, _ := runCmdEnv(t, nil, "run", script, "--estate", est, "--dry-run", "--report", report)
	out := stdout + stderr
	mustContain(t, "output", out, "target db: sqlserver://(DSN hidden", "list: ", "%2F")
	for where, text := range map[string]string{"console": out, "report": reportTimes.ReplaceAllString(string(readFile(t, report)), `"<time>"`)} {
		for _, pw := range []string{"Winter", "2024"} {
			if strings.Contains(text, pw) {
				t.Errorf("the %s holds %q of the password:\n%s", where, pw, text)
			}
		}
	}
}
