package main

import (
	"runtime/debug"
	"testing"
)

// The limit is the soft one until the live heap needs more headroom, then
// the live heap and half of it again: a big pool is collected as with
// GOGC=50, never continuously.
func TestGCLimit(t *testing.T) {
	for _, tc := range []struct {
		live uint64
		want int64
	}{
		{0, softHeapLimit},
		{60 << 20, softHeapLimit},
		{100 << 20, softHeapLimit},
		{200 << 20, 300 << 20},
		{1 << 30, 3 << 29},
	} {
		if got := gcLimit(tc.live); got != tc.want {
			t.Errorf("gcLimit(%d MiB) = %d MiB, want %d MiB", tc.live>>20, got>>20, tc.want>>20)
		}
	}
}

// budgetGC sets the soft limit and gives the old one back when stopped;
// GOMEMLIMIT or GOGC set by the user leave the runtime alone.
func TestBudgetGC(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	stop := budgetGC(func(string) string { return "" })
	if got := debug.SetMemoryLimit(-1); got != softHeapLimit {
		t.Errorf("memory limit %d while budgeted, want %d", got, softHeapLimit)
	}
	stop()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("memory limit %d after stop, want %d back", got, before)
	}
	for _, name := range []string{"GOMEMLIMIT", "GOGC"} {
		stop := budgetGC(func(k string) string {
			if k == name {
				return "200MiB"
			}
			return ""
		})
		if got := debug.SetMemoryLimit(-1); got != before {
			t.Errorf("with %s set, memory limit %d, want it untouched (%d)", name, got, before)
		}
		stop()
	}
}
