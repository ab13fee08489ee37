package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestInspectSaysWhenThePoolWasNotRecorded: `pcmig export` records the
// source pool's FQDN only with --pool; inspect printed "Source:   pool ,
// database ..." for an archive without it.
func TestInspectSaysWhenThePoolWasNotRecorded(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "100")
	zip := filepath.Join(t.TempDir(), "a.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+filepath.Join(est, "source-2015.db"), "--file", zip)
	out, _ := mustRun(t, 0, "inspect", zip)
	if strings.Contains(out, "pool ,") {
		t.Errorf("inspect shows an empty pool:\n%s", out)
	}
	mustContain(t, "inspect", out, "pool not recorded (export --pool FQDN records it)")
}
