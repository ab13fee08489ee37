package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// The proof of migration (verify) against subtle damage: a source built
// with plain SQL from the documented schema (principals of every stored
// type, nullable columns NULL, an add-in, an auditorium, RTF, an alert),
// migrated by pcmig into a hand-built target, which each case then changes
// by one small thing behind pcmig's back. verify must say DIFFERENT, with
// and without the archive (and so without the import journal), and name
// the thing.

// subtleSource is the hand-built source's rows after handSQLSchema.
var subtleSource = []string{
	handSQLUser(10, "sip:ann@contoso.com"),
	handSQLUser(11, "sip:bob@contoso.com"),
	handSQLUser(12, "sip:cy@contoso.com"),
	handSQLPrincipal(13, "ma-grp:sales@contoso.com", 9),
	handSQLPrincipal(14, "ma-grp:ou-ops@contoso.com", 10),
	handSQLPrincipal(15, "ma-grp:dc-contoso@contoso.com", 8),
	`INSERT INTO tblSiopWhiteList VALUES ('CCCCCCCC-0000-4000-8000-000000000001', 'Board', 'https://board.contoso.com/'),
  ('CCCCCCCC-0000-4000-8000-000000000002', 'Wall', 'https://wall.contoso.com/')`,
	handSQLNode(100, 1, true, "Sales"),
	handSQLNode(101, 1, true, "Ops"),
	`UPDATE tblNode SET invite = 1, logged = 1, filePost = 1, nodeDesc = 'sales desc' WHERE nodeID = 100`,
	`UPDATE tblNode SET invite = 0, logged = 1, filePost = 0 WHERE nodeID = 101`,
	handSQLNode(1000, 100, false, "Leads"),
	handSQLNode(1001, 100, false, "Stage"),
	handSQLNode(1002, 101, false, "Pager"),
	handSQLNode(1003, 101, false, "Old"),
	`UPDATE tblNode SET nodeDesc = 'lead room', siopID = 'CCCCCCCC-0000-4000-8000-000000000001' WHERE nodeID = 1000`,
	`UPDATE tblNode SET behavior = 5, visibility = 3, invite = 0 WHERE nodeID = 1001`,
	`UPDATE tblNode SET visibility = 2 WHERE nodeID = 1002`,
	`UPDATE tblNode SET disabled = 1 WHERE nodeID = 1003`,
	// Sales: ann, bob and the group allowed, cy denied, ann creator; Ops:
	// the folder, the domain and ann allowed, bob creator.
	`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1), (100, 11, 0, 1), (100, 13, 0, 1), (100, 12, 1, 1),
  (101, 14, 0, 1), (101, 15, 0, 1), (101, 10, 0, 1), (101, 11, 0, 1)`,
	`INSERT INTO tblPrincipalRole VALUES (100, 10, 4, 1), (101, 11, 4, 1),
  (1000, 10, 1, 1), (1000, 11, 1, 1), (1000, 10, 2, 1),
  (1001, 10, 1, 1), (1001, 11, 1, 1), (1001, 11, 3, 1), (1001, 11, 2, 1),
  (1002, 14, 1, 1), (1002, 10, 2, 1), (1003, 15, 1, 1)`,
	`INSERT INTO tblChat VALUES
  (1000, 1, 637503303671230000, 10, 0, 'hello', NULL),
  (1000, 2, 637503303681230000, 11, 0, 'world', '{\rtf1 world}'),
  (1000, 3, 637503303691230000, 10, 1, 'alert!', NULL),
  (1000, 4, 637503303701230000, 11, 0, 'abcd', NULL),
  (1000, 5, 637503303711230000, 10, 0, 'abcd', ''),
  (1000, 6, 637503303721230000, 10, 0, 'last', NULL),
  (1001, 1, 637503303671230000, 11, 0, 'on stage', NULL),
  (1001, 2, 637503303671230000, 10, 0, 'same time', NULL),
  (1002, 1, 637503303671230000, 10, 0, 'page', NULL)`,
	`INSERT INTO tblLastChatId VALUES (1000, 6), (1001, 2), (1002, 1), (1003, 0)`,
}

