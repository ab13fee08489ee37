package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// listenCount is a TCP listener standing in for a SQL Server: it counts
// the connections made to it and closes each at once.
func listenCount(t *testing.T) (addr string, conns *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	conns = new(atomic.Int32)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return "127.0.0.1," + port, conns
}

// labEstateTargetDB writes a small lab estate whose target pool's db is
// the Lua table db, and returns the estate file's path.
func labEstateTargetDB(t *testing.T, db string) string {
	t.Helper()
	est := filepath.Join(labEstate(t, "--messages", "20"), "estate.lua")
	src := string(readFile(t, est))
	edited := strings.Replace(src, `db = "sqlite:target-2019.db"`, "db = "+db, 1)
	if edited == src {
		t.Fatal("the lab estate has no target db line to edit")
	}
	writeFile(t, est, edited)
	return est
}

// TestScriptPoolTableSecretOnlyToItsServer: a script's pool table could
// name any environment variable as password_env and any server as
// instance, and pcmig logged in there with the variable's value as the
// password (the hostile-script audit: $HOME's value sent to
// 127.0.0.1:1). The estate pairs PCMIG_SEC26_PW with the target's server
// and login; a script may reuse it there (another database), but not for
// another server, another user, with trust_server_certificate added, nor
// name another variable: those are refused before any connection, naming
// the variable and never its value. Failed before the fix: the "evil"
// listener got connections and no refusal was printed.
func TestScriptPoolTableSecretOnlyToItsServer(t *testing.T) {
	t.Parallel()
	good, goodConns := listenCount(t)
	evil, evilConns := listenCount(t)
	est := labEstateTargetDB(t, `{ instance = "`+good+`", database = "mgc", user = "pcmig", password_env = "PCMIG_SEC26_PW" }`)
	const pw, other = "Sec26TargetPw", "Sec26OtherSecret"
	script := filepath.Join(t.TempDir(), "secret.lua")
	writeFile(t, script, `local category = require("category")
local function try(what, db)
  local ok, err = pcall(category.list, {db = db})
  print(what .. ": " .. tostring(err))
end
try("other var", {instance = "`+evil+`", database = "x", user = "u", password_env = "PCMIG_SEC26_OTHER"})
try("paired var, other server", {instance = "`+evil+`", database = "mgc", user = "pcmig", password_env = "PCMIG_SEC26_PW"})
try("paired var, other user", {instance = "`+good+`", database = "mgc", user = "sa", password_env = "PCMIG_SEC26_PW"})
try("paired var, trust added", {instance = "`+good+`", database = "mgc", user = "pcmig", password_env = "PCMIG_SEC26_PW", trust_server_certificate = true})
try("paired var, its server", {instance = "`+good+`", database = "other", user = "PCMIG", password_env = "PCMIG_SEC26_PW"})
`)
	stdout, stderr, _ := runCmdEnv(t, map[string]string{"PCMIG_SEC26_PW": pw, "PCMIG_SEC26_OTHER": other},
		"run", script, "--estate", est, "--dry-run")
	out := stdout + stderr
	if n := evilConns.Load(); n != 0 {
		t.Errorf("the server no estate pool names got %d connections:\n%s", n, out)
	}
	if goodConns.Load() == 0 {
		t.Errorf("the estate's server got no connection for its own password and login:\n%s", out)
	}
	for _, want := range []string{
		"other var: ", "password_env PCMIG_SEC26_OTHER: the estate file does not name it for server " + evil,
		"paired var, other server: ", "password_env PCMIG_SEC26_PW: the estate file does not name it for server " + evil,
		`does not name it for server ` + good + ` and user "sa"`,
		"paired var, trust added: ", "with other encrypt, trust_server_certificate",
	} {
		mustContain(t, "output", out, want)
	}
	for _, s := range []string{pw, other} {
		if strings.Contains(out, s) {
			t.Errorf("the output holds a password:\n%s", out)
		}
	}
	if strings.Count(out, "a script's pool table may use") != 4 {
		t.Errorf("want 4 refusals (not the estate's own server and login):\n%s", out)
	}
}

