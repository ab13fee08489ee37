package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pcmig/pcmig/bindings"
	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/lab"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/scripts"
)

// EstateSize is a structure-heavy lab estate to migrate with the bundled
// script: many principals, categories and rooms, few messages each.
type EstateSize struct {
	Name       string `json:"name"`
	Users      int    `json:"users"`
	Categories int    `json:"categories"`
	Rooms      int    `json:"rooms"`
	Messages   int    `json:"messages"`
	Seed       int64  `json:"seed"`
}

// EstateSizes are the named sizes of `pcmig bench --estate-size`: large is
// the estate of issue 9 (a pool with 20,000 rooms), small a tenth of it.
func EstateSizes() []EstateSize {
	return []EstateSize{
		{Name: "small", Users: 2000, Categories: 20, Rooms: 2000, Messages: 20_000},
		{Name: "large", Users: 20_000, Categories: 200, Rooms: 20_000, Messages: 200_000},
	}
}

// FindEstateSize returns the named size.
func FindEstateSize(name string) (EstateSize, error) {
	var names []string
	for _, s := range EstateSizes() {
		if strings.EqualFold(s.Name, name) {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return EstateSize{}, fmt.Errorf("estate size %q: want %s", name, strings.Join(names, " or "))
}

// StepFigure is one step of the migration: its time and the peak resident
// memory sampled while it ran.
type StepFigure struct {
	Name     string        `json:"name"`
	Status   string        `json:"status"`
	Duration time.Duration `json:"duration_ns"`
	PeakRSS  uint64        `json:"peak_rss_bytes"`
}

// StructureReport is a migration of a structure-heavy lab estate with the
// bundled script, as `pcmig run` makes it.
type StructureReport struct {
	Estate  EstateSize    `json:"estate"`
	LabInit time.Duration `json:"lab_init_ns"` // writing the estate
	Run     time.Duration `json:"run_ns"`      // the whole run
	// PeakRSS is the run's peak resident set size (Linux VmHWM, reset when
	// the run starts).
	PeakRSS uint64       `json:"peak_rss_bytes"`
	Steps   []StepFigure `json:"steps"`
	// ConsoleLines is how many lines the run wrote to its standard output
	// and error at the default log level.
	ConsoleLines int `json:"console_lines"`
}

// Structure writes the lab estate of size into a new folder under dir and
// migrates it with the bundled migrate.lua, measuring each step.
func Structure(ctx context.Context, dir string, size EstateSize) (*StructureReport, error) {
	rep := &StructureReport{Estate: size}
	path := filepath.Join(dir, fmt.Sprintf("estate-%s-%d-%d-%d-%d", size.Name, size.Users, size.Categories, size.Rooms, size.Messages))
	start := time.Now()
	if _, err := lab.Init(ctx, path, lab.Options{Users: size.Users, Categories: size.Categories, Rooms: size.Rooms,
		Messages: size.Messages, Seed: size.Seed, Overwrite: true}); err != nil {
		return rep, err
	}
	rep.LabInit = time.Since(start)
	est, err := estate.Load(ctx, filepath.Join(path, lab.EstateFile))
	if err != nil {
		return rep, err
	}
	src, ok := scripts.Read("migrate.lua")
	if !ok {
		return rep, errors.New("bench: no bundled migrate.lua")
	}
	env := &bindings.Env{Estate: est}
	defer env.Close()
	if err := os.MkdirAll(est.State, 0o755); err != nil {
		return rep, err
	}
	var console lineCounter
	opts := pcrt.Options{Stdout: &console, Stderr: &console, Modules: env.Modules(), BundledFS: scripts.FS(), Estate: est.Name,
		Journal: filepath.Join(est.State, estate.RunJournalName), LockFile: filepath.Join(est.State, estate.RunLockName)}

	runtime.GC()
	debug.FreeOSMemory()
	rssReset := resetPeakRSS() == nil
	rss := startRSSSampler(20 * time.Millisecond)
	start = time.Now()
	run, runErr := pcrt.Run(ctx, pcrt.Script{Name: "migrate.lua", Source: src}, opts)
	rep.Run = time.Since(start)
	samples := rss.stop()
	if rssReset {
		rep.PeakRSS, _ = peakRSS()
	}
	for _, x := range samples {
		rep.PeakRSS = max(rep.PeakRSS, x.rss) // VmHWM is updated lazily
	}
	rep.ConsoleLines = console.lines
	if run != nil {
		for _, s := range run.Steps {
			f := StepFigure{Name: s.Name, Status: s.Status, Duration: s.End.Sub(s.Start)}
			for i, x := range samples {
				// The samples within the step, and the first after it for
				// a step shorter than the sampling interval.
				if !x.at.Before(s.Start) && (!x.at.After(s.End) || i > 0 && samples[i-1].at.Before(s.End)) {
					f.PeakRSS = max(f.PeakRSS, x.rss)
				}
			}
			rep.Steps = append(rep.Steps, f)
		}
	}
	if runErr != nil {
		return rep, fmt.Errorf("bench: the migration failed: %w (console output: %d lines)", runErr, console.lines)
	}
	return rep, nil
}

// writeText prints the figures for people.
func (r *StructureReport) writeText(w io.Writer) {
	mb := func(b uint64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }
	e := r.Estate
	fmt.Fprintf(w, "structure-heavy estate %q: %d users, %d categories, %d rooms, %d messages\n", e.Name, e.Users, e.Categories, e.Rooms, e.Messages)
	fmt.Fprintf(w, "  lab init %.1fs; pcmig run %.1fs, peak RSS %s, %d console lines\n", r.LabInit.Seconds(), r.Run.Seconds(), mb(r.PeakRSS), r.ConsoleLines)
	for i, s := range r.Steps {
		fmt.Fprintf(w, "  step %d %-50s %8.2fs  peak RSS %s\n", i+1, s.Name, s.Duration.Seconds(), mb(s.PeakRSS))
	}
}

// lineCounter counts the lines written to it.
type lineCounter struct {
	mu    sync.Mutex
	lines int
}

func (c *lineCounter) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.lines += bytes.Count(p, []byte{'\n'})
	c.mu.Unlock()
	return len(p), nil
}

type rssSample struct {
	at  time.Time
	rss uint64
}

// rssSampler reads the process's resident set size periodically.
type rssSampler struct {
	done    chan struct{}
	wg      sync.WaitGroup
	samples []rssSample
}

func startRSSSampler(every time.Duration) *rssSampler {
	s := &rssSampler{done: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			if v, err := statusField("VmRSS:"); err == nil {
				s.samples = append(s.samples, rssSample{at: time.Now(), rss: v})
			}
			select {
			case <-s.done:
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

func (s *rssSampler) stop() []rssSample {
	close(s.done)
	s.wg.Wait()
	return s.samples
}

// statusField reads a size field (in kB) of /proc/self/status, in bytes.
func statusField(name string) (uint64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.Join(fmt.Errorf("no %s in /proc/self/status", name), sc.Err())
}