// subtleMigrated builds the source and a target in dir, migrates the
// source by pcmig and returns the source's and the target's DSNs and the
// archive. The target has a pool ID (tblConfig), which names its import
// journal: a copy of the target elsewhere finds the journal too when the
// archive and the journal are copied with it, as they were (copyMigrated).
func subtleMigrated(t *testing.T, dir string) (src, tgt, arc string) {
	t.Helper()
	src = handSQLPool(t, dir, "source", subtleSource...)
	tgt = handSQLPool(t, dir, "target",
		`CREATE TABLE tblConfig (configLabel nvarchar(255) NOT NULL PRIMARY KEY, configContent nvarchar NULL, configPoolID uniqueidentifier NOT NULL)`,
		`INSERT INTO tblConfig VALUES ('pool', NULL, 'DDDDDDDD-0000-4000-8000-000000000001')`)
	arc = filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", src, "--file", arc)
	mustRun(t, 0, "import", "--db", tgt, "--file", arc)
	return src, tgt, arc
}

// copyMigrated copies the target database tgt (an SQLite DSN), the
// archive arc and its import journal into a new folder, as they are
// placed one beside the other (an estate copied whole): the journal is
// the copy's (it records the database by its path from the journal's
// folder too). It returns the copy's database file and archive.
func copyMigrated(t *testing.T, tgt, arc string) (path, arcCopy string) {
	t.Helper()
	db := strings.TrimPrefix(tgt, "sqlite:")
	if filepath.Dir(db) != filepath.Dir(arc) {
		t.Fatalf("%s and %s are not in one folder", db, arc)
	}
	dir := t.TempDir()
	journals, _ := filepath.Glob(arc + ".import-*.json")
	for _, f := range append([]string{db, arc}, journals...) {
		labtest.CopyFile(t, f, filepath.Join(dir, filepath.Base(f)))
	}
	return filepath.Join(dir, filepath.Base(db)), filepath.Join(dir, filepath.Base(arc))
}

// prinOf is a subquery for the target's prinID of a URI.
func prinOf(uri string) string {
	return "(SELECT prinID FROM tblPrincipal WHERE prinUri = '" + uri + "')"
}

// nodeOf is a subquery for the target's nodeID of a name.
func nodeOf(name string) string {
	return "(SELECT nodeID FROM tblNode WHERE nodeName = '" + name + "')"
}

