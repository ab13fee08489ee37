package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/scripts"
)

// TestCustomisedScriptErrorsNameTheVariable runs the bundled migrate.lua
// with an administrator's mistake added (a dry run against a lab estate):
// the error names the variable as Lua 5.1 does. It said "attempt to call
// a non-function object", "attempt to index a non-table object(nil) with
// key 'pool'", "cannot perform concat operation between string and nil"
// and "__len undefined", which did not say what was nil.
func TestCustomisedScriptErrorsNameTheVariable(t *testing.T) {
	t.Parallel()
	bundled, ok := scripts.Read("migrate")
	if !ok {
		t.Fatal("no bundled migrate.lua")
	}
	const (
		top    = "local source, target = estate.source, estate.target\n"
		inStep = "step(\"export the source pool\", function()\n"
	)
	lineOf := func(src, anchor string) int {
		i := strings.Index(src, anchor)
		if i < 0 {
			t.Fatalf("migrate.lua has no %q", anchor)
		}
		return strings.Count(src[:i+len(anchor)], "\n") + 1
	}
	dir := labEstate(t)
	est := filepath.Join(dir, "estate.lua")
	for _, tc := range []struct {
		name, after, add, want string
		line                   int // of the error, counted from the added text's first line
	}{
		{"undefined function", top, `notify_admins("migration starting")`,
			"attempt to call global 'notify_admins' (a nil value)", 0},
		{"misspelt estate field", top, "local site = estate.souce.pool",
			"attempt to index field 'souce' (a nil value) with key 'pool'", 0},
		{"nil local concatenated", top, "local owner = target.no_such_field\nlog.info(\"owner: \" .. owner)",
			"attempt to concatenate local 'owner' (a nil value)", 1},
		{"length of a nil field", top, "local ids = {}\nlog.info(\"rooms: %d\", #ids.rooms)",
			"attempt to get length of field 'rooms' (a nil value)", 1},
		{"upvalue in a step", inStep, "  local p = source.pol.name",
			"attempt to index field 'pol' (a nil value) with key 'name'", 0},
		{"method of a nil value in a step", inStep, "  local s\n  s:upper()",
			"attempt to index local 's' (a nil value) with key 'upper'", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := string(bundled)
			line := lineOf(src, tc.after) + tc.line
			src = strings.Replace(src, tc.after, tc.after+tc.add+"\n", 1)
			script := filepath.Join(t.TempDir(), "my-migration.lua")
			writeFile(t, script, src)
			stdout, stderr := mustRun(t, exitError, "run", "--estate", est, "--dry-run", script)
			want := "my-migration.lua:" + strconv.Itoa(line) + ": " + tc.want
			mustContain(t, "stdout+stderr", stdout+stderr, want)
		})
	}
}
