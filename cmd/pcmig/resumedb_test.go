package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestResumeRefusesADatabaseReplacedUnderItsName kills a run in step 3,
// after the import, then puts another database under the target's name:
// the backup taken before the run (same pool ID, without what the import
// wrote), and an empty copy whose pool ID cannot be read. --resume (and a
// dry run with --resume) refuses before any step, naming the target
// database and what it lacks, and changes nothing. Before, the names and
// pool IDs matched (or the pool ID was not compared): the resumed run
// skipped the export and the import, copied the files, switched the
// site's default pool and carried the settings, and failed only at the
// category check. Put back, the run resumes.
func TestResumeRefusesADatabaseReplacedUnderItsName(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a run in another process")
	}
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	estFile := filepath.Join(est, "estate.lua")
	target := filepath.Join(est, "target-2019.db")
	backup := filepath.Join(t.TempDir(), "backup-2019.db")
	labtest.CopyFile(t, target, backup)
	empty := filepath.Join(t.TempDir(), "empty-2019.db")
	labtest.CopyFile(t, target, empty)
	labtest.ExecSQLite(t, empty, `DELETE FROM tblConfig`, `DELETE FROM tblPrincipal WHERE prinID > (SELECT MIN(prinID) FROM tblPrincipal)`)

	steps := migrateSteps(t)
	header := fmt.Sprintf("== Step 3/%d: %s ==", len(steps), steps[2])
	killRealRun(t, estFile, header)
	migrated := filepath.Join(t.TempDir(), "migrated-2019.db")
	if err := os.Rename(target, migrated); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, db string
		want     []string
	}{
		{"the backup taken before the run", backup, []string{"holds less than the run left in it", "categories and rooms", `after step "import into the target pool"`}},
		{"an empty copy without a pool ID", empty, []string{"has pool ID none, the run's had "}},
	} {
		labtest.CopyFile(t, tc.db, target)
		before := hashTree(t, est)
		delete(before, ".pcmig/run.lock")
		for _, args := range [][]string{{"--resume"}, {"--resume", "--dry-run"}} {
			stdout, stderr, code := runCmd(t, append([]string{"run", "--estate", estFile}, args...)...)
			if code != exitError {
				t.Errorf("%s, %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", tc.name, args, code, exitError, stdout, stderr)
			}
			mustContain(t, tc.name+": stderr", stderr, append([]string{"the estate changed since", "the target database sqlite:" + target, "--fresh"}, tc.want...)...)
			if strings.Contains(stdout, "== Step") {
				t.Errorf("%s, %v: steps ran:\n%s", tc.name, args, stdout)
			}
			after := hashTree(t, est)
			delete(after, ".pcmig/run.lock")
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("%s, %v: the refused resume changed the estate (-before +after):\n%s", tc.name, args, diff)
			}
		}
		if err := os.Remove(target); err != nil {
			t.Fatal(err)
		}
	}

	if err := os.Rename(migrated, target); err != nil {
		t.Fatal(err)
	}
	stdout, _ := mustRun(t, 0, "run", "--estate", estFile, "--resume")
	mustContain(t, "resumed run", stdout, "skipped (finished in an earlier run)", "EQUAL")
}

// TestResumeAfterASourceRoomWasRemoved: a source is a live pool, and the
// documented clean-up before a migration removes its disabled rooms
// (Remove-CsPersistentChatRoom). A run killed after the import, whose
// source lost a disabled room meanwhile, resumes: only the target is held
// to what the run left in it. Before, the resume was refused ("holds less
// than the run left in it").
func TestResumeAfterASourceRoomWasRemoved(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a run in another process")
	}
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	estFile := filepath.Join(est, "estate.lua")
	steps := migrateSteps(t)
	header := fmt.Sprintf("== Step 3/%d: %s ==", len(steps), steps[2])
	killRealRun(t, estFile, header)

	source := filepath.Join(est, "source-2015.db")
	db := openDBWrite(t, source)
	var room int64
	if err := db.QueryRowContext(t.Context(), `SELECT MIN(nodeID) FROM tblNode WHERE nodeType = 0 AND disabled = 1`).Scan(&room); err != nil {
		t.Fatalf("the lab has no disabled room: %v", err)
	}
	for _, q := range []string{
		`DELETE FROM tblPrincipalRole WHERE prinRoleNodeID = ?`, `DELETE FROM tblScopePrincipal WHERE scopeNodeID = ?`,
		`DELETE FROM tblChat WHERE channelId = ?`, `DELETE FROM tblLastChatId WHERE nodeID = ?`,
		`DELETE FROM tblFileToken WHERE fileTokenChannelID = ?`, `DELETE FROM tblPrincipalInvites WHERE nodeID = ?`,
		`DELETE FROM tblNode WHERE nodeID = ?`,
	} {
		if _, err := db.ExecContext(t.Context(), q, room); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	stdout, stderr, _ := runCmd(t, "run", "--estate", estFile, "--resume")
	if strings.Contains(stderr, "holds less than the run left in it") || !strings.Contains(stdout, "skipped (finished in an earlier run)") {
		t.Errorf("the resume was refused for a source room removed meanwhile:\nstdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
}
