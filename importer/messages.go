package importer

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/store"
)

// progressFromJournal finds how many of each room's messages the target
// already holds from an earlier run: the journal says so, or, for a room
// that holds messages without a journal entry (by GUID, or merged by
// name), every archive message is looked for in its history (exact.go).
func (p *plan) progressFromJournal(ctx context.Context, s *store.Store, r *archive.Reader, j *journal, res *Result) error {
	var stats map[int32]store.RoomStats
	var checks []*exactCheck
	// The last chat IDs of the journaled rooms, read in a few statements.
	var journaled []int32
	for _, rp := range p.rooms {
		if e, ok := j.entry(rp.arc.GUID); ok && e.TargetID == rp.targetID && rp.targetID != 0 {
			journaled = append(journaled, rp.targetID)
		}
	}
	lasts, err := s.LastChatIDs(ctx, journaled)
	if err != nil {
		return err
	}
	for _, rp := range p.rooms {
		if rp.targetID == 0 || rp.action == ActSkip || rp.messages == 0 {
			continue
		}
		if e, ok := j.entry(rp.arc.GUID); ok && e.TargetID == rp.targetID {
			rp.done = min(max(lasts[rp.targetID]-e.Base, 0), rp.messages)
			res.Resumed = true
		} else if rp.action == ActExists || rp.action == ActMerge {
			// The room came from an earlier import, or the archive's room
			// merges into one the target has, and there is no journal
			// entry: what the room holds is compared with the archive.
			if stats == nil {
				var err error
				if stats, err = s.MessageCounts(ctx, 0); err != nil {
					return err
				}
			}
			if n := stats[rp.targetID].Messages; n > 0 {
				checks = append(checks, &exactCheck{room: rp, held: n})
			}
		}
	}
	if err := p.checkExact(ctx, s, r, checks); err != nil {
		return err
	}
	if err := p.checkChatIDRoom(ctx, s); err != nil {
		return err
	}
	if err := p.checkNodeIDs(ctx, s); err != nil {
		return err
	}
	if err := p.checkPrincipalIDs(ctx, s); err != nil {
		return err
	}
	for i, rp := range p.rooms {
		res.Rooms[i] = rp.result()
	}
	res.Problems, res.Conflicts = p.problems, p.conflicts
	res.sumMessages()
	return nil
}

