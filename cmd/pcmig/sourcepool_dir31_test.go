package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportWithoutPoolRecordsEmptySourcePool: `pcmig export` without
// --pool writes "source_pool": "" in the manifest (the mgc database does
// not name its pool), which docs/archive-format.md described only as "FQDN
// of the exported Persistent Chat pool", so an empty one read as a broken
// archive. Import and verify accept it, and inspect says the pool was not
// recorded; the format now documents the empty value and what readers
// do with it. Failed before: the docs' source_pool row did not say empty.
func TestExportWithoutPoolRecordsEmptySourcePool(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "50")
	src, tgt := "sqlite:"+filepath.Join(est, "source-2015.db"), "sqlite:"+filepath.Join(est, "target-2019.db")
	zip := filepath.Join(t.TempDir(), "a.zip")
	mustRun(t, 0, "export", "--db", src, "--file", zip)
	_, bodies := zipEntries(t, zip)
	var man map[string]any
	if err := json.Unmarshal(bodies["manifest.json"], &man); err != nil {
		t.Fatal(err)
	}
	if pool, ok := man["source_pool"]; !ok || pool != "" {
		t.Fatalf("manifest source_pool = %v (present %v), want \"\"", pool, ok)
	}
	out, _ := mustRun(t, 0, "inspect", zip)
	mustContain(t, "inspect", out, "pool not recorded (export --pool FQDN records it)")
	stdout, stderr := mustRun(t, 0, "import", "--db", tgt, "--file", zip)
	mustContain(t, "import", stdout+stderr, "Imported into")
	stdout, stderr = mustRun(t, 0, "verify", "--source", src, "--target", tgt, "--archive", zip)
	mustContain(t, "verify", stdout+stderr, "EQUAL")

	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "archive-format.md"))
	if err != nil {
		t.Fatal(err)
	}
	var row string
	for _, l := range strings.Split(string(doc), "\n") {
		if strings.HasPrefix(l, "| `source_pool` |") {
			row = l
		}
	}
	mustContain(t, "docs/archive-format.md source_pool row", row,
		"or empty (`\"\"`)", "`--pool FQDN`", "`pool not recorded (export --pool FQDN records it)`", "`(no pool named)`")
}

// TestExportRefusesPoolNotAnFQDN: `pcmig export --pool` recorded any text
// as the manifest's source_pool, documented as the pool's FQDN: "not a
// pool" and a line break included, which inspect then showed as the
// archive's pool. A --pool that is not an FQDN is now a command-line
// mistake (exit 64) before the database is read, and nothing is written.
func TestExportRefusesPoolNotAnFQDN(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "50")
	src := "sqlite:" + filepath.Join(est, "source-2015.db")
	out := t.TempDir()
	for _, pool := range []string{"not a pool", "pchat01.contoso.com\nx", "pchat01", "-pchat.contoso.com"} {
		zip := filepath.Join(out, "a.zip")
		stdout, stderr, code := runCmd(t, "export", "--db", src, "--file", zip, "--pool", pool)
		if code != exitUsage {
			t.Errorf("--pool %q: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", pool, code, exitUsage, stdout, stderr)
		}
		mustContain(t, "stderr", stderr, "--pool: want the source Persistent Chat pool's FQDN, such as pchat01.contoso.com")
		if _, err := os.Stat(zip); !os.IsNotExist(err) {
			t.Errorf("--pool %q: the archive was written (%v)", pool, err)
		}
	}
	zip := filepath.Join(out, "b.zip")
	mustRun(t, 0, "export", "--db", src, "--file", zip, "--pool", "pchat15.contoso.com")
	o, _ := mustRun(t, 0, "inspect", zip)
	mustContain(t, "inspect", o, "pool pchat15.contoso.com,")
}