func TestVerifySubtleDamageIsDifferent(t *testing.T) {
	t.Parallel()
	leads, stage, pager, sales, ops := nodeOf("Leads"), nodeOf("Stage"), nodeOf("Pager"), nodeOf("Sales"), nodeOf("Ops")
	ann, bob, cy := prinOf("sip:ann@contoso.com"), prinOf("sip:bob@contoso.com"), prinOf("sip:cy@contoso.com")
	grp, folder, dc := prinOf("ma-grp:sales@contoso.com"), prinOf("ma-grp:ou-ops@contoso.com"), prinOf("ma-grp:dc-contoso@contoso.com")
	chat := func(id int) string {
		return "channelId = " + leads + " AND chatId = (SELECT MIN(chatId) FROM tblChat WHERE channelId = " + leads + ") + " + string(rune('0'+id-1))
	}
	src, migrated, arc := subtleMigrated(t, t.TempDir())
	for _, tc := range []struct {
		name  string
		stmts []string
		want  string // in the differences
	}{
		{"content same length", []string{`UPDATE tblChat SET content = 'abce' WHERE ` + chat(4)}, "differs (its content)"},
		{"dates swapped", []string{
			`UPDATE tblChat SET chatDate = 637503303681230000 WHERE ` + chat(1),
			`UPDATE tblChat SET chatDate = 637503303671230000 WHERE ` + chat(2)}, "room Leads"},
		{"posters swapped", []string{
			`UPDATE tblChat SET userId = ` + ann + ` WHERE ` + chat(4),
			`UPDATE tblChat SET userId = ` + bob + ` WHERE ` + chat(5)}, "poster"},
		{"posters swapped, same time", []string{
			`UPDATE tblChat SET userId = ` + ann + ` WHERE channelId = ` + stage + ` AND content = 'on stage'`,
			`UPDATE tblChat SET userId = ` + bob + ` WHERE channelId = ` + stage + ` AND content = 'same time'`}, "room Stage"},
		{"alert flipped", []string{`UPDATE tblChat SET isAlert = 0 WHERE ` + chat(3)}, "alert flag"},
		{"rtf dropped", []string{`UPDATE tblChat SET rtf = NULL WHERE ` + chat(2)}, "RTF"},
		{"rtf changed", []string{`UPDATE tblChat SET rtf = '{\rtf1 World}' WHERE ` + chat(2)}, "RTF"},
		{"empty rtf made null", []string{`UPDATE tblChat SET rtf = NULL WHERE ` + chat(5)}, "RTF"},
		{"rtf added", []string{`UPDATE tblChat SET rtf = '{}' WHERE ` + chat(1)}, "RTF"},
		{"content trailing space", []string{`UPDATE tblChat SET content = 'last ' WHERE ` + chat(6)}, "content"},
		{"member made manager", []string{`UPDATE tblPrincipalRole SET prinRoleTypeID = 2 WHERE prinRoleNodeID = ` + leads + ` AND prinRolePrinID = ` + bob + ` AND prinRoleTypeID = 1`},
			"sip:bob@contoso.com is a member in the source, a manager in the target"},
		{"member granted on the category", []string{`UPDATE tblPrincipalRole SET prinRoleNodeID = ` + sales + ` WHERE prinRoleNodeID = ` + leads + ` AND prinRolePrinID = ` + bob + ` AND prinRoleTypeID = 1`},
			"member sip:bob@contoso.com"},
		{"creator granted on a room", []string{`UPDATE tblPrincipalRole SET prinRoleNodeID = ` + leads + ` WHERE prinRoleNodeID = ` + sales + ` AND prinRoleTypeID = 4`},
			"creator sip:ann@contoso.com"},
		{"presenter made member", []string{`DELETE FROM tblPrincipalRole WHERE prinRoleNodeID = ` + stage + ` AND prinRoleTypeID = 3`}, "presenter"},
		{"room enabled", []string{`UPDATE tblNode SET disabled = 0 WHERE nodeName = 'Old'`}, "disabled"},
		{"room disabled", []string{`UPDATE tblNode SET disabled = 1 WHERE nodeName = 'Leads'`}, "disabled"},
		{"room description", []string{`UPDATE tblNode SET nodeDesc = 'lead rooM' WHERE nodeName = 'Leads'`}, "description"},
		{"room description trailing space", []string{`UPDATE tblNode SET nodeDesc = 'lead room ' WHERE nodeName = 'Leads'`}, "description"},
		{"room privacy", []string{`UPDATE tblNode SET visibility = 3 WHERE nodeName = 'Pager'`}, "privacy"},
		{"room type", []string{`UPDATE tblNode SET behavior = 4 WHERE nodeName = 'Stage'`}, "type"},
		{"room invitations inherit", []string{`UPDATE tblNode SET invite = NULL WHERE nodeName = 'Stage'`}, "invitations"},
		{"room add-in dropped", []string{`UPDATE tblNode SET siopID = NULL WHERE nodeName = 'Leads'`}, "add-in"},
		{"room add-in swapped", []string{`UPDATE tblNode SET siopID = 'CCCCCCCC-0000-4000-8000-000000000002' WHERE nodeName = 'Leads'`}, "add-in"},
		{"room add-in added", []string{`UPDATE tblNode SET siopID = 'CCCCCCCC-0000-4000-8000-000000000002' WHERE nodeName = 'Pager'`}, "add-in"},
		{"add-in URL", []string{`UPDATE tblSiopWhiteList SET siopUrl = 'https://board.contoso.com/x' WHERE siopName = 'Board'`}, "URL"},
		{"room moved", []string{`UPDATE tblNode SET parentID = ` + ops + ` WHERE nodeName = 'Leads'`}, "category"},
		{"poster matched to another principal", []string{`UPDATE tblChat SET userId = ` + cy + ` WHERE userId = ` + bob}, "poster"},
		{"member matched to another principal", []string{`UPDATE tblPrincipalRole SET prinRolePrinID = ` + cy + ` WHERE prinRolePrinID = ` + bob + ` AND prinRoleNodeID = ` + leads},
			"member"},
		{"duplicate message in range", []string{
			`UPDATE tblChat SET chatId = chatId + 1 WHERE channelId = ` + leads + ` AND chatId >= (SELECT MIN(chatId) FROM tblChat WHERE channelId = ` + leads + `) + 5`,
			`INSERT INTO tblChat SELECT channelId, chatId + 1, chatDate, userId, isAlert, content, rtf FROM tblChat WHERE ` + chat(5)}, "room Leads"},
		{"duplicate message appended", []string{
			`INSERT INTO tblChat SELECT channelId, chatId + 100, chatDate, userId, isAlert, content, rtf FROM tblChat WHERE ` + chat(6),
			`UPDATE tblLastChatId SET lastChatID = lastChatID + 100 WHERE nodeID = ` + leads}, "room Leads"},
		{"order swapped", []string{
			`UPDATE tblChat SET chatId = chatId + 1000 WHERE ` + chat(4),
			`UPDATE tblChat SET chatId = chatId - 1 WHERE ` + chat(5),
			`UPDATE tblChat SET chatId = chatId - 999 WHERE channelId = ` + leads + ` AND chatId > 1000`},
			"room Leads"},
		{"message lost", []string{`DELETE FROM tblChat WHERE channelId = ` + pager}, "room Pager"},
		{"denied made allowed", []string{`UPDATE tblScopePrincipal SET scopeIsDenied = 0 WHERE scopePrinID = ` + cy}, "sip:cy@contoso.com"},
		{"allowed group dropped", []string{`DELETE FROM tblScopePrincipal WHERE scopePrinID = ` + grp}, "ma-grp:sales@contoso.com"},
		{"allowed folder swapped for domain", []string{`DELETE FROM tblScopePrincipal WHERE scopePrinID = ` + folder + ` AND scopeNodeID = ` + ops,
			`UPDATE tblPrincipalRole SET prinRolePrinID = ` + dc + ` WHERE prinRolePrinID = ` + folder}, "ma-grp:ou-ops@contoso.com"},
		{"allowed member added", []string{`INSERT INTO tblScopePrincipal SELECT ` + ops + `, ` + cy + `, 0, 1`}, "allowed member sip:cy@contoso.com is in the target, not in the source"},
		{"manager added", []string{`INSERT INTO tblPrincipalRole SELECT ` + stage + `, ` + ann + `, 2, 1`}, "manager sip:ann@contoso.com is in the target, not in the source"},
		{"category moved into a category", []string{`UPDATE tblNode SET parentID = ` + sales + ` WHERE nodeName = 'Ops'`}, "category Ops: inside category \"Sales\" in the target, under the root expected"},
		{"category moved into a room", []string{`UPDATE tblNode SET parentID = ` + leads + ` WHERE nodeName = 'Ops'`}, "category Ops: inside room \"Leads\" in the target, under the root expected"},
		{"category without parent", []string{`UPDATE tblNode SET parentID = NULL WHERE nodeName = 'Ops'`}, "category Ops: without a parent node in the target, under the root expected"},
		{"category invitations", []string{`UPDATE tblNode SET invite = 0 WHERE nodeName = 'Sales'`}, "invitations"},
		{"category invitations null", []string{`UPDATE tblNode SET invite = NULL WHERE nodeName = 'Sales'`}, "invitations"},
		{"category file upload", []string{`UPDATE tblNode SET filePost = 1 WHERE nodeName = 'Ops'`}, "file upload"},
		{"category history", []string{`UPDATE tblNode SET logged = 0 WHERE nodeName = 'Ops'`}, "chat history"},
		{"category description", []string{`UPDATE tblNode SET nodeDesc = 'sales' WHERE nodeName = 'Sales'`}, "description"},
		{"category creator", []string{`DELETE FROM tblPrincipalRole WHERE prinRoleNodeID = ` + ops + ` AND prinRoleTypeID = 4`}, "creator"},
		{"room renamed by case", []string{`UPDATE tblNode SET nodeName = 'leads' WHERE nodeName = 'Leads'`}, "named"},
		{"room made a category", []string{`UPDATE tblNode SET nodeType = 1, parentID = 1 WHERE nodeName = 'Pager'`}, "Pager"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path, arc := copyMigrated(t, migrated, arc)
			labtest.ExecSQLite(t, path, tc.stmts...)
			tgt := "sqlite:" + path
			for _, args := range [][]string{{"--archive", arc}, nil} {
				out, _, code := runCmd(t, append([]string{"verify", "--source", src, "--target", tgt}, args...)...)
				if code != exitDifferent || !strings.Contains(out, "DIFFERENT") {
					t.Errorf("verify %v: exit %d, want %d (DIFFERENT):\n%s", args, code, exitDifferent, out)
					continue
				}
				if args != nil && strings.Contains(out, "no import journal") {
					t.Errorf("verify %v did not find the import journal:\n%s", args, out)
				}
				var diffs []string
				for _, l := range strings.Split(out, "\n") {
					if strings.HasPrefix(l, "difference") {
						diffs = append(diffs, l)
					}
				}
				// Without the archive there is no journal range: a room
				// whose history is not the source's in order is compared
				// as a multiset, which names the room, not the field.
				if want := tc.want; args != nil && !strings.Contains(strings.Join(diffs, "\n"), want) {
					t.Errorf("verify %v: no difference says %q:\n%s", args, tc.want, out)
				}
			}
		})
	}
}

