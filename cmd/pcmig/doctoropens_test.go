package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/store"
)

// TestDoctorEstateOpensEachDatabaseOnce: doctor --estate opens every
// database once and shares it: the target's collation (for the sources'
// names lines) and the sources' size (for the target's space line) come
// from the databases it checks, not from second opens of them.
func TestDoctorEstateOpensEachDatabaseOnce(t *testing.T) {
	dir := labEstate(t, "--messages", "20")
	opens := map[string]int{}
	var out, errOut bytes.Buffer
	code := runApp(t.Context(), []string{"doctor", "--estate", filepath.Join(dir, "estate.lua")}, env{
		stdout: &out, stderr: &errOut, getenv: func(string) string { return "" },
		openDoctor: func(ctx context.Context, cfg store.Config) (*store.DoctorDB, error) {
			opens[cfg.Describe()]++
			return store.OpenDoctor(ctx, cfg)
		},
	})
	if code != 0 {
		t.Fatalf("doctor --estate: exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
	// What the shared databases gave still arrives: the target's
	// collation on the source's names line, the source's messages on the
	// target's size line.
	mustContain(t, "doctor", out.String(), "and as the target does, whose names compare as embedded (case-insensitive, accent-sensitive)", "the import adds about")
	if strings.Contains(out.String(), "the import adds about 0 B") {
		t.Errorf("the target's size line did not get the source's size:\n%s", out.String())
	}
	want := map[string]int{}
	for _, db := range []string{"source-2015.db", "target-2019.db"} {
		want["sqlite:"+filepath.Join(dir, db)] = 1
	}
	if len(opens) != len(want) {
		t.Errorf("opened %v, want each of %v once", opens, want)
	}
	for db, n := range opens {
		if want[db] != n {
			t.Errorf("%s opened %d times, want %d (all opens: %v)", db, n, want[db], opens)
		}
	}
}
