package importer

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// A room of the archive merged by name into a target room of another GUID
// that already holds messages, without a journal entry for this archive,
// may already hold the archive's messages: an earlier run of the same
// migration exported the source again (a new archive, so the journal
// beside it is stale) and imported it into the same room, for example the
// second source of multipool.lua, whose rooms merge into the first
// source's rooms of the same name. Appending them again would double the
// room's history, so the target room's history is searched for the
// archive's run of messages before anything is written:
//
//   - sampled messages of the archive room (historySamples positions, the
//     first and the last among them) are looked for in the whole target
//     room, by date, poster, alert flag and a digest of content and RTF;
//   - none found: the merge is new, and every message is appended once;
//   - the archive's first message found at exactly one place: the run
//     there is compared with the archive's, the span between the last
//     sample that matches and the first that does not narrowed by further
//     samples until it is exact, and only the archive's messages after the
//     run's end are appended (none when the whole run is there);
//   - anything else (the first message at two places, the archive's
//     messages in the room but not its first, a run that differs from the
//     archive's and then matches again) is ambiguous: the import stops
//     with an error naming the room before writing anything.

// mergeCheck is one merged room whose target room holds messages.
type mergeCheck struct {
	room   *roomPlan
	held   int64   // messages the target room holds
	sample []int64 // archive positions sampled first, ascending
	arc    map[int64]fingerprint
	// starts are the target positions (1-based) where the archive's first
	// message is, with their chat IDs; votes are the sampled archive
	// positions found in the room, by offset (target position minus
	// archive position); found counts them all.
	starts   []int64
	startIDs []int64
	votes    map[int64][]int64
	lastIDs  map[int64]int64 // by offset: chat ID of the archive's last message there
	found    int
	offset   int64 // target position = offset + archive position
	lo, hi   int64 // archive positions: lo matches, hi does not (or is past the end)
	end      int64 // the last archive position the target room can hold at offset
	firstID  int64 // chat ID of the run's first message
	lastID   int64 // chat ID of the run's message at the archive's last position, once found
	problem  string
}

// checkMerged settles the merged rooms (history.go for the rooms the
// target has by GUID).
func (p *plan) checkMerged(ctx context.Context, s *store.Store, r *archive.Reader, checks []*mergeCheck) error {
	if len(checks) == 0 {
		return nil
	}
	want := map[string][]int64{}
	for _, c := range checks {
		c.sample = samplePositions(c.room.messages)
		want[c.room.arc.GUID] = c.sample
	}
	arc, err := p.archiveFingerprints(ctx, r, want)
	if err != nil {
		return err
	}
	for _, c := range checks {
		c.arc = arc[c.room.arc.GUID]
		if err := c.search(ctx, s); err != nil {
			return fmt.Errorf("read the messages of room %q in the target: %w", c.room.name, err)
		}
		c.align()
	}
	// Narrow every run's end until it is exact, all rooms at once.
	for {
		var open []*mergeCheck
		want := map[string][]int64{}
		for _, c := range checks {
			if c.problem == "" && len(c.starts) == 1 && c.hi-c.lo > 1 {
				open = append(open, c)
				want[c.room.arc.GUID] = between(c.lo, c.hi)
			}
		}
		if len(open) == 0 {
			break
		}
		arc, err := p.archiveFingerprints(ctx, r, want)
		if err != nil {
			return err
		}
		for _, c := range open {
			pos := want[c.room.arc.GUID]
			tgt, ids, err := targetFingerprints(ctx, s, c.room.targetID, c.offset, pos)
			if err != nil {
				return fmt.Errorf("read the messages of room %q in the target: %w", c.room.name, err)
			}
			c.narrow(pos, arc[c.room.arc.GUID], tgt)
			if id, ok := ids[c.room.messages]; ok && c.lo == c.room.messages {
				c.lastID = id
			}
		}
	}
	var kept []string
	for _, c := range checks {
		p.settleMerged(c, &kept)
	}
	if len(kept) > 0 {
		p.problem(Warning, "messages", "%d rooms merged by name into target rooms already hold messages of this archive from an earlier import (its journal belongs to another export, or is gone): those messages are not imported again: %s",
			len(kept), strings.Join(kept, ", "))
	}
	return nil
}

