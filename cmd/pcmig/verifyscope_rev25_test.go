package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestVerifyScopeOutsideTheExportIsRefused: an estate whose export took
// only Engineering (export.scope, as each estate of a routing does),
// migrated; 'pcmig verify --estate E --scope Finance' (a source category
// this target was never meant to get) printed "Compared: 0 of 0
// categories" and "EQUAL: source and target hold the same categories,
// rooms, roles and messages", exit 0. It is now refused, naming the
// category, as a scope name no source has is; a scope name the export took
// (in another letter case) is still verified.
func TestVerifyScopeOutsideTheExportIsRefused(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "300")
	est := filepath.Join(dir, "estate.lua")
	src := string(readFile(t, est))
	if !strings.Contains(src, "scope = {}") {
		t.Fatal("the lab estate has no 'scope = {}'")
	}
	writeFile(t, est, strings.Replace(src, "scope = {}", `scope = { "Engineering" }`, 1))
	mustRun(t, 0, "run", "--estate", est)

	out, stderr, code := runCmd(t, "verify", "--estate", est, "--scope", "Finance")
	if code != exitError {
		t.Errorf("verify --scope Finance: exit %d, want %d\n%s%s", code, exitError, out, stderr)
	}
	mustContain(t, "verify --scope Finance", stderr, "did not take", `"Finance"`)
	if strings.Contains(out, "EQUAL") {
		t.Errorf("verify --scope Finance says EQUAL:\n%s", out)
	}
	out, _ = mustRun(t, 0, "verify", "--estate", est, "--scope", "ENGINEERING")
	mustContain(t, "verify --scope ENGINEERING", out, "EQUAL", "1 of 1 category,")
}
