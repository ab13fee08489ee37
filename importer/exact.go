package importer

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// A target room that already holds messages, without a journal entry of
// this archive for it, may hold some of the archive's messages: an earlier
// import of this archive whose journal is gone, an import of an earlier
// export of the same source (the journal beside the archive is then
// stale: multipool.lua and migrate.lua export again on every run), a room
// merged by name that another source's import filled, or a target restored
// from the source's backup. Which of the archive's messages are there is
// never assumed from counts or positions: the room's whole history is read
// and every archive message is looked for in it, by date, poster, alert
// flag, content and RTF.
//
// The room's messages are counted by that fingerprint (a multiset); each
// archive message, in order, takes one copy the room holds, and is then
// already there, or finds none and is imported. So a room that holds an
// earlier import's run, whole or cut short by a kill, with messages its
// users posted after it, or with the source's later messages appended
// after those, gets exactly the messages it lacks, once, whatever the
// order; and two sources holding the same message (the same 100 ns tick,
// poster and text: history one pool was copied from) bring it once. The
// messages imported go after the room's own, in the archive's order.
//
// Such a room gets no journal entry (a resumed import finds what it wrote
// the same way), except when the room holds all the archive's messages,
// one copy each, in order on consecutive chat IDs, as an import writes
// them: the entry then says where they start, for pcmig verify.
//
// A room the target has by GUID that holds some of the archive's messages
// is the same room, whatever else users or other sources added to it: it
// gets what it lacks, under every --on-conflict policy (a re-run after the
// switch must not drop the source's late messages). One that holds
// messages but none of the archive's has another history under the same
// GUID: a conflict, settled by --on-conflict.

// exactCheck is one room whose target room holds messages.
type exactCheck struct {
	room    *roomPlan
	held    int64 // messages the target room holds
	present *presence
	found   int64 // archive messages found in the room
	// run says that the archive's messages found so far are, in order,
	// the room's messages from chat ID start on, one copy each: when all
	// are, the journal records where they start (for a resumed import and
	// pcmig verify, which then compare that range).
	run   bool
	start int64
}

// held is what a target room holds of one fingerprint: how many copies,
// and the chat ID of the copy when there is exactly one (0 otherwise:
// chat IDs start at 1).
type held struct {
	n    int32
	chat int64
}

// presence marks archive positions (1-based) of a room whose messages the
// target already holds.
type presence struct{ bits []uint64 }

func newPresence(n int64) *presence { return &presence{bits: make([]uint64, (n+64)/64)} }

func (b *presence) set(pos int64) { b.bits[pos/64] |= 1 << (pos % 64) }

// has reports whether the message at pos is there; a nil presence has
// none.
func (b *presence) has(pos int64) bool {
	if b == nil || pos/64 >= int64(len(b.bits)) {
		return false
	}
	return b.bits[pos/64]&(1<<(pos%64)) != 0
}

// msgKey is 128 bits of a SHA-256 of a message's date, poster (target
// prinID), alert flag, content and RTF (NULL and empty apart): two
// messages share it only when all of these are equal.
type msgKey [16]byte

// keyer computes msgKeys with one buffer.
type keyer struct{ buf []byte }

// messageKey is k's key of a message, its text given as strings (the
// target's) or bytes (an archive view's), without copying it.
func messageKey[T string | []byte](k *keyer, date int64, poster int32, alert bool, content, rtf T, hasRTF bool) msgKey {
	b := k.buf[:0]
	b = binary.BigEndian.AppendUint64(b, uint64(date))
	b = binary.BigEndian.AppendUint32(b, uint32(poster))
	flags := byte(0)
	if alert {
		flags |= 1
	}
	if hasRTF {
		flags |= 2
	}
	b = append(b, flags)
	b = binary.BigEndian.AppendUint64(b, uint64(len(content)))
	b = append(b, content...)
	b = append(b, rtf...)
	k.buf = b
	sum := sha256.Sum256(b)
	var out msgKey
	copy(out[:], sum[:16])
	return out
}

