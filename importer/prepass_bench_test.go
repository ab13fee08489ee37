package importer

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/internal/cputime"
	"github.com/pcmig/pcmig/pchat"
)

// prepassArchiveEnv names an archive for BenchmarkPrePass/file, such as
// the bench.zip that `pcmig bench --messages 1000000 --dir D` leaves in
// D/estate-1000000.
const prepassArchiveEnv = "PCMIG_PREPASS_ARCHIVE"

// BenchmarkPrePass measures the import's read phase (readArchive: every
// part streamed and checked once, the messages summarised) over an archive
// of 200,000 messages, and of 1,000,000 unless -short, written with lab-like
// texts; and over the archive $PCMIG_PREPASS_ARCHIVE names, if set. It
// reports CPU time per message (all goroutines) beside the wall time.
func BenchmarkPrePass(b *testing.B) {
	sizes := []int{200_000}
	if !testing.Short() {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "prepass.zip")
			writePrePassArchive(b, path, n)
			benchPrePass(b, path)
		})
	}
	if path := os.Getenv(prepassArchiveEnv); path != "" {
		b.Run("file", func(b *testing.B) { benchPrePass(b, path) })
	}
}

func benchPrePass(b *testing.B, path string) {
	var msgs int64
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cputime.Process()
	for i := 0; i < b.N; i++ {
		r, err := archive.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		a, err := readArchive(context.Background(), r)
		r.Close()
		if err != nil {
			b.Fatal(err)
		}
		msgs = 0
		for _, n := range a.roomMessages {
			msgs += n
		}
	}
	b.StopTimer()
	cpu = cputime.Process() - cpu
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(msgs), "ns/msg")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/float64(msgs), "cpu-ns/msg")
	}
}

// writePrePassArchive writes n messages in rooms of 10,000, posted by 50
// principals, with texts like the lab's: short lines, some non-ASCII and
// quoted, a third with RTF.
func writePrePassArchive(tb testing.TB, path string, n int) {
	rng := rand.New(rand.NewSource(1))
	texts := []string{"Can someone review PR #5670? 🙏", "Ship it 🚢", "Customer 9557 escalated again; the ticket is in the queue.",
		"Ça marche, je m'en occupe 👌", `She said "done" — it's done. Renée, can you confirm?`, "Build 2597 is green ✅",
		"Der Deploy läuft, bitte keine Merges bis 15:00.", "Budget line 5137 is over by 78 €.", "ok", "Meeting moved to 10:30."}
	w, err := archive.Create(path, archive.WriterOptions{Overwrite: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer w.Abort()
	const perRoom, users = 10_000, 50
	guid := func(n int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012x", n, n) }
	for i := range users {
		if err := w.AddPrincipal(archive.Principal{GUID: guid(1 + i), URI: fmt.Sprintf("sip:user%d@contoso.com", i),
			Type: archive.PrincipalUser, State: pchat.Active}); err != nil {
			tb.Fatal(err)
		}
	}
	rooms := (n + perRoom - 1) / perRoom
	for i := range rooms {
		if err := w.AddRoom(archive.Room{GUID: guid(1000 + i), Name: fmt.Sprintf("Room %d", i), Category: "Bench",
			Privacy: pchat.Open, Type: pchat.Normal, Invitations: pchat.Inherit}); err != nil {
			tb.Fatal(err)
		}
	}
	date := int64(636761959004172541)
	for i := range n {
		text := texts[rng.Intn(len(texts))]
		m := archive.Message{Room: guid(1000 + i/perRoom), ChatID: int64(i%perRoom + 1), Date: date,
			User: guid(1 + rng.Intn(users)), Content: text}
		date += rng.Int63n(1e9)
		if i%3 == 0 {
			rtf := `{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fnil\fcharset0 Segoe UI;}}\f0\fs20 ` +
				strings.ReplaceAll(text, "é", `\u233?`) + `\par}`
			m.RTF = &rtf
		}
		if err := w.AddMessage(m); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Commit(archive.Manifest{Level: archive.LevelAll, Created: time.Unix(0, 0)}); err != nil {
		tb.Fatal(err)
	}
}
