package bench_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/pcmig/pcmig/bench"
	"github.com/pcmig/pcmig/lab"
)

// BenchmarkExport measures the export alone, each time after a raw read of
// the same rows (issue 9's floor), and reports the median of the rounds'
// ratios of export to raw read speed: what `pcmig bench` prints as
// "export at N.NNx the raw read", without the import rounds between.
//
//	PCMIG_BENCH_MESSAGES=1000000 go test ./bench -run '^$' -bench Export$ -benchtime 5x -cpuprofile export.prof
//
// The estate is written once per size and kept in PCMIG_BENCH_DIR if set.
func BenchmarkExport(b *testing.B) {
	dir := os.Getenv("PCMIG_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	ctx := context.Background()
	for _, n := range benchSizes(b) {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			estate := filepath.Join(dir, fmt.Sprintf("estate-%d", n))
			source := filepath.Join(estate, "source-2015.db")
			if _, err := os.Stat(source); err != nil {
				if _, err := lab.Init(ctx, estate, lab.Options{Messages: n, Overwrite: true}); err != nil {
					b.Fatal(err)
				}
			}
			archivePath := filepath.Join(b.TempDir(), "export.zip")
			var ratios []float64
			var exp bench.Phase
			for b.Loop() {
				raw, err := bench.RawRead(ctx, source)
				if err != nil {
					b.Fatal(err)
				}
				os.Remove(archivePath)
				if exp, err = bench.Export(ctx, source, archivePath); err != nil {
					b.Fatal(err)
				}
				ratios = append(ratios, exp.PerSecond/raw.PerSecond)
			}
			slices.Sort(ratios)
			b.ReportMetric(ratios[len(ratios)/2], "export/raw")
			b.ReportMetric(exp.PerSecond, "export-msg/s")
			b.ReportMetric(exp.PerCPUSecond, "export-msg/cpu-s")
			b.ReportMetric(0, "ns/op")
		})
	}
}