// checkExact settles the rooms of checks: one pass over the archive's
// messages, reading each checked room's target history when the archive
// reaches the room (so one room's counts are held at a time).
func (p *plan) checkExact(ctx context.Context, s *store.Store, r *archive.Reader, checks []*exactCheck) error {
	if len(checks) == 0 {
		return nil
	}
	byGUID := make(map[string]*exactCheck, len(checks))
	for _, c := range checks {
		byGUID[c.room.arc.GUID] = c
	}
	var k keyer
	var cur *exactCheck
	var counts map[msgKey]held
	var seen int64
	room, left := "", len(checks)
	err := r.MessageViews(func(m *archive.MessageView) error {
		if string(m.Room) != room {
			room, seen = string(m.Room), 0
			if cur = byGUID[room]; cur != nil {
				var err error
				if counts, err = p.targetCounts(ctx, s, cur, &k); err != nil {
					return err
				}
				cur.present, cur.run = newPresence(cur.room.messages), true
			} else if left == 0 {
				return errEnough
			}
		}
		seen++
		if cur == nil {
			if seen%ctxEvery == 0 {
				return ctx.Err()
			}
			return nil
		}
		key := messageKey(&k, m.Date, principalID(p, m.User), m.Alert, m.Content, m.RTF, m.HasRTF)
		if h := counts[key]; h.n > 0 {
			if seen == 1 {
				cur.start = h.chat
			}
			cur.run = cur.run && h.chat != 0 && h.chat == cur.start+seen-1
			h.n--
			counts[key] = h
			cur.present.set(seen)
			cur.found++
		} else {
			cur.run = false
		}
		if seen == cur.room.messages {
			cur, counts = nil, nil
			left--
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return fmt.Errorf("compare the archive's messages with the target's: %w", err)
	}
	var kept []string
	for _, c := range checks {
		p.settleExact(c, &kept)
	}
	if len(kept) > 0 {
		list := kept
		if len(list) > keptNamed {
			// The report's rooms say how many of each room's messages were
			// already there; one line naming 2,000 rooms is not read.
			list = append(list[:keptNamed:keptNamed], fmt.Sprintf("and %d more (each room's figures are in the report)", len(kept)-keptNamed))
		}
		p.problem(Warning, "messages", "%d target rooms already hold some of this archive's messages (an earlier import, whose journal is gone or belongs to another export, or a copy of the source's history; every message was compared): those are not imported again: %s",
			len(kept), strings.Join(list, ", "))
	}
	return nil
}

// keptNamed is how many rooms the warning about messages already there
// names.
const keptNamed = 10

// errEnough stops a stream that has read what it needs.
var errEnough = errors.New("enough")

// targetCounts counts the checked room's messages in the target by key.
func (p *plan) targetCounts(ctx context.Context, s *store.Store, c *exactCheck, k *keyer) (map[msgKey]held, error) {
	counts := make(map[msgKey]held, c.held)
	err := s.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{c.room.targetID}}, func(m pchat.Message) error {
		var rtf string
		if m.RTF != nil {
			rtf = *m.RTF
		}
		key := messageKey(k, m.Date, m.UserID, m.Alert, m.Content, rtf, m.RTF != nil)
		h := counts[key]
		if h.n++; h.n == 1 {
			h.chat = m.ChatID
		} else {
			h.chat = 0
		}
		counts[key] = h
		return ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read the messages of room %q in the target: %w", c.room.name, err)
	}
	return counts, nil
}

// settleExact decides what to import of one checked room.
func (p *plan) settleExact(c *exactCheck, kept *[]string) {
	rp := c.room
	if rp.action == ActExists && c.found == 0 {
		// A room of the archive's GUID that holds none of the archive's
		// messages, only others: another history under the same GUID.
		// (One that holds some of them is the same room, which users or
		// another source added to: what it lacks is added.)
		detail := fmt.Sprintf("the room's history differs from the archive's: the target holds %s, none of them the archive's %d (a pool restored from a backup that went its own way, or another source under the same GUID)", numtext.Count(c.held, "message", "messages"), rp.messages)
		record := func(resolution string) {
			p.conflicts = append(p.conflicts, Conflict{Kind: "room history", Name: rp.arc.Name, Resolution: resolution, Detail: detail})
		}
		switch p.opts.OnConflict {
		case Skip:
			rp.action = ActSkip
			record("skipped: the target's room and its messages are left as they are")
			p.problem(Warning, "room "+rp.arc.Name, "%s: skipped, the room is left as it is (--on-conflict skip)", detail)
			p.kinded(KindRoomHistory)
			return
		case Fail:
			record("stopped (--on-conflict fail)")
			p.problem(Error, "room "+rp.arc.Name, "%s (--on-conflict fail)", detail)
			p.kinded(KindRoomHistory)
			return
		default:
			record(fmt.Sprintf("merged: the archive's %s added after the target's %d", numtext.Count(rp.messages, "message is", "messages are"), c.held))
			p.problem(Warning, "room "+rp.arc.Name, "%s: the archive's messages are added after the target's", detail)
			p.kinded(KindRoomHistory)
		}
	}
	if c.found == 0 {
		return // none is there: appended as to any room, with a journal entry
	}
	rp.present, rp.done = c.present, c.found
	if c.run && c.found == rp.messages {
		rp.hasRun, rp.runBase = true, c.start-1
	}
	*kept = append(*kept, fmt.Sprintf("%s (%d of %d)", rp.arc.Name, c.found, rp.messages))
}
