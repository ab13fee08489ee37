package verify

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// A source room that went into a room the target already had (merged by
// name, or found by GUID from an earlier run), with no import journal
// range saying which of the room's messages the import wrote, cannot be
// compared message by message: the import looks every archive message up
// in the room's whole history (by time, poster, alert flag, content and
// RTF) and appends only those it does not find, after whatever the room
// holds by then, messages users posted in the target meanwhile included.
// So the source's messages need not be a run at the room's end. Such a
// room is compared as a multiset instead: every source message must be
// found in the target room, anywhere, at least as many times as the source
// holds it. How many times at most is the multiplicity check's
// (multiplicity.go), and so is the order of the source's messages, as a
// subsequence of the room's history (order.go).

// tally is what the multiset comparison counts of one distinct message:
// the source's copies and the target's copies matched with them so far.
type tally struct{ want, got int32 }

// setResult is the multiset comparison of one source room with its
// target room.
type setResult struct {
	// src sums up the source's history; tgt the source's messages found
	// in the target, in the source's order (so equal digests mean that
	// every source message was found).
	src, tgt seqSummary
	missing  int64 // source copies not found
	first    *rec  // the first source message not found
	other    int64 // target messages besides the source's
	files    fileCheck
}

// hashKey hashes a message as compared and returns its record and the
// 64-bit key the counts are kept by.
func hashKey(enc []byte, sd *side, m *pchat.Message) ([]byte, rec, uint64) {
	r := rec{date: m.Date, poster: sd.who(m.UserID), alert: m.Alert}
	enc = encode(enc[:0], &r, m)
	r.hash = sha256.Sum256(enc)
	return enc, r, binary.BigEndian.Uint64(r.hash[:8])
}

// compareMultiset reads the source room, the target room's whole history,
// then, only if some source message was not found, the source room again:
// the first read counts the source's copies of each message and sums up
// its history, the second matches target copies with them (checking the
// file links of those in files), the third finds, in the source's order,
// the messages that were not matched.
func compareMultiset(ctx context.Context, s *side, srcRoom int32, since int64, t *side, tgtRoom int32, files *fileStores) (*setResult, error) {
	res := &setResult{}
	counts := map[uint64]tally{}
	var enc []byte
	err := s.store.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{srcRoom}, SinceTick: since}, func(m pchat.Message) error {
		var r rec
		var key uint64
		enc, r, key = hashKey(enc, s, &m)
		res.src.add(&r)
		v := counts[key]
		v.want++
		counts[key] = v
		return ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read the source's messages: %w", err)
	}
	err = t.store.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{tgtRoom}}, func(m pchat.Message) error {
		var key uint64
		enc, _, key = hashKey(enc, t, &m)
		if v, ok := counts[key]; ok && v.got < v.want {
			v.got++
			counts[key] = v
			res.files.check(files, m.Content)
		} else {
			res.other++
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read the target's messages: %w", err)
	}
	res.src.seal()
	var short bool
	for _, v := range counts {
		if short = v.got < v.want; short {
			break
		}
	}
	if !short {
		// Every source message was found: the target holds the source's
		// history, and no third read is needed to say what it lacks.
		res.tgt = res.src
		return res, nil
	}
	err = s.store.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{srcRoom}, SinceTick: since}, func(m pchat.Message) error {
		var r rec
		var key uint64
		enc, r, key = hashKey(enc, s, &m)
		if v := counts[key]; v.got > 0 {
			v.got--
			counts[key] = v
			res.tgt.add(&r)
		} else {
			res.missing++
			if res.first == nil {
				res.first = &r
			}
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read the source's messages: %w", err)
	}
	res.tgt.seal()
	return res, nil
}

// describe says which source messages the target room lacks ("" when
// none), by count, time and poster, never by content.
func (r *setResult) describe() string {
	if r.missing == 0 {
		return ""
	}
	what := fmt.Sprintf("the source's message by %s is not in the target", r.first.poster)
	if r.missing > 1 {
		what = fmt.Sprintf("%s source messages are not in the target (the first by %s)", count(r.missing), r.first.poster)
	}
	return fmt.Sprintf("%s in the source, %s of them in the target, each looked for anywhere in the room's history; from %s: %s",
		countOf(r.src.count, "message", "messages"), count(r.tgt.count), stamp(r.first.date), what)
}
