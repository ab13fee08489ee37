package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestVerifyNamesSourceRoomsInNoCategory: a hand-built source holds, next
// to a room in its category, three rooms in no category with messages:
// one at the root, one inside a room and one whose parent node is
// missing. Persistent Chat keeps every room in a category, so the export
// leaves them and their history out (it warns), and the import cannot
// bring them. verify said "1 of 1 room ... EQUAL: source and target hold
// the same categories, rooms, roles and messages", silent about four
// messages that did not arrive; now each room is named with its message
// count in a note (text, JSON and the EQUAL line), not a difference: no
// migration could carry it.
func TestVerifyNamesSourceRoomsInNoCategory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "R1"),
		handSQLNode(1001, 1, false, "At root"),
		handSQLNode(1002, 1000, false, "Inside a room"),
		handSQLNode(1003, 555, false, "Parent gone"),
		`INSERT INTO tblPrincipalRole VALUES (100, 10, 4, 1)`,
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1)`,
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'carried', NULL),
  (1001, 1, 637503303671230000, 10, 0, 'lost 1', NULL), (1001, 2, 637503303671230001, 10, 0, 'lost 2', NULL),
  (1002, 1, 637503303671230000, 10, 0, 'lost 3', NULL), (1003, 1, 637503303671230000, 10, 0, 'lost 4', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 1), (1001, 2), (1002, 1), (1003, 1)`)
	tgt := handSQLPool(t, dir, "target")
	arc := filepath.Join(dir, "a.zip")
	stdout, stderr := mustRun(t, 0, "export", "--db", src, "--file", arc)
	mustContain(t, "export", stdout+stderr, `room "At root" is not in a category`)
	mustRun(t, 0, "import", "--db", tgt, "--file", arc)

	stdout, _ = mustRun(t, 0, "verify", "--source", src, "--target", tgt, "--archive", arc)
	mustContain(t, "verify", stdout,
		`note: source: room "At root" (node 1001) is in no category (at the root) and holds 2 messages: no export carries it`,
		`note: source: room "Inside a room" (node 1002) is in no category (inside room "R1", node 1000) and holds 1 message: no export carries it`,
		`note: source: room "Parent gone" (node 1003) is in no category (its parent node 555 is missing) and holds 1 message: no export carries it`,
		"EQUAL: source and target hold the same categories, rooms, roles and messages, but for 3 source rooms in no category (4 messages) that no export carries (see the notes)")

	var res struct {
		Verdict    string `json:"verdict"`
		NoCategory []struct {
			Source, Name, Where, Text string
			Node                      int32
			Messages                  int64
		} `json:"rooms_in_no_category"`
	}
	stdout, _ = mustRun(t, 0, "verify", "--source", src, "--target", tgt, "--archive", arc, "--json")
	decodeJSON(t, []byte(stdout), &res)
	var got []string
	for _, r := range res.NoCategory {
		got = append(got, r.Name+"|"+r.Where+"|"+strconv.FormatInt(r.Messages, 10))
		if !strings.HasPrefix(r.Text, `source: room "`+r.Name+`"`) || !strings.Contains(r.Text, "no export carries it") {
			t.Errorf("JSON rooms_in_no_category text %q", r.Text)
		}
	}
	want := `At root|at the root|2 Inside a room|inside room "R1", node 1000|1 Parent gone|its parent node 555 is missing|1`
	if strings.Join(got, " ") != want || res.Verdict != "EQUAL" {
		t.Errorf("JSON verdict %s, rooms_in_no_category %q, want EQUAL and %q", res.Verdict, got, want)
	}

	html := filepath.Join(dir, "verify.html")
	mustRun(t, 0, "verify", "--source", src, "--target", tgt, "--archive", arc, "--report", html)
	mustContain(t, "verify --report", string(readFile(t, html)), "Rooms in no category", "3 source rooms in no category with 4 messages did not arrive",
		"room &#34;Parent gone&#34; (node 1003) is in no category (its parent node 555 is missing)")

	// Without the archive verify reads the source alone: the same notes.
	stdout, _ = mustRun(t, 0, "verify", "--source", src, "--target", tgt)
	mustContain(t, "verify without --archive", stdout, `room "At root" (node 1001) is in no category (at the root) and holds 2 messages`)
}

// TestMigrateConsoleNamesSourceRoomsInNoCategory: the bundled script's
// reconciliation step shows each source room in no category on the
// console (a warning, in the report too), not only among the notes it
// logs at info level.
func TestMigrateConsoleNamesSourceRoomsInNoCategory(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--users", "12", "--categories", "1", "--rooms", "1", "--messages", "5")
	src := filepath.Join(dir, "source-2015.db")
	rows := sqlRows(t, src, `SELECT MIN(prinID) FROM tblPrincipal WHERE prinTypeID = 5`)
	root := sqlRows(t, src, `SELECT nodeID FROM tblNode WHERE nodeType = 1 AND parentID = nodeID`)
	labtest.ExecSQLite(t, src,
		`INSERT INTO tblNode SELECT 90001, 'CCCCCCCC-0000-4000-8000-000000090001', `+root[0]+`, 0, 'Lost room', '', NULL, NULL, NULL, 0,
  behavior, visibility, NULL, 1, nodeAddedOn, 1, nodeUpdatedOn, NULL FROM tblNode WHERE nodeType = 0 LIMIT 1`,
		`INSERT INTO tblChat VALUES (90001, 1, 637503303671230000, `+rows[0]+`, 0, 'lost', NULL)`,
		`INSERT INTO tblLastChatId VALUES (90001, 1)`)
	_, stderr := mustRun(t, 0, "run", "--estate", filepath.Join(dir, "estate.lua"))
	mustContain(t, "run", stderr, `room "Lost room" (node 90001) is in no category (at the root) and holds 1 message: no export carries it`)
}
