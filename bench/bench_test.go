package bench_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/bench"
)

// TestRun measures a small estate: every message is exported and
// imported, and the figures are filled in.
func TestRun(t *testing.T) {
	t.Parallel()
	rep, err := bench.Run(context.Background(), bench.Options{Messages: 2000, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []bench.Phase{rep.Export, rep.Import} {
		if p.Messages != 2000 || p.PerSecond <= 0 || p.PeakHeap == 0 {
			t.Errorf("%s: %+v, want 2000 messages with a rate and a peak heap", p.Name, p)
		}
	}
	var b strings.Builder
	if err := bench.WriteText(&b, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "export") || !strings.Contains(b.String(), "import") {
		t.Errorf("WriteText wrote %q", b.String())
	}
}

// benchSizes are the estates BenchmarkExportImport measures;
// PCMIG_BENCH_MESSAGES=N,M overrides them.
func benchSizes(b *testing.B) []int {
	sizes := []int{100_000, 1_000_000}
	if s := os.Getenv("PCMIG_BENCH_MESSAGES"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				b.Fatal(err)
			}
			sizes = append(sizes, n)
		}
	}
	return sizes
}

// BenchmarkExportImport exports a lab estate's 2015 pool and imports it
// into its 2019 pool, at 100,000 and 1,000,000 messages:
//
//	go test ./bench -run '^$' -bench ExportImport -benchtime 1x -timeout 30m
//
// The estate is written once per size and kept in PCMIG_BENCH_DIR if set.
func BenchmarkExportImport(b *testing.B) {
	dir := os.Getenv("PCMIG_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	for _, n := range benchSizes(b) {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var rep bench.Report
			for b.Loop() {
				var err error
				if rep, err = bench.Run(context.Background(), bench.Options{Messages: n, Dir: dir, Reuse: true}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(rep.Export.PerSecond, "export-msg/s")
			b.ReportMetric(rep.Import.PerSecond, "import-msg/s")
			b.ReportMetric(rep.Export.PerCPUSecond, "export-msg/cpu-s")
			b.ReportMetric(rep.Import.PerCPUSecond, "import-msg/cpu-s")
			b.ReportMetric(float64(rep.Export.PeakRSS)/(1<<20), "export-peak-RSS-MB")
			b.ReportMetric(float64(rep.Import.PeakRSS)/(1<<20), "import-peak-RSS-MB")
			b.ReportMetric(float64(max(rep.Export.PeakHeap, rep.Import.PeakHeap))/(1<<20), "peak-heap-MB")
			b.ReportMetric(0, "ns/op")
			var s strings.Builder
			if err := bench.WriteText(&s, rep); err != nil {
				b.Fatal(err)
			}
			b.Log("\n" + s.String())
		})
	}
}

// TestStructure migrates a tiny structure-heavy estate and reports every
// step with its time and memory.
func TestStructure(t *testing.T) {
	t.Parallel()
	size := bench.EstateSize{Name: "tiny", Users: 60, Categories: 4, Rooms: 30, Messages: 300}
	rep, err := bench.Run(context.Background(), bench.Options{NoMessages: true, Structure: &size, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Structure
	if s == nil || len(s.Steps) < 7 || s.LabInit <= 0 || s.Run <= 0 || s.ConsoleLines == 0 || len(rep.Rounds) != 0 {
		t.Fatalf("structure report %+v", s)
	}
	for _, st := range s.Steps {
		if st.Status != "done" || st.Duration <= 0 || st.PeakRSS == 0 {
			t.Errorf("step %+v", st)
		}
	}
	var b strings.Builder
	if err := bench.WriteText(&b, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "prove that rooms can be created") || strings.Contains(b.String(), "raw read") {
		t.Errorf("WriteText wrote %q", b.String())
	}
	if _, err := bench.FindEstateSize("LARGE"); err != nil {
		t.Error(err)
	}
	if _, err := bench.FindEstateSize("huge"); err == nil || !strings.Contains(err.Error(), "small or large") {
		t.Errorf("FindEstateSize(huge) = %v", err)
	}
}
