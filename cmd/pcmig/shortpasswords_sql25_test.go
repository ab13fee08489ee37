package main

import (
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestShortAndOddPasswordsNeverShown: the scrubber (package secret) masks
// only values of 3 bytes or more, since masking every "a" would garble
// everything pcmig writes; a shorter password is kept out of output by
// structure instead: a DSN is shown with its password masked, whatever its
// length (redactDSN), and an error of a connection never quotes the
// connection string. This runs passwords of 1 and 2 characters, and odd
// ones (';', '@', '%', '}', spaces, non-ASCII), through every path that
// names a SQL Server database: a DSN's user information and its password=
// key, --db-instance with $PCMIG_DB_PASSWORD, an estate's password_env, the
// doctor, a run with --log-level debug, its report and its journals. None
// shows the password where it could be read as one (after "user:" or
// "password="); the non-ASCII ones, which nothing else prints, show nowhere.
func TestShortAndOddPasswordsNeverShown(t *testing.T) {
	t.Parallel()
	for i, pw := range []string{"Ж", "Я1", ";", "@", "%", "}", " ", "a b", "é}", "p;@%} ü"} {
		// Named by number: the test's folders take its name.
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			var console strings.Builder
			run := func(vars map[string]string, args ...string) {
				stdout, stderr, _ := runCmdEnv(t, vars, args...)
				console.WriteString(stdout + stderr)
			}
			userinfo := url.UserPassword("pcmig", pw).String()
			run(nil, "inventory", "--db", "sqlserver://"+userinfo+"@127.0.0.1:1?dial+timeout=1&encrypt=disable")
			run(nil, "inventory", "--db", "sqlserver://127.0.0.1:1?user+id=pcmig&password="+url.QueryEscape(pw)+"&dial+timeout=1&encrypt=disable")
			run(map[string]string{"PCMIG_DB_PASSWORD": pw}, "inventory", "--db-instance", "127.0.0.1,1", "--db-user", "pcmig", "--db-encrypt", "disable")

			est := labEstate(t, "--messages", "20")
			estFile := filepath.Join(est, "estate.lua")
			editEstate(t, estFile, `db = "sqlite:source-2015.db",`,
				`db = { instance = "127.0.0.1,1", database = "mgc", user = "pcmig", password_env = "PCMIG_SOURCE_PW", encrypt = "disable" },`)
			vars := map[string]string{"PCMIG_SOURCE_PW": pw}
			out := t.TempDir()
			run(vars, "doctor", "--estate", estFile)
			run(vars, "run", "--estate", estFile, "--log-level", "debug", "--report", filepath.Join(out, "run.json"))
			run(vars, "run", "--estate", estFile, "--resume", "--log-level", "debug", "--report", filepath.Join(out, "run.html"))

			texts := map[string]string{"console": console.String()}
			for _, dir := range []string{est, out} {
				err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
					if err != nil || d.IsDir() {
						return err
					}
					switch filepath.Ext(path) {
					case ".db", ".zip", ".lua":
						return nil
					}
					b, err := os.ReadFile(path)
					texts[path] = string(b)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			if !strings.Contains(texts["console"], "127.0.0.1") {
				t.Fatalf("the commands never named the database; the test does not reach the paths:\n%s", texts["console"])
			}
			forms := []string{pw, url.QueryEscape(pw), url.PathEscape(pw), strings.TrimPrefix(url.UserPassword("", pw).String(), ":")}
			for where, text := range texts {
				for _, f := range forms {
					for _, shown := range []string{"pcmig:" + f + "@", "password=" + f, `"password":"` + f} {
						if strings.Contains(text, shown) {
							t.Errorf("%s shows %q", where, shown)
						}
					}
					if strings.ContainsFunc(pw, func(r rune) bool { return r > 0x7f }) && strings.Contains(strings.ToLower(text), strings.ToLower(f)) {
						t.Errorf("%s shows the password as %q:\n%s", where, f, text)
					}
				}
			}
		})
	}
}
