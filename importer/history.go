package importer

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// A room whose GUID the target has, with messages but without a journal
// entry, is either the work of an earlier import of this archive (the
// journal was lost) or a copy restored from the source's backup, whose
// history may have parted from the archive's. The messages already there
// are compared with the archive's first ones instead of being assumed to
// be them: at the boundary (the last message both should have), at the
// first, and at up to historySamples positions between, by date, poster,
// alert flag and a digest of the content and RTF.

// historySamples is how many positions of a room's history are compared.
const historySamples = 64

// fingerprint is what two copies of one message share.
type fingerprint struct {
	date   int64
	poster int32 // target prinID (0: a principal the target does not have)
	alert  bool
	digest [32]byte
}

func digest(content string, rtf *string) [32]byte {
	h := sha256.New()
	h.Write([]byte(content))
	if rtf != nil {
		h.Write([]byte{1})
		h.Write([]byte(*rtf))
	} else {
		h.Write([]byte{0})
	}
	var d [32]byte
	h.Sum(d[:0])
	return d
}

// historyCheck is one room to compare.
type historyCheck struct {
	room      *roomPlan
	held      int64   // messages the target room holds
	positions []int64 // 1-based, ascending
	target    map[int64]fingerprint
	arc       map[int64]fingerprint
	firstChat int64 // the target room's first chat ID
}

// samplePositions are 1, n and evenly spaced positions between.
func samplePositions(n int64) []int64 {
	set := map[int64]bool{1: true, n: true}
	for i := int64(1); i < historySamples-1; i++ {
		set[1+(n-1)*i/(historySamples-1)] = true
	}
	out := make([]int64, 0, len(set))
	for p := range set {
		if p >= 1 && p <= n {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// errEnough stops a stream that has read what it needs.
var errEnough = errors.New("enough")

// compareHistories reads the sampled messages of each room on both sides.
func (p *plan) compareHistories(ctx context.Context, s *store.Store, r *archive.Reader, checks []*historyCheck) error {
	byGUID := map[string]*historyCheck{}
	for _, c := range checks {
		n := min(c.held, c.room.messages)
		c.positions = samplePositions(n)
		c.target, c.arc = map[int64]fingerprint{}, map[int64]fingerprint{}
		byGUID[c.room.arc.GUID] = c
		want := map[int64]bool{}
		for _, pos := range c.positions {
			want[pos] = true
		}
		var seen int64
		err := s.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{c.room.targetID}}, func(m pchat.Message) error {
			seen++
			if seen == 1 {
				c.firstChat = m.ChatID
			}
			if want[seen] {
				c.target[seen] = fingerprint{date: m.Date, poster: m.UserID, alert: m.Alert, digest: digest(m.Content, m.RTF)}
			}
			if seen >= n {
				return errEnough
			}
			return nil
		})
		if err != nil && !errors.Is(err, errEnough) {
			return fmt.Errorf("read the messages of room %q in the target: %w", c.room.name, err)
		}
	}
	left := len(checks)
	var cur *historyCheck
	var seen int64
	room := ""
	err := r.Messages(func(m archive.Message) error {
		if m.Room != room {
			if cur != nil {
				if left--; left == 0 {
					return errEnough
				}
			}
			room, seen, cur = m.Room, 0, byGUID[m.Room]
		}
		seen++
		if cur == nil || seen > cur.positions[len(cur.positions)-1] {
			return ctx.Err()
		}
		if i := sort.Search(len(cur.positions), func(i int) bool { return cur.positions[i] >= seen }); i < len(cur.positions) && cur.positions[i] == seen {
			poster := p.prinTarget[m.User]
			if poster == 0 {
				poster = p.t.byGUID[m.User]
			}
			cur.arc[seen] = fingerprint{date: m.Date, poster: poster, alert: m.Alert, digest: digest(m.Content, m.RTF)}
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return fmt.Errorf("read the archive's messages: %w", err)
	}
	return nil
}

// firstDifference is the first sampled position where the two histories
// differ, or 0 when every sample matches.
func (c *historyCheck) firstDifference() int64 {
	for _, pos := range c.positions {
		if a, ok := c.arc[pos]; !ok || a != c.target[pos] {
			return pos
		}
	}
	return 0
}

// verifyHistories settles the rooms whose messages are in the target
// without a journal: matching histories count as already imported; a
// history that differs is a conflict resolved by the policy.
func (p *plan) verifyHistories(ctx context.Context, s *store.Store, r *archive.Reader, checks []*historyCheck) error {
	if len(checks) == 0 {
		return nil
	}
	if err := p.compareHistories(ctx, s, r, checks); err != nil {
		return err
	}
	var matched []string
	defer func() {
		if len(matched) > 0 {
			p.problem(Warning, "messages", "no import journal for %d rooms that hold messages: they match the archive's first ones (compared at up to %d positions each), which are not imported again: %s",
				len(matched), historySamples, strings.Join(matched, ", "))
		}
	}()
	for _, c := range checks {
		rp := c.room
		n := c.positions[len(c.positions)-1]
		diff := c.firstDifference()
		if diff == 0 {
			// The room holds the archive's first n messages: an earlier
			// import's, whose journal is lost, or a restored copy's. The
			// journal gets the base a later resume and pcmig verify need:
			// where the archive's messages start when all are there (the
			// resume count is capped at the archive's), and otherwise the
			// base that makes lastChatId minus base count them exactly.
			rp.done = n
			rp.verified, rp.verifiedBase = true, c.firstChat-1
			if n < rp.messages {
				last, err := s.LastChatID(ctx, rp.targetID)
				if err != nil {
					return err
				}
				rp.verifiedBase = last - n
			}
			matched = append(matched, fmt.Sprintf("%s (%d)", rp.arc.Name, n))
			continue
		}
		detail := fmt.Sprintf("the room's history differs from the archive's: the target holds %d messages and its message %d is not the archive's message %d (a pool restored from a backup, or another source)", c.held, diff, diff)
		record := func(resolution string) {
			p.conflicts = append(p.conflicts, Conflict{Kind: "room history", Name: rp.arc.Name, Resolution: resolution, Detail: detail})
		}
		switch p.opts.OnConflict {
		case Skip:
			rp.action = ActSkip
			record("skipped: the target's room and its messages are left as they are")
			p.problem(Warning, "room "+rp.arc.Name, "%s: skipped, the room is left as it is (--on-conflict skip)", detail)
		case Fail:
			record("stopped (--on-conflict fail)")
			p.problem(Error, "room "+rp.arc.Name, "%s (--on-conflict fail)", detail)
		default:
			// merge and rename: the room keeps its name (its GUID is the
			// target's already), and the archive's messages from the
			// first difference on are added after the target's.
			rp.done = diff - 1
			record(fmt.Sprintf("merged: the archive's messages from its message %d on are added after the target's %d", diff, c.held))
			p.problem(Warning, "room "+rp.arc.Name, "%s: the archive's messages from its message %d on are added after the target's", detail, diff)
		}
	}
	return nil
}
