// Package bench measures pcmig's export and import on the embedded store:
// messages per second and peak memory of each, on a lab estate of a given
// size. `pcmig bench` and the package's benchmarks call it.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/internal/cputime"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/store"
)

// Options say what to measure.
type Options struct {
	Messages int    // messages in the lab estate (default 1,000,000)
	Seed     int64  // the lab's seed
	Dir      string // working folder; the estate and archive are written here
	Batch    int    // import messages per transaction (0: the importer's default)
	// Rounds is how many times each phase runs, interleaved (raw read,
	// export, raw insert, import, then again); the report gives the median
	// of each figure (default 3).
	Rounds int
	// Reuse keeps an estate already in Dir with the same Messages instead
	// of writing it again.
	Reuse bool
	// NoMessages skips the message rounds.
	NoMessages bool
	// Structure, if set, also migrates a structure-heavy lab estate of
	// that size with the bundled script (see Structure).
	Structure *EstateSize
}

// Phase is one measured operation.
type Phase struct {
	Name      string        `json:"name"` // export, import, raw read or raw insert
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

// rates fills PerSecond and PerCPUSecond.
func (p *Phase) rates() {
	if p.Duration > 0 {
		p.PerSecond = float64(p.Messages) / p.Duration.Seconds()
	}
	if p.CPU > 0 {
		p.PerCPUSecond = float64(p.Messages) / p.CPU.Seconds()
	}
}

// Round is one interleaved measurement of the four phases.
type Round struct {
	RawRead   Phase `json:"raw_read"`
	Export    Phase `json:"export"`
	RawInsert Phase `json:"raw_insert"`
	Import    Phase `json:"import"`
}

// ExportRatio is the export's speed as a share of the raw read's.
func (r Round) ExportRatio() float64 { return ratio(r.Export, r.RawRead) }

// ImportRatio is the import's speed as a share of the raw insert's.
func (r Round) ImportRatio() float64 { return ratio(r.Import, r.RawInsert) }

func ratio(a, floor Phase) float64 {
	if floor.PerSecond == 0 {
		return 0
	}
	return a.PerSecond / floor.PerSecond
}

// Report is a run's figures: each phase's median over the rounds (each
// figure's own median), the median of the rounds' ratios, and the rounds.
type Report struct {
	Messages  int     `json:"messages"`
	Setup     float64 `json:"setup_seconds"` // writing the lab estate
	RawRead   Phase   `json:"raw_read"`
	Export    Phase   `json:"export"`
	RawInsert Phase   `json:"raw_insert"`
	Import    Phase   `json:"import"`
	// ExportRatio and ImportRatio are the medians of the rounds' ratios of
	// export to raw read and import to raw insert speed: measured in the
	// same round, they are what a busy machine disturbs least.
	ExportRatio float64 `json:"export_ratio"`
	ImportRatio float64 `json:"import_ratio"`
	Rounds      []Round `json:"rounds,omitempty"`
	// Structure is the migration of the structure-heavy estate, when
	// measured.
	Structure *StructureReport `json:"structure,omitempty"`
}

// Run writes a lab estate of opts.Messages messages into opts.Dir (unless
// opts.Reuse finds one), then measures opts.Rounds times, interleaved: a
// raw read of its 2015 pool's tblChat, the export of that pool, a raw
// insert of the same rows into an empty 2019 pool, and the import of the
// archive into an empty 2019 pool.
func Run(ctx context.Context, opts Options) (Report, error) {
	if opts.Messages <= 0 {
		opts.Messages = 1_000_000
	}
	if opts.Rounds <= 0 {
		opts.Rounds = 3
	}
	if opts.Dir == "" {
		return Report{}, errors.New("bench: no working folder")
	}
	rep := Report{Messages: opts.Messages}
	if !opts.NoMessages {
		if err := rep.messages(ctx, opts); err != nil {
			return rep, err
		}
	} else {
		rep.Messages = 0
	}
	if opts.Structure != nil {
		var err error
		rep.Structure, err = Structure(ctx, opts.Dir, *opts.Structure)
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// messages measures the message rounds.
func (rep *Report) messages(ctx context.Context, opts Options) error {
	estate := filepath.Join(opts.Dir, fmt.Sprintf("estate-%d", opts.Messages))
	source, target := filepath.Join(estate, "source-2015.db"), filepath.Join(estate, "target-2019.db")
	pristine := target + ".empty"
	start := time.Now()
	if _, err := os.Stat(pristine); !opts.Reuse || err != nil {
		if _, err := lab.Init(ctx, estate, lab.Options{Messages: opts.Messages, Seed: opts.Seed, Overwrite: true}); err != nil {
			return err
		}
		if err := copyFile(target, pristine); err != nil {
			return err
		}
	}
	rep.Setup = time.Since(start).Seconds()
	archivePath := filepath.Join(estate, "bench.zip")
	rawTarget := filepath.Join(estate, "raw-insert.db")
	defer os.Remove(rawTarget)
	for range opts.Rounds {
		var r Round
		var err error
		if r.RawRead, err = RawRead(ctx, source); err != nil {
			return err
		}
		if err := removeImport(archivePath); err != nil {
			return err
		}
		if r.Export, err = Export(ctx, source, archivePath); err != nil {
			return err
		}
		if err := copyFile(pristine, rawTarget); err != nil {
			return err
		}
		if r.RawInsert, err = RawInsert(ctx, source, rawTarget); err != nil {
			return err
		}
		if err := copyFile(pristine, target); err != nil {
			return err
		}
		if r.Import, err = Import(ctx, target, archivePath, opts.Batch); err != nil {
			return err
		}
		rep.Rounds = append(rep.Rounds, r)
	}
	rep.summarise()
	return nil
}

// summarise sets the medians from the rounds.
func (rep *Report) summarise() {
	pick := func(f func(Round) Phase) Phase {
		var ps []Phase
		for _, r := range rep.Rounds {
			ps = append(ps, f(r))
		}
		return medianPhase(ps)
	}
	rep.RawRead = pick(func(r Round) Phase { return r.RawRead })
	rep.Export = pick(func(r Round) Phase { return r.Export })
	rep.RawInsert = pick(func(r Round) Phase { return r.RawInsert })
	rep.Import = pick(func(r Round) Phase { return r.Import })
	var er, ir []float64
	for _, r := range rep.Rounds {
		er, ir = append(er, r.ExportRatio()), append(ir, r.ImportRatio())
	}
	rep.ExportRatio, rep.ImportRatio = median(er), median(ir)
}

// medianPhase is a phase whose every figure is the median of that figure.
func medianPhase(ps []Phase) Phase {
	if len(ps) == 0 {
		return Phase{}
	}
	f := func(get func(Phase) float64) float64 {
		var v []float64
		for _, p := range ps {
			v = append(v, get(p))
		}
		return median(v)
	}
	return Phase{
		Name:         ps[0].Name,
		Messages:     int64(f(func(p Phase) float64 { return float64(p.Messages) })),
		Duration:     time.Duration(f(func(p Phase) float64 { return float64(p.Duration) })),
		PerSecond:    f(func(p Phase) float64 { return p.PerSecond }),
		CPU:          time.Duration(f(func(p Phase) float64 { return float64(p.CPU) })),
		PerCPUSecond: f(func(p Phase) float64 { return p.PerCPUSecond }),
		PeakHeap:     uint64(f(func(p Phase) float64 { return float64(p.PeakHeap) })),
		PeakRSS:      uint64(f(func(p Phase) float64 { return float64(p.PeakRSS) })),
	}
}

// median is the middle value (the mean of the two middle ones for an even
// count).
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
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
	start, cpu0 := time.Now(), cputime.Process()
	n, err := fn()
	d, cpu := time.Since(start), cputime.Process()-cpu0
	close(stop)
	wg.Wait()
	ph := Phase{Name: name, Messages: n, Duration: d, CPU: cpu, PeakHeap: peakHeap}
	ph.rates()
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
func peakRSS() (uint64, error) { return statusField("VmHWM:") }

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

// WriteText prints a report for people: the median figures, raw driver
// beside pcmig, and the ratios.
func WriteText(w io.Writer, r Report) error {
	var b strings.Builder
	if len(r.Rounds) > 0 {
		r.writeMessages(&b)
	}
	if r.Structure != nil {
		r.Structure.writeText(&b)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (r Report) writeMessages(b *strings.Builder) {
	mb := func(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
	fmt.Fprintf(b, "%d messages (estate written in %.1fs), median of %d interleaved rounds:\n", r.Messages, r.Setup, len(r.Rounds))
	for _, p := range []Phase{r.RawRead, r.Export, r.RawInsert, r.Import} {
		mem := ""
		if p.PeakHeap > 0 {
			mem = fmt.Sprintf(", peak heap %s, peak RSS %s", mb(p.PeakHeap), mb(p.PeakRSS))
		}
		fmt.Fprintf(b, "  %-10s %9d messages in %6.2fs: %9.0f msg/s (%9.0f per CPU second)%s\n",
			p.Name, p.Messages, p.Duration.Seconds(), p.PerSecond, p.PerCPUSecond, mem)
	}
	fmt.Fprintf(b, "  export at %.2fx the raw read, import at %.2fx the raw insert (medians of the rounds' ratios:", r.ExportRatio, r.ImportRatio)
	for i, rd := range r.Rounds {
		if i > 0 {
			b.WriteString(";")
		}
		fmt.Fprintf(b, " %.2f/%.2f", rd.ExportRatio(), rd.ImportRatio())
	}
	b.WriteString(")\n")
}
