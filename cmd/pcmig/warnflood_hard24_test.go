package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// floodPool is a hand-built source whose every category and room holds
// a leftover the export warns of once per node: n categories, every
// second one inside the first (not under the root), whose invite,
// filePost and logged are NULL; n rooms with chat history (logged) set,
// a creator (a role an archive does not carry on a room), a member of a
// prinID not in tblPrincipal, a presenter although the room is normal and
// a disabled member outside its category's allowed members; and n rooms
// whose parent is gone.
func floodPool(t *testing.T, dir string, n int) string {
	t.Helper()
	stmts := []string{handSQLUser(10, "sip:a@contoso.com")}
	for i := 0; i < n; i++ {
		parent := 1
		if i%2 == 1 {
			parent = 100
		}
		stmts = append(stmts, handSQLNode(100+i, parent, true, fmt.Sprintf("Cat%02d", i)),
			fmt.Sprintf(`INSERT INTO tblScopePrincipal VALUES (%d, 10, 0, 1)`, 100+i),
			handSQLUser(2000+i, fmt.Sprintf("sip:d%02d@contoso.com", i)),
			fmt.Sprintf(`UPDATE tblPrincipal SET prinDisabled = 1 WHERE prinID = %d`, 2000+i),
			handSQLNode(1000+i, 100+i, false, fmt.Sprintf("Room%02d", i)),
			fmt.Sprintf(`UPDATE tblNode SET logged = 1 WHERE nodeID = %d`, 1000+i),
			fmt.Sprintf(`INSERT INTO tblPrincipalRole VALUES (%d, 10, 4, 1), (%d, 999999, 1, 1), (%d, 10, 3, 1), (%d, %d, 1, 1)`, 1000+i, 1000+i, 1000+i, 1000+i, 2000+i),
			handSQLNode(5000+i, 777777, false, fmt.Sprintf("Lost%02d", i)))
	}
	return handSQLPool(t, dir, "source", stmts...)
}

