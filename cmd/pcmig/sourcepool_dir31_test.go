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
