package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/store"
)

// TestDoctorLab: a lab estate's databases pass, one by one and as an
// estate, and the doctor writes nothing.
func TestDoctorLab(t *testing.T) {
	dir := labEstate(t)
	before := hashTree(t, dir)
	out, _ := mustRun(t, 0, "doctor", "--db", "sqlite:"+filepath.Join(dir, "target-2019.db"))
	for _, want := range []string{"(sqlite, as target)", "OK    schema", "all 13 documented tables", "OK    roles", "OK    heartbeat", "0 FAIL"} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor output lacks %q:\n%s", want, out)
		}
	}
	out, _ = mustRun(t, 0, "doctor", "--estate", filepath.Join(dir, "estate.lua"), "--json")
	var reports []store.DoctorReport
	if err := json.Unmarshal([]byte(out), &reports); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if len(reports) != 2 || reports[0].Role != store.RoleSource || reports[1].Role != store.RoleTarget {
		t.Fatalf("estate reports: %+v", reports)
	}
	sized := false
	for _, c := range reports[1].Checks {
		if c.Check == "size" && strings.Contains(c.Message, "the import adds about") {
			sized = true
		}
	}
	if !sized {
		t.Errorf("the target's size check does not use the source's messages: %+v", reports[1].Checks)
	}
	if diff := hashTree(t, dir); len(diff) != len(before) {
		t.Errorf("doctor changed the estate folder")
	} else {
		for k, v := range before {
			if diff[k] != v {
				t.Errorf("doctor changed %s", k)
			}
		}
	}
}

// TestDoctorHandmade: a database with a wrong column name, a duplicate
// tblLastChatId row and a live heartbeat gets one line naming each, and
// exit code 1.
func TestDoctorHandmade(t *testing.T) {
	dir := labEstate(t)
	path := filepath.Join(dir, "target-2019.db")
	labtest.ExecSQLite(t, path, append(duplicateLastChatID,
		`ALTER TABLE tblChat RENAME COLUMN rtf TO rtfText`,
		`DELETE FROM tblServerIdentity`,
		`INSERT INTO tblServerIdentity VALUES (4, 'net.tcp://pchat19.contoso.com:8011/', '`+time.Now().UTC().Add(-time.Minute).Format("2006-01-02 15:04:05")+`')`)...)
	out, _ := mustRun(t, 1, "doctor", "--db", "sqlite:"+path)
	for _, want := range []string{
		"FAIL  schema          column tblChat.rtf is missing",
		"FAIL  tblLastChatId   1 room has more than one tblLastChatId row: 1 (2 rows)",
		"FAIL  heartbeat       Persistent Chat server net.tcp://pchat19.contoso.com:8011/ is running",
		"-> stop the Persistent Chat services",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor output lacks %q:\n%s", want, out)
		}
	}
	// --force: the live server is a warning; the schema still fails.
	out, _ = mustRun(t, 1, "doctor", "--db", "sqlite:"+path, "--force")
	if !strings.Contains(out, "WARN  heartbeat") {
		t.Errorf("--force: heartbeat is not a warning:\n%s", out)
	}
}

func TestDoctorUsage(t *testing.T) {
	for _, args := range [][]string{
		{"doctor"},
		{"doctor", "--db", "sqlite:x.db", "--role", "owner"},
		{"doctor", "--estate", "e.lua", "--db", "sqlite:x.db"},
	} {
		if _, _, code := runCmd(t, args...); code != 64 {
			t.Errorf("pcmig %s: exit %d, want 64", strings.Join(args, " "), code)
		}
	}
}

// TestRunStopsBeforeWritingWhenDoctorFails: the bundled script runs the
// doctor's checks before its first write; a target with a duplicate
// tblLastChatId row stops the run with nothing written.
func TestRunStopsBeforeWritingWhenDoctorFails(t *testing.T) {
	dir := labEstate(t)
	labtest.ExecSQLite(t, filepath.Join(dir, "target-2019.db"), duplicateLastChatID...)
	before := hashTree(t, dir)
	stdout, stderr, code := runCmd(t, "run", "--estate", filepath.Join(dir, "estate.lua"))
	if code != 1 || !strings.Contains(stdout+stderr, "is not ready (pcmig doctor): tblLastChatId: 1 room has more than one tblLastChatId row") {
		t.Fatalf("run: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	after := hashTree(t, dir)
	for _, f := range []string{"source-2015.db", "target-2019.db", "topology.xml"} {
		if before[f] == "" {
			t.Fatalf("the lab has no %s", f)
		}
		if before[f] != after[f] {
			t.Errorf("run changed %s before failing its pre-flight", f)
		}
	}
}

// duplicateLastChatID gives room 1 two tblLastChatId rows (the table is
// made again without its primary key, as a damaged database may be).
var duplicateLastChatID = []string{
	`CREATE TABLE tblLastChatId2 (nodeID INTEGER NOT NULL, lastChatID INTEGER NOT NULL)`,
	`INSERT INTO tblLastChatId2 SELECT nodeID, lastChatID FROM tblLastChatId`,
	`DROP TABLE tblLastChatId`,
	`ALTER TABLE tblLastChatId2 RENAME TO tblLastChatId`,
	`INSERT INTO tblLastChatId VALUES (1, 5), (1, 7)`,
}
