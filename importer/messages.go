package importer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
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
				if stats, err = s.MessageStats(ctx, 0); err != nil {
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

// batch is a run of messages for one room, decoded ahead of the writer,
// or (verified) the mark that every batch before it comes from archive
// parts whose checksums have been checked.
type batch struct {
	room     *roomPlan
	run      store.RoomMessages // its text checked by the decoder
	verified bool
}

// errDecoderStopped ends a transaction of messages whose archive part was
// not checked to its end: the decoder stopped first, and its error says
// why.
var errDecoderStopped = errors.New("the archive's messages stopped before the end of a part")

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
	// once the decoder has checked that part's checksum (a batch marked
	// verified): a part that turns out damaged, even one changed on disk
	// since the pre-pass read it, has none of its messages committed.
	// Within it, batches of several rooms are appended together, about
	// opts.Batch messages at a time: a pool of 20,000 small rooms is a few
	// dozen statements' worth of appends, not 20,000.
	// group is the batches next returned last; inTx what each batch of the
	// transaction holds, credited to its room once committed (the batches
	// themselves are not kept: a part may be large).
	type credit struct {
		room *roomPlan
		n    int64
	}
	var group []batch
	var inTx []credit
	closed := false
	// next returns the runs of the next group of the transaction, or none
	// at the end of a verified part. The channel closing before that
	// means the decoder stopped (an error, or cancelled): the transaction
	// must not be committed.
	atMark := false // the group last returned ended at a mark
	next := func() ([]store.RoomMessages, error) {
		group = group[:0]
		if atMark {
			atMark = false
			return nil, nil
		}
		pending := 0
		for pending < opts.Batch {
			var b batch
			var ok bool
			select {
			case b, ok = <-batches:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			if !ok {
				closed = true
				if len(inTx) > 0 || len(group) > 0 {
					return nil, errDecoderStopped
				}
				break
			}
			if b.verified {
				atMark = len(group) > 0
				break
			}
			group = append(group, b)
			pending += len(b.run.Msgs)
		}
		if len(group) == 0 {
			return nil, nil
		}
		runs := make([]store.RoomMessages, len(group))
		for k, b := range group {
			runs[k] = b.run
		}
		for _, b := range group {
			inTx = append(inTx, credit{b.room, int64(len(b.run.Msgs))})
		}
		return runs, nil
	}
	stopped := false
	for !closed {
		inTx = inTx[:0]
		if err := s.AppendRoomMessagesFrom(ctx, next); err != nil {
			if errors.Is(err, errDecoderStopped) {
				stopped = true // the decoder's error says why
				break
			}
			switch {
			case len(group) == 1:
				err = fmt.Errorf("import messages of room %q: %w", group[0].room.arc.Name, err)
			case len(group) > 1:
				err = fmt.Errorf("import messages of %d rooms (%q and others): %w", len(group), group[0].room.arc.Name, err)
			}
			return fail(err)
		}
		for _, c := range inTx {
			rp, n := c.room, c.n
			rp.done += n
			done += n
			res.Messages.Imported += n
			res.Rooms[index[rp]].Imported += n
		}
		if len(inTx) > 0 {
			opts.Progress(Progress{Phase: "messages", Done: done, Total: total, Room: inTx[len(inTx)-1].room.arc.Name})
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

// decode streams the archive's messages and sends the ones still missing
// from the target, in batches of at most size messages of one room. It
// checks each batch's text against the target's columns here, off the
// writing goroutine (the pre-pass checked the archive already; this
// check is the write path's own, which AppendRoomMessages would
// otherwise make).
func (p *plan) decode(ctx context.Context, s *store.Store, r *archive.Reader, size int, out chan<- batch) error {
	var room *roomPlan       // the current room
	var roomGUID string      // its GUID in the archive
	var msgs []pchat.Message // its messages not yet sent
	var seen int64           // messages of the current room seen so far
	// The batch's text is gathered in one buffer and becomes one string,
	// which the messages' Content and RTF slice: one allocation per batch,
	// not one or two per message, on the goroutine that competes with the
	// writer for the second core.
	var text []byte
	var spans []textSpan
	rtfs := 0 // spans with RTF
	flush := func() error {
		if len(msgs) == 0 {
			return nil
		}
		all := string(text)
		rtf := make([]string, 0, rtfs)
		for k, sp := range spans {
			msgs[k].Content = all[sp.content:sp.rtf]
			if sp.hasRTF {
				rtf = append(rtf, all[sp.rtf:sp.end])
				msgs[k].RTF = &rtf[len(rtf)-1]
			}
		}
		text, spans, rtfs = text[:0], spans[:0], 0
		if cap(text) > 2*maxBatchText {
			text = nil // a batch of huge messages does not keep its buffer for the rest
		}
		run, err := s.CheckRoomMessages(store.RoomMessages{Room: room.targetID, Msgs: msgs})
		if err != nil {
			return fmt.Errorf("import messages of room %q: %w", room.arc.Name, err)
		}
		select {
		case out <- batch{room: room, run: run}:
		case <-ctx.Done():
			return ctx.Err()
		}
		msgs = nil
		return nil
	}
	var lastUser []byte
	var lastUserID int32
	// At the end of each part, checked, the batch so far is sent and then
	// the mark that the writer may commit.
	verified := func() error {
		if err := flush(); err != nil {
			return err
		}
		select {
		case out <- batch{verified: true}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	err := r.MessageViewsByPart(func(m *archive.MessageView) error {
		if string(m.Room) != roomGUID { // GUIDs are never empty
			if err := flush(); err != nil {
				return err
			}
			roomGUID = string(m.Room)
			room, seen = p.roomByGUID[roomGUID], 0
		}
		seen++
		if room == nil || room.action == ActSkip || seen <= room.skip || room.present.has(seen) {
			return nil
		}
		if msgs == nil {
			// Sized for what is left of the room: a pool of 20,000 small
			// rooms held a 5,000-message buffer per room in flight.
			msgs = make([]pchat.Message, 0, max(1, min(int64(size), room.messages-seen+1)))
		}
		if lastUser == nil || string(m.User) != string(lastUser) {
			lastUser, lastUserID = append(lastUser[:0], m.User...), principalID(p, m.User)
		}
		sp := textSpan{content: len(text), hasRTF: m.HasRTF}
		text = append(text, m.Content...)
		sp.rtf = len(text)
		text = append(text, m.RTF...)
		sp.end = len(text)
		spans = append(spans, sp)
		if sp.hasRTF {
			rtfs++
		}
		msgs = append(msgs, pchat.Message{Date: m.Date, UserID: lastUserID, Alert: m.Alert})
		if len(msgs) >= size || len(text) >= maxBatchText {
			return flush()
		}
		return nil
	}, verified)
	if err != nil {
		return err
	}
	return flush()
}

// maxBatchText ends a batch whose text reaches it, whatever its count:
// the batches in flight then hold a bounded amount of text (an archive of
// 150 messages of 5.6 MB each took 2.5 GB when batches were bounded by
// count alone, against 1.5 GB before they shared one buffer).
const maxBatchText = 16 << 20

// textSpan is where a message's text is in a batch's buffer: its content
// from content to rtf, its RTF (when hasRTF) from rtf to end.
type textSpan struct {
	content, rtf, end int
	hasRTF            bool
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
		if e, ok := j.entry(rp.arc.GUID); ok && e.TargetID == rp.targetID {
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
