package verify_test

import (
	"context"
	"database/sql"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcmig/pcmig/internal/cputime"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/verify"
)

var benchMessages = flag.Int("verify.messages", 100_000, "messages in the lab that BenchmarkVerify migrates and verifies")

// BenchmarkVerify migrates a lab of -verify.messages messages once, then
// verifies it b.N times, reporting messages per second (each counted once,
// though both sides are read), the peak Go heap in use while it runs and,
// on Linux, the peak resident set (SQLite's page caches included):
//
//	go test ./verify -run XXX -bench Verify -benchtime 1x -verify.messages 1000000
func BenchmarkVerify(b *testing.B) {
	m := roomsLab(b, b.TempDir(), lab.Options{Messages: *benchMessages, Seed: 3})
	benchVerify(b, m, int64(*benchMessages))
}

var benchRooms = flag.Int("verify.rooms", 5000, "rooms in the lab that BenchmarkVerifyRooms migrates and verifies (ten messages each)")

// BenchmarkVerifyRooms is BenchmarkVerify on a structure-heavy lab: as many
// users as rooms, a hundred rooms per category, ten messages per room. Besides
// the peak heap it reports the heap per room, which must not grow with
// the rooms (issue 9's estate has 20,000):
//
//	go test ./verify -run XXX -bench VerifyRooms -benchtime 1x -verify.rooms 20000
func BenchmarkVerifyRooms(b *testing.B) {
	n := *benchRooms
	m := roomsLab(b, b.TempDir(), lab.Options{Users: max(n, 12), Categories: max(n/100, 1), Rooms: n, Messages: 10 * n, Seed: 3})
	peak := benchVerify(b, m, int64(10*n))
	b.ReportMetric(float64(peak)/float64(n), "peak-heap-B/room")
}

// benchVerify verifies m b.N times, reporting messages per second (each
// counted once, though both sides are read), the peak Go heap in use while
// it runs, which it returns, and, on Linux, the peak resident set.
func benchVerify(b *testing.B, m *migration, messages int64) uint64 {
	ctx := context.Background()
	src, tgt := open(b, m.source, true), open(b, m.target, true)
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}
	}()
	runtime.GC()
	// The heap misses SQLite's page caches (modernc's C heap is outside the
	// Go heap): the resident set, reset when verify starts, counts them.
	rssReset := resetPeakRSS() == nil
	b.ResetTimer()
	start, cpu := time.Now(), cputime.Process()
	for range b.N {
		r, err := verify.Run(ctx, []verify.Source{{Label: "bench", Store: src, Archive: m.archive}}, tgt, verify.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if !r.IsEqual() || r.Totals.Target.Messages != messages {
			b.Fatalf("verdict %s, %d messages", r.Verdict, r.Totals.Target.Messages)
		}
	}
	elapsed, cpuUsed := time.Since(start), cputime.Process()-cpu
	close(stop)
	b.ReportMetric(float64(messages)*float64(b.N)/elapsed.Seconds(), "msg/s")
	if cpuUsed > 0 {
		b.ReportMetric(float64(messages)*float64(b.N)/cpuUsed.Seconds(), "msg/cpu-s")
	}
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
	if rss, err := peakRSS(); rssReset && err == nil {
		b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
	}
	return peak.Load()
}

// BenchmarkVerifyMultiset is BenchmarkVerify with every target room
// compared as a multiset: the rooms are given other GUIDs and the import
// journal is deleted, as if each source room had been merged by name into
// a room the target had (multiset.go, multiplicity.go, order.go). Compare
// its msg/cpu-s with BenchmarkVerify's in the same run:
//
//	go test ./verify -run XXX -bench 'Verify$|VerifyMultiset' -benchtime 1x -verify.messages 1000000
func BenchmarkVerifyMultiset(b *testing.B) {
	m := roomsLab(b, b.TempDir(), lab.Options{Messages: *benchMessages, Seed: 3})
	db, err := sql.Open("sqlite", m.target)
	if err != nil {
		b.Fatal(err)
	}
	_, err = db.Exec(`UPDATE tblNode SET nodeGuid = lower(hex(randomblob(4))) || '-0000-4000-8000-' || lower(hex(randomblob(6))) WHERE nodeType = 0`)
	db.Close()
	if err != nil {
		b.Fatal(err)
	}
	paths, _ := filepath.Glob(m.archive + ".import-*.json")
	for _, p := range paths {
		if err := os.Remove(p); err != nil {
			b.Fatal(err)
		}
	}
	benchVerify(b, m, int64(*benchMessages))
}
