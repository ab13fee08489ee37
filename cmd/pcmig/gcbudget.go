package main

import (
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Memory budget of the Go heap. pcmig aims at a peak resident set under
// 200 MB for a pool of 20,000 rooms and principals (issue 9). With the
// default GOGC=100 the Go heap grows to twice what is live before each
// collection, and the big estate's import and reconcile steps hold 60 to
// 90 MB: doubled, that alone passes the budget. A soft limit makes the
// collector work earlier instead, when the heap nears it. What it leaves
// for the rest: the executable's pages (about 17 MB resident), SQLite's
// page caches (outside the Go heap, about twice their nominal size, since
// the embedded driver's allocator rounds each page up) and the runtime's
// own structures.
const (
	// softHeapLimit is the Go runtime's memory limit (debug.SetMemoryLimit)
	// while the live heap is well under it.
	softHeapLimit = 150 << 20
	// A live heap above softHeapLimit/(1+minHeadroom) raises the limit, so
	// that a much bigger pool is collected as with GOGC=50 instead of
	// continuously (the runtime then spends up to half the CPU collecting).
	minHeadroom = 0.5
	// gcTuneEvery is how often the live heap is looked at.
	gcTuneEvery = 100 * time.Millisecond
)

// gcLimit is the memory limit for a live heap of live bytes: the soft
// limit, or the live heap and half of it again, whichever is more.
func gcLimit(live uint64) int64 {
	return max(softHeapLimit, int64(float64(live)*(1+minHeadroom)))
}

// budgetGC sets the soft memory limit and keeps it gcLimit of the live
// heap until stop is called. It does nothing when the user set GOMEMLIMIT
// or GOGC (the runtime then follows them).
func budgetGC(getenv func(string) string) (stop func()) {
	if getenv("GOMEMLIMIT") != "" || getenv("GOGC") != "" {
		return func() {}
	}
	before := debug.SetMemoryLimit(softHeapLimit)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(gcTuneEvery)
		defer t.Stop()
		limit := int64(softHeapLimit)
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				continue
			}
			if l := gcLimit(sample[0].Value.Uint64()); l != limit {
				limit = l
				debug.SetMemoryLimit(l)
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		debug.SetMemoryLimit(before)
	}
}
