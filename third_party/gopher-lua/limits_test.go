package lua

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Go code that loops on a script's behalf stops when the state's context
// is done: the pattern matcher, load's reader, Go functions called in a
// loop, the parser.
func TestContextStopsGoLoops(t *testing.T) {
	for name, script := range map[string]string{
		"pattern match":           `string.find(("a"):rep(40), ("a*"):rep(40) .. "b")`,
		"gmatch":                  `for w in string.gmatch(("a"):rep(40), ("a*"):rep(40) .. "b") do end`,
		"load reader":             `load(math.random)`,
		"gsub with a Go function": `local s = ("x"):rep(3000000) while true do s = s:gsub(".", string.upper) end`,
		"parser":                  `loadstring(("x = 1 "):rep(3000000))`,
	} {
		t.Run(name, func(t *testing.T) {
			L := NewState()
			defer L.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			L.SetContext(ctx)
			start := time.Now()
			err := L.DoString(script)
			if err == nil || !strings.Contains(err.Error(), "context deadline exceeded") {
				t.Errorf("error = %v, want the context's", err)
			}
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("took %s to stop", took)
			}
		})
	}
}

// Options.MemoryCheck is asked before each large allocation whose size the
// script chooses, and its error is raised instead.
func TestMemoryCheck(t *testing.T) {
	errTooBig := errors.New("too big")
	for name, script := range map[string]string{
		"concatenation":       `local s = ("x"):rep(1000) for i = 1, 40 do s = s .. s end`,
		"string.rep":          `local s = ("x"):rep(2^40)`,
		"string.rep overflow": `local s = ("xx"):rep(2^62)`,
		"table.concat":        `local t = {} for i = 1, 1000 do t[i] = ("x"):rep(10000) end table.concat(t)`,
		"string.format":       `string.format("%s%s", ("x"):rep(2^20), ("x"):rep(2^20))`,
		"string.gsub":         `local s = ("x"):rep(100000):gsub(".", ("y"):rep(100))`,
		"load reader":         `local piece = ("x = 1 "):rep(10000) load(function() return piece end)`,
		"data stack":          `local t = {} for i = 1, 1e6 do t[i] = i end unpack(t)`,
	} {
		t.Run(name, func(t *testing.T) {
			L := NewState(Options{RegistryMaxSize: 1 << 24, MemoryCheck: func(size int) error {
				if size > 4<<20 {
					return errTooBig
				}
				return nil
			}})
			defer L.Close()
			err := L.DoString(script)
			if err == nil || !strings.Contains(err.Error(), "too big") && !strings.Contains(err.Error(), "too large") {
				t.Errorf("error = %v, want the check's", err)
			}
		})
	}
}

// string.gsub takes linear time in the number of matches (it copied the
// whole string for each one).
func TestGsubLinear(t *testing.T) {
	L := NewState()
	defer L.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	L.SetContext(ctx)
	errorIfScriptFail(t, L, `
	local s, n = ("ab\n"):rep(200000):gsub("\n", "\r\n")
	assert(n == 200000 and #s == 800000 and s:sub(1, 8) == "ab\r\nab\r\n")`)
}

// string.gsub asks the memory check as its result grows, before it holds
// much more than the check allowed: it kept every replacement until the
// end, so a string, a table's value, a function's result or many %0 of a
// large size in place of each of many matches allocated what the check
// would refuse many times over before it was asked (1.7 GB here for a
// check that allows 4 MiB).
func TestGsubAsksAsItsResultGrows(t *testing.T) {
	for name, script := range map[string]string{
		"string":   `local big = ("b"):rep(2^16) local r = ("a"):rep(4096):gsub("a", big)`,
		"table":    `local big = ("b"):rep(2^16) local r = ("a"):rep(4096):gsub("a", {a = big})`,
		"function": `local big = ("b"):rep(2^16) local r = ("a"):rep(4096):gsub("a", function() return big end)`,
		"%0":       `local r = ("a"):rep(4096):gsub(".+", ("%0"):rep(2^16))`,
	} {
		t.Run(name, func(t *testing.T) {
			L := NewState(Options{MemoryCheck: func(size int) error {
				if size > 4<<20 {
					return errors.New("too big")
				}
				return nil
			}})
			defer L.Close()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := L.DoString(script)
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), "too big") {
				t.Errorf("error = %v, want the check's", err)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 32<<20 {
				t.Errorf("allocated %d MiB before the check refused, want at most 32 MiB", n>>20)
			}
		})
	}
}
