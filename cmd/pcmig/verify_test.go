package main

import (
	"database/sql"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// migratedLab is a lab estate after a real run of the bundled script.
func migratedLab(t *testing.T) (dir, est string) {
	t.Helper()
	dir = labEstate(t, "--messages", "1500")
	est = filepath.Join(dir, "estate.lua")
	mustRun(t, 0, "run", "--estate", est)
	return dir, est
}

func TestVerifyCommand(t *testing.T) {
	t.Parallel()
	dir, est := migratedLab(t)
	stdout, _ := mustRun(t, 0, "verify", "--estate", est, "--report", filepath.Join(dir, "verify.json"))
	mustContain(t, "verify", stdout, "1,500 of 1,500 messages", "EQUAL: source and target hold the same")
	// The lab migration copied the lab's file store: every linked file is in the target's.
	m := regexp.MustCompile(`Uploaded files: (\d+) of (\d+) linked files found in the target's file store`).FindStringSubmatch(stdout)
	if m == nil || m[1] != m[2] || m[1] == "0" {
		t.Errorf("verify does not find every linked file in the target's file store:\n%s", stdout)
	}
	var res struct {
		Verdict string `json:"verdict"`
		Totals  struct {
			Source, Target struct{ Messages int64 }
		} `json:"totals"`
	}
	decodeJSON(t, readFile(t, filepath.Join(dir, "verify.json")), &res)
	if res.Verdict != "EQUAL" || res.Totals.Source.Messages != 1500 || res.Totals.Target.Messages != 1500 {
		t.Errorf("verify.json: %+v", res)
	}
	// The same with the databases and the archive named on the command line.
	stdout, _ = mustRun(t, 0, "verify", "--source", "sqlite:"+filepath.Join(dir, "source-2015.db"),
		"--target", "sqlite:"+filepath.Join(dir, "target-2019.db"), "--archive", filepath.Join(dir, "archive", "pchat-2015.zip"), "--json")
	decodeJSON(t, []byte(stdout), &res)
	if res.Verdict != "EQUAL" {
		t.Errorf("verify --source --target --json: verdict %s", res.Verdict)
	}

	// Three changes behind pcmig's back: each is named, and the exit code
	// says the target differs.
	db, err := sql.Open("sqlite", filepath.Join(dir, "target-2019.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DELETE FROM tblChat WHERE channelId = (SELECT channelId FROM tblChat GROUP BY channelId ORDER BY COUNT(*) DESC LIMIT 1)
AND chatId = (SELECT MIN(chatId) + 2 FROM tblChat WHERE channelId = (SELECT channelId FROM tblChat GROUP BY channelId ORDER BY COUNT(*) DESC LIMIT 1))`,
		`UPDATE tblNode SET nodeName = 'Hand-renamed' WHERE nodeID = (SELECT MAX(nodeID) FROM tblNode WHERE nodeType = 0)`,
		`UPDATE tblNode SET filePost = 1 - filePost WHERE nodeID = (SELECT MIN(nodeID) FROM tblNode WHERE nodeType = 1 AND nodeID <> parentID)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	// And one uploaded file is lost from the target's file store.
	var lost string
	filepath.WalkDir(filepath.Join(dir, "filestore-2019"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && lost == "" && d.Type().IsRegular() {
			lost = p
		}
		return err
	})
	if err := os.Remove(lost); err != nil {
		t.Fatal(err)
	}
	stdout, _, code := runCmd(t, "verify", "--estate", est)
	if code != exitDifferent {
		t.Fatalf("verify after changes: exit %d, want %d\n%s", code, exitDifferent, stdout)
	}
	for _, re := range []string{
		`difference: room .+: [0-9,]+ messages in the source, [0-9,]+ in the target; first difference at \S+Z: the source's message by sip:\S+ is not in the target`,
		`difference: room .+: named "Hand-renamed" in the target, ".+" expected`,
		`difference: category .+: file upload (on|off) in the source, (on|off) in the target`,
		`difference: room .+: 1 of the \d+ uploaded files its messages link to are missing from the target's file store \(` + regexp.QuoteMeta(filepath.Base(lost)),
		`DIFFERENT: 4 differences`,
	} {
		if !regexp.MustCompile(re).MatchString(stdout) {
			t.Errorf("verify output does not match %s:\n%s", re, stdout)
		}
	}
}

func TestVerifyUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"verify"},
		{"verify", "--source", "sqlite:a.db"},
		{"verify", "--estate", "e.lua", "--source", "sqlite:a.db"},
		{"verify", "--source", "mysql://x", "--target", "sqlite:b.db"},
		{"verify", "extra"},
	} {
		_, stderr, code := runCmd(t, args...)
		if code != exitUsage || !strings.Contains(stderr, "pcmig:") {
			t.Errorf("pcmig %s: exit %d, want %d (stderr %q)", strings.Join(args, " "), code, exitUsage, stderr)
		}
	}
	dir := labEstate(t, "--messages", "1500")
	_, stderr, code := runCmd(t, "verify", "--source", "sqlite:"+filepath.Join(dir, "source-2015.db"),
		"--target", "sqlite:"+filepath.Join(dir, "target-2019.db"), "--archive", filepath.Join(dir, "nope.zip"))
	if code != exitError || !strings.Contains(stderr, "nope.zip") {
		t.Errorf("missing --archive: exit %d, stderr %q", code, stderr)
	}
}

// inventory --file-store names the links whose file the store lacks.
func TestInventoryFileStore(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "1500")
	db := "sqlite:" + filepath.Join(dir, "source-2015.db")
	stdout, _ := mustRun(t, 0, "inventory", "--db", db, "--file-store", filepath.Join(dir, "filestore-2015"))
	mustContain(t, "inventory", stdout, "Checked against the file store", ": 0 files are missing.")
	stdout, _ = mustRun(t, 0, "inventory", "--db", db, "--file-store", filepath.Join(dir, "filestore-2019"), "--json")
	var inv struct {
		Files struct {
			Links   []struct{ Missing bool } `json:"links"`
			Missing int                      `json:"missing"`
		} `json:"uploaded_files"`
	}
	decodeJSON(t, []byte(stdout), &inv)
	if len(inv.Files.Links) == 0 || inv.Files.Missing != len(inv.Files.Links) || !inv.Files.Links[0].Missing {
		t.Errorf("against the empty 2019 store: %d links, %d missing; want all missing", len(inv.Files.Links), inv.Files.Missing)
	}
	if _, stderr, code := runCmd(t, "inventory", "--db", db, "--file-store", filepath.Join(dir, "nope")); code != exitError || !strings.Contains(stderr, "nope") {
		t.Errorf("a missing file store: exit %d, %q", code, stderr)
	}
}
