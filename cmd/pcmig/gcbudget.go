package main

import (
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
	"time"
)

// Memory budget of the Go heap. pcmig aims at a peak resident set under
// 200 MB for a pool of 20,000 rooms and principals (issue 9). With the
// default GOGC=100 the Go heap grows to twice what is live before each
// collection, and the big estate's steps hold 45 to 105 MB live: doubled,
// that alone passes the budget. A soft limit makes the collector work
// earlier instead, when the heap nears it (128 MiB: with 150 MiB the big
// run peaked at 188 MB resident, with 128 MiB at 178-180 MB for about the
// same CPU time, load 2-7). What it leaves
// for the rest: the executable's pages (about 17 MB resident), SQLite's
// page caches (outside the Go heap, about twice their nominal size, since
// the embedded driver's allocator rounds each page up) and the runtime's
// own structures.
const (
	// softHeapLimit is the Go runtime's memory limit (debug.SetMemoryLimit)
	// while the live heap is well under it.
	softHeapLimit = 128 << 20
	// A live heap above softHeapLimit/(1+minHeadroom) raises the limit, so
	// that a much bigger pool is collected as with GOGC=25 instead of
	// continuously (the runtime then spends up to half the CPU collecting).
	// 0.25 rather than 0.5: the big run's peak RSS 173-178 MiB -> 160-165
	// MiB (four runs each, load 4-7), for about 6% more CPU (27.4 s
	// against 25.7 s, user + system, noisy).
	minHeadroom = 0.25
	// gcTuneEvery is how often the live heap is looked at.
	gcTuneEvery = 100 * time.Millisecond
)

// gcLimit is the memory limit for a live heap of live bytes: base, or the
// live heap and a quarter of it again, whichever is more, but never above
// ceiling (a run's --memory-limit; 0: none), since past it the run is
// stopped anyway: there the collector had better work continuously.
func gcLimit(live uint64, base, ceiling int64) int64 {
	l := max(base, int64(float64(live)*(1+minHeadroom)))
	if ceiling > 0 {
		l = min(l, ceiling)
	}
	return l
}

// gcBudget keeps the Go runtime's memory limit at gcLimit of the live heap.
type gcBudget struct {
	base     atomic.Int64
	ceiling  atomic.Int64
	done     chan struct{}
	finished chan struct{}
	before   int64
}

// budgetGC sets the soft memory limit and keeps it at gcLimit of the live
// heap until stop is called. It returns nil (and changes nothing) when the
// user set GOMEMLIMIT or GOGC: the runtime then follows them.
func budgetGC(getenv func(string) string) *gcBudget {
	if getenv("GOMEMLIMIT") != "" || getenv("GOGC") != "" {
		return nil
	}
	g := &gcBudget{done: make(chan struct{}), finished: make(chan struct{})}
	g.base.Store(softHeapLimit)
	g.before = debug.SetMemoryLimit(softHeapLimit)
	go g.watch()
	return g
}

func (g *gcBudget) watch() {
	defer close(g.finished)
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	t := time.NewTicker(gcTuneEvery)
	defer t.Stop()
	limit := int64(softHeapLimit)
	for {
		select {
		case <-g.done:
			return
		case <-t.C:
		}
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			continue
		}
		if l := gcLimit(sample[0].Value.Uint64(), g.base.Load(), g.ceiling.Load()); l != limit {
			limit = l
			debug.SetMemoryLimit(l)
		}
	}
}

// limitTo makes n, a run's memory limit (runtime's --memory-limit, which
// stops the run when the Go heap passes it), the ceiling of the soft limit,
// and the soft limit itself when n is below it: the collector then works
// harder before the run is stopped, never less. n <= 0 (no limit) and a
// nil budget change nothing.
func (g *gcBudget) limitTo(n int64) {
	if g == nil || n <= 0 {
		return
	}
	g.ceiling.Store(n)
	if n < g.base.Load() {
		g.base.Store(n)
		debug.SetMemoryLimit(n)
	}
}

// stop ends the watch and gives the runtime its former limit back.
func (g *gcBudget) stop() {
	if g == nil {
		return
	}
	close(g.done)
	<-g.finished
	debug.SetMemoryLimit(g.before)
}
