package main

import (
	"path/filepath"
	"testing"
)

// TestExportSaysWhereEachCategoryOutsideTheRootWas: the export carries a
// category that is not under the root as a top-level one and warns. It
// said "inside node 1000" of a category inside a room, and nothing of a
// category without a parent (parentID NULL) or one that is its own
// parent; now each warning says where the category was.
func TestExportSaysWhereEachCategoryOutsideTheRootWas(t *testing.T) {
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source", categoriesOutsideTheRoot()...)
	stdout, stderr := mustRun(t, 0, "export", "--db", src, "--file", filepath.Join(dir, "a.zip"))
	const tail = `, not under the root (Persistent Chat has one level of categories): exported as a top-level category`
	mustContain(t, "export", stdout+stderr,
		`category "In a category" is inside category "Cat"`+tail,
		`category "In a room" is inside room "R1"`+tail,
		`category "In nothing" is inside node 9999, which does not exist`+tail,
		`category "No parent" has no parent (parentID NULL)`+tail,
		`category "Its own" is its own parent`+tail)
}

// categoriesOutsideTheRoot are the statements of a hand-built pool whose
// categories are under another category, a room, a node that does not
// exist, no parent, and themselves, beside category Cat and its room R1.
func categoriesOutsideTheRoot() []string {
	return []string{
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "R1"),
		handSQLNode(101, 100, true, "In a category"),
		handSQLNode(102, 1000, true, "In a room"),
		handSQLNode(103, 9999, true, "In nothing"),
		handSQLNode(104, 1, true, "No parent"),
		`UPDATE tblNode SET parentID = NULL WHERE nodeID = 104`,
		handSQLNode(105, 105, true, "Its own"),
	}
}
