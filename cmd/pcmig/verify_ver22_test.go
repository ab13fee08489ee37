package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// damagedLab is a copy of the migrated lab dir (with its archive and
// import journal) for one case of damage.
func damagedLab(t *testing.T, dir string) (string, string) {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "estate")
	copyDir(t, dir, dst)
	return dst, filepath.Join(dst, "estate.lua")
}

// linkedUpload is an uploaded file of the target's file store (the lab
// links every file it writes from a message) of at least min bytes.
func linkedUpload(t *testing.T, dir string, min int64) string {
	t.Helper()
	var found string
	filepath.WalkDir(filepath.Join(dir, "filestore-2019"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || found != "" || !d.Type().IsRegular() {
			return err
		}
		if info, err := d.Info(); err == nil && info.Size() >= min {
			found = p
		}
		return nil
	})
	if found == "" {
		t.Fatalf("no uploaded file of %d bytes in the lab's target file store", min)
	}
	return found
}

// An uploaded file that is in the target's file store under its name but
// does not hold what the source's holds did not arrive: verify said EQUAL
// ("55 of 55 linked files found") for a file truncated, emptied, or
// replaced with other bytes of the same size, since it only looked for
// the name.
func TestVerifyComparesUploadedFilesContent(t *testing.T) {
	t.Parallel()
	dir, _ := migratedLab(t)
	cases := []struct {
		name   string
		damage func(path string) error
	}{
		{"truncated", func(p string) error { return os.Truncate(p, 10) }},
		{"emptied", func(p string) error { return os.Truncate(p, 0) }},
		{"same size, other bytes", func(p string) error {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(p, bytes.Repeat([]byte{'x'}, len(b)), 0o644)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, est := damagedLab(t, dir)
			f := linkedUpload(t, d, 100)
			if err := tc.damage(f); err != nil {
				t.Fatal(err)
			}
			stdout, _, code := runCmd(t, "verify", "--estate", est)
			if code != exitDifferent {
				t.Fatalf("verify --estate: exit %d, want %d\n%s", code, exitDifferent, stdout)
			}
			want := `difference: room .+: 1 of the \d+ uploaded files its messages link to differs? from the source's file store \(` + regexp.QuoteMeta(filepath.Base(f)) + `\)`
			if !regexp.MustCompile(want).MatchString(stdout) {
				t.Errorf("verify --estate does not name the file:\n%s", stdout)
			}
			if !regexp.MustCompile(`Uploaded files: \d+ of \d+ linked files found in the target's file store .+, 1 of them other than the source's`).MatchString(stdout) {
				t.Errorf("verify --estate: uploaded files line:\n%s", stdout)
			}
			// With the pools named on the command line, the source's
			// file store is given by --source-files.
			stdout, _, code = runCmd(t, "verify", "--source", "sqlite:"+filepath.Join(d, "source-2015.db"),
				"--target", "sqlite:"+filepath.Join(d, "target-2019.db"), "--archive", filepath.Join(d, "archive", "pchat-2015.zip"),
				"--target-files", filepath.Join(d, "filestore-2019"), "--source-files", filepath.Join(d, "filestore-2015"))
			if code != exitDifferent || !regexp.MustCompile(want).MatchString(stdout) {
				t.Errorf("verify --source-files: exit %d, want %d and the file named:\n%s", code, exitDifferent, stdout)
			}
			// The scripts' reconciliation (verify.run, the bundled
			// script's last step) says so too.
			script := filepath.Join(d, "reconcile.lua")
			writeFile(t, script, "local r = require('verify').run('source', 'target')\nprint(r.verdict)\nfor _, x in ipairs(r.differences) do print(x.text) end\n")
			stdout, _ = mustRun(t, 0, "run", "--fresh", "--estate", est, script)
			if !strings.Contains(stdout, "DIFFERENT") || !regexp.MustCompile(strings.TrimPrefix(want, "difference: ")).MatchString(stdout) {
				t.Errorf("verify.run after the damage:\n%s", stdout)
			}
		})
	}
}
