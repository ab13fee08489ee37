package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGUIDHeldTwiceNamedBeforeTheWindow: Persistent Chat keeps prinGuid
// (the documented alternate key) and nodeGuid (which tblFileToken's
// foreign key references) unique, and an archive names principals and
// nodes by them; an embedded database does not enforce it unless it was
// created so. Two principals or two rooms of one GUID passed the doctor
// (OK), and a dry run stopped with SQLite's own words ("constraint
// failed: UNIQUE constraint failed: tblPrincipal.prinGuid (2067)"). Now
// the doctor FAILs naming the rows, and the dry run says what it is.
func TestGUIDHeldTwiceNamedBeforeTheWindow(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, stmt, want string
	}{
		{"principal", `UPDATE tblPrincipal SET prinGuid = (SELECT prinGuid FROM tblPrincipal WHERE prinID = 10) WHERE prinID = 11`,
			"tblPrincipal.prinGuid 0000000a-1111-4111-8111-00000000000a is held by prinIDs 10, 11"},
		{"node", `UPDATE tblNode SET nodeGuid = (SELECT nodeGuid FROM tblNode WHERE nodeID = 1000) WHERE nodeID = 1001`,
			"tblNode.nodeGuid bbbbbbbb-0000-4000-8000-000000001000 is held by nodeIDs 1000, 1001"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := handSQLPool(t, dir, "source-"+tc.name,
				handSQLUser(10, "sip:a@contoso.com"), handSQLUser(11, "sip:b@contoso.com"),
				handSQLNode(100, 1, true, "Cat"),
				`UPDATE tblNode SET invite = 0, logged = 1, filePost = 0 WHERE nodeID = 100`,
				handSQLNode(1000, 100, false, "R1"), handSQLNode(1001, 100, false, "R2"),
				tc.stmt)
			stdout, _ := mustRun(t, 1, "doctor", "--db", src, "--role", "source")
			mustContain(t, "doctor", stdout, "FAIL  GUIDs", tc.want)

			// A dry run of an estate whose source holds them.
			est := filepath.Join(dir, "lab-"+tc.name)
			mustRun(t, 0, "lab", "init", est, "--users", "12", "--categories", "1", "--rooms", "1", "--messages", "1")
			data, err := os.ReadFile(strings.TrimPrefix(src, "sqlite:"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(est, "source-2015.db"), data, 0o644); err != nil {
				t.Fatal(err)
			}
			stdout, stderr := mustRun(t, 1, "run", "--estate", filepath.Join(est, "estate.lua"), "--dry-run")
			mustContain(t, "dry run", stdout+stderr, tc.want)
			mustLack(t, "dry run", stdout+stderr, "UNIQUE constraint failed")

			// A script that reads the pool without the doctor first: its
			// dry run's scratch copy keeps the GUIDs unique.
			script := filepath.Join(est, "list.lua")
			if err := os.WriteFile(script, []byte("local category = require(\"category\")\nstep(\"list\", function() print(#category.list(\"source\")) end)\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			stdout, stderr = mustRun(t, 1, "run", script, "--estate", filepath.Join(est, "estate.lua"), "--dry-run")
			mustContain(t, "script's dry run", stdout+stderr, tc.want)
			mustLack(t, "script's dry run", stdout+stderr, "UNIQUE constraint failed")
		})
	}
}
