// Package heapguard keeps Lua evaluation within a memory bound: it watches
// the Go heap while the interpreter runs, and the interpreter asks it
// before each large allocation (lua.Options.MemoryCheck). The script
// runtime bounds the whole process's heap (--memory-limit); an estate's
// evaluation bounds the heap's growth while the estate is evaluated.
package heapguard

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// Guard watches the heap until Close. Past its limit it calls trip once,
// with the size of the allocation refused (0 when the heap grew past the
// limit by many smaller ones).
type Guard struct {
	limit int64
	base  int64
	trip  func(request int64) error

	once sync.Once
	err  error
	stop chan struct{}
	done chan struct{}
}

// WatchInterval is how often a guard looks at the heap.
const WatchInterval = 10 * time.Millisecond

// checkMin is the smallest allocation the guard weighs on its own; the
// watch catches the smaller ones.
const checkMin = 1 << 20

// Watch starts a guard over the whole heap: limit bounds the bytes of the
// Go heap's objects. trip makes the error the guard reports (Check
// returns it); it is called once.
func Watch(limit int64, trip func(request int64) error) *Guard {
	return start(limit, 0, trip)
}

// WatchGrowth starts a guard over the heap's growth from now: limit
// bounds the bytes the heap's objects may grow by while the guard
// watches. Other goroutines' allocations count too; the heap's garbage is
// collected before the guard trips, so only what is kept counts.
func WatchGrowth(limit int64, trip func(request int64) error) *Guard {
	return start(limit, heapBytes(), trip)
}

func start(limit, base int64, trip func(int64) error) *Guard {
	g := &Guard{limit: limit, base: base, trip: trip, stop: make(chan struct{}), done: make(chan struct{})}
	go g.watch()
	return g
}

// Close stops the watch.
func (g *Guard) Close() {
	close(g.stop)
	<-g.done
}

func (g *Guard) watch() {
	defer close(g.done)
	t := time.NewTicker(WatchInterval)
	defer t.Stop()
	for {
		select {
		case <-g.stop:
			return
		case <-t.C:
			if !g.fits(0) {
				g.exceeded(0)
				return
			}
		}
	}
}

// Check is lua.Options.MemoryCheck: it refuses an allocation of size
// bytes that would take the heap past the limit.
func (g *Guard) Check(size int) error {
	if size < checkMin {
		return nil
	}
	if g.fits(int64(size)) {
		return nil
	}
	return g.exceeded(int64(size))
}

// fits reports whether the heap, and size more, stays within the limit.
// The heap as sampled counts garbage not yet collected, so above the
// limit it collects first and looks again.
func (g *Guard) fits(size int64) bool {
	if heapBytes()-g.base+size <= g.limit {
		return true
	}
	runtime.GC()
	return heapBytes()-g.base+size <= g.limit
}

func (g *Guard) exceeded(size int64) error {
	g.once.Do(func() { g.err = g.trip(size) })
	return g.err
}

// heapBytes returns the bytes of the Go heap's objects, live or not yet
// swept.
func heapBytes() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}
