package store_test

// Benchmarks of the embedded store's message paths. They run only with
// -bench, for example:
//
//	go test ./store -run XXX -bench . -benchtime 1x
//	go test ./store -run XXX -bench StreamMemory -benchtime 1x -store.memsizes 100000,1000000
//
// -store.msgs sets how many messages one append or stream operation moves;
// -store.batch how many messages each AppendMessages call carries.

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/internal/cputime"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/store/storetest"
)

var (
	benchMsgs     = flag.Int("store.msgs", 200_000, "messages per append or stream benchmark operation")
	benchBatch    = flag.Int("store.batch", 5_000, "messages per AppendMessages call in benchmarks")
	benchMemSizes = flag.String("store.memsizes", "100000,1000000", "history sizes for BenchmarkStreamMemory")
)

// benchContent is about 150 bytes of typical chat text; every fourth
// message also carries RTF.
const benchContent = "Deployment window moved to Thursday 22:00 UTC: please check the runbook in the team site and confirm your part (DB, SIP trunk, edge) before noon. "

func benchMessages(n int, poster int32, from int) []pchat.Message {
	out := make([]pchat.Message, n)
	for i := range out {
		k := from + i
		m := pchat.Message{Date: storetest.Tick + int64(k)*10_000_000, UserID: poster, Alert: k%50 == 0,
			Content: benchContent + strconv.Itoa(k)}
		if k%4 == 0 {
			r := `{\rtf1\ansi\deff0{\fonttbl{\f0 Segoe UI;}}\f0\fs20 ` + m.Content + `\par}`
			m.RTF = &r
		}
		out[i] = m
	}
	return out
}

// benchStore opens a new embedded store with one user, category and room.
func benchStore(b *testing.B) (*store.Store, int32, int32) {
	b.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + filepath.Join(b.TempDir(), "bench.db"), Create: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := s.Close(); err != nil {
			b.Error(err)
		}
	})
	u, _, err := s.EnsurePrincipal(ctx, pchat.Principal{URI: "sip:bench@contoso.com", Type: pchat.TypeUser})
	if err != nil {
		b.Fatal(err)
	}
	cat, err := s.CreateCategory(ctx, pchat.Category{Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	room, err := s.CreateRoom(ctx, pchat.Room{Name: "bench", CategoryID: cat, Privacy: pchat.Open, Type: pchat.Normal})
	if err != nil {
		b.Fatal(err)
	}
	return s, u, room
}

// fill appends n messages to room in batches.
func fill(b *testing.B, s *store.Store, room, poster int32, n, batch, from int) {
	b.Helper()
	for done := 0; done < n; {
		k := min(batch, n-done)
		if _, err := s.AppendMessages(context.Background(), room, benchMessages(k, poster, from+done)); err != nil {
			b.Fatal(err)
		}
		done += k
	}
}

func BenchmarkAppendMessages(b *testing.B) {
	s, u, room := benchStore(b)
	n, batch := *benchMsgs, *benchBatch
	// Messages are built outside the timed part: the store is measured,
	// not fmt.
	batches := make([][]pchat.Message, 0, n/batch+1)
	for done := 0; done < n; done += batch {
		batches = append(batches, benchMessages(min(batch, n-done), u, done))
	}
	b.ResetTimer()
	m := startMeter()
	for i := 0; i < b.N; i++ {
		for _, msgs := range batches {
			if _, err := s.AppendMessages(context.Background(), room, msgs); err != nil {
				b.Fatal(err)
			}
		}
	}
	m.report(b, n*b.N)
}

func BenchmarkStreamMessages(b *testing.B) {
	s, u, room := benchStore(b)
	n := *benchMsgs
	fill(b, s, room, u, n, *benchBatch, 0)
	b.ReportAllocs() // the stream's allocations a message: allocs/op ÷ -store.msgs
	b.ResetTimer()
	m := startMeter()
	for i := 0; i < b.N; i++ {
		got := 0
		if err := s.StreamMessages(context.Background(), store.MessageFilter{}, func(pchat.Message) error { got++; return nil }); err != nil {
			b.Fatal(err)
		}
		if got != n {
			b.Fatalf("streamed %d messages, want %d", got, n)
		}
	}
	m.report(b, n*b.N)
}

// meter measures wall and CPU time from its start.
type meter struct {
	wall time.Time
	cpu  time.Duration
}

func startMeter() meter { return meter{time.Now(), cputime.Process()} }

// report gives messages per second of wall time and, where the CPU time is
// known, per second of CPU time (user plus system, all threads).
func (m meter) report(b *testing.B, msgs int) {
	b.ReportMetric(float64(msgs)/time.Since(m.wall).Seconds(), "msgs/s")
	if cpu := cputime.Process() - m.cpu; cpu > 0 {
		b.ReportMetric(float64(msgs)/cpu.Seconds(), "msgs/cpu-s")
	}
}

// BenchmarkStreamMemory streams histories of different sizes and reports
// the live heap (sampled after a forced GC at ten points of the stream) and
// the peak heap in use (sampled every 5,000 messages) above the heap before
// the stream started. Flat figures across sizes mean memory does not grow
// with the history.
func BenchmarkStreamMemory(b *testing.B) {
	for _, f := range strings.Split(*benchMemSizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			b.Fatalf("-store.memsizes: %q is not a positive number", f)
		}
		b.Run(fmt.Sprintf("msgs=%d", n), func(b *testing.B) {
			s, u, room := benchStore(b)
			fill(b, s, room, u, n, 10_000, 0)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				live, peak := streamHeap(b, s, n)
				b.ReportMetric(float64(live)/(1<<20), "live-MB")
				b.ReportMetric(float64(peak)/(1<<20), "peak-inuse-MB")
			}
		})
	}
}

// streamHeap streams every message and returns the largest live heap and
// heap in use seen during the stream, less the figures before it.
func streamHeap(b *testing.B, s *store.Store, n int) (live, peak uint64) {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	baseLive, baseInuse := ms.HeapAlloc, ms.HeapInuse
	every := max(n/10, 1)
	got := 0
	err := s.StreamMessages(context.Background(), store.MessageFilter{}, func(pchat.Message) error {
		got++
		switch {
		case got%every == 0:
			runtime.GC()
			runtime.ReadMemStats(&ms)
			live = max(live, ms.HeapAlloc-min(ms.HeapAlloc, baseLive))
			peak = max(peak, ms.HeapInuse-min(ms.HeapInuse, baseInuse))
		case got%5_000 == 0:
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse-min(ms.HeapInuse, baseInuse))
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if got != n {
		b.Fatalf("streamed %d messages, want %d", got, n)
	}
	return live, peak
}
