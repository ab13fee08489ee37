package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestVerifyReportNeverReplacesAnInput: verify --report naming one of the
// databases it reads, the estate file or the archive is refused before
// anything is written, and the file is left as it was.
func TestVerifyReportNeverReplacesAnInput(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	src, tgt := filepath.Join(est, "source-2015.db"), filepath.Join(est, "target-2019.db")
	estFile := filepath.Join(est, "estate.lua")
	pair := []string{"verify", "--source", "sqlite:" + src, "--target", "sqlite:" + tgt}
	byEstate := []string{"verify", "--estate", estFile}
	tests := []struct {
		args []string
		want []string
	}{
		{append(pair, "--report", tgt), []string{"--report", "target-2019.db", "target database"}},
		{append(pair, "--report", src), []string{"--report", "source-2015.db", "source database"}},
		{append(pair, "--report", est+"/../"+filepath.Base(est)+"/./target-2019.db"), []string{"--report", "target database"}},
		{append(byEstate, "--report", src), []string{"--report", "source-2015.db", "source database"}},
		{append(byEstate, "--report", tgt), []string{"--report", "target-2019.db", "target database"}},
		{append(byEstate, "--report", estFile), []string{"--report", "estate.lua", "estate file"}},
	}
	before := hashTree(t, est)
	for _, tt := range tests {
		args := tt.args
		stdout, stderr, code := runCmd(t, args...)
		if code != exitUsage {
			t.Errorf("pcmig %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args[1:], " "), code, exitUsage, stdout, stderr)
		}
		mustContain(t, "stderr", stderr, tt.want...)
	}
	if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
		t.Errorf("refused verifies changed the estate (-before +after):\n%s", diff)
	}
}
