package main

import (
	"strings"
	"testing"
)

// TestDoctorNamesCategoriesNotUnderTheRoot: a hand-built pool holds
// categories whose parent is another category, a room, a node that does
// not exist, NULL, and the category itself (the documented schema keeps
// one level of categories under the root). The doctor said nothing of
// them before; now, for a source and a target alike, it warns naming each
// by name and nodeID with where it is, and says what the export or the
// import does with it and how to put it right.
func TestDoctorNamesCategoriesNotUnderTheRoot(t *testing.T) {
	dir := t.TempDir()
	db := handSQLPool(t, dir, "pool", append(categoriesOutsideTheRoot(), handSQLNode(1010, 101, false, "R2"))...)
	want := `WARN  categories      5 categories are not under the root node 1 (Persistent Chat keeps one level of categories, under the root; ` +
		`its documentation does not say what the servers do with one elsewhere): "In a category" (nodeID 101) is inside category "Cat" (nodeID 100); ` +
		`"In a room" (nodeID 102) is inside room "R1" (nodeID 1000); "In nothing" (nodeID 103) is inside node 9999, which does not exist; ` +
		`"No parent" (nodeID 104) has no parent (parentID NULL); "Its own" (nodeID 105) is its own parent`
	stdout, _ := mustRun(t, 0, "doctor", "--db", db, "--role", "source")
	mustContain(t, "doctor --role source", stdout, want, "an export carries each as a top-level category", "set its tblNode.parentID to the root's nodeID (1)")
	stdout, _ = mustRun(t, 0, "doctor", "--db", db, "--role", "target")
	mustContain(t, "doctor --role target", stdout, want, "an import merges an archive's category of the same name into it")
	clean := handSQLPool(t, dir, "clean", handSQLNode(100, 1, true, "Cat"))
	stdout, _ = mustRun(t, 0, "doctor", "--db", clean)
	mustContain(t, "doctor of a clean pool", stdout, "OK    categories      every category is under the root node 1")
}

// TestDoctorAndStoreOnAPoolIDThatIsNotAGUID: a hand-built pool whose
// tblConfig.configPoolID is not a GUID (SQLite stores any text in a
// uniqueidentifier column), here text that reads like a secret. The
// doctor said nothing; verify, the import and inventory then refused the
// database quoting the value. Now the doctor fails with a line that says
// what to do, and no command shows the value.
func TestDoctorAndStoreOnAPoolIDThatIsNotAGUID(t *testing.T) {
	dir := t.TempDir()
	const secret = "Password=hunter2;not-a-guid"
	db := handSQLPool(t, dir, "pool",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		`CREATE TABLE tblConfig (configLabel nvarchar(255) NOT NULL PRIMARY KEY, configContent nvarchar NULL, configPoolID uniqueidentifier NOT NULL)`,
		`INSERT INTO tblConfig VALUES ('pool', NULL, '`+secret+`')`)
	for _, role := range []string{"source", "target"} {
		stdout, stderr := mustRun(t, exitError, "doctor", "--db", db, "--role", role)
		mustContain(t, "doctor --role "+role, stdout,
			"FAIL  pool ID         1 configPoolID of 1 in tblConfig is not a GUID (8-4-4-4-12 hexadecimal digits); the value is not shown",
			"correct configPoolID to the pool's GUID")
		if strings.Contains(stdout+stderr, "hunter2") {
			t.Errorf("doctor --role %s shows the value:\n%s%s", role, stdout, stderr)
		}
	}
	_, stderr := mustRun(t, exitError, "inventory", "--db", db)
	mustContain(t, "inventory", stderr, "tblConfig.configPoolID: not a GUID")
	if strings.Contains(stderr, "hunter2") {
		t.Errorf("inventory shows the value:\n%s", stderr)
	}
	good := handSQLPool(t, dir, "good",
		`CREATE TABLE tblConfig (configLabel nvarchar(255) NOT NULL PRIMARY KEY, configContent nvarchar NULL, configPoolID uniqueidentifier NOT NULL)`,
		`INSERT INTO tblConfig VALUES ('pool', NULL, '{DDDDDDDD-0000-4000-8000-00000000000A}')`)
	stdout, _ := mustRun(t, 0, "doctor", "--db", good)
	mustContain(t, "doctor of a good pool ID", stdout, "OK    pool ID         tblConfig pool ID dddddddd-0000-4000-8000-00000000000a")
}
