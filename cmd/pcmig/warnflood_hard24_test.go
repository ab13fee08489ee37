package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
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