// search reads the whole target room once and finds where the archive's
// sampled messages are.
func (c *mergeCheck) search(ctx context.Context, s *store.Store) error {
	byDate := map[int64][]int64{}
	for _, pos := range c.sample {
		if a, ok := c.arc[pos]; ok {
			byDate[a.date] = append(byDate[a.date], pos)
		}
	}
	c.votes, c.lastIDs = map[int64][]int64{}, map[int64]int64{}
	var seen int64
	return s.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{c.room.targetID}}, func(m pchat.Message) error {
		seen++
		at := byDate[m.Date]
		if len(at) == 0 {
			return ctx.Err()
		}
		f := fingerprint{date: m.Date, poster: m.UserID, alert: m.Alert, digest: digest(m.Content, m.RTF)}
		for _, pos := range at {
			if c.arc[pos] != f {
				continue
			}
			c.found++
			c.votes[seen-pos] = append(c.votes[seen-pos], pos)
			if pos == 1 {
				c.starts = append(c.starts, seen)
				c.startIDs = append(c.startIDs, m.ChatID)
			}
			if pos == c.room.messages {
				c.lastIDs[seen-pos] = m.ChatID
			}
		}
		return ctx.Err()
	})
}

// align compares the run at the one place the archive's first message is
// with the archive's samples, which must match up to a point and not
// after it.
func (c *mergeCheck) align() {
	name := c.room.name
	switch {
	case c.found == 0:
		return // a new merge
	case len(c.starts) == 0:
		c.problem = fmt.Sprintf("%d of the archive's sampled messages of this room are in the target's room %q, but not the archive's first message: part of the archive's history is there and part is not, and pcmig cannot tell which", c.found, name)
		return
	case len(c.starts) > 1:
		c.problem = fmt.Sprintf("the archive's first message of this room is in the target's room %q %d times (its messages %s): the room holds this archive's history, or part of it, more than once, and pcmig cannot tell which copy an earlier import wrote", name, len(c.starts), positions(c.starts))
		return
	}
	c.offset, c.firstID = c.starts[0]-1, c.startIDs[0]
	c.lastID = c.lastIDs[c.offset]
	c.end = min(c.room.messages, c.held-c.offset)
	c.lo, c.hi = 1, c.end+1
	matched := map[int64]bool{}
	for _, pos := range c.votes[c.offset] {
		matched[pos] = true
	}
	var in []int64
	for _, pos := range c.sample {
		if pos <= c.end {
			in = append(in, pos)
		}
	}
	arc, tgt := map[int64]fingerprint{}, map[int64]fingerprint{}
	for _, pos := range in {
		arc[pos] = c.arc[pos]
		if matched[pos] {
			tgt[pos] = c.arc[pos]
		}
	}
	c.narrow(in, arc, tgt)
}

// narrow takes the comparison of archive positions pos (ascending, all
// within the run) on both sides: the ones that match must come first.
func (c *mergeCheck) narrow(pos []int64, arc, tgt map[int64]fingerprint) {
	first := int64(0) // the first position that does not match
	for _, p := range pos {
		a, ok := arc[p]
		t, tok := tgt[p]
		same := ok && tok && a == t
		switch {
		case same && first != 0:
			c.problem = fmt.Sprintf("the target's room %q holds the archive's messages of this room from its message %d on, but its message %d differs from the archive's %d and its message %d is the archive's %d again: pcmig cannot tell which of the archive's messages are there",
				c.room.name, c.offset+1, c.offset+first, first, c.offset+p, p)
			return
		case same:
			c.lo = max(c.lo, p)
		case first == 0:
			first = p
		}
	}
	if first != 0 {
		c.hi = min(c.hi, first)
	}
}

// between is up to historySamples positions evenly spread over the open
// span (lo, hi), hi-1 among them.
func between(lo, hi int64) []int64 {
	n := hi - lo - 1
	if n <= 0 {
		return nil
	}
	out := make([]int64, 0, min(n, historySamples))
	if n <= historySamples {
		for p := lo + 1; p < hi; p++ {
			out = append(out, p)
		}
		return out
	}
	for i := int64(1); i <= historySamples; i++ {
		out = append(out, lo+n*i/historySamples)
	}
	return out
}