// checkChatIDRoom refuses, before anything is written, a room of the
// target whose chat IDs would pass tblChat.chatId's largest value (a
// bigint) with the archive's messages appended after its last one.
func (p *plan) checkChatIDRoom(ctx context.Context, s *store.Store) error {
	var rooms []*roomPlan
	var ids []int32
	for _, rp := range p.rooms {
		if rp.targetID != 0 && rp.action != ActSkip && rp.messages > rp.done {
			rooms, ids = append(rooms, rp), append(ids, rp.targetID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	lasts, err := s.LastChatIDs(ctx, ids)
	if err != nil {
		return err
	}
	for _, rp := range rooms {
		if last := lasts[rp.targetID]; last > math.MaxInt64-(rp.messages-rp.done) {
			p.problem(Error, "room "+rp.arc.Name, "its chat IDs in the target end at %d: %s after it would pass the largest chat ID, %d",
				last, numtext.Count(rp.messages-rp.done, "message", "messages"), int64(math.MaxInt64))
		}
	}
	return nil
}

// checkNodeIDs refuses, before anything is written, categories and rooms
// to create whose node IDs would pass tblNode.nodeID's largest value (an
// int): the store would refuse to allocate them only at the structure
// step, after the principals were written.
func (p *plan) checkNodeIDs(ctx context.Context, s *store.Store) error {
	var cats, rooms int
	for _, cp := range p.cats {
		if cp.action == ActCreate || cp.action == ActRename {
			cats++
		}
	}
	for _, rp := range p.rooms {
		if rp.action == ActCreate || rp.action == ActRename {
			rooms++
		}
	}
	past, err := s.NodeIDsPastLargest(ctx, cats+rooms)
	if err != nil || past == "" {
		return err
	}
	p.problem(Error, "categories and rooms", "the import creates %s (%s, %s): %s",
		numtext.Count(cats+rooms, "new node", "new nodes"), numtext.Count(cats, "category", "categories"), numtext.Count(rooms, "room", "rooms"), past)
	return nil
}

// checkPrincipalIDs refuses, before anything is written, principals to
// create whose IDs would pass tblPrincipal.prinID's largest value (an
// int): the store would refuse to allocate them only when it writes them,
// after the journal had recorded them as created (and a dry run would
// plan an import the real one fails).
func (p *plan) checkPrincipalIDs(ctx context.Context, s *store.Store) error {
	past, err := s.PrincipalIDsPastLargest(ctx, len(p.prinCreate))
	if err != nil || past == "" {
		return err
	}
	p.problem(Error, "principals", "the import creates %s: %s", numtext.Count(len(p.prinCreate), "new principal", "new principals"), past)
	return nil
}

// recordRuns writes the journal entries of the rooms found to hold all the
// archive's messages on consecutive chat IDs (exact.go), before any
// message is written.
func (p *plan) recordRuns(j *journal, now time.Time) error {
	if j == nil {
		return nil
	}
	changed := false
	for _, rp := range p.rooms {
		if !rp.hasRun || rp.action == ActSkip {
			continue
		}
		if e, ok := j.entry(rp.arc.GUID); ok && e.TargetID == rp.targetID {
			continue
		}
		j.data.Rooms[rp.arc.GUID] = journalEntry{TargetID: rp.targetID, Base: rp.runBase, Total: rp.messages}
		changed = true
	}
	if !changed {
		return nil
	}
	return j.save(now)
}

// applyMessages appends each room's remaining messages in archive order.
// One goroutine decodes the archive while this one writes to the database.
func (p *plan) applyMessages(ctx context.Context, s *store.Store, r *archive.Reader, j *journal, opts Options, res *Result) error {
	if err := p.recordRuns(j, opts.Now()); err != nil {
		return err
	}
	if res.Messages.ToImport == 0 {
		return nil
	}
	for _, rp := range p.rooms {
		if rp.present == nil {
			rp.skip = rp.done
		}
	}
	if err := p.journalRooms(ctx, s, j, opts); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan batch, 4)
	decodeErr := make(chan error, 1)
	go func() {
		defer close(batches)
		decodeErr <- p.decode(ctx, s, r, opts.Batch, batches)
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
	// The messages of one archive part go in one transaction, committed
	// once the decoder has checked that part's checksum (partWriter): a
	// part that turns out damaged, even one changed on disk since the
	// pre-pass read it, has none of its messages committed.
	w := &partWriter{batches: batches, size: opts.Batch}
	stopped := false
	for !w.closed {
		w.inTx = w.inTx[:0]
		if err := s.AppendRoomMessagesFrom(ctx, func() ([]store.RoomMessages, error) { return w.next(ctx) }); err != nil {
			if errors.Is(err, errDecoderStopped) {
				stopped = true // the decoder's error says why
				break
			}
			return fail(w.named(err))
		}
		for _, c := range w.inTx {
			rp, n := c.room, c.n
			rp.done += n
			done += n
			res.Messages.Imported += n
			res.Rooms[index[rp]].Imported += n
		}
		if len(w.inTx) > 0 {
			opts.Progress(Progress{Phase: "messages", Done: done, Total: total, Room: w.inTx[len(w.inTx)-1].room.arc.Name})
		}
		if p.overlap != nil {
			// A part committed: under a hold, where the hold may be
			// confirmed (overlap.go).
			if err := p.overlap.partDone(ctx, done); err != nil {
				return fail(err)
			}
		}
	}
	if err := <-decodeErr; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	if err := ctx.Err(); err != nil || !stopped {
		return err
	}
	return errDecoderStopped
}

// journalRooms records, before any message is written, the base of every
// room that has messages to import and no journal entry yet: the room's
// last chat ID minus what it already holds of this archive. From then on
// the target's last chat ID tells how far each room got. One read of the
// rooms' last chat IDs, one journal save, whatever the number of rooms.
// A room whose messages were looked for in its history (exact.go) gets
// no entry: a resumed import looks for them again.
func (p *plan) journalRooms(ctx context.Context, s *store.Store, j *journal, opts Options) error {
	if j == nil {
		return nil
	}
	var fresh []*roomPlan
	var ids []int32
	for _, rp := range p.rooms {
		if rp.targetID == 0 || rp.action == ActSkip || rp.messages <= rp.skip || rp.present != nil {
			continue
		}
		// An entry of a room this run created is another room's: one an
		// import created, recorded and never committed (overlap.go: a
		// kill between the journal's save and the commit), whose node ID
		// the database gave again.
		created := rp.action == ActCreate || rp.action == ActRename
		if e, ok := j.entry(rp.arc.GUID); ok && e.TargetID == rp.targetID && !created {
			continue
		}
		fresh = append(fresh, rp)
		ids = append(ids, rp.targetID)
	}
	if len(fresh) == 0 {
		return nil
	}
	lasts, err := s.LastChatIDs(ctx, ids)
	if err != nil {
		return err
	}
	entries := make(map[string]journalEntry, len(fresh))
	for _, rp := range fresh {
		entries[rp.arc.GUID] = journalEntry{TargetID: rp.targetID, Base: lasts[rp.targetID] - rp.skip, Total: rp.messages}
	}
	return j.recordRooms(entries, opts.Now())
}
