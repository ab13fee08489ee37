package main

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestLuaTablesMatchDeclarations runs every module function of a migration on
// a lab estate (testdata/dluakeys.lua prints the keys of each table it gets
// back) and compares them with the classes of docs/pcmig.d.lua, which
// editors complete from: a field the table has must be declared, and a
// field declared without "?" must be in the table. estate.pool_settings,
// a pool table's file_store, an import problem's kind, the import result's
// stopped and verify's shared_messages were in the tables and not declared.
func TestLuaTablesMatchDeclarations(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "300")
	script := filepath.Join(est, "dluakeys.lua")
	writeFile(t, script, string(readFile(t, filepath.Join("testdata", "dluakeys.lua"))))
	out, _ := mustRun(t, 0, "run", script, "--estate", filepath.Join(est, "estate.lua"))

	type field struct{ optional bool }
	classes := map[string]map[string]field{}
	var cur map[string]field
	classRE := regexp.MustCompile(`^---@class ([\w.]+)`)
	fieldRE := regexp.MustCompile(`^---@field (\w+)(\??)`)
	for _, line := range strings.Split(string(readFile(t, filepath.Join("..", "..", "docs", "pcmig.d.lua"))), "\n") {
		if m := classRE.FindStringSubmatch(line); m != nil {
			cur = map[string]field{}
			classes[m[1]] = cur
		} else if m := fieldRE.FindStringSubmatch(line); m != nil && cur != nil {
			cur[m[1]] = field{optional: m[2] == "?"}
		} else if !strings.HasPrefix(line, "---") {
			cur = nil
		}
	}
	checked := 0
	for _, line := range strings.Split(out, "\n") {
		name, list, ok := strings.Cut(line, "=")
		if !ok || !strings.HasPrefix(name, "pcmig.") {
			continue
		}
		decl, ok := classes[name]
		if !ok {
			t.Errorf("docs/pcmig.d.lua has no class %s", name)
			continue
		}
		checked++
		got := strings.Split(list, ",")
		for _, k := range got {
			if _, ok := decl[k]; !ok && k != "" {
				t.Errorf("%s: the table has %q, which docs/pcmig.d.lua does not declare", name, k)
			}
		}
		for k, f := range decl {
			if !f.optional && !slices.Contains(got, k) {
				t.Errorf("%s: docs/pcmig.d.lua declares %q (not optional), which the table lacks", name, k)
			}
		}
	}
	// The estate's paths are absolute, as lua-api.md says, pool_settings too.
	if !strings.Contains(out, "pool_settings path:"+filepath.Join(est, "pool-settings.json")+"\n") {
		t.Errorf("estate.pool_settings is not the absolute path of pool-settings.json:\n%s", out)
	}
	if checked < 25 {
		t.Errorf("only %d tables compared:\n%s", checked, out)
	}
}
