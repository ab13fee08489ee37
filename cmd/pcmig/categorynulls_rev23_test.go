package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestCategoryNullSettingsWarningsAreCapped: a hand-built source of 13
// categories whose invite, filePost and logged are NULL, and 12 rooms
// whose logged is 1. The export gave one warning of about 300 characters
// per category and per room (a pool where every category or room holds
// them: a warning per node); now it names at most 10 of each, as the
// doctor's lines do, and says how many more there are.
func TestCategoryNullSettingsWarningsAreCapped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	stmts := []string{handSQLUser(10, "sip:a@contoso.com")}
	for i := 0; i < 13; i++ {
		stmts = append(stmts, handSQLNode(100+i, 1, true, fmt.Sprintf("Cat%02d", i)),
			fmt.Sprintf(`INSERT INTO tblScopePrincipal VALUES (%d, 10, 0, 1)`, 100+i))
	}
	for i := 0; i < 12; i++ {
		stmts = append(stmts, handSQLNode(1000+i, 100, false, fmt.Sprintf("Room%02d", i)),
			fmt.Sprintf(`UPDATE tblNode SET logged = 1 WHERE nodeID = %d`, 1000+i))
	}
	src := handSQLPool(t, dir, "source", stmts...)
	stdout, stderr := mustRun(t, 0, "export", "--db", src, "--file", filepath.Join(dir, "a.zip"))
	out := stdout + stderr
	if n := strings.Count(out, "are NULL, which the reference documents"); n != 10 {
		t.Errorf("export named %d categories, want 10:\n%s", n, out)
	}
	mustContain(t, "export", out, `category "Cat09": invitations (invite)`,
		"... 13 exported categories holding NULL in invitations (invite), file upload (filePost) or chat history (logged) (exported as off: the target's categories get 0) in all (3 more not shown)")
	if strings.Contains(out, `"Cat10"`) {
		t.Errorf("export names an 11th category:\n%s", out)
	}
	if n := strings.Count(out, "is set, which the reference documents as NULL on a room"); n != 10 {
		t.Errorf("export named %d rooms, want 10:\n%s", n, out)
	}
	mustContain(t, "export", out, `room "Room09": chat history (logged) 1 is set`,
		"... 12 exported rooms with chat history (logged) or file upload (filePost) set (not exported: the target's rooms get NULL) in all (2 more not shown)")
	if strings.Contains(out, `"Room10"`) {
		t.Errorf("export names an 11th room:\n%s", out)
	}
}
