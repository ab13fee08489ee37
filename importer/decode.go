package importer

import (
	"context"
	"errors"
	"fmt"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

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
		if p.tally != nil {
			if err := p.tally.message(m); err != nil {
				return err
			}
		}
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