// positions writes up to five positions.
func positions(ps []int64) string {
	var out []string
	for i, p := range ps {
		if i == 5 {
			out = append(out, fmt.Sprintf("and %d more", len(ps)-5))
			break
		}
		out = append(out, fmt.Sprint(p))
	}
	return strings.Join(out, ", ")
}

// settleMerged decides what to import of one merged room.
func (p *plan) settleMerged(c *mergeCheck, kept *[]string) {
	rp := c.room
	if c.problem != "" {
		p.conflicts = append(p.conflicts, Conflict{Kind: "room history", Name: rp.arc.Name, Resolution: "stopped: nothing is written", Detail: c.problem})
		p.problem(Error, "room "+rp.arc.Name, "%s. Nothing was written. Compare the room with its source (pcmig verify) and remove the extra messages or restore the target from its backup, then run again; or leave the room out of this import (--on-conflict skip leaves every room whose name the target has)", c.problem)
		return
	}
	if c.found == 0 {
		return // a new merge: every message is appended once
	}
	rp.done = c.lo
	if c.lo == rp.messages && c.lastID-c.firstID+1 == rp.messages {
		// The whole run is there, on consecutive chat IDs (as pcmig's
		// imports write them): the journal records where it starts, so
		// that a resumed import and pcmig verify find it.
		rp.verified, rp.verifiedBase = true, c.firstID-1
	}
	*kept = append(*kept, fmt.Sprintf("%s (%d of %d, in %q from its message %d)", rp.arc.Name, c.lo, rp.messages, rp.name, c.offset+1))
}

// archiveFingerprints reads the fingerprints of the archive's messages at
// the wanted positions (1-based, ascending) of each room, by room GUID.
func (p *plan) archiveFingerprints(ctx context.Context, r *archive.Reader, want map[string][]int64) (map[string]map[int64]fingerprint, error) {
	out := make(map[string]map[int64]fingerprint, len(want))
	left := 0
	for g, pos := range want {
		if len(pos) > 0 {
			out[g] = map[int64]fingerprint{}
			left++
		}
	}
	if left == 0 {
		return out, nil
	}
	seen := map[string]int64{}
	err := r.Messages(func(m archive.Message) error {
		pos := want[m.Room]
		if len(pos) == 0 {
			return ctx.Err()
		}
		seen[m.Room]++
		n := seen[m.Room]
		last := pos[len(pos)-1]
		if n > last {
			return ctx.Err()
		}
		if i := sort.Search(len(pos), func(i int) bool { return pos[i] >= n }); i < len(pos) && pos[i] == n {
			out[m.Room][n] = fingerprint{date: m.Date, poster: principalID(p, m.User), alert: m.Alert, digest: digest(m.Content, m.RTF)}
		}
		if n == last {
			if left--; left == 0 {
				return errEnough
			}
		}
		return ctx.Err()
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, fmt.Errorf("read the archive's messages: %w", err)
	}
	return out, nil
}

// targetFingerprints reads the fingerprints and chat IDs of a target
// room's messages at offset plus each of the positions (ascending).
func targetFingerprints(ctx context.Context, s *store.Store, room int32, offset int64, pos []int64) (map[int64]fingerprint, map[int64]int64, error) {
	out, ids := map[int64]fingerprint{}, map[int64]int64{}
	if len(pos) == 0 {
		return out, ids, nil
	}
	last := offset + pos[len(pos)-1]
	var seen int64
	err := s.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{room}}, func(m pchat.Message) error {
		seen++
		if a := seen - offset; a >= 1 {
			if i := sort.Search(len(pos), func(i int) bool { return pos[i] >= a }); i < len(pos) && pos[i] == a {
				out[a] = fingerprint{date: m.Date, poster: m.UserID, alert: m.Alert, digest: digest(m.Content, m.RTF)}
				ids[a] = m.ChatID
			}
		}
		if seen >= last {
			return errEnough
		}
		return ctx.Err()
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, nil, err
	}
	return out, ids, nil
}
