package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDBNameRefusedWithDB: connections.md says the instance-only flags are
// refused with --db, and --db-name is the flag of the estate's database
// key. It was read only with --db-instance and passed over silently with
// --db: "pcmig import --db sqlserver://sql19 --db-name mgc_rehearsal" would
// have imported into mgc (the URL's default) without a word.
func TestDBNameRefusedWithDB(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	db := "sqlite:" + filepath.Join(dir, "target-2019.db")
	for _, args := range [][]string{
		{"inventory", "--db", db, "--db-name", "mgc_rehearsal"},
		{"doctor", "--db", db, "--db-name", "mgc_rehearsal"},
		{"import", "--db", "sqlserver://sql19.contoso.com?encrypt=true", "--db-name", "mgc_rehearsal", "--file", filepath.Join(dir, "none.zip")},
	} {
		_, stderr := mustRun(t, 64, args...)
		if !strings.Contains(stderr, "--db-name applies to --db-instance") {
			t.Errorf("pcmig %s: %q, want it to say --db-name applies to --db-instance", strings.Join(args, " "), stderr)
		}
	}
	// The default (mgc) given by no one stays accepted.
	mustRun(t, 0, "inventory", "--db", db)
}
