package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// sqlRows returns a query's rows, each as its columns joined by "|"
// (NULL as "NULL").
func sqlRows(t *testing.T, path, query string) []string {
	t.Helper()
	var out []string
	for _, vals := range labtest.QueryNullable(t, path, query) {
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = "NULL"
			if v.Valid {
				parts[i] = v.String
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	return out
}

// A user deleted from Active Directory and created again keeps one SIP
// address but gets a new objectGUID: the pool then holds two principals
// with one URI, the deleted one (prinDisabled 2) with the old history and
// the new one. They are two principals (prinGuid is the objectGUID) and
// arrive as two: the new user's messages and membership must not be
// credited to the deleted one, nor the new user be lost.
func TestSameURIPrincipalsStayApart(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	src, tgt := filepath.Join(dir, "source-2015.db"), filepath.Join(dir, "target-2019.db")
	const newGUID = "0badc0de-0000-4000-8000-00000000abcd"
	old := sqlRows(t, src, `SELECT prinID, prinUri, prinGuid FROM tblPrincipal WHERE prinTypeID = 5 AND prinDisabled = 0
		AND prinID IN (SELECT userId FROM tblChat) ORDER BY prinID LIMIT 1`)
	if len(old) != 1 {
		t.Fatalf("no poster in the lab: %v", old)
	}
	f := strings.Split(old[0], "|")
	oldID, uri, oldGUID := f[0], f[1], strings.ToLower(f[2])
	labtest.ExecSQLite(t, src,
		`UPDATE tblPrincipal SET prinDisabled = 2 WHERE prinID = `+oldID,
		`INSERT INTO tblPrincipal (prinID, prinGuid, prinUri, prinDisplayName, prinDisabled, prinTypeID, prinAddedOn, prinUpdatedOn, prinVerifiedOn)
		 SELECT MAX(prinID) + 1, '`+newGUID+`', '`+uri+`', 'Re-created', 0, 5, 1, 1, '2024-01-01T00:00:00Z' FROM tblPrincipal`,
		`INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
		 SELECT channelId, MAX(chatId) + 1, 636000000000000000, (SELECT MAX(prinID) FROM tblPrincipal), 0, 'posted by the new account', NULL
		 FROM tblChat WHERE channelId = (SELECT MIN(channelId) FROM tblChat)`,
	)
	oldMsgs := sqlRows(t, src, `SELECT COUNT(*) FROM tblChat WHERE userId = `+oldID)
	archive := filepath.Join(dir, "x.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", archive)
	stdout, _ := mustRun(t, 0, "import", "--db", "sqlite:"+tgt, "--file", archive)

	got := sqlRows(t, tgt, `SELECT lower(prinGuid), prinDisabled FROM tblPrincipal WHERE prinUri = '`+uri+`' ORDER BY prinDisabled`)
	want := []string{newGUID + "|0", oldGUID + "|2"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("target principals with URI %s = %v, want %v", uri, got, want)
	}
	poster := sqlRows(t, tgt, `SELECT lower(p.prinGuid) FROM tblChat c JOIN tblPrincipal p ON p.prinID = c.userId WHERE c.content = 'posted by the new account'`)
	if len(poster) != 1 || poster[0] != newGUID {
		t.Errorf("poster of the new account's message in the target = %v, want %s", poster, newGUID)
	}
	tOld := sqlRows(t, tgt, `SELECT COUNT(*) FROM tblChat c JOIN tblPrincipal p ON p.prinID = c.userId WHERE lower(p.prinGuid) = '`+oldGUID+`'`)
	if tOld[0] != oldMsgs[0] {
		t.Errorf("messages of the deleted account in the target = %s, want the source's %s", tOld[0], oldMsgs[0])
	}
	srcCount := sqlRows(t, src, `SELECT COUNT(*) - 1 FROM tblPrincipal`)[0] // all but the system user
	if !strings.Contains(stdout, srcCount+" new principals") {
		t.Errorf("import summary does not count %s new principals:\n%s", srcCount, stdout)
	}
	if n := sqlRows(t, tgt, `SELECT COUNT(*) - 1 FROM tblPrincipal`)[0]; n != srcCount {
		t.Errorf("target holds %s principals besides the system user, want %s", n, srcCount)
	}
}

// prinPoolID and prinPolicyID are carried as they are (docs/facts.md): the
// archive holds them, and the import writes them.
func TestPrincipalPoolAndPolicyIDsCarried(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	src, tgt := filepath.Join(dir, "source-2015.db"), filepath.Join(dir, "target-2019.db")
	labtest.ExecSQLite(t, src, `UPDATE tblPrincipal SET prinPoolID = 3 + prinID % 2, prinPolicyID = 7 WHERE prinTypeID = 5`)
	archive := filepath.Join(dir, "x.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", archive)
	mustRun(t, 0, "import", "--db", "sqlite:"+tgt, "--file", archive)
	const q = `SELECT lower(prinGuid), prinPoolID, prinPolicyID FROM tblPrincipal WHERE prinTypeID = 5 ORDER BY lower(prinGuid)`
	want, got := sqlRows(t, src, q), sqlRows(t, tgt, q)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("target users (GUID|pool|policy):\n%s\nwant the source's:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// An import refused by its pre-flight writes nothing, and its summary says
// so: it does not report principals, categories and rooms as imported.
func TestRefusedImportSummarySaysNothingImported(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	src, tgt := filepath.Join(dir, "source-2015.db"), filepath.Join(dir, "target-2019.db")
	labtest.ExecSQLite(t, src, `UPDATE tblNode SET nodeDesc = '`+strings.Repeat("d", 257)+`' WHERE nodeID = (SELECT MIN(nodeID) FROM tblNode WHERE nodeType = 0)`)
	archive := filepath.Join(dir, "x.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", archive)
	stdout, stderr := mustRun(t, exitError, "import", "--db", "sqlite:"+tgt, "--file", archive)
	if strings.Contains(stdout, "Imported into") || !strings.Contains(stdout, "Nothing imported into") || !strings.Contains(stderr, "nothing was written") {
		t.Errorf("refused import:\nstdout %s\nstderr %s", stdout, stderr)
	}
	if n := sqlRows(t, tgt, `SELECT COUNT(*) FROM tblNode`)[0]; n != "1" {
		t.Errorf("target holds %s nodes after a refused import, want only the root", n)
	}
}

// tblChat.userId has no documented foreign key: a message whose poster is
// no longer in tblPrincipal can exist, and the export refuses it (the
// archive names posters by GUID). The doctor, the pre-flight of every
// run, finds it first instead of passing the source and letting step 1
// fail.
func TestDoctorFindsPostersMissingFromTblPrincipal(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	src := filepath.Join(dir, "source-2015.db")
	labtest.ExecSQLite(t, src, `INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
		SELECT channelId, MAX(chatId) + 1, 636000000000000000, 424242, 0, 'poster gone', NULL
		FROM tblChat WHERE channelId = (SELECT MIN(channelId) FROM tblChat)`)
	_, stderr, code := runCmd(t, "export", "--db", "sqlite:"+src, "--file", filepath.Join(dir, "x.zip"))
	if code == 0 || !strings.Contains(stderr, "poster prinID 424242 is not in tblPrincipal") {
		t.Fatalf("export of a message without its poster: exit %d, %s", code, stderr)
	}
	stdout, _, code := runCmd(t, "doctor", "--db", "sqlite:"+src, "--role", "source")
	if code != exitError || !strings.Contains(stdout, "FAIL  tblChat") || !strings.Contains(stdout, "424242 (1 message)") || strings.Contains(stdout, "poster gone") {
		t.Errorf("doctor of a source with a message whose poster is gone: exit %d, want %d\n%s", code, exitError, stdout)
	}
}

// A SIP address freed by a deleted (or SIP-disabled) account can be given
// to another person, whose AD object has another objectGUID. When the
// target pool already holds that new account, the source's deleted
// account must not be matched to it by URI: its history and its roles
// (here a room manager) would pass to a different person.
func TestDeletedPrincipalNotMatchedByURIToAnotherAccount(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	src, tgt := filepath.Join(dir, "source-2015.db"), filepath.Join(dir, "target-2019.db")
	const newGUID = "0badc0de-0000-4000-8000-00000000abce"
	old := sqlRows(t, src, `SELECT prinID, prinUri, lower(prinGuid) FROM tblPrincipal WHERE prinTypeID = 5 AND prinDisabled = 0
		AND prinID IN (SELECT userId FROM tblChat) AND prinID IN (SELECT prinRolePrinID FROM tblPrincipalRole) ORDER BY prinID LIMIT 1`)
	if len(old) != 1 {
		t.Fatalf("no poster with a role in the lab: %v", old)
	}
	f := strings.Split(old[0], "|")
	oldID, uri, oldGUID := f[0], f[1], f[2]
	labtest.ExecSQLite(t, src, `UPDATE tblPrincipal SET prinDisabled = 2 WHERE prinID = `+oldID)
	labtest.ExecSQLite(t, tgt, `INSERT INTO tblPrincipal (prinID, prinGuid, prinUri, prinDisplayName, prinDisabled, prinTypeID, prinAddedOn, prinUpdatedOn, prinVerifiedOn)
		SELECT MAX(prinID) + 1, '`+newGUID+`', '`+uri+`', 'New holder of the address', 0, 5, 1, 1, '2025-01-01T00:00:00Z' FROM tblPrincipal`)
	archive := filepath.Join(dir, "x.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", archive)
	mustRun(t, 0, "import", "--db", "sqlite:"+tgt, "--file", archive)

	holder := `(SELECT prinID FROM tblPrincipal WHERE lower(prinGuid) = '` + newGUID + `')`
	if n := sqlRows(t, tgt, `SELECT COUNT(*) FROM tblChat WHERE userId = `+holder)[0]; n != "0" {
		t.Errorf("the new holder of %s is credited with %s of the deleted account's messages", uri, n)
	}
	if n := sqlRows(t, tgt, `SELECT COUNT(*) FROM tblPrincipalRole WHERE prinRolePrinID = `+holder)[0]; n != "0" {
		t.Errorf("the new holder of %s was granted %s of the deleted account's roles", uri, n)
	}
	want := sqlRows(t, src, `SELECT COUNT(*) FROM tblChat WHERE userId = `+oldID)[0]
	if n := sqlRows(t, tgt, `SELECT COUNT(*) FROM tblChat c JOIN tblPrincipal p ON p.prinID = c.userId WHERE lower(p.prinGuid) = '`+oldGUID+`'`)[0]; n != want {
		t.Errorf("the deleted account's messages in the target = %s, want %s", n, want)
	}
}

// Messages belong to rooms; a tblChat row on a category or the root node
// (a damaged or hand-edited database) is in no room, so no export carries
// it. The doctor names it rather than saying every message belongs to a
// room.
func TestDoctorNamesMessagesOutsideRooms(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "2", "--rooms", "3", "--messages", "40")
	src := filepath.Join(dir, "source-2015.db")
	cat := sqlRows(t, src, `SELECT MIN(nodeID) FROM tblNode WHERE nodeType = 1 AND nodeID <> parentID`)[0]
	labtest.ExecSQLite(t, src, `INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf) VALUES (`+cat+`, 1, 636000000000000000, 1, 0, 'on a category', NULL)`)
	stdout, _, code := runCmd(t, "doctor", "--db", "sqlite:"+src, "--role", "source")
	if code != 0 || !strings.Contains(stdout, "WARN  tblChat") || !strings.Contains(stdout, "1 message is on a category or the root node, in no room: "+cat+" (1 message)") ||
		strings.Contains(stdout, "every message belongs") {
		t.Errorf("doctor of a source with a message on category %s: exit %d\n%s", cat, code, stdout)
	}
}
