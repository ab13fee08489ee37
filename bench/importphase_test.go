package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/internal/cputime"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/store"
)

// BenchmarkImportPhases imports a lab estate's archive into a fresh copy
// of its empty 2019 pool, b.N times, each after a raw insert of the same
// rows (interleaved, as `pcmig bench` does), and reports per message the
// CPU and wall time of the import's pre-pass (up to its structure phase),
// of its write phase (structure and messages) and of the raw insert:
//
//	go test ./bench -run '^$' -bench ImportPhases -benchtime 3x -cpuprofile cpu.out
//
// PCMIG_BENCH_MESSAGES sets the size (default 200,000); PCMIG_BENCH_DIR
// keeps the estate and its archive between runs.
func BenchmarkImportPhases(b *testing.B) {
	n := 200_000
	if s := os.Getenv("PCMIG_BENCH_MESSAGES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	dir := os.Getenv("PCMIG_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	// Cancellable, as pcmig's own (signal.NotifyContext): the SQLite
	// driver watches such a context for each statement.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	estate := filepath.Join(dir, fmt.Sprintf("estate-%d", n))
	source, target := filepath.Join(estate, "source-2015.db"), filepath.Join(estate, "target-2019.db")
	pristine, archivePath := target+".empty", filepath.Join(estate, "bench.zip")
	rawTarget := filepath.Join(estate, "raw-insert.db")
	if _, err := os.Stat(pristine); err != nil {
		if _, err := lab.Init(ctx, estate, lab.Options{Messages: n, Overwrite: true}); err != nil {
			b.Fatal(err)
		}
		if err := copyFile(target, pristine); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := os.Stat(archivePath); err != nil {
		if _, err := Export(ctx, source, archivePath); err != nil {
			b.Fatal(err)
		}
	}
	var pre, write, raw, preWall, writeWall, rawWall time.Duration
	var msgs int64
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		journals, _ := filepath.Glob(archivePath + ".import-*") // the last import's journal
		for _, j := range journals {
			if err := os.Remove(j); err != nil {
				b.Fatal(err)
			}
		}
		if err := copyFile(pristine, rawTarget); err != nil {
			b.Fatal(err)
		}
		ph, err := RawInsert(ctx, source, rawTarget)
		if err != nil {
			b.Fatal(err)
		}
		raw, rawWall = raw+ph.CPU, rawWall+ph.Duration
		if err := copyFile(pristine, target); err != nil {
			b.Fatal(err)
		}
		s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + target})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start, cpu0 := time.Now(), cputime.Process()
		var mid time.Time
		var cpuMid time.Duration
		res, err := importer.Import(ctx, s, archivePath, importer.Options{Progress: func(p importer.Progress) {
			if p.Phase == "structure" {
				mid, cpuMid = time.Now(), cputime.Process()
			}
		}})
		end, cpu1 := time.Now(), cputime.Process()
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		msgs = res.Messages.Imported
		pre, preWall = pre+cpuMid-cpu0, preWall+mid.Sub(start)
		write, writeWall = write+cpu1-cpuMid, writeWall+end.Sub(mid)
		b.StartTimer()
	}
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N) / float64(msgs) }
	b.ReportMetric(per(pre), "pre-cpu-ns/msg")
	b.ReportMetric(per(write), "write-cpu-ns/msg")
	b.ReportMetric(per(raw), "raw-cpu-ns/msg")
	b.ReportMetric(per(preWall), "pre-ns/msg")
	b.ReportMetric(per(writeWall), "write-ns/msg")
	b.ReportMetric(per(rawWall), "raw-ns/msg")
	b.ReportMetric(float64(raw)/float64(write), "write-cpu-ratio")
	b.ReportMetric(float64(rawWall)/float64(writeWall), "write-wall-ratio")
	b.ReportMetric(float64(rawWall)/float64(preWall+writeWall), "import-wall-ratio")
}
