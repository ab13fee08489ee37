package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/store"
)

// MessageCounts gives, for every room, MessageStats' figures but the two
// that need each message's text (ContentBytes, FileLinks): the same rooms,
// counts, first and last ticks and last chat IDs, for the whole history and
// from a start date, on a database and on a dry run's simulation of it.
func TestMessageCountsAreMessageStatsWithoutText(t *testing.T) {
	dir := t.TempDir()
	opts := lab.DefaultOptions()
	opts.Rooms, opts.Messages, opts.Seed = 30, 900, 7
	if _, err := lab.Init(context.Background(), dir, opts); err != nil {
		t.Fatal(err)
	}
	for _, shadow := range []bool{false, true} {
		s, err := store.Open(t.Context(), store.Config{DSN: "sqlite:" + filepath.Join(dir, "source-2015.db"), ReadOnly: !shadow, Shadow: shadow, Force: true})
		if err != nil {
			t.Fatal(err)
		}
		all, err := s.MessageStats(t.Context(), 0)
		if err != nil {
			t.Fatal(err)
		}
		var mid int64 // a start date inside the history
		var texts, links int64
		for _, st := range all {
			texts += st.ContentBytes
			links += st.FileLinks
			if st.Messages > 1 && mid == 0 {
				mid = (st.FirstTick + st.LastTick) / 2
			}
		}
		if mid == 0 || texts == 0 || links == 0 {
			t.Fatalf("lab without the figures to compare: start %d, text bytes %d, file links %d", mid, texts, links)
		}
		for _, since := range []int64{0, mid} {
			want, err := s.MessageStats(t.Context(), since)
			if err != nil {
				t.Fatal(err)
			}
			for id, st := range want {
				st.ContentBytes, st.FileLinks = 0, 0
				want[id] = st
			}
			got, err := s.MessageCounts(t.Context(), since)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("shadow %v, since %d: MessageCounts differs from MessageStats (-want +got):\n%s", shadow, since, diff)
			}
		}
		s.Close()
	}
}
