package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestEstateRefusesSecretKeys: a key that looks like a secret's (not only
// password: db_password, client_secret, token, api_key, secret, passwd,
// pwd, camel case too) is refused wherever it is in the estate file, in
// the script table at any depth as in the documented tables, by run (dry
// or not) and verify alike, naming the key and its place and the _env key
// to use instead, never showing the value, and writing nothing. A secret's
// _env key must name an environment variable. Before, the script table
// took client_secret, db_password, token, api_key and secret as they were,
// a pool's or the estate's token or api_key was "no such key" (which
// pointed to the script table), and password_env took any text.
func TestEstateRefusesSecretKeys(t *testing.T) {
	t.Parallel()
	const mb = `move_batch = 50,`
	tests := []struct {
		old, new string
		want     []string
	}{
		{mb, mb + ` script = { app = { db_password = "S3cr3t-1" } },`, []string{"line 55", "script.app.db_password", "db_password_env"}},
		{mb, mb + ` script = { client_secret = "S3cr3t-2", window = "Saturday" },`, []string{"script.client_secret", "client_secret_env"}},
		{mb, mb + ` script = { jobs = { { clientSecret = "S3cr3t-3" } } },`, []string{"script.jobs[1].clientSecret", "clientSecret_env"}},
		{mb, mb + ` script = { Token = "S3cr3t-4", secret = "S3cr3t-5" },`, []string{"script.Token", "Token_env", "script.secret", "secret_env"}},
		{mb, mb + ` api_key = "S3cr3t-6",`, []string{"line 55", "api_key", `script = { api_key_env = "VARIABLE" }`}},
		{`file_store = "filestore-2019",`, `file_store = "filestore-2019", token = "S3cr3t-7",`, []string{"target.token", "token_env"}},
		{`db = "sqlite:target-2019.db",`, `db = { instance = "sql19.contoso.com\\rtc", database = "mgc", user = "pcmig", secret = "S3cr3t-8" },`,
			[]string{"line 39", "target.db.secret", "password_env"}},
		{`export = { level = "All",`, `export = { level = "All", passwd = "S3cr3t-9",`, []string{"export.passwd", "passwd_env"}},
		{`db = "sqlite:source-2015.db",`, `db = { instance = "sql15.contoso.com\\rtc", database = "mgc", user = "pcmig", pwd = "S3cr3t-10" },`,
			[]string{"source.db.pwd", "password_env"}},
		{mb, mb + ` script = { ["db password"] = "S3cr3t-11" },`, []string{"a key of script that is not a name", "looks like a secret"}},
		{`db = "sqlite:target-2019.db",`, `db = { instance = "sql19.contoso.com\\rtc", database = "mgc", user = "pcmig", password_env = "S3cr3t 12!" },`,
			[]string{"target.db.password_env", "want the name of an environment variable"}},
		{mb, mb + ` script = { api_token_env = "S3cr3t#13" },`, []string{"script.api_token_env", "want the name of an environment variable"}},
	}
	for _, tt := range tests {
		// The subtest is named by its place: t.TempDir holds the name.
		t.Run(tt.want[0], func(t *testing.T) {
			t.Parallel()
			est := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
			estFile := filepath.Join(est, "estate.lua")
			editEstate(t, estFile, tt.old, tt.new)
			target := readFile(t, filepath.Join(est, "target-2019.db"))
			for _, args := range [][]string{{"run", "--estate", estFile, "--dry-run"}, {"run", "--estate", estFile}, {"verify", "--estate", estFile}} {
				stdout, stderr, code := runCmd(t, args...)
				if code != exitError {
					t.Errorf("pcmig %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, exitError, stdout, stderr)
				}
				mustContain(t, "stderr of pcmig "+strings.Join(args, " "), stderr, tt.want...)
				if strings.Contains(stdout+stderr, "S3cr3t") {
					t.Errorf("pcmig %s shows the secret:\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), stdout, stderr)
				}
			}
			if !bytes.Equal(readFile(t, filepath.Join(est, "target-2019.db")), target) {
				t.Error("the target's database changed")
			}
		})
	}
	// A secret's _env key naming a variable is taken, in the script table
	// and as a database's password_env.
	est := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	estFile := filepath.Join(est, "estate.lua")
	editEstate(t, estFile, mb, mb+` script = { api_token_env = "PCMIG_API_TOKEN", window = "Saturday" },`)
	script := filepath.Join(t.TempDir(), "own.lua")
	writeFile(t, script, `local estate = require("estate")
print("token in " .. estate.script.api_token_env .. ", window " .. estate.script.window)`)
	stdout, _ := mustRun(t, 0, "run", script, "--estate", estFile)
	mustContain(t, "stdout", stdout, "token in PCMIG_API_TOKEN, window Saturday")
}
