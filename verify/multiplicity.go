package verify

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// Each source room is compared with the part of its target room that the
// import wrote (the journal's range), or, in a room the target had before,
// looked for anywhere in it (multiset.go). That proves each source message
// arrived, not how many times: a room whose history an import appended
// twice still compares equal. So every target room whose comparisons did
// not cover its whole history (merged rooms, rooms of an earlier run,
// several source rooms merged into one, messages outside the compared
// range) is checked once more, after every source: the target room must
// hold each of the sources' messages exactly as many times as the source
// room that holds it most often (the maximum over the source rooms merged
// into it, not their sum). That is the import's rule: it looks each archive
// message up in the room's whole history by time, poster, alert flag,
// content and RTF, and a copy the room holds already is that message, so
// two sources that hold one message (copied history, to the 100-ns tick)
// leave it once. Messages no source has, such as the target's own, are
// left out. The check holds a count per distinct source message of the
// room while it runs (a 64-bit key and a count: about 30 bytes each, and
// as much again for the source room being read).

// feed is a source room whose messages were compared with a target room.
type feed struct {
	label, category string
	side            *side // the source's store and principals
	room            int32
	fig, cat        int // its room's and category's figures in the result
	since           int64
	whole           bool // the compared range was the target room's whole history, in order
	multiset        bool // compared as a multiset: its order is checked here (order.go)
	differs         bool // its comparison found its history different
}

// addFeeds records, after one source's messages were compared, which
// source room went into which target room.
func (c *comparison) addFeeds(s *side, since int64, jobs []*msgJob) {
	if c.feeds == nil {
		c.feeds = map[int32][]feed{}
	}
	// The source's store and principals, not the rest of what was read of
	// it, are kept until every source is compared.
	s = &side{store: s.store, uri: s.uri}
	for _, j := range jobs {
		if _, ok := c.feeds[j.tgt]; !ok {
			c.feedOrder = append(c.feedOrder, j.tgt)
		}
		c.feeds[j.tgt] = append(c.feeds[j.tgt], feed{label: j.d.source, category: j.d.category, side: s,
			room: j.src, fig: j.fig, cat: j.cat, since: since, whole: !j.rg.multiset && j.after == 0 && j.below == 0, multiset: j.rg.multiset, differs: j.differs})
	}
}

// multiplicity checks the target rooms whose whole history the
// comparisons did not cover.
func (c *comparison) multiplicity(ctx context.Context) error {
	for _, id := range c.feedOrder {
		feeds := c.feeds[id]
		if len(feeds) == 1 && feeds[0].whole {
			continue // compared message by message over its whole history
		}
		if err := c.roomMultiplicity(ctx, id, feeds); err != nil {
			return err
		}
	}
	return nil
}

