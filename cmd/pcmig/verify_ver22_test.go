package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// damagedLab is a copy of the migrated lab dir (with its archive and
// import journal) for one case of damage.
func damagedLab(t *testing.T, dir string) (string, string) {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "estate")
	copyDir(t, dir, dst)
	return dst, filepath.Join(dst, "estate.lua")
}

// linkedUpload is an uploaded file of the target's file store (the lab
// links every file it writes from a message) of at least min bytes.
func linkedUpload(t *testing.T, dir string, min int64) string {
	t.Helper()
	var found string
	filepath.WalkDir(filepath.Join(dir, "filestore-2019"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || found != "" || !d.Type().IsRegular() {
			return err
		}
		if info, err := d.Info(); err == nil && info.Size() >= min {
			found = p
		}
		return nil
	})
	if found == "" {
		t.Fatalf("no uploaded file of %d bytes in the lab's target file store", min)
	}
	return found
}

// An uploaded file that is in the target's file store under its name but
// does not hold what the source's holds did not arrive: verify said EQUAL
// ("55 of 55 linked files found") for a file truncated, emptied, or
// replaced with other bytes of the same size, since it only looked for
// the name.
func TestVerifyComparesUploadedFilesContent(t *testing.T) {
	t.Parallel()
	dir, _ := migratedLab(t)
	cases := []struct {
		name   string
		damage func(path string) error
	}{
		{"truncated", func(p string) error { return os.Truncate(p, 10) }},
		{"emptied", func(p string) error { return os.Truncate(p, 0) }},
		{"same size, other bytes", func(p string) error {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(p, bytes.Repeat([]byte{'x'}, len(b)), 0o644)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, est := damagedLab(t, dir)
			f := linkedUpload(t, d, 100)
			if err := tc.damage(f); err != nil {
				t.Fatal(err)
			}
			stdout, _, code := runCmd(t, "verify", "--estate", est)
			if code != exitDifferent {
				t.Fatalf("verify --estate: exit %d, want %d\n%s", code, exitDifferent, stdout)
			}
			want := `difference: room .+: 1 of the \d+ uploaded files its messages link to differs? from the source's file store \(` + regexp.QuoteMeta(filepath.Base(f)) + `\)`
			if !regexp.MustCompile(want).MatchString(stdout) {
				t.Errorf("verify --estate does not name the file:\n%s", stdout)
			}
			if !regexp.MustCompile(`Uploaded files: \d+ of \d+ linked files found in the target's file store .+, 1 of them other than the source's`).MatchString(stdout) {
				t.Errorf("verify --estate: uploaded files line:\n%s", stdout)
			}
			// With the pools named on the command line, the source's
			// file store is given by --source-files.
			stdout, _, code = runCmd(t, "verify", "--source", "sqlite:"+filepath.Join(d, "source-2015.db"),
				"--target", "sqlite:"+filepath.Join(d, "target-2019.db"), "--archive", filepath.Join(d, "archive", "pchat-2015.zip"),
				"--target-files", filepath.Join(d, "filestore-2019"), "--source-files", filepath.Join(d, "filestore-2015"))
			if code != exitDifferent || !regexp.MustCompile(want).MatchString(stdout) {
				t.Errorf("verify --source-files: exit %d, want %d and the file named:\n%s", code, exitDifferent, stdout)
			}
			// The scripts' reconciliation (verify.run, the bundled
			// script's last step) says so too.
			script := filepath.Join(d, "reconcile.lua")
			writeFile(t, script, "local r = require('verify').run('source', 'target')\nprint(r.verdict)\nfor _, x in ipairs(r.differences) do print(x.text) end\n")
			stdout, _ = mustRun(t, 0, "run", "--fresh", "--estate", est, script)
			if !strings.Contains(stdout, "DIFFERENT") || !regexp.MustCompile(strings.TrimPrefix(want, "difference: ")).MatchString(stdout) {
				t.Errorf("verify.run after the damage:\n%s", stdout)
			}
		})
	}
}

