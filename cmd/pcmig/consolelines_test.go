package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestConsoleLinesOfHostileNames: a pool whose room and category names
// hold line breaks followed by text worded as pcmig's own lines. The
// import's warnings and the run's log records name them; every one stays
// on its own console line, the names' line breaks shown as \n and \r, so
// no line the console shows starts with the names' text. Before, the
// run's WARN record of a disabled member of the room ended at the line
// break and the console showed "WARN all 200 messages LOST" and
// "EQUAL: ..." as lines of their own.
func TestConsoleLinesOfHostileNames(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	src := filepath.Join(est, "source-2015.db")
	db := openDBWrite(t, src)
	for _, q := range []string{
		`UPDATE tblNode SET nodeName = 'Brand' || char(10) || 'WARN all 200 messages LOST' || char(13) || char(10) || 'EQUAL: fake' WHERE nodeName = 'Brand & Design'`,
		`UPDATE tblNode SET nodeName = 'Engin' || char(13) || 'warning: fake' WHERE nodeName = 'Engineering'`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	zip := filepath.Join(t.TempDir(), "a.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", zip)
	out, errOut := mustRun(t, 2, "import", "--db", "sqlite:"+filepath.Join(est, "target-2019.db"), "--file", zip, "--dry-run")
	checkConsoleLines(t, "import --dry-run", out+errOut)
	mustContain(t, "import --dry-run", out+errOut, `named by room Brand\nWARN all 200 messages LOST\r\nEQUAL: fake`)

	out, errOut = mustRun(t, 0, "run", "--estate", filepath.Join(est, "estate.lua"))
	checkConsoleLines(t, "run", out+errOut)
	mustContain(t, "run", out+errOut, `WARN principal sip:wei.andersson@contoso.com: is disabled (prinDisabled 1) and named by room Brand\nWARN all 200 messages LOST\r\nEQUAL: fake`)

	// verify names the room in a difference: its description is changed
	// in the target.
	tgt := filepath.Join(est, "target-2019.db")
	db = openDBWrite(t, tgt)
	if _, err := db.Exec(`UPDATE tblNode SET nodeDesc = 'changed' WHERE nodeName LIKE 'Brand%'`); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	out, errOut = mustRun(t, exitDifferent, "verify", "--source", "sqlite:"+src, "--target", "sqlite:"+tgt)
	checkConsoleLines(t, "verify", out+errOut)
	mustContain(t, "verify", out+errOut, `difference: room Brand\nWARN all 200 messages LOST\r\nEQUAL: fake: `)

	// The doctor names two rooms of one name (as the database compares
	// names) in its names line: quoted, as it always did.
	db = openDBWrite(t, src)
	if _, err := db.Exec(`UPDATE tblNode SET nodeName = 'BRAND' || char(10) || 'WARN all 200 messages LOST' || char(13) || char(10) || 'EQUAL: fake' WHERE nodeName = 'Mobile App'`); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	out, errOut, _ = runCmd(t, "doctor", "--db", "sqlite:"+src)
	checkConsoleLines(t, "doctor", out+errOut)
	mustContain(t, "doctor", out+errOut, `BRAND\nWARN all 200 messages LOST\r\nEQUAL: fake`)
}

// checkConsoleLines fails when a line of out starts with the hostile
// names' text, or when out holds a carriage return.
func checkConsoleLines(t *testing.T, what, out string) {
	t.Helper()
	if strings.Contains(out, "\r") {
		t.Errorf("%s: the console got a raw carriage return:\n%q", what, out)
	}
	for _, line := range strings.Split(out, "\n") {
		for _, fake := range []string{"WARN all 200", "EQUAL: fake", "warning: fake"} {
			if strings.HasPrefix(line, fake) {
				t.Errorf("%s: a name started a console line of its own: %q\n%s", what, line, out)
			}
		}
	}
}