// TestVerifySubtleUndamagedIsEqual: the hand-built migration itself, and
// what the target's database compares as equal, are EQUAL.
func TestVerifySubtleUndamagedIsEqual(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src, tgt, arc := subtleMigrated(t, dir)
	for _, args := range [][]string{{"--archive", arc}, nil} {
		out, _, code := runCmd(t, append([]string{"verify", "--source", src, "--target", tgt}, args...)...)
		if code != 0 || !strings.Contains(out, "EQUAL") {
			t.Fatalf("verify %v: exit %d:\n%s", args, code, out)
		}
	}
}

// TestVerifyMergedIntoNamesTheDatabaseFindsEqual: the target already has
// a category and a room whose names differ from the source's only in case
// and trailing spaces, which the target's database (the embedded store:
// case-insensitive, trailing spaces ignored as SQL Server does) finds
// equal: the import merges into them, and verify, with the import journal
// and without it, says EQUAL.
func TestVerifyMergedIntoNamesTheDatabaseFindsEqual(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source", subtleSource...)
	tgt := handSQLPool(t, dir, "target",
		handSQLUser(10, "SIP:Ann@Contoso.com"),
		handSQLNode(200, 1, true, "SALES "),
		handSQLNode(2000, 200, false, "leads  "),
		`INSERT INTO tblScopePrincipal VALUES (200, 10, 0, 1)`,
		`INSERT INTO tblPrincipalRole VALUES (2000, 10, 1, 1)`,
		`INSERT INTO tblChat VALUES (2000, 1, 637503303671230000, 10, 0, 'the target''s own', NULL)`,
		`INSERT INTO tblLastChatId VALUES (2000, 1)`)
	arc := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", src, "--file", arc)
	mustRun(t, 0, "import", "--db", tgt, "--file", arc)
	for _, args := range [][]string{{"--archive", arc}, nil} {
		out, _, code := runCmd(t, append([]string{"verify", "--source", src, "--target", tgt}, args...)...)
		if code != 0 || !strings.Contains(out, "EQUAL") {
			t.Errorf("verify %v: exit %d:\n%s", args, code, out)
		}
	}
	journals, _ := filepath.Glob(filepath.Join(dir, "*.import-*.json"))
	for _, j := range journals {
		if err := os.Remove(j); err != nil {
			t.Fatal(err)
		}
	}
	out, _, code := runCmd(t, "verify", "--source", src, "--target", tgt, "--archive", arc)
	if code != 0 || !strings.Contains(out, "EQUAL") {
		t.Errorf("verify without the import journal: exit %d:\n%s", code, out)
	}
	mustContain(t, "verify without the import journal", out,
		`category Sales was merged into the target's category "SALES ", a name the target's database finds equal`,
		`room Leads was merged into the target's room "leads  ", a name the target's database finds equal`)
}

