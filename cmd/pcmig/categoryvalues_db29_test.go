package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestCategoryBehaviorVisibilityFromTheTarget: what a category holds in
// tblNode.behavior and visibility (NOT NULL columns whose documented
// meaning is a room's) is not documented, so a category the import creates
// takes what the target's server wrote: the values most of the target's
// categories hold, else the root's. The import wrote normal and open
// whatever the target held.
func TestCategoryBehaviorVisibilityFromTheTarget(t *testing.T) {
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		`UPDATE tblNode SET invite = 0, logged = 1, filePost = 0 WHERE nodeID = 100`,
		handSQLNode(1000, 100, false, "R1"))
	archive := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", src, "--file", archive)

	for _, tc := range []struct {
		name  string
		stmts []string
		want  string // behavior|visibility of the new category
	}{
		{"root only", []string{`UPDATE tblNode SET behavior = 5, visibility = 2 WHERE nodeID = 1`}, "5|2"},
		{"categories", []string{
			handSQLNode(200, 1, true, "Own 1"), handSQLNode(201, 1, true, "Own 2"), handSQLNode(202, 1, true, "Own 3"),
			`UPDATE tblNode SET behavior = 5, visibility = 3 WHERE nodeID IN (200, 201)`,
			`UPDATE tblNode SET behavior = 4, visibility = 2 WHERE nodeID = 202`,
			handSQLNode(2000, 202, false, "Own room"),
		}, "5|3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tgt := handSQLPool(t, dir, "target-"+strings.ReplaceAll(tc.name, " ", "-"), tc.stmts...)
			mustRun(t, 0, "import", "--db", tgt, "--file", archive)
			path := strings.TrimPrefix(tgt, "sqlite:")
			got := labtest.QuerySQLite(t, path, `SELECT behavior || '|' || visibility FROM tblNode WHERE nodeName = 'Cat'`)
			if len(got) != 1 || got[0][0] != tc.want {
				t.Errorf("category Cat holds behavior|visibility %q, want %s", got, tc.want)
			}
			room := labtest.QuerySQLite(t, path, `SELECT behavior || '|' || visibility FROM tblNode WHERE nodeName = 'R1'`)
			if len(room) != 1 || room[0][0] != "4|6" {
				t.Errorf("room R1 holds behavior|visibility %q, want its own 4|6", room)
			}
		})
	}
}