// TestExportWarningsPerNodeAreSummarised: a hand-built pool of 14
// categories and 14 rooms, each with the leftovers floodPool gives. The
// export printed one console line per node and leftover (04de773 capped
// only the NULL settings, and dropped the rest from the report too); a
// pool of thousands of such rooms printed thousands of lines. Now the
// console shows the first 10 of each kind, then how many there are and
// where every one is, and the report lists every one.
func TestExportWarningsPerNodeAreSummarised(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const n = 14
	src := floodPool(t, dir, n)
	rep := filepath.Join(dir, "export.json")
	stdout, stderr := mustRun(t, 0, "export", "--db", src, "--file", filepath.Join(dir, "a.zip"), "--report", rep)
	out := stdout + stderr
	for _, k := range []struct{ each, summary string }{
		{"member of prinIDs not in tblPrincipal", "... 14 categories and rooms with grants or entries of prinIDs not in tblPrincipal (not exported) in all (4 more not shown): the report lists every one"},
		{"is not in a category (its parent node is not a category)", "... 14 rooms not in a category (not exported) in all (4 more not shown)"},
		{"creator: not exported", "... 14 categories and rooms with role grants or entries an archive does not carry (not exported) in all (4 more not shown)"},
		{"are NULL, which the reference documents", "... 14 exported categories holding NULL in invitations (invite), file upload (filePost) or chat history (logged) (exported as off: the target's categories get 0) in all (4 more not shown)"},
		{"is set, which the reference documents as NULL on a room", "... 14 exported rooms with chat history (logged) or file upload (filePost) set (not exported: the target's rooms get NULL) in all (4 more not shown)"},
	} {
		if got := strings.Count(out, k.each); got != 10 {
			t.Errorf("%d console lines with %q, want 10", got, k.each)
		}
		mustContain(t, "export", out, k.summary)
	}
	// 7 categories are inside Cat00: all shown (no more than 10).
	if got := strings.Count(out, `is inside category "Cat00", not under the root`); got != 7 {
		t.Errorf("%d categories not under the root named, want 7:\n%s", got, out)
	}
	if lines := strings.Count(out, "\n"); lines > 70 {
		t.Errorf("export printed %d lines:\n%s", lines, out)
	}
	var res struct {
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal(readFile(t, rep), &res); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(res.Warnings, "\n")
	for _, want := range []string{`room "Room13": 1 member of prinIDs`, `room "Lost13" is not in a category`, `room "Room13": 1 creator`,
		`category "Cat13": invitations (invite)`, `room "Room13": chat history (logged) 1 is set`, `category "Cat13" is inside category "Cat00"`} {
		if !strings.Contains(all, want) {
			t.Errorf("the report's warnings lack %q", want)
		}
	}
	if len(res.Warnings) != 5*n+7 {
		t.Errorf("the report lists %d warnings, want %d", len(res.Warnings), 5*n+7)
	}

	// Without --report the summary says how to get every one.
	stdout, _ = mustRun(t, 0, "export", "--db", src, "--file", filepath.Join(dir, "b.zip"))
	mustContain(t, "export without --report", stdout, "(4 more not shown): --report FILE.html lists every one")
}

// TestImportProblemsPerObjectAreSummarised: the archive of a hand-built
// pool of 14 categories and 14 rooms (floodPool), imported into an empty
// target and, its dry run, into a copy of the source whose categories and
// rooms have other GUIDs (a conflict per name). 'pcmig import' printed
// every problem, conflict and (in a dry run) plan line, one per object:
// a pool of thousands of rooms printed thousands of lines (2,000 rooms:
// 8,002 lines for the dry run); only 'pcmig run' summarised, and only
// inactive principals and roles not allowed. Now each repeating kind
// shows its first 10, then how many and where; the report lists every one.
func TestImportProblemsPerObjectAreSummarised(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const n = 14
	src := floodPool(t, dir, n)
	arc := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", src, "--file", arc)
	tgt := handSQLPool(t, dir, "target")
	stdout, _ := mustRun(t, 2, "import", "--db", tgt, "--file", arc, "--dry-run")
	for _, k := range []struct{ each, summary string }{
		{"presenters apply to auditorium rooms only", "... 14 rooms with presenters that are not auditorium rooms in all (4 more not shown): --report FILE.html lists every one"},
		{"is disabled (prinDisabled 1)", "... 14 disabled or deleted principals in all (4 more not shown)"},
		{"  room     create ", "  ... 14 rooms in the plan in all (4 more not shown)"},
		{"  category create ", "  ... 14 categories in the plan in all (4 more not shown)"},
	} {
		if got := strings.Count(stdout, k.each); got != 10 {
			t.Errorf("dry run: %d lines with %q, want 10", got, k.each)
		}
		mustContain(t, "import --dry-run", stdout, k.summary)
	}

	rep := filepath.Join(dir, "import.json")
	stdout, _ = mustRun(t, 0, "import", "--db", tgt, "--file", arc, "--report", rep)
	mustContain(t, "import", stdout, "... 14 rooms with presenters that are not auditorium rooms in all (4 more not shown): the report lists every one")
	var res struct {
		Problems []struct{ Object, Message, Kind string } `json:"problems"`
	}
	if err := json.Unmarshal(readFile(t, rep), &res); err != nil {
		t.Fatal(err)
	}
	presenters := 0
	for _, p := range res.Problems {
		if strings.Contains(p.Message, "presenters apply to auditorium rooms only") {
			presenters++
			if p.Kind != "presenters" {
				t.Errorf("problem %s %q: kind %q, want presenters", p.Object, p.Message, p.Kind)
			}
		}
	}
	if presenters != n {
		t.Errorf("the report lists %d rooms with presenters, want %d", presenters, n)
	}

	// A target holding every name under other GUIDs: a conflict each.
	other := filepath.Join(dir, "other.db")
	if err := os.WriteFile(other, readFile(t, strings.TrimPrefix(src, "sqlite:")), 0o644); err != nil {
		t.Fatal(err)
	}
	labtest.ExecSQLite(t, other, `UPDATE tblNode SET nodeGuid = 'CCCCCCCC' || substr(nodeGuid, 9) WHERE nodeID > 1`)
	stdout, _ = mustRun(t, 0, "import", "--db", "sqlite:"+other, "--file", arc, "--dry-run")
	if got := strings.Count(stdout, "conflict: room "); got != 10 {
		t.Errorf("dry run: %d room conflicts shown, want 10:\n%s", got, stdout)
	}
	mustContain(t, "import --dry-run", stdout, "... 14 room conflicts in all (4 more not shown)", "... 14 category conflicts in all (4 more not shown)")
	if lines := strings.Count(stdout, "\n"); lines > 80 {
		t.Errorf("dry run printed %d lines:\n%s", lines, stdout)
	}
}

// TestVerifyNotesPerObjectAreSummarised: verify of floodPool's source (14
// categories and 14 rooms) with its migrated target. 'pcmig verify'
// printed a note per room with a grant of an unknown prinID, per room in
// no category and per role not carried (2,000 rooms: 4,104 lines). Now
// each kind shows its first 10, then how many and where; the JSON keeps
// every one.
func TestVerifyNotesPerObjectAreSummarised(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const n = 14
	src := floodPool(t, dir, n)
	arc := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", src, "--file", arc)
	tgt := handSQLPool(t, dir, "target")
	mustRun(t, 0, "import", "--db", tgt, "--file", arc)
	stdout, _ := mustRun(t, 0, "verify", "--source", src, "--target", tgt, "--archive", arc)
	for _, k := range []struct{ each, summary string }{
		{"(999999): no export carries them", "note: ... 14 notes of categories and rooms with roles or entries of prinIDs not in the source's tblPrincipal (not compared) in all (4 more not shown): --report FILE.html lists every one"},
		{"is in no category", "note: ... 14 source rooms in no category (no export carries them) in all (4 more not shown)"},
		{"not carried: room", ""},
	} {
		if got := strings.Count(stdout, k.each); got != 10 {
			t.Errorf("%d lines with %q, want 10:\n%s", got, k.each, stdout)
		}
		if k.summary != "" {
			mustContain(t, "verify", stdout, k.summary)
		}
	}
	mustContain(t, "verify", stdout, "source roles not carried (outside their category's allowed members minus denied members) in all (")
	stdout, _ = mustRun(t, 0, "verify", "--source", src, "--target", tgt, "--archive", arc, "--json")
	var res struct {
		Notes      []string          `json:"notes"`
		NoCategory []json.RawMessage `json:"rooms_in_no_category"`
	}
	decodeJSON(t, []byte(stdout), &res)
	if got := strings.Count(strings.Join(res.Notes, "\n"), "of prinIDs not in the source's tblPrincipal"); got != n || len(res.NoCategory) != n {
		t.Errorf("JSON: %d notes of unknown prinIDs and %d rooms in no category, want %d each", got, len(res.NoCategory), n)
	}
}

// TestVerifyNotesCategoryNullSettings: a hand-built source whose category
// "Nulls" holds NULL in invite, filePost and logged and "Half" in logged
// only, migrated. The import writes 0 (an archive holds the settings as
// on or off) and verify, reading NULL as off in both pools, said EQUAL
// and nothing more, while the export and the doctor warn. Now verify
// notes each such category and setting (not a difference: the verdict
// stays EQUAL); a category of 1s and 0s is not named.
func TestVerifyNotesCategoryNullSettings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Nulls"),
		handSQLNode(101, 1, true, "Half"),
		handSQLNode(102, 1, true, "Set"),
		`UPDATE tblNode SET invite = 1, filePost = 0 WHERE nodeID = 101`,
		`UPDATE tblNode SET invite = 0, filePost = 1, logged = 0 WHERE nodeID = 102`,
		handSQLNode(1000, 100, false, "R1"),
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1), (101, 10, 0, 1), (102, 10, 0, 1)`,
		`INSERT INTO tblPrincipalRole VALUES (1000, 10, 1, 1)`)
	arc := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", src, "--file", arc)
	tgt := handSQLPool(t, dir, "target")
	mustRun(t, 0, "import", "--db", tgt, "--file", arc)
	stdout, _ := mustRun(t, 0, "verify", "--source", src, "--target", tgt, "--archive", arc)
	mustContain(t, "verify", stdout,
		"note: source: category Nulls: invitations (invite), file upload (filePost) and chat history (logged) are NULL in the source, which verify reads as off",
		"note: source: category Half: chat history (logged) is NULL in the source, which verify reads as off, as the export carried it and the import wrote 0",
		"EQUAL: ")
	if strings.Contains(stdout, "category Set:") {
		t.Errorf("verify names category Set, whose settings are 0 and 1:\n%s", stdout)
	}
}

// TestDoctorNamesMessagesThatAreNotUTF8: a hand-built source (SQLite
// keeps any bytes) with 12 messages whose content or rtf is not valid
// UTF-8 (a UTF-16 surrogate encoded alone). The export refuses the pool,
// naming the first; 'pcmig doctor' said 0 FAIL ("every name ... is valid
// UTF-8"), so the dry run was the first to stop. Now the doctor's "text"
// line fails, naming the first 10 by room and chat ID (not their bytes)
// and how many more, in the pass over tblChat it already made.
func TestDoctorNamesMessagesThatAreNotUTF8(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	stmts := []string{handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "Lobby"),
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1)`,
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'fine', NULL),
  (1000, 2, 637503303671230001, 10, 0, CAST(X'61EDA08062' AS TEXT), NULL),
  (1000, 3, 637503303671230002, 10, 0, 'fine', CAST(X'7B5C727466EDA080' AS TEXT))`}
	for i := 4; i <= 13; i++ {
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO tblChat VALUES (1000, %d, 637503303671230003, 10, 0, CAST(X'EDA080' AS TEXT), NULL)`, i))
	}
	stmts = append(stmts, `INSERT INTO tblLastChatId VALUES (1000, 13)`)
	src := handSQLPool(t, dir, "source", stmts...)
	stdout, stderr, code := runCmd(t, "doctor", "--db", src, "--role", "source")
	if code != exitError {
		t.Fatalf("doctor: exit %d, want %d:\n%s%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "doctor", stdout,
		`FAIL  text            12 messages hold text that is not valid UTF-8 (values are not shown): room "Lobby" (nodeID 1000), message 2: content; room "Lobby" (nodeID 1000), message 3: rtf; room "Lobby" (nodeID 1000), message 4: content;`,
		"message 11: content; and 2 more", "the export refuses the pool and writes no archive")
	if strings.Contains(stdout+stderr, "\xed") || strings.Contains(stdout, "every name") {
		t.Errorf("doctor quotes the bytes, or says the text is valid:\n%q", stdout)
	}
	clean := handSQLPool(t, dir, "clean", handSQLUser(10, "sip:a@contoso.com"), handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "Lobby"), `INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'fine é', '{\rtf1 x}')`,
		`INSERT INTO tblLastChatId VALUES (1000, 1)`)
	stdout, _ = mustRun(t, 0, "doctor", "--db", clean, "--role", "source")
	mustContain(t, "doctor of a clean pool", stdout, "and every message's text is valid UTF-8")
}