// A target principal that holds a source principal's GUID under another
// address is not what arrived: the roles and messages of the source's
// sip:a are held there under sip:b. verify matched the principal by GUID
// and compared every role and message under the target's address, so
// it said EQUAL for a URI changed, and for two principals' URIs swapped
// (each one's roles then reach the other's address).
func TestVerifyNamesAPrincipalWhoseAddressChanged(t *testing.T) {
	t.Parallel()
	dir, _ := migratedLab(t)
	// A member of a room, and another active user.
	const memberQ = `SELECT p.prinUri FROM tblPrincipal p JOIN tblPrincipalRole r ON r.prinRolePrinID = p.prinID
WHERE r.prinRoleTypeID = 1 AND p.prinUri LIKE 'sip:%' AND p.prinDisabled = 0 ORDER BY p.prinID LIMIT 1`
	member := labtest.QuerySQLite(t, filepath.Join(dir, "target-2019.db"), memberQ)[0][0]
	other := labtest.QuerySQLite(t, filepath.Join(dir, "target-2019.db"), `SELECT prinUri FROM tblPrincipal WHERE prinUri LIKE 'sip:%' AND prinDisabled = 0 AND prinUri <> '`+member+`' ORDER BY prinID DESC LIMIT 1`)[0][0]
	q := func(s string) string { return strings.ReplaceAll(s, "'", "''") }
	cases := []struct {
		name  string
		stmts []string
		want  []string
	}{
		{"changed", []string{`UPDATE tblPrincipal SET prinUri = 'sip:someone.else@contoso.com' WHERE prinUri = '` + q(member) + `'`},
			[]string{`difference: principal ` + regexp.QuoteMeta(member) + ` \(GUID [0-9a-f-]+\): sip:someone\.else@contoso\.com in the target`}},
		{"swapped", []string{
			`UPDATE tblPrincipal SET prinUri = 'tmp' WHERE prinUri = '` + q(member) + `'`,
			`UPDATE tblPrincipal SET prinUri = '` + q(member) + `' WHERE prinUri = '` + q(other) + `'`,
			`UPDATE tblPrincipal SET prinUri = '` + q(other) + `' WHERE prinUri = 'tmp'`},
			[]string{`difference: principal ` + regexp.QuoteMeta(member) + ` \(GUID [0-9a-f-]+\): ` + regexp.QuoteMeta(other) + ` in the target`,
				`difference: principal ` + regexp.QuoteMeta(other) + ` \(GUID [0-9a-f-]+\): ` + regexp.QuoteMeta(member) + ` in the target`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, est := damagedLab(t, dir)
			labtest.ExecSQLite(t, filepath.Join(d, "target-2019.db"), tc.stmts...)
			stdout, _, code := runCmd(t, "verify", "--estate", est)
			if code != exitDifferent {
				t.Fatalf("verify --estate: exit %d, want %d\n%s", code, exitDifferent, stdout)
			}
			for _, w := range tc.want {
				if !regexp.MustCompile(w).MatchString(stdout) {
					t.Errorf("verify --estate: no line %s:\n%s", w, stdout)
				}
			}
		})
	}
	// An address AD Sync changed in both pools (the same AD object) is
	// the same principal: EQUAL.
	t.Run("changed in both pools", func(t *testing.T) {
		t.Parallel()
		d, est := damagedLab(t, dir)
		for _, db := range []string{"source-2015.db", "target-2019.db"} {
			labtest.ExecSQLite(t, filepath.Join(d, db), `UPDATE tblPrincipal SET prinUri = 'sip:renamed@contoso.com' WHERE prinUri = '`+q(member)+`'`)
		}
		mustRun(t, 0, "verify", "--estate", est)
	})
}

// The export takes every add-in of the pool and the import creates those
// the target lacks, rooms or not. verify compared add-ins only through the
// rooms that use one, so an add-in no room uses, deleted from the target
// or pointed at another URL there, got EQUAL.
func TestVerifyComparesAddinsNoRoomUses(t *testing.T) {
	t.Parallel()
	dir, _ := migratedLab(t)
	tdb := filepath.Join(dir, "target-2019.db")
	unused := `(SELECT siopID FROM tblSiopWhiteList WHERE siopID NOT IN (SELECT siopID FROM tblNode WHERE siopID IS NOT NULL) ORDER BY siopID LIMIT 1)`
	name := labtest.QuerySQLite(t, tdb, `SELECT siopName FROM tblSiopWhiteList WHERE siopID = `+unused)[0][0]
	cases := []struct {
		name, stmt, want string
	}{
		{"deleted", `DELETE FROM tblSiopWhiteList WHERE siopID = ` + unused,
			`difference: add-in ` + regexp.QuoteMeta(name) + `: in the source \(URL "[^"]+"\), not in the target`},
		{"URL changed", `UPDATE tblSiopWhiteList SET siopURL = 'https://elsewhere.example/x' WHERE siopID = ` + unused,
			`difference: add-in ` + regexp.QuoteMeta(name) + `: URL "https://elsewhere.example/x" in the target, "[^"]+" in the source`},
		{"renamed", `UPDATE tblSiopWhiteList SET siopName = 'Renamed by hand' WHERE siopID = ` + unused,
			`difference: add-in ` + regexp.QuoteMeta(name) + `: named "Renamed by hand" in the target`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, est := damagedLab(t, dir)
			labtest.ExecSQLite(t, filepath.Join(d, "target-2019.db"), tc.stmt)
			stdout, _, code := runCmd(t, "verify", "--estate", est)
			if code != exitDifferent || !regexp.MustCompile(tc.want).MatchString(stdout) {
				t.Errorf("verify --estate: exit %d, want %d and a line %s:\n%s", code, exitDifferent, tc.want, stdout)
			}
		})
	}
}

// A message posted in a migrated room after the import (users chat in the
// new pool) is not a difference: it is above the chat IDs the import
// wrote, and noted as one message ('holds 1 messages' before).
func TestVerifyNotesAMessagePostedAfterTheImport(t *testing.T) {
	t.Parallel()
	dir, _ := migratedLab(t)
	d, est := damagedLab(t, dir)
	tdb := filepath.Join(d, "target-2019.db")
	room := labtest.QuerySQLite(t, tdb, `SELECT nodeName FROM tblNode WHERE nodeID = (SELECT MIN(channelId) FROM tblChat)`)[0][0]
	labtest.ExecSQLite(t, tdb, `INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
SELECT channelId, MAX(chatId) + 1, MAX(chatDate) + 1, 1, 0, 'posted in the new pool', NULL FROM tblChat WHERE channelId = (SELECT MIN(channelId) FROM tblChat)`,
		`UPDATE tblLastChatId SET lastChatID = lastChatID + 1 WHERE nodeID = (SELECT MIN(channelId) FROM tblChat)`)
	stdout, _ := mustRun(t, 0, "verify", "--estate", est)
	mustContain(t, "verify", stdout, "note: pchat15.contoso.com: room "+room+" holds 1 message that arrived after this source's import", "EQUAL:")
}