// TestScriptSQLitePathConfined: a script's pool table db = "sqlite:PATH"
// opened any path, ignoring the folders the run may use (--allow-path):
// /etc/passwd answered "not an SQLite database", a missing path "no such
// database file" (an existence oracle), and any SQLite file could be read
// or written. Now such a path is confined as every other file a script
// names, symbolic links followed: outside, whether it exists or not, the
// same refusal; the estate's own database keeps working, and a folder
// given with --allow-path is allowed. Failed before the fix: the copy
// outside and the link to it were opened and listed.
func TestScriptSQLitePathConfined(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "20")
	est := filepath.Join(dir, "estate.lua")
	outside := t.TempDir()
	db, err := os.ReadFile(filepath.Join(dir, "source-2015.db"))
	if err != nil {
		t.Fatal(err)
	}
	copyDB := filepath.Join(outside, "copy.db")
	if err := os.WriteFile(copyDB, db, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(copyDB, filepath.Join(dir, "link.db")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	rel, err := filepath.Rel(dir, copyDB)
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(t.TempDir(), "paths.lua")
	writeFile(t, script, `local category = require("category")
local function try(what, dsn)
  local ok, res = pcall(category.list, {db = dsn})
  if ok then print(what .. ": listed " .. #res) else print(what .. ": " .. tostring(res)) end
end
try("own", "sqlite:source-2015.db")
try("passwd", "sqlite:/etc/passwd")
try("missing", "sqlite:`+filepath.Join(outside, "missing.db")+`")
try("copy", "sqlite:`+copyDB+`")
try("link", "sqlite:link.db")
try("dotdot", "sqlite:`+rel+`")
local ok, res = pcall(require("doctor").check, {db = "sqlite:`+copyDB+`"})
print("doctor: " .. tostring(ok and "checked" or res))
`)
	stdout, stderr, _ := runCmd(t, "run", script, "--estate", est, "--dry-run")
	out := stdout + stderr
	mustContain(t, "output", out, "own: listed 6")
	for _, what := range []string{"passwd", "missing", "copy", "link", "dotdot", "doctor"} {
		mustContain(t, "output", out, what+": ")
		line := out[strings.Index(out, what+": "):]
		line = line[:strings.IndexByte(line, '\n')]
		if !strings.Contains(line, "outside the folders this run may use") {
			t.Errorf("%s: not refused as outside the folders: %s", what, line)
		}
	}
	for _, leak := range []string{"not an SQLite database", "no such", "copy: listed", "link: listed", "dotdot: listed", "checked"} {
		if strings.Contains(out, leak) {
			t.Errorf("the output holds %q:\n%s", leak, out)
		}
	}
	// The operator allows the folder: the copy is opened (and found to be
	// the estate's source pool again), the missing file looked for.
	stdout, stderr, _ = runCmd(t, "run", script, "--estate", est, "--dry-run", "--allow-path", outside)
	out = stdout + stderr
	mustContain(t, "output with --allow-path", out, "copy: ")
	mustContain(t, "output with --allow-path", out, "a copy of one pool's database cannot be the other pool")
	mustContain(t, "output with --allow-path", out, "no such Persistent Chat database file")
	mustContain(t, "output with --allow-path", out, "doctor: checked")
}

// TestScriptPoolTableOnlyEstateServers: a script's pool table without a
// password (a Windows or Kerberos sign-in) reached any server the script
// named: on a Windows host the operator's challenge-response would go
// there, to be captured or relayed. Now a script's table or DSN must name
// a server of the estate's pools (any database on it); others are refused
// before any connection. Failed before: the listener no estate pool
// names got connections, nothing was refused.
func TestScriptPoolTableOnlyEstateServers(t *testing.T) {
	t.Parallel()
	good, goodConns := listenCount(t)
	evil, evilConns := listenCount(t)
	est := labEstateTargetDB(t, `{ instance = "`+good+`", database = "mgc" }`)
	evilHost, evilPort, _ := strings.Cut(evil, ",")
	script := filepath.Join(t.TempDir(), "servers.lua")
	writeFile(t, script, `local category = require("category")
local function try(what, db)
  local ok, err = pcall(category.list, {db = db})
  print(what .. ": " .. tostring(err))
end
try("windows sign-in, other server", {instance = "`+evil+`", database = "mgc"})
try("dsn, other server", "sqlserver://`+evilHost+`:`+evilPort+`?database=mgc")
try("windows sign-in, its server", {instance = "`+good+`", database = "other"})
`)
	stdout, stderr, _ := runCmd(t, "run", script, "--estate", est, "--dry-run")
	out := stdout + stderr
	if n := evilConns.Load(); n != 0 {
		t.Errorf("the server no estate pool names got %d connections:\n%s", n, out)
	}
	if goodConns.Load() == 0 {
		t.Errorf("the estate's server got no connection:\n%s", out)
	}
	mustContain(t, "output", out,
		"windows sign-in, other server: ", "server "+evil+" is not one the estate file names",
		"dsn, other server: ", "server "+evil+" is not one the estate file names")
	if strings.Count(out, "is not one the estate file names") != 2 {
		t.Errorf("want 2 refusals (not the estate's own server):\n%s", out)
	}
}
