package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestResumeRefusesAChangedEstate kills a run in step 3 (after the export
// and the import), then changes what the estate names: --resume (and a
// dry run with --resume) refuses before any step, naming what changed and
// pointing to --fresh, and writes nothing. Before, the resumed run skipped
// steps 1 and 2 and went on against the new target: it copied the files,
// switched the site's default pool and created settings for an empty
// pool. Put back as it was, in another folder (the estate folder moved,
// its paths relative to it), the run resumes.
func TestResumeRefusesAChangedEstate(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	estFile := filepath.Join(est, "estate.lua")
	labtest.CopyFile(t, filepath.Join(est, "target-2019.db"), filepath.Join(est, "empty-2019.db"))
	if err := os.Mkdir(filepath.Join(est, "filestore-new"), 0o755); err != nil {
		t.Fatal(err)
	}
	steps := migrateSteps(t)
	header := fmt.Sprintf("== Step 3/%d: %s ==", len(steps), steps[2])
	killRealRun(t, estFile, header)

	original := string(readFile(t, estFile))
	edit := func(old, new string) string {
		if !strings.Contains(original, old) {
			t.Fatalf("the lab estate has no %s", old)
		}
		return strings.Replace(original, old, new, 1)
	}
	for _, tc := range []struct {
		name, estate string
		want         []string
	}{
		{"another target database", edit(`db = "sqlite:target-2019.db"`, `db = "sqlite:empty-2019.db"`),
			[]string{"target database: was sqlite:target-2019.db, now sqlite:empty-2019.db"}},
		{"another site", edit(`site = "Redmond"`, `site = "Dublin"`), []string{"site: was Redmond, now Dublin"}},
		{"another target file store", edit(`file_store = "filestore-2019"`, `file_store = "filestore-new"`),
			[]string{"target file store: was filestore-2019, now filestore-new"}},
		{"a real estate", edit(`kind = "lab"`, `kind = "real"`), []string{"kind: was lab, now real"}},
		{"another target pool", edit(`pool = "pchat19.contoso.com"`, `pool = "pchat20.contoso.com"`),
			[]string{"target pool: was pchat19.contoso.com, now pchat20.contoso.com"}},
	} {
		writeFile(t, estFile, tc.estate)
		before := hashTree(t, est)
		delete(before, ".pcmig/run.lock") // the killed run's, taken over
		for _, args := range [][]string{{"--resume"}, {"--resume", "--dry-run"}} {
			stdout, stderr, code := runCmd(t, append([]string{"run", "--estate", estFile}, args...)...)
			if code != exitError {
				t.Errorf("%s, %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", tc.name, args, code, exitError, stdout, stderr)
			}
			mustContain(t, tc.name+": stderr", stderr, append([]string{"the estate changed since", "--fresh"}, tc.want...)...)
			if strings.Contains(stdout, "== Step") {
				t.Errorf("%s, %v: steps ran:\n%s", tc.name, args, stdout)
			}
			after := hashTree(t, est)
			delete(after, ".pcmig/run.lock")
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("%s, %v: the refused resume changed the estate (-before +after):\n%s", tc.name, args, diff)
			}
		}
	}

	// Put back as it was, in a folder of another name: the run resumes.
	writeFile(t, estFile, original)
	moved := filepath.Join(t.TempDir(), "moved")
	if err := os.Rename(est, moved); err != nil {
		t.Fatal(err)
	}
	stdout, _ := mustRun(t, 0, "run", "--estate", filepath.Join(moved, "estate.lua"), "--resume")
	outcomes := slices.Repeat([]string{"done in"}, len(steps))
	outcomes[0], outcomes[1] = "skipped (finished in an earlier run)", "skipped (finished in an earlier run)"
	checkStepHeaders(t, stdout, steps, outcomes...)
}
