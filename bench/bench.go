// Package bench measures pcmig's export and import on the embedded store:
// messages per second and peak memory of each, on a lab estate of a given
// size. `pcmig bench` and the package's benchmarks call it.
package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/store"
)

// Options say what to measure.
type Options struct {
	Messages int    // messages in the lab estate (default 1,000,000)
	Seed     int64  // the lab's seed
	Dir      string // working folder; the estate and archive are written here
	Batch    int    // import messages per transaction (0: the importer's default)
	// Reuse keeps an estate already in Dir with the same Messages instead
	// of writing it again.
	Reuse bool
}

// Phase is one measured operation.
type Phase struct {
	Name      string        `json:"name"` // export or import
	Messages  int64         `json:"messages"`
	Duration  time.Duration `json:"duration_ns"`
	PerSecond float64       `json:"messages_per_second"`
	// CPU is the process's user and system time during the phase, and
	// PerCPUSecond the messages per second of it: the figure to compare on
	// a shared machine, where the wall clock depends on the neighbours.
	CPU          time.Duration `json:"cpu_ns"`
	PerCPUSecond float64       `json:"messages_per_cpu_second"`
	// PeakHeap is the highest Go heap in use (bytes) sampled during the
	// phase. The embedded SQLite engine allocates outside the Go heap, so
	// PeakRSS is the figure to compare with a memory budget.
	PeakHeap uint64 `json:"peak_heap_bytes"`
	// PeakRSS is the process's peak resident set size during the phase
	// (Linux VmHWM, reset when the phase starts); 0 where unavailable.
	PeakRSS uint64 `json:"peak_rss_bytes"`
}

// Report is a run's figures.
type Report struct {
	Messages int     `json:"messages"`
	Setup    float64 `json:"setup_seconds"` // writing the lab estate
	Export   Phase   `json:"export"`
	Import   Phase   `json:"import"`
}

// Run writes a lab estate of opts.Messages messages into opts.Dir (unless
// opts.Reuse finds one), exports its 2015 pool and imports the archive into
// its 2019 pool, measuring both.
func Run(ctx context.Context, opts Options) (Report, error) {
	if opts.Messages <= 0 {
		opts.Messages = 1_000_000
	}
	if opts.Dir == "" {
		return Report{}, errors.New("bench: no working folder")
	}
	rep := Report{Messages: opts.Messages}
	estate := filepath.Join(opts.Dir, fmt.Sprintf("estate-%d", opts.Messages))
	source, target := filepath.Join(estate, "source-2015.db"), filepath.Join(estate, "target-2019.db")
	pristine := target + ".empty"
	start := time.Now()
	if _, err := os.Stat(pristine); !opts.Reuse || err != nil {
		if _, err := lab.Init(ctx, estate, lab.Options{Messages: opts.Messages, Seed: opts.Seed, Overwrite: true}); err != nil {
			return rep, err
		}
		if err := copyFile(target, pristine); err != nil {
			return rep, err
		}
	} else if err := copyFile(pristine, target); err != nil {
		return rep, err
	}
	rep.Setup = time.Since(start).Seconds()
	archivePath := filepath.Join(estate, "bench.zip")
	if err := removeImport(archivePath); err != nil {
		return rep, err
	}
	var err error
	if rep.Export, err = Export(ctx, source, archivePath); err != nil {
		return rep, err
	}
	rep.Import, err = Import(ctx, target, archivePath, opts.Batch)
	return rep, err
}

// removeImport removes an archive and the journals of imports of it.
func removeImport(archivePath string) error {
	journals, err := filepath.Glob(archivePath + ".import-*")
	if err != nil {
		return err
	}
	for _, p := range append(journals, archivePath) {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// Export measures exporting the embedded database at source, level All,
// into a new archive at archivePath.
func Export(ctx context.Context, source, archivePath string) (Phase, error) {
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + source, ReadOnly: true})
	if err != nil {
		return Phase{}, err
	}
	var n int64
	ph, err := measure("export", func() (int64, error) {
		res, err := exporter.Export(ctx, s, archivePath, exporter.Options{Overwrite: true})
		if res != nil {
			n = res.Counts.Messages
		}
		return n, err
	})
	return ph, errors.Join(err, s.Close())
}

// Import measures importing the archive into the embedded database at
// target; batch is the messages per transaction (0: the default).
func Import(ctx context.Context, target, archivePath string, batch int) (Phase, error) {
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + target})
	if err != nil {
		return Phase{}, err
	}
	ph, err := measure("import", func() (int64, error) {
		res, err := importer.Import(ctx, s, archivePath, importer.Options{Batch: batch})
		if res == nil {
			return 0, err
		}
		return res.Messages.Imported, err
	})
	return ph, errors.Join(err, s.Close())
}

// measure runs fn, which returns how many messages it handled, sampling
// the Go heap meanwhile and reading the peak RSS afterwards.
func measure(name string, fn func() (int64, error)) (Phase, error) {
	runtime.GC()
	debug.FreeOSMemory()
	rssReset := resetPeakRSS() == nil
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var peakHeap uint64
	wg.Add(1)
	go func() {
		defer wg.Done()
		samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			peakHeap = max(peakHeap, samples[0].Value.Uint64()+samples[1].Value.Uint64())
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	start, cpu0 := time.Now(), cpuTime()
	n, err := fn()
	d, cpu := time.Since(start), cpuTime()-cpu0
	close(stop)
	wg.Wait()
	ph := Phase{Name: name, Messages: n, Duration: d, CPU: cpu, PeakHeap: peakHeap}
	if d > 0 {
		ph.PerSecond = float64(n) / d.Seconds()
	}
	if cpu > 0 {
		ph.PerCPUSecond = float64(n) / cpu.Seconds()
	}
	if rssReset {
		ph.PeakRSS, _ = peakRSS()
	}
	return ph, err
}

// resetPeakRSS sets the process's VmHWM back to its current RSS (Linux 4.0
// and later).
func resetPeakRSS() error {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSS reads VmHWM from /proc/self/status.
func peakRSS() (uint64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.Join(errors.New("no VmHWM in /proc/self/status"), sc.Err())
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	return errors.Join(err, out.Close())
}

// WriteText prints a report for people.
func WriteText(w io.Writer, r Report) error {
	mb := func(b uint64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }
	_, err := fmt.Fprintf(w, "%d messages (estate written in %.1fs)\n", r.Messages, r.Setup)
	for _, p := range []Phase{r.Export, r.Import} {
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "  %-6s %9d messages in %6.2fs: %9.0f msg/s (%9.0f per CPU second), peak heap %s, peak RSS %s\n",
			p.Name, p.Messages, p.Duration.Seconds(), p.PerSecond, p.PerCPUSecond, mb(p.PeakHeap), mb(p.PeakRSS))
	}
	return err
}
