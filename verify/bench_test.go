package verify_test

import (
	"context"
	"flag"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
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
	ctx := context.Background()
	dir := b.TempDir()
	if _, err := lab.Init(ctx, dir, lab.Options{Messages: *benchMessages, Seed: 3}); err != nil {
		b.Fatal(err)
	}
	m := &migration{dir: dir, source: filepath.Join(dir, "source-2015.db"), target: filepath.Join(dir, "target-2019.db"),
		archive: filepath.Join(dir, "archive.zip")}
	m.export(b, exporter.Options{})
	m.importArchive(b, importer.Options{})
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
	// The heap misses SQLite's page caches (modernc's C heap is outside the
	// Go heap): the resident set, reset when verify starts, counts them.
	rssReset := resetPeakRSS() == nil
	b.ResetTimer()
	start, cpu := time.Now(), processCPU()
	for range b.N {
		r, err := verify.Run(ctx, []verify.Source{{Label: "bench", Store: src, Archive: m.archive}}, tgt, verify.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if !r.IsEqual() || r.Totals.Target.Messages != int64(*benchMessages) {
			b.Fatalf("verdict %s, %d messages", r.Verdict, r.Totals.Target.Messages)
		}
	}
	elapsed, cpuUsed := time.Since(start), processCPU()-cpu
	close(stop)
	b.ReportMetric(float64(*benchMessages)*float64(b.N)/elapsed.Seconds(), "msg/s")
	if cpuUsed > 0 {
		b.ReportMetric(float64(*benchMessages)*float64(b.N)/cpuUsed.Seconds(), "msg/cpu-s")
	}
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
	if rss, err := peakRSS(); rssReset && err == nil {
		b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
	}
}