// TestVerifyRolesOfPrincipalsNotInTheSource: the source's category and
// room hold an allowed member, a denied member, a creator and a member
// whose prinIDs are not in tblPrincipal (rows left by removed
// principals). The doctor warns of them; the export leaves them out with a
// warning (an archive
// names principals by GUID), so nothing can carry them: verify notes
// them and says EQUAL, with the archive and without it. They were
// DIFFERENT ("allowed member prinID 97 is in the source, not in the
// target"), which no migration could ever make EQUAL.
func TestVerifyRolesOfPrincipalsNotInTheSource(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source", handSQLUser(10, "sip:ann@contoso.com"), handSQLNode(100, 1, true, "Sales"),
		handSQLNode(1000, 100, false, "Leads"),
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1), (100, 97, 0, 1), (100, 96, 1, 1)`,
		`INSERT INTO tblPrincipalRole VALUES (1000, 10, 1, 1), (1000, 98, 1, 1), (100, 95, 4, 1)`)
	tgt := handSQLPool(t, dir, "target")
	arc := filepath.Join(dir, "a.zip")
	stdout, _ := mustRun(t, 0, "doctor", "--db", src)
	mustContain(t, "doctor", stdout, "WARN  role entries    4 role or allowed/denied entries name 4 prinIDs not in tblPrincipal: 95 (1 entry), 96 (1 entry), 97 (1 entry), 98 (1 entry)")
	stdout, stderr := mustRun(t, 0, "export", "--db", src, "--file", arc)
	mustContain(t, "export", stdout+stderr, "1 member of prinIDs not in tblPrincipal (98): not exported")
	mustRun(t, 0, "import", "--db", tgt, "--file", arc)
	for _, args := range [][]string{{"--archive", arc}, nil} {
		out, _, code := runCmd(t, append([]string{"verify", "--source", src, "--target", tgt}, args...)...)
		if code != 0 || !strings.Contains(out, "EQUAL") {
			t.Errorf("verify %v: exit %d:\n%s", args, code, out)
			continue
		}
		mustContain(t, "verify", out,
			"note: source: category Sales: 1 allowed member, 1 creator and 1 denied member of prinIDs not in the source's tblPrincipal (95, 96, 97): no export carries them (an archive names principals by GUID); not compared",
			"note: source: room Leads: 1 member of prinIDs not in the source's tblPrincipal (98): no export carries them")
	}
	// A member of an existing principal lost from the target is still a
	// difference.
	labtest.ExecSQLite(t, strings.TrimPrefix(tgt, "sqlite:"), `DELETE FROM tblPrincipalRole WHERE prinRoleTypeID = 1`)
	out, _, code := runCmd(t, "verify", "--source", src, "--target", tgt, "--archive", arc)
	if code != exitDifferent {
		t.Fatalf("verify after the member was removed: exit %d:\n%s", code, out)
	}
	mustContain(t, "verify", out, "difference: room Leads: member sip:ann@contoso.com is in the source, not in the target")
}

// TestVerifyJournalMergeClaimForACreatedObject: an import journal whose
// outcomes say "merge" for the category and rooms the import created
// (stale, from another import, or edited) would have verify treat them as
// the target's own, keeping their own settings and entries: a room's
// description, a category's history setting and an extra member changed
// in the target were EQUAL. The import merges only into a target object
// that is not the source's (another GUID), so a target object of the
// source's GUID is compared as created, and a note says the journal was
// not believed.
func TestVerifyJournalMergeClaimForACreatedObject(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src, tgt, arc := subtleMigrated(t, dir)
	paths, _ := filepath.Glob(arc + ".import-*.json")
	if len(paths) != 1 {
		t.Fatalf("import journals: %q", paths)
	}
	b, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"action":"create"`) {
		t.Fatalf("the journal records no created object:\n%s", b)
	}
	if err := os.WriteFile(paths[0], []byte(strings.ReplaceAll(string(b), `"action":"create"`, `"action":"merge"`)), 0o644); err != nil {
		t.Fatal(err)
	}
	resealJournal(t, paths[0]) // sealed as the run journal is: edited, and its checksum made again
	out, _, code := runCmd(t, "verify", "--source", src, "--target", tgt, "--archive", arc)
	if code != 0 {
		t.Fatalf("verify of the undamaged target: exit %d:\n%s", code, out)
	}
	labtest.ExecSQLite(t, strings.TrimPrefix(tgt, "sqlite:"),
		`UPDATE tblNode SET nodeDesc = 'changed' WHERE nodeName = 'Leads'`,
		`UPDATE tblNode SET logged = 0 WHERE nodeName = 'Ops'`,
		`INSERT INTO tblPrincipalRole SELECT nodeID, (SELECT prinID FROM tblPrincipal WHERE prinUri = 'sip:cy@contoso.com'), 1, 1 FROM tblNode WHERE nodeName = 'Pager'`)
	out, _, code = runCmd(t, "verify", "--source", src, "--target", tgt, "--archive", arc)
	if code != exitDifferent {
		t.Fatalf("verify: exit %d, want %d:\n%s", code, exitDifferent, out)
	}
	mustContain(t, "verify", out,
		`difference: room Leads: description "lead room" in the source, "changed" in the target`,
		"difference: category Ops: chat history on in the source, off in the target",
		"difference: room Pager: member sip:cy@contoso.com is in the target, not in the source",
		"the import journal says the import merged it into the target's, but the target's holds the source's GUID")
}