func (c *comparison) roomMultiplicity(ctx context.Context, id int32, feeds []feed) error {
	tr := c.t.roomByID[id]
	// A difference named here (order, copies) is the room's history
	// differing.
	defer func(n int) {
		if len(c.res.Differences) > n {
			c.historyDiffers[id] = true
		}
	}(len(c.res.Differences))
	counts := map[uint64]int32{} // the most copies a source room holds
	var room map[uint64]int32    // the copies one source room holds
	var enc []byte
	var key uint64
	var total int64
	labels := map[string]bool{}
	differs := false
	shared := make([]int64, len(feeds)) // each feed's copies an earlier feed holds too
	skip := map[uint64]bool{}           // messages several feeds hold: their order is not checked
	for i, f := range feeds {
		labels[f.label] = true
		differs = differs || f.differs
		if room == nil {
			room = map[uint64]int32{}
		}
		clear(room)
		err := f.side.store.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{f.room}, SinceTick: f.since}, func(m pchat.Message) error {
			enc, _, key = hashKey(enc, f.side, &m)
			room[key]++
			total++
			return ctx.Err()
		})
		if err != nil {
			return fmt.Errorf("verify room %q: read the messages of %s: %w", tr.Name, f.label, err)
		}
		for k, n := range room {
			prev := counts[k]
			if prev > 0 {
				skip[k] = true // held by two source rooms: where the first put it
			}
			shared[i] += int64(min(n, prev))
			if n > prev {
				counts[k] = n
			}
		}
	}
	// The order of each source room compared as a multiset whose messages
	// are all there is checked while the target room is read.
	octx, cancel := context.WithCancel(ctx)
	defer cancel()
	var checks []*orderCheck
	oerrs := make(chan error, len(feeds))
	for i := range feeds {
		if f := &feeds[i]; f.multiset && !f.differs {
			checks = append(checks, startOrder(octx, f, skip, oerrs))
		}
	}
	var extra, held int64
	var first *pchat.Message
	err := c.t.store.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{id}}, func(m pchat.Message) error {
		enc, _, key = hashKey(enc, c.t, &m)
		if n, ok := counts[key]; ok {
			held++
			for _, o := range checks {
				o.see(key)
			}
			if counts[key] = n - 1; n <= 0 {
				extra++
				if first == nil {
					first = &pchat.Message{Date: m.Date, UserID: m.UserID}
				}
			}
		}
		return ctx.Err()
	})
	if err != nil {
		stopOrder(cancel, checks, oerrs)
		return fmt.Errorf("verify room %q: read the messages of the target: %w", tr.Name, err)
	}
	for _, o := range checks {
		c.finishOrder(o)
	}
	if err := stopOrder(cancel, checks, oerrs); err != nil {
		return fmt.Errorf("verify room %q: %w", tr.Name, err)
	}
	for _, o := range checks {
		if o.excluded > 0 {
			c.res.noteOf(NoteShared, "%s: room %s: %s of its messages are also in another source's room merged into the same target room: they are where that source put them, and their order is not checked",
				o.f.label, c.res.Rooms[o.f.fig].Name, count(o.excluded))
		}
	}
	if len(feeds) > 1 {
		c.shareFigures(feeds, shared, held)
	}
	var missing int64
	for _, n := range counts {
		if n > 0 {
			missing += int64(n)
		}
	}
	// Copies too few are differences of the source rooms' own comparisons
	// (each finds its messages at least as many times as it holds them);
	// they are named here only if none of them did.
	if differs {
		missing = 0
	}
	if extra == 0 && missing == 0 {
		return nil
	}
	names := make([]string, 0, len(labels))
	for l := range labels {
		names = append(names, l)
	}
	sort.Strings(names)
	d := differ{c: c, source: strings.Join(names, ", "), category: feeds[0].category, object: "room " + tr.Name}
	from := fmt.Sprintf("%s messages in %d source rooms (%s) merged into it", count(total), len(feeds), strings.Join(names, ", "))
	each := "as many times as the source room that holds it most often holds it"
	if len(feeds) == 1 {
		from = fmt.Sprintf("%s in the source room (%s)", countOf(total, "message", "messages"), names[0])
		each = "as many times as the source holds it"
	}
	if extra > 0 {
		d.add(DiffHistory, "the target holds %s too many of the %s: each is meant to be there %s; the first extra copy is the message by %s at %s",
			countOf(extra, "copy", "copies"), from, each, c.t.who(first.UserID), stamp(first.Date))
	}
	if missing > 0 {
		d.add(DiffHistory, "the target holds %s of the %s fewer times than it is meant to (%s)", count(missing), from, each)
	}
	return nil
}

// shareFigures counts a target room that several source rooms went into
// in the totals once: the messages they hold alike are expected once (as
// many times as the source room that holds them most often), so each
// feed's copies an earlier feed holds too (shared) leave the source's
// total, and the target's total counts the copies of the sources' messages
// the room holds (held), not each feed's matches summed.
func (c *comparison) shareFigures(feeds []feed, shared []int64, held int64) {
	for i, f := range feeds {
		fig := &c.res.Rooms[f.fig]
		held -= fig.TargetMessages
		if shared[i] == 0 {
			continue
		}
		fig.SharedMessages = shared[i]
		c.res.Categories[f.cat].SharedMessages += shared[i]
		c.res.Totals.SharedMessages += shared[i]
		c.res.Totals.Source.Messages -= shared[i]
	}
	c.res.Totals.Target.Messages += held
}
