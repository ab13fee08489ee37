package verify

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// Each source room is compared with the part of its target room that the
// import wrote (the journal's range, or the newest messages of a merged
// room). That proves each source message arrived, not how many times: a
// room whose history an import appended twice still compares equal over
// the latest range. So every target room whose comparisons did not cover
// its whole history (merged rooms, several source rooms merged into one,
// messages outside the compared range) is checked once more, after every
// source: the target room must hold each of the sources' messages exactly
// as many times as the sources merged into it hold it together (messages
// the sources do not have, such as the target's own, are left out). The
// check holds a count per distinct source message of the room while it
// runs (a 64-bit key and a count: about 30 bytes each).

// feed is a source room whose messages were compared with a target room.
type feed struct {
	label, category string
	store           *store.Store
	uri             map[int32]string // the source's principals, as compared
	room            int32
	since           int64
	whole           bool // the compared range was the target room's whole history
}

// addFeeds records, after one source's messages were compared, which
// source room went into which target room.
func (c *comparison) addFeeds(s *side, since int64, jobs []*msgJob) {
	if c.feeds == nil {
		c.feeds = map[int32][]feed{}
	}
	for _, j := range jobs {
		if _, ok := c.feeds[j.tgt]; !ok {
			c.feedOrder = append(c.feedOrder, j.tgt)
		}
		c.feeds[j.tgt] = append(c.feeds[j.tgt], feed{label: j.d.source, category: j.d.category, store: s.store, uri: s.uri,
			room: j.src, since: since, whole: j.after == 0 && j.below == 0})
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

// messageKey is the first 64 bits of a message's digest as compared.
func messageKey(enc []byte, m *pchat.Message, poster string) ([]byte, uint64) {
	r := rec{date: m.Date, poster: poster, alert: m.Alert}
	enc = encode(enc[:0], &r, m)
	sum := sha256.Sum256(enc)
	return enc, binary.BigEndian.Uint64(sum[:8])
}

func (c *comparison) roomMultiplicity(ctx context.Context, id int32, feeds []feed) error {
	tr := c.t.roomByID[id]
	counts := map[uint64]int32{}
	var enc []byte
	var key uint64
	var total int64
	labels := map[string]bool{}
	for _, f := range feeds {
		labels[f.label] = true
		err := f.store.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{f.room}, SinceTick: f.since}, func(m pchat.Message) error {
			poster, ok := f.uri[m.UserID]
			if !ok {
				poster = "prinID " + itoa(int64(m.UserID))
			}
			enc, key = messageKey(enc, &m, poster)
			counts[key]++
			total++
			return ctx.Err()
		})
		if err != nil {
			return fmt.Errorf("verify room %q: read the messages of %s: %w", tr.Name, f.label, err)
		}
	}
	var extra int64
	var first *pchat.Message
	err := c.t.store.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{id}}, func(m pchat.Message) error {
		enc, key = messageKey(enc, &m, c.t.who(m.UserID))
		if n, ok := counts[key]; ok {
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
		return fmt.Errorf("verify room %q: read the messages of the target: %w", tr.Name, err)
	}
	var missing int64
	for _, n := range counts {
		if n > 0 {
			missing += int64(n)
		}
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
	if len(feeds) == 1 {
		from = fmt.Sprintf("%s messages in the source room (%s)", count(total), names[0])
	}
	if extra > 0 {
		d.add("the target holds %s copies too many of the %s: each is meant to be there as many times as the sources hold it; the first extra copy is the message by %s at %s",
			count(extra), from, c.t.who(first.UserID), stamp(first.Date))
	}
	if missing > 0 {
		d.add("the target holds %s of the %s fewer times than the sources do", count(missing), from)
	}
	return nil
}
