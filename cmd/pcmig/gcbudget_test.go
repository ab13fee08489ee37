package main

import (
	"bytes"
	"path/filepath"
	"runtime/debug"
	"testing"
)

// The limit is the base until the live heap needs more headroom, then the
// live heap and a quarter of it again (a big pool is collected as with GOGC=25,
// never continuously), but never above the run's memory limit.
func TestGCLimit(t *testing.T) {
	for _, tc := range []struct {
		live          uint64
		base, ceiling int64
		want          int64
	}{
		{0, softHeapLimit, 0, softHeapLimit},
		{60 << 20, softHeapLimit, 0, softHeapLimit},
		{100 << 20, softHeapLimit, 0, softHeapLimit},
		{120 << 20, softHeapLimit, 0, 150 << 20},
		{200 << 20, softHeapLimit, 0, 250 << 20},
		{1 << 30, softHeapLimit, 0, 5 << 28},
		{60 << 20, 64 << 20, 0, 75 << 20},
		{200 << 20, softHeapLimit, 1 << 30, 250 << 20},
		{200 << 20, softHeapLimit, 240 << 20, 240 << 20},
		{60 << 20, 64 << 20, 64 << 20, 64 << 20},
	} {
		if got := gcLimit(tc.live, tc.base, tc.ceiling); got != tc.want {
			t.Errorf("gcLimit(%d MiB, %d MiB, %d MiB) = %d MiB, want %d MiB", tc.live>>20, tc.base>>20, tc.ceiling>>20, got>>20, tc.want>>20)
		}
	}
}

// budgetGC sets the soft limit, a lower --memory-limit lowers it, and stop
// gives the old one back; GOMEMLIMIT or GOGC set by the user leave the
// runtime alone.
func TestBudgetGC(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	g := budgetGC(func(string) string { return "" })
	if got := debug.SetMemoryLimit(-1); got != softHeapLimit {
		t.Errorf("memory limit %d while budgeted, want %d", got, softHeapLimit)
	}
	g.limitTo(1 << 30)
	if got := debug.SetMemoryLimit(-1); got != softHeapLimit {
		t.Errorf("memory limit %d after a higher run limit, want %d", got, softHeapLimit)
	}
	g.limitTo(100 << 20)
	if got := debug.SetMemoryLimit(-1); got != 100<<20 {
		t.Errorf("memory limit %d after a run limit of 100 MiB, want that", got)
	}
	g.stop()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("memory limit %d after stop, want %d back", got, before)
	}
	for _, name := range []string{"GOMEMLIMIT", "GOGC"} {
		g := budgetGC(func(k string) string {
			if k == name {
				return "200MiB"
			}
			return ""
		})
		g.limitTo(100 << 20)
		if got := debug.SetMemoryLimit(-1); got != before {
			t.Errorf("with %s set, memory limit %d, want it untouched (%d)", name, got, before)
		}
		g.stop()
	}
}

// A run's --memory-limit below the soft limit becomes the soft limit and
// the ceiling the soft limit never rises above, so that the collector
// works before the run is stopped (runtime's limit counts the Go heap).
func TestRunMemoryLimitLowersTheSoftLimit(t *testing.T) {
	est := filepath.Join(labEstate(t, "--messages", "500"), "estate.lua")
	script := filepath.Join(t.TempDir(), "noop.lua")
	writeFile(t, script, "step(\"nothing\", function() end)\n")
	before := debug.SetMemoryLimit(-1)
	g := budgetGC(func(string) string { return "" })
	defer func() {
		g.stop()
		if got := debug.SetMemoryLimit(-1); got != before {
			t.Errorf("memory limit %d after stop, want %d back", got, before)
		}
	}()
	var stdout, stderr bytes.Buffer
	code := runApp(t.Context(), []string{"run", script, "--estate", est, "--fresh", "--memory-limit", "100MiB"},
		env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }, gc: g})
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	if got := debug.SetMemoryLimit(-1); got != 100<<20 {
		t.Errorf("soft memory limit %d MiB after a run with --memory-limit 100MiB, want 100", got>>20)
	}
	if got := g.ceiling.Load(); got != 100<<20 {
		t.Errorf("ceiling %d MiB, want 100", got>>20)
	}
}
