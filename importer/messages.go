package importer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// progressFromJournal finds how many of each room's messages the target
// already holds from an earlier run: the journal says so, or, for a room
// the target has by GUID but the journal does not know, the target's
// messages are compared with the archive's (history.go).
func (p *plan) progressFromJournal(ctx context.Context, s *store.Store, r *archive.Reader, j *journal, res *Result) error {
	var stats map[int32]store.RoomStats
	var checks []*historyCheck
	for _, rp := range p.rooms {
		if rp.targetID == 0 || rp.action == ActSkip || rp.messages == 0 {
			continue
		}
		if e, ok := j.entry(rp.arc.GUID); ok && e.TargetID == rp.targetID {
			last, err := s.LastChatID(ctx, rp.targetID)
			if err != nil {
				return err
			}
			rp.done = min(max(last-e.Base, 0), rp.messages)
			res.Resumed = true
		} else if rp.action == ActExists {
			// The room came from an earlier import of this archive, but
			// there is no journal: count what the room holds.
			if stats == nil {
				var err error
				if stats, err = s.MessageStats(ctx, 0); err != nil {
					return err
				}
			}
			if n := stats[rp.targetID].Messages; n > 0 {
				checks = append(checks, &historyCheck{room: rp, held: n})
			}
		}
	}
	if err := p.verifyHistories(ctx, s, r, checks); err != nil {
		return err
	}
	for i, rp := range p.rooms {
		res.Rooms[i] = rp.result()
	}
	res.Problems, res.Conflicts = p.problems, p.conflicts
	res.sumMessages()
	return nil
}

// recordVerified writes the journal entries of the rooms whose messages
// were found in the target by comparison, before any message is written.
func (p *plan) recordVerified(j *journal, now time.Time) error {
	if j == nil {
		return nil
	}
	changed := false
	for _, rp := range p.rooms {
		if !rp.verified || rp.action == ActSkip {
			continue
		}
		if e, ok := j.entry(rp.arc.GUID); ok && e.TargetID == rp.targetID {
			continue
		}
		j.data.Rooms[rp.arc.GUID] = journalEntry{TargetID: rp.targetID, Base: rp.verifiedBase, Total: rp.messages}
		changed = true
	}
	if !changed {
		return nil
	}
	return j.save(now)
}

// batch is a run of messages for one room, decoded ahead of the writer.
type batch struct {
	room *roomPlan
	msgs []pchat.Message
}

// applyMessages appends each room's remaining messages in archive order.
// One goroutine decodes the archive while this one writes to the database.
func (p *plan) applyMessages(ctx context.Context, s *store.Store, r *archive.Reader, j *journal, opts Options, res *Result) error {
	if err := p.recordVerified(j, opts.Now()); err != nil {
		return err
	}
	if res.Messages.ToImport == 0 {
		return nil
	}
	for _, rp := range p.rooms {
		rp.skip = rp.done
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan batch, 4)
	decodeErr := make(chan error, 1)
	go func() {
		defer close(batches)
		decodeErr <- p.decode(ctx, r, opts.Batch, batches)
	}()
	var done int64
	total := res.Messages.ToImport
	index := map[*roomPlan]int{}
	for i, rp := range p.rooms {
		index[rp] = i
	}
	// fail stops the decoder and waits for it, so that nothing reads the
	// archive once this returns.
	fail := func(err error) error {
		cancel()
		for range batches {
		}
		<-decodeErr
		return err
	}
	started := map[*roomPlan]bool{}
	for b := range batches {
		rp := b.room
		if !started[rp] {
			started[rp] = true
			if e, ok := j.entry(rp.arc.GUID); !ok || e.TargetID != rp.targetID {
				// Recorded before the room's first batch: from here on the
				// target's lastChatId tells how far the room got.
				last, err := s.LastChatID(ctx, rp.targetID)
				if err != nil {
					return fail(err)
				}
				e := journalEntry{TargetID: rp.targetID, Base: last - rp.skip, Total: rp.messages}
				if err := j.record(rp.arc.GUID, e, opts.Now()); err != nil {
					return fail(err)
				}
			}
		}
		if _, err := s.AppendMessages(ctx, rp.targetID, b.msgs); err != nil {
			return fail(fmt.Errorf("import messages of room %q: %w", rp.arc.Name, err))
		}
		n := int64(len(b.msgs))
		rp.done += n
		done += n
		res.Messages.Imported += n
		i := index[rp]
		res.Rooms[i].Imported += n
		opts.Progress(Progress{Phase: "messages", Done: done, Total: total, Room: rp.arc.Name})
	}
	if err := <-decodeErr; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return ctx.Err()
}

// decode streams the archive's messages and sends the ones still missing
// from the target, in batches of at most size messages of one room.
func (p *plan) decode(ctx context.Context, r *archive.Reader, size int, out chan<- batch) error {
	var cur batch
	var seen int64 // messages of the current room seen so far
	flush := func() error {
		if len(cur.msgs) == 0 {
			return nil
		}
		select {
		case out <- cur:
		case <-ctx.Done():
			return ctx.Err()
		}
		cur.msgs = make([]pchat.Message, 0, size)
		return nil
	}
	err := r.Messages(func(m archive.Message) error {
		rp := p.roomByGUID[m.Room]
		if cur.room != rp {
			if err := flush(); err != nil {
				return err
			}
			cur.room, seen = rp, 0
		}
		seen++
		if rp == nil || rp.action == ActSkip || seen <= rp.skip {
			return nil
		}
		if cur.msgs == nil {
			cur.msgs = make([]pchat.Message, 0, size)
		}
		cur.msgs = append(cur.msgs, pchat.Message{Date: m.Date, UserID: p.by(m.User), Alert: m.Alert, Content: m.Content, RTF: m.RTF})
		if len(cur.msgs) >= size {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}
