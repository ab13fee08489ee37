package estate

import (
	"context"
	"strings"
	"testing"
)

// TestLoadRefusesRunawayMemory: an estate file that builds huge strings
// (one, or many in a loop) is refused, naming the file and the memory it
// asks for. Before, evaluating it had no memory bound: the interpreter
// allocated what the file asked for, and string.rep("x", 2^33) ended
// pcmig with "fatal error: out of memory" (under a 4 GB ulimit), not an
// error naming the estate.
func TestLoadRefusesRunawayMemory(t *testing.T) {
	for name, src := range map[string]string{
		"one string":   `local s = string.rep("x", 2^30) return {}`,
		"many strings": `local t = {} for i = 1, 40 do t[i] = string.rep(tostring(i), 2^21) end return {}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Load(context.Background(), write(t, src))
			if err == nil || !strings.Contains(err.Error(), "estate.lua") || !strings.Contains(err.Error(), "asks for more than 64 MiB of memory") {
				t.Errorf("Load() error = %v, want one naming the file and the memory it asks for", err)
			}
		})
	}
}

// TestLoadNamesAnErrorWithoutAMessage: an estate file that raises an
// error with no text (error({...}), error()) is refused saying
// so and what it raised, never the table's content. Before, the error was
// "estate FILE: " followed by nothing.
func TestLoadNamesAnErrorWithoutAMessage(t *testing.T) {
	for src, want := range map[string]string{
		`error({password = "hunter2"})`: "error() of a table",
		`error()`:                       "error() of nil",
	} {
		_, err := Load(context.Background(), write(t, src))
		if err == nil || !strings.Contains(err.Error(), "estate.lua: evaluating it raised an error without a message ("+want+")") || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: Load() error = %v, want one saying it raised %s", src, err, want)
		}
	}
}

// TestLoadRefusesTablesWithoutEnd: an estate file whose loop builds
// small tables (each below the 64 KiB the interpreter weighs on its own)
// is refused by the heap watch, naming the file and the bound, not by
// the 5 s time limit. Before, it ran its whole 5 s and took hundreds of
// MB first.
func TestLoadRefusesTablesWithoutEnd(t *testing.T) {
	_, err := Load(context.Background(), write(t, `local t = {} local i = 0 while true do i = i + 1 t[i] = {i, {i}} end`))
	if err == nil || !strings.Contains(err.Error(), "estate.lua") || !strings.Contains(err.Error(), "holds more than 64 MiB of memory") {
		t.Errorf("Load() error = %v, want one naming the file and the 64 MiB bound", err)
	}
}
