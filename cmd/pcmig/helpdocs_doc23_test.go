package main

import (
	"encoding/json"
	"time"

	"github.com/pcmig/pcmig/internal/labtest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestLabInitHelpNamesEveryFile: "pcmig lab init --help" says what it
// writes; every file and folder a lab init puts into DIR is named there as
// DIR/NAME. The help named five of the eight (not the two file stores nor
// pool-settings.json), so an administrator reading it did not learn where
// the uploaded files of the lab are.
func TestLabInitHelpNamesEveryFile(t *testing.T) {
	t.Parallel()
	help, _ := mustRun(t, 0, "lab", "init", "--help")
	dir := filepath.Join(t.TempDir(), "lab")
	mustRun(t, 0, "lab", "init", "--messages", "50", dir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 8 {
		t.Fatalf("lab init wrote %d entries, want at least 8", len(entries))
	}
	for _, e := range entries {
		if !strings.Contains(help, "DIR/"+e.Name()) {
			t.Errorf("lab init wrote %s, which its --help does not name (no DIR/%s):\n%s", e.Name(), e.Name(), help)
		}
	}
}

// TestDoctorForceHelpSaysWhatItDoes: the doctor writes nothing, and its
// --force makes a live Persistent Chat server a warning instead of a
// failure (docs/doctor.md). Its --help said "write even though Persistent
// Chat servers heartbeat", the text of the commands that write.
func TestDoctorForceHelpSaysWhatItDoes(t *testing.T) {
	t.Parallel()
	help, _ := mustRun(t, 0, "doctor", "--help")
	var line string
	for _, l := range strings.Split(help, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "--force") {
			line = l
		}
	}
	if line == "" {
		t.Fatalf("doctor --help has no --force line:\n%s", help)
	}
	if strings.Contains(line, "write") || !strings.Contains(line, "WARN") {
		t.Errorf("doctor --help: %q, want it to say that a live server is a WARN, not that the doctor writes", strings.TrimSpace(line))
	}
}

// TestHelpNamesNoIssueNumbers: help is for administrators, who have no
// issue tracker of pcmig's; "bench --help" pointed at "issue 9's figures".
func TestHelpNamesNoIssueNumbers(t *testing.T) {
	t.Parallel()
	issue := regexp.MustCompile(`(?i)\bissues? #?\d`)
	for _, path := range commandPaths() {
		stdout, _ := mustRun(t, 0, append(path, "--help")...)
		if m := issue.FindString(stdout); m != "" {
			t.Errorf("pcmig %s --help names %q, which no document describes", strings.Join(path, " "), m)
		}
	}
}

// TestDoctorEstateForce: docs/doctor.md says --force makes a live server a
// warning instead of a failure; with --estate the flag was read by nothing
// and the target's heartbeat stayed a FAIL (exit 1).
func TestDoctorEstateForce(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	labtest.ExecSQLite(t, filepath.Join(dir, "target-2019.db"),
		`DELETE FROM tblServerIdentity`,
		`INSERT INTO tblServerIdentity VALUES (4, 'net.tcp://pchat19.contoso.com:8011/', '`+time.Now().UTC().Add(-time.Minute).Format("2006-01-02 15:04:05")+`')`)
	est := filepath.Join(dir, "estate.lua")
	out, _ := mustRun(t, 1, "doctor", "--estate", est)
	mustContain(t, "doctor --estate", out, "FAIL  heartbeat")
	out, _ = mustRun(t, 0, "doctor", "--estate", est, "--force")
	mustContain(t, "doctor --estate --force", out, "WARN  heartbeat")
}

// TestDryRunReconciliationNamesTheEstateArchive: a dry run's export goes
// to scratch space, but what it reports is the estate's archive (export.run's
// result says so, "also in a dry run"). The reconciliation in a dry run's
// JSON report named the scratch copy, /tmp/pcmig-dryrun-.../0-pchat-2015.zip,
// a file removed when the run ends.
func TestDryRunReconciliationNamesTheEstateArchive(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	rep := filepath.Join(t.TempDir(), "dry.json")
	mustRun(t, 2, "run", "--estate", filepath.Join(dir, "estate.lua"), "--dry-run", "--report", rep)
	var r struct {
		Reconciliation struct {
			Sources []struct {
				Archive string `json:"archive"`
			} `json:"sources"`
		} `json:"reconciliation"`
	}
	if err := json.Unmarshal(readFile(t, rep), &r); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "archive", "pchat-2015.zip")
	if len(r.Reconciliation.Sources) != 1 || r.Reconciliation.Sources[0].Archive != want {
		t.Errorf("dry run's reconciliation sources: %+v, want one with archive %s", r.Reconciliation.Sources, want)
	}
}

// TestHelpExitCodesNameTheCommandLineMistake: every --help that lists
// exit codes lists 64, which README gives every command for a command-line
// mistake (and which they return: an unknown --on-conflict, a --report
// that is a database). import's and run's lists stopped at 2.
func TestHelpExitCodesNameTheCommandLineMistake(t *testing.T) {
	t.Parallel()
	n := 0
	for _, path := range commandPaths() {
		stdout, _ := mustRun(t, 0, append(path, "--help")...)
		if !strings.Contains(stdout, "Exit codes:") {
			continue
		}
		n++
		_, codes, _ := strings.Cut(stdout, "Exit codes:")
		codes, _, _ = strings.Cut(codes, "\n\n")
		if !strings.Contains(codes, "64 command-line mistake") {
			t.Errorf("pcmig %s --help: exit codes %q lack 64 command-line mistake", strings.Join(path, " "), strings.TrimSpace(codes))
		}
	}
	if n < 3 {
		t.Errorf("only %d commands list exit codes", n)
	}
}
