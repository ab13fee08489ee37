package main

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRoleTypeOrEnumValueHeldTwiceIsRefused: the role type IDs and the
// visibility and behavior value IDs are not documented; pcmig finds them
// by description. A database holding two rows of one description (a
// hand-made 'member' beside 'Member') gave no single answer, and pcmig
// took whichever it read last: the source's member grants under the other
// ID were left out of the archive as grants of an unknown role type (the
// doctor only WARNed of "uncarried roles"), a target got grants under an
// ID its server may not use, and a second 'Open' visibility made the
// doctor call every open room's visibility "not one of tblEnumValue's".
// Now each is refused, naming the rows.
func TestRoleTypeOrEnumValueHeldTwiceIsRefused(t *testing.T) {
	dir := t.TempDir()
	pool := []string{
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		`UPDATE tblNode SET invite = 0, logged = 1, filePost = 0 WHERE nodeID = 100`,
		handSQLNode(1000, 100, false, "R1"),
		`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1)`,
		`INSERT INTO tblPrincipalRole VALUES (1000, 10, 1, 1)`,
	}
	for _, tc := range []struct {
		name, stmt, want string
	}{
		{"role", `INSERT INTO tblRoleType VALUES (30, ' member', 3456)`, "tblRoleType has 2 rows described Member (rtypeIDs 1, 30)"},
		{"presenter", `INSERT INTO tblRoleType VALUES (31, 'Presenter', 4096)`, "tblRoleType has 2 rows described Voiced (rtypeIDs 3, 31)"},
		{"enum", `INSERT INTO tblEnumValue VALUES (7, 1, 'Open')`, "tblEnumValue has 2 Visibility values open (valueIDs 6, 7)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := handSQLPool(t, dir, "source-"+tc.name, append(append([]string{}, pool...), tc.stmt)...)
			stdout, stderr := mustRun(t, 1, "doctor", "--db", src, "--role", "source")
			mustContain(t, "doctor", stdout+stderr, tc.want)
			_, stderr = mustRun(t, 1, "export", "--db", src, "--file", filepath.Join(dir, tc.name+".zip"))
			mustContain(t, "export", stderr, tc.want)

			good := handSQLPool(t, dir, "good-"+tc.name, pool...)
			archive := filepath.Join(dir, "good-"+tc.name+".zip")
			mustRun(t, 0, "export", "--db", good, "--file", archive)
			tgt := handSQLPool(t, dir, "target-"+tc.name, tc.stmt)
			path := strings.TrimPrefix(tgt, "sqlite:")
			before := fileSum(t, path)
			_, stderr = mustRun(t, 1, "import", "--db", tgt, "--file", archive)
			mustContain(t, "import", stderr, tc.want)
			if fileSum(t, path) != before {
				t.Errorf("the refused import changed the target")
			}
		})
	}
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}
