package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestRunRefusesASourceThatIsTheTarget: an estate whose source and target
// are one database (by path, through a link, or a copy that is the same
// pool by its tblConfig pool ID) is refused before anything is written
// (step 1's archive included), in a dry run as in the real run.
func TestRunRefusesASourceThatIsTheTarget(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, est string) // makes target-2019.db name the source somehow
		db    string
		want  []string
	}{
		{"the same path", nil, `"sqlite:source-2015.db"`, []string{"source", "target", "one database"}},
		{"another spelling", nil, `"sqlite:./sub/../source-2015.db"`, []string{"source", "target", "one database"}},
		{"a symbolic link", func(t *testing.T, est string) {
			if err := os.Symlink(filepath.Join(est, "source-2015.db"), filepath.Join(est, "link.db")); err != nil {
				t.Skip("no symbolic links:", err)
			}
		}, `"sqlite:link.db"`, []string{"source", "target", "one database"}},
		{"a copy of the same pool", func(t *testing.T, est string) {
			labtest.CopyFile(t, filepath.Join(est, "source-2015.db"), filepath.Join(est, "copy.db"))
		}, `"sqlite:copy.db"`, []string{"pool ID f11510d4-093e-4ea6-be5a-048a021f6e0c", "same pool"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			est := labEstate(t, "--messages", "200")
			if err := os.Mkdir(filepath.Join(est, "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
			if tt.setup != nil {
				tt.setup(t, est)
			}
			estFile := filepath.Join(est, "estate.lua")
			text := string(readFile(t, estFile))
			writeFile(t, estFile, replaceOnce(t, text, `db = "sqlite:target-2019.db"`, `db = `+tt.db))
			// Refused before step 1: no archive, no run journal, no lock,
			// no database changes.
			before := hashTree(t, est)
			for _, mode := range [][]string{{"--dry-run"}, {}} {
				stdout, stderr, code := runCmd(t, append([]string{"run", "--estate", estFile}, mode...)...)
				if code != exitError {
					t.Errorf("run %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", mode, code, exitError, stdout, stderr)
				}
				mustContain(t, "stderr", stderr, tt.want...)
			}
			if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
				t.Errorf("refused runs changed the estate (-before +after):\n%s", diff)
			}
		})
	}
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("no %q in the estate", old)
	}
	return strings.Replace(s, old, new, 1)
}