// TestDoctorNamesMessagesDatedOutsideDotNet: a hand-built source whose
// room holds messages dated -1 and 3155378976000000000 (ticks; chatDate is
// a bigint) beside ones at the range's ends, 0 and 3155378975999999999.
// The export carries them with a warning and the import refuses the
// archive before writing anything, but 'pcmig doctor --role source' said 0
// FAIL. Now its "tblChat" line fails naming them (as a target's, a WARN),
// from the pass over tblChat it already made.
func TestDoctorNamesMessagesDatedOutsideDotNet(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "Extreme dates"),
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1)`,
		`INSERT INTO tblChat VALUES (1000, 1, 0, 10, 0, 'year 1', NULL), (1000, 2, 3155378975999999999, 10, 0, 'year 9999', NULL),
  (1000, 3, -1, 10, 0, 'before', NULL), (1000, 4, 3155378976000000000, 10, 0, 'after', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 4)`)
	stdout, stderr, code := runCmd(t, "doctor", "--db", src, "--role", "source")
	if code != exitError {
		t.Fatalf("doctor: exit %d, want %d:\n%s%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "doctor", stdout,
		`FAIL  tblChat         2 messages are dated outside the .NET DateTime range (ticks 0 to 3155378975999999999, 0001-01-01 to 9999-12-31): room "Extreme dates" (nodeID 1000), message 3: chatDate -1; room "Extreme dates" (nodeID 1000), message 4: chatDate 3155378976000000000`,
		"the import refuses the archive before writing anything")
	stdout, _ = mustRun(t, 0, "doctor", "--db", src)
	mustContain(t, "doctor --role target", stdout, "WARN  tblChat         2 messages are dated outside the .NET DateTime range")
}

// TestDisabledCategoryIsNamed: a hand-built source whose category "Off"
// holds disabled 1 (the reference: "1 = room disabled. Always 0 for
// categories."). An archive has no disabled flag for a category, so the
// target's category got 0, and the doctor, the export and verify said
// nothing. Now the doctor (source) and the export name it; a category of
// disabled 0 is named by neither.
func TestDisabledCategoryIsNamed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Off"),
		handSQLNode(101, 1, true, "On"),
		`UPDATE tblNode SET disabled = 1, invite = 0, logged = 1, filePost = 0 WHERE nodeID = 100`,
		`UPDATE tblNode SET invite = 0, logged = 1, filePost = 0 WHERE nodeID = 101`,
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1), (101, 10, 0, 1)`)
	stdout, _ := mustRun(t, 0, "doctor", "--db", src, "--role", "source")
	mustContain(t, "doctor", stdout,
		`WARN  categories      1 category holds disabled 1, which the reference documents as always 0 for a category (it disables a room): "Off" (nodeID 100): disabled 1`)
	arc := filepath.Join(dir, "a.zip")
	stdout, _ = mustRun(t, 0, "export", "--db", src, "--file", arc)
	mustContain(t, "export", stdout, `warning: category "Off": disabled is 1, which the reference documents as always 0 for a category: not exported`)
	if strings.Contains(stdout, `"On"`) {
		t.Errorf("export names category On:\n%s", stdout)
	}
	tgt := handSQLPool(t, dir, "target")
	mustRun(t, 0, "import", "--db", tgt, "--file", arc)
	got := labtest.QuerySQLite(t, strings.TrimPrefix(tgt, "sqlite:"), `SELECT nodeName, disabled FROM tblNode WHERE nodeType = 1 AND nodeName <> '' ORDER BY nodeName`)
	if want := "[[Off 0] [On 0]]"; fmtRows(got) != want {
		t.Errorf("target categories %v, want %s", fmtRows(got), want)
	}
}

