package archive

import (
	"fmt"
	"math/rand"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/pchat"
)

// benchCorpus makes message texts of about 150 bytes with some non-ASCII,
// half of them with RTF of the kind Lync clients send.
type benchCorpus struct {
	contents []string
	rtfs     []*string
	rooms    []string // GUIDs
	users    []string
}

func newBenchCorpus() *benchCorpus {
	rng := rand.New(rand.NewSource(1))
	words := []string{"the", "build", "server", "déploiement", "is", "down", "again", "😀", "please", "check",
		"日本語", "merge", "request", "thanks", "ok", "meeting", "at", "10:00", "Grüße", "\"quoted\"", "C:\\temp", "release"}
	c := &benchCorpus{}
	for i := 0; i < 300; i++ {
		c.users = append(c.users, guid(1+i))
	}
	for i := 0; i < 1024; i++ {
		var b strings.Builder
		for b.Len() < 150 {
			b.WriteString(words[rng.Intn(len(words))])
			b.WriteByte(' ')
		}
		s := b.String()
		c.contents = append(c.contents, s)
		if i%2 == 0 {
			c.rtfs = append(c.rtfs, ptr(`{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fnil\fcharset0 Segoe UI;}}`+"\r\n"+`\uc1\pard\f0\fs20 `+s+`\par`+"\r\n}"))
		} else {
			c.rtfs = append(c.rtfs, nil)
		}
	}
	return c
}

const (
	benchMessages = 100_000
	benchRooms    = 100
)

// message returns the i-th of benchMessages messages: rooms of equal size,
// in chat ID order.
func (c *benchCorpus) message(i int) Message {
	per := benchMessages / benchRooms
	for len(c.rooms) <= i/per {
		c.rooms = append(c.rooms, guid(1000+len(c.rooms)))
	}
	return Message{Room: c.rooms[i/per], ChatID: int64(i%per + 1), Date: bigTicks + int64(i)*12_345_678,
		User: c.users[i%len(c.users)], Alert: i%50 == 0, Content: c.contents[i%len(c.contents)], RTF: c.rtfs[i%len(c.rtfs)]}
}

func benchRoom(n int) Room {
	return Room{GUID: guid(1000 + n), Name: fmt.Sprintf("Room %d", n), Category: "Bench", Privacy: pchat.Open,
		Type: pchat.Normal, Invitations: pchat.Inherit}
}

// writeBench writes an archive of n messages (n ≤ benchMessages, or more
// rooms' worth), calling sample every sampleEvery messages.
func writeBench(tb testing.TB, path string, c *benchCorpus, n int, sampleEvery int, sample func()) {
	w, err := Create(path, WriterOptions{Overwrite: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer w.Abort()
	rooms := (n + benchMessages/benchRooms - 1) / (benchMessages / benchRooms)
	for i := 0; i < rooms; i++ {
		if err := w.AddRoom(benchRoom(i)); err != nil {
			tb.Fatal(err)
		}
	}
	for i := 0; i < n; i++ {
		if err := w.AddMessage(c.message(i)); err != nil {
			tb.Fatal(err)
		}
		if sample != nil && (i+1)%sampleEvery == 0 {
			sample()
		}
	}
	if err := w.Commit(Manifest{Level: LevelAll, Created: time.Unix(0, 0)}); err != nil {
		tb.Fatal(err)
	}
}

func BenchmarkWriteMessages(b *testing.B) {
	c := newBenchCorpus()
	path := filepath.Join(b.TempDir(), "bench.zip")
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		writeBench(b, path, c, benchMessages, 0, nil)
	}
	b.StopTimer()
	reportBench(b, path, processCPU()-cpu)
}

func BenchmarkReadMessages(b *testing.B) {
	c := newBenchCorpus()
	path := filepath.Join(b.TempDir(), "bench.zip")
	writeBench(b, path, c, benchMessages, 0, nil)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		r, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		var n, bytes int
		err = r.Messages(func(m Message) error {
			n++
			bytes += len(m.Content)
			return nil
		})
		r.Close()
		if err != nil || n != benchMessages {
			b.Fatalf("Messages() = %v after %d messages", err, n)
		}
	}
	b.StopTimer()
	reportBench(b, path, processCPU()-cpu)
}

// reportBench reports messages per second, CPU time per message (user and
// system, all goroutines: a figure that other load on the machine does not
// inflate) and the archive's size.
func reportBench(b *testing.B, path string, cpu time.Duration) {
	b.ReportMetric(float64(b.N)*benchMessages/b.Elapsed().Seconds(), "msg/s")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/benchMessages, "cpu-ns/msg")
	}
	r, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	var raw int64
	for _, p := range r.Manifest().Parts {
		raw += p.Bytes
	}
	b.ReportMetric(float64(raw)/benchMessages, "B/msg")
	b.ReportMetric(float64(r.size)/float64(raw), "ratio")
}

func BenchmarkAppendMessage(b *testing.B) {
	c := newBenchCorpus()
	var buf []byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m := c.message(i % benchMessages)
		buf, _ = appendMessage(buf[:0], &m)
	}
}

func BenchmarkDecodeMessage(b *testing.B) {
	c := newBenchCorpus()
	var lines [][]byte
	for i := 0; i < 1024; i++ {
		m := c.message(i * 97)
		line, _ := appendMessage(nil, &m)
		lines = append(lines, line[:len(line)-1])
	}
	d := newMsgDecoder()
	var m Message
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := d.decode(lines[i%len(lines)], &m); err != nil {
			b.Fatal(err)
		}
	}
}

// liveHeap returns the heap in use after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestMemoryFlat checks that writing and reading keep memory flat as the
// number of messages grows: the live heap after many messages is no larger
// than after a few, give or take a small allowance.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 300,000 messages")
	}
	const n, every, allowance = 3 * benchMessages, 25_000, 4 << 20
	c := newBenchCorpus()
	path := filepath.Join(t.TempDir(), "big.zip")
	var samples []uint64
	writeBench(t, path, c, n, every, func() { samples = append(samples, liveHeap()) })
	checkFlat(t, "writing", samples, allowance)

	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	samples, i := nil, 0
	err = r.Messages(func(m Message) error {
		if i++; i%every == 0 {
			samples = append(samples, liveHeap())
		}
		return nil
	})
	if err != nil || i != n {
		t.Fatalf("Messages() = %v after %d messages", err, i)
	}
	checkFlat(t, "reading", samples, allowance)
}

func checkFlat(t *testing.T, what string, samples []uint64, allowance uint64) {
	t.Helper()
	first, peak := samples[0], samples[0]
	for _, s := range samples {
		peak = max(peak, s)
	}
	if peak > first+allowance {
		t.Errorf("%s: live heap grew from %d to %d bytes (samples %v)", what, first, peak, samples)
	}
}

// BenchmarkReadMessagesAgain reads the messages of an archive already read
// once by the same Reader, as an import's write pass does after its
// pre-pass, as views: the part reader and the decoding, without the
// caller's work.
func BenchmarkReadMessagesAgain(b *testing.B) {
	c := newBenchCorpus()
	path := filepath.Join(b.TempDir(), "bench.zip")
	writeBench(b, path, c, benchMessages, 0, nil)
	r, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	read := func() {
		n := 0
		if err := r.MessageViews(func(*MessageView) error { n++; return nil }); err != nil || n != benchMessages {
			b.Fatalf("MessageViews() = %v after %d messages", err, n)
		}
	}
	read()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		read()
	}
	b.StopTimer()
	reportBench(b, path, processCPU()-cpu)
}
