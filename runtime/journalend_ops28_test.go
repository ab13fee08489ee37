package runtime

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// TestJournalEndNotRecordedSaysWorkIsDone: every step finished, then the
// journal's last save (the run's end) failed (a full disk, seen with the
// state folder on a full tmpfs): the run's error was only the write's
// ("write .../.run-journal.json.tmp-N: write .../.run-journal.json.tmp-N:
// no space left on device"), not that the work was done and what to do.
// It says both now.
func TestJournalEndNotRecordedSaysWorkIsDone(t *testing.T) {
	dir := t.TempDir()
	journal := filepath.Join(dir, "state", "journal.json")
	if err := os.MkdirAll(filepath.Dir(journal), 0o755); err != nil {
		t.Fatal(err)
	}
	// break makes the journal's place a folder that holds a file, so
	// that the next save's rename fails.
	breaker := Module{Name: "breaker", Loader: func(L *lua.LState) int {
		tb := L.NewTable()
		SetFuncs(L, tb, "breaker", map[string]lua.LGFunction{
			"break": func(L *lua.LState) int {
				if err := os.Remove(journal); err != nil {
					t.Error(err)
				}
				if err := os.MkdirAll(filepath.Join(journal, "x"), 0o755); err != nil {
					t.Error(err)
				}
				return 0
			},
		})
		L.Push(tb)
		return 1
	}}
	r := runSource(t, context.Background(), `local b = require('breaker')
step("a", function() end)
step("b", function() end)
b["break"]()
`, "", Options{Journal: journal, Modules: []Module{breaker}})
	if r.err == nil {
		t.Fatal("the run succeeded with a journal that could not be written")
	}
	for _, want := range []string{"every step finished, but the journal could not record the run's end", journal, "--resume records it"} {
		if !strings.Contains(r.err.Error(), want) {
			t.Errorf("error %q does not say %q", r.err, want)
		}
	}
	if strings.Count(r.err.Error(), ".journal.json.tmp-") > 1 {
		t.Errorf("error names the temporary file twice: %v", r.err)
	}
}
