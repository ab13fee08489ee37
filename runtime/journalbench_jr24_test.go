package runtime

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/internal/cputime"
)

// BenchmarkJournalRunSaves replays the saves of a run's journal shaped as
// the 20,000-room estate's (21 steps; the import's record 3.8 MB and the
// reconciliation's 9.5 MB of compact JSON, the others small): each step's
// start and finish. It reports the CPU (user and system) of a whole run's
// saves, which wall time on a shared machine does not show.
func BenchmarkJournalRunSaves(b *testing.B) {
	blob := func(n int) json.RawMessage {
		var sb strings.Builder
		sb.WriteByte('[')
		for i := 0; sb.Len() < n; i++ {
			if i > 0 {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, `{"room":"Room %d of the estate","guid":"%08x-0000-4000-8000-%012x","messages":%d,"equal":true}`, i, i*7919, i*104729, i%997)
		}
		sb.WriteByte(']')
		return json.RawMessage(sb.String())
	}
	sizes := map[int]int{2: 3_800_000, 10: 9_500_000}
	data := make([]json.RawMessage, 21)
	for i := range data {
		n, ok := sizes[i]
		if !ok {
			n = 10_000
		}
		data[i] = blob(n)
	}
	dir := b.TempDir()
	var cpu time.Duration
	for b.Loop() {
		now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
		clock := func() time.Time { now = now.Add(time.Millisecond); return now }
		j := &journal{path: filepath.Join(dir, "run-journal.json"), write: true, now: clock, done: map[string]journalStep{},
			data: journalData{Version: 1, Script: "migrate.lua", Fingerprint: "sha256:00", Started: clock(), Steps: []journalStep{}}}
		before := cputime.Process()
		for i, d := range data {
			name := fmt.Sprintf("step %d", i+1)
			if err := j.started(name); err != nil {
				b.Fatal(err)
			}
			if err := j.finishedStep(journalStep{Name: name, Data: map[string]json.RawMessage{"report": d}}); err != nil {
				b.Fatal(err)
			}
		}
		if err := j.end(nil); err != nil {
			b.Fatal(err)
		}
		cpu += cputime.Process() - before
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/run")
}
