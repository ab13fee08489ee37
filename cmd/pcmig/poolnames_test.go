package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMultipoolRefusesTwoSourcesOfOneFQDN: two sources that give one pool
// FQDN (another pool, another database) are refused when the estate
// loads, in a dry run and a real run, naming both fields and their lines,
// before anything is written. Before, pool.copy_files(src.pool) found the
// first source by that name for both, so the second source's files were
// never copied and the run failed only at its reconciliation.
func TestMultipoolRefusesTwoSourcesOfOneFQDN(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "100")
	amer := labEstate(t, "--messages", "100", "--seed", "2")
	estate := fmt.Sprintf(`return {
  name = "Two pools", kind = "lab", site = "Redmond",
  topology = "topology.xml", directory = "users.csv", archive = "archive/all.zip",
  pool_settings = "pool-settings.json",
  sources = {
    { name = "emea", pool = "pchat15.contoso.com", registrar = "fe15.contoso.com",
      db = "sqlite:source-2015.db", archive = "archive/emea.zip", file_store = "filestore-2015" },
    { name = "amer", pool = "PCHAT15.contoso.com",
      db = [[sqlite:%s]], archive = "archive/amer.zip", file_store = [[%s]] },
  },
  target = { pool = "pchat19.contoso.com", registrar = "fe19.contoso.com", db = "sqlite:target-2019.db",
    file_store = "filestore-2019" },
}
`, filepath.Join(amer, "source-2015.db"), filepath.Join(amer, "filestore-2015"))
	path := filepath.Join(dir, "estate.lua")
	writeFile(t, path, estate)
	before, beforeAmer := hashTree(t, dir), hashTree(t, amer)
	for _, args := range [][]string{{"--dry-run"}, {}} {
		stdout, stderr, code := runCmd(t, append([]string{"run", "multipool", "--estate", path}, args...)...)
		if code != exitError {
			t.Errorf("run %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", args, code, exitError, stdout, stderr)
		}
		mustContain(t, "stderr", stderr, "line 8: sources[2].pool and line 6: sources[1].pool give one FQDN")
		if strings.Contains(stdout, "== Step") {
			t.Errorf("run %v started steps:\n%s", args, stdout)
		}
	}
	if diff := cmp.Diff(before, hashTree(t, dir)); diff != "" {
		t.Errorf("the refused runs changed the estate (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(beforeAmer, hashTree(t, amer)); diff != "" {
		t.Errorf("the refused runs changed the second source's folder (-before +after):\n%s", diff)
	}
}