// TestExportWarnsOfNamesHeldTwice: a hand-built source whose category
// holds rooms "Room A" and "room a " (one name as the embedded database
// compares names: case, trailing spaces) and whose categories "Sales" and
// "SALES" share one too. The doctor's "names" line fails, and every
// import of the archive refuses it ("room names are unique in a pool"),
// but the export exited 0 without a word (with --disable-exported, after
// disabling the rooms). Now it warns, naming each group and what to do.
func TestExportWarnsOfNamesHeldTwice(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Sales"),
		handSQLNode(101, 1, true, "SALES"),
		handSQLNode(1000, 100, false, "Room A"),
		handSQLNode(1001, 101, false, "room a "),
		handSQLNode(1002, 100, false, "Room B"),
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1), (101, 10, 0, 1)`)
	arc := filepath.Join(dir, "a.zip")
	stdout, _ := mustRun(t, 0, "export", "--db", src, "--file", arc)
	mustContain(t, "export", stdout,
		`warning: categories "SALES" and "Sales" share one name as this database compares names (category names are unique in a pool): every import of this archive refuses it before writing anything`,
		`warning: rooms "Room A" (in "Sales") and "room a " (in "SALES") share one name`, "Set-CsPersistentChatRoom -Name")
	if strings.Contains(stdout, `"Room B"`) {
		t.Errorf("export names Room B:\n%s", stdout)
	}
	// What the warning says is what the import does.
	tgt := handSQLPool(t, dir, "target")
	stdout, _, code := runCmd(t, "import", "--db", tgt, "--file", arc)
	if code != exitError || !strings.Contains(stdout, "room names are unique in a pool") {
		t.Errorf("import: exit %d, want %d and a refusal:\n%s", code, exitError, stdout)
	}
}
