package main

import (
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const secret = "S3cr3tP4ss"

// TestUnreachableSQLServerHidesThePassword connects to a port where no
// SQL Server listens: the error names the server, never the password.
func TestUnreachableSQLServerHidesThePassword(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "500")
	zipPath := exportArchive(t, est)
	out := t.TempDir()
	url := "sqlserver://sa:" + secret + "@127.0.0.1:1?dial+timeout=1"
	instance := []string{"--db-instance", "127.0.0.1,1", "--db-user", "sa"}
	tests := []struct {
		name string
		vars map[string]string
		args []string
	}{
		{"inventory url", nil, []string{"inventory", "--db", url}},
		{"export url", nil, []string{"export", "--db", url, "--file", filepath.Join(out, "x.zip")}},
		{"import url", nil, []string{"import", "--db", url, "--file", zipPath}},
		{"import dry run url", nil, []string{"import", "--dry-run", "--db", url, "--file", zipPath}},
		{"url with password parameter", nil, []string{"inventory", "--db", "sqlserver://127.0.0.1:1?dial+timeout=1&user+id=sa&password=" + secret}},
		{"instance with --db-password", nil, append([]string{"inventory", "--db-password", secret}, instance...)},
		{"instance with $PCMIG_DB_PASSWORD", map[string]string{"PCMIG_DB_PASSWORD": secret}, append([]string{"export", "--file", filepath.Join(out, "y.zip")}, instance...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := runCmdEnv(t, tt.vars, tt.args...)
			if code != exitError {
				t.Errorf("exit %d, want %d\nstderr: %s", code, exitError, stderr)
			}
			if strings.Contains(stdout+stderr, secret) {
				t.Errorf("the password appears in the output:\nstdout: %s\nstderr: %s", stdout, stderr)
			}
			mustContain(t, "stderr", stderr, "pcmig: ", "127.0.0.1")
		})
	}
	if entries, err := os.ReadDir(out); err != nil || len(entries) != 0 {
		t.Errorf("failed exports left files in %s: %v (%v)", out, entries, err)
	}
	if cp := checkpointFiles(t, zipPath); len(cp) != 0 {
		t.Errorf("failed imports left checkpoints: %v", cp)
	}
}

func TestMissingDatabaseFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "nonexistent", "x.db")
	zipPath := filepath.Join(dir, "x.zip")
	for _, args := range [][]string{
		{"export", "--db", "sqlite:" + missing, "--file", zipPath},
		{"inventory", "--db", "sqlite:" + missing},
	} {
		_, stderr, code := runCmd(t, args...)
		if code != exitError {
			t.Errorf("pcmig %s: exit %d, want %d", args[0], code, exitError)
		}
		mustContain(t, "pcmig "+args[0]+" stderr", stderr, missing, "no such Persistent Chat database file")
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("the failed commands wrote into %s: %v (%v)", dir, entries, err)
	}
}

// TestNotAPersistentChatDatabase opens SQLite files that are not mgc
// databases: each command names what is missing and leaves the file alone.
func TestNotAPersistentChatDatabase(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "500")
	zipPath := exportArchive(t, est)
	dir := t.TempDir()

	other := filepath.Join(dir, "other.db")
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: other}).EscapedPath()}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(t.Context(), `CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5)`); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "notes.db")
	writeFile(t, text, "these are my notes, not a database\n")

	for _, c := range []struct{ path, want string }{
		{other, "not a Persistent Chat database"},
		{text, "not an SQLite database"},
	} {
		for _, args := range [][]string{
			{"inventory", "--db", "sqlite:" + c.path},
			{"export", "--db", "sqlite:" + c.path, "--file", filepath.Join(dir, "x.zip")},
			{"import", "--dry-run", "--db", "sqlite:" + c.path, "--file", zipPath},
			{"import", "--db", "sqlite:" + c.path, "--file", zipPath},
		} {
			t.Run(filepath.Base(c.path)+" "+args[0]+" "+args[1], func(t *testing.T) {
				before := hashTree(t, dir)
				_, stderr, code := runCmd(t, args...)
				if code != exitError {
					t.Errorf("exit %d, want %d\nstderr: %s", code, exitError, stderr)
				}
				mustContain(t, "stderr", stderr, c.path, c.want)
				if c.path == other {
					mustContain(t, "stderr", stderr, "missing tables", "tblChat", "tblNode", "tblPrincipal")
				}
				if diff := cmp.Diff(before, hashTree(t, dir)); diff != "" {
					t.Errorf("files changed (-before +after):\n%s", diff)
				}
			})
		}
	}
	if cp := checkpointFiles(t, zipPath); len(cp) != 0 {
		t.Errorf("refused imports left checkpoints: %v", cp)
	}
}
