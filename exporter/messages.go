package exporter

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// messages streams the rooms' messages from the database into the archive.
// One goroutine reads keyset pages while this one encodes them, so that on
// two cores the database and the archive work at the same time.
func (src *source) messages(ctx context.Context, w *archive.Writer, opts Options, progress func(Progress), res *Result) error {
	var since int64
	if !opts.Since.IsZero() {
		since = pchat.TicksFromTime(opts.Since)
	}
	ids := make([]int32, 0, len(src.rooms))
	guid, name := map[int32]string{}, map[int32]string{}
	for _, r := range src.rooms {
		ids = append(ids, r.ID)
		guid[r.ID], name[r.ID] = r.GUID, r.Name
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	// Each room's last chat ID: index seeks, where counting the messages
	// would read the whole of tblChat.
	before, err := src.store.LastChatIDs(ctx, ids)
	if err != nil {
		return err
	}
	total, err := src.total(ctx, ids, before, since)
	if err != nil {
		return err
	}
	// Messages come in runs of one room: its GUID and name are looked up,
	// and its count filed, once a run, not once a message.
	counts := map[string]int64{}
	var (
		done, badDates, run int64
		room                int32
		g, roomName         string
		inRoom              bool
	)
	err = src.stream(ctx, store.MessageFilter{Rooms: ids, SinceTick: since}, func(m *pchat.Message) error {
		if !inRoom || m.RoomID != room {
			if inRoom {
				counts[g] += run
			}
			room, g, roomName, run, inRoom = m.RoomID, guid[m.RoomID], name[m.RoomID], 0, true
		}
		if m.Unpaired != 0 && opts.ReplaceUnpairedSurrogates {
			// Carried as read, U+FFFD in place of each: named, counted.
			res.replaced().Messages++
			res.warn(KindReplacedSurrogate, fmt.Sprintf("room %q (nodeID %d), message %d: %s exported with U+FFFD in place of a UTF-16 surrogate without its pair",
				roomName, m.RoomID, m.ChatID, unpairedColumns(m.Unpaired)))
		} else if m.Unpaired != 0 {
			// The archive would carry U+FFFD, not the row's text: the
			// export refuses, at the first such message. Reading the rest
			// of tblChat only to count them took as long as the export
			// (an hour on a large pool) before the refusal; the doctor
			// names and counts them all in one read on the server.
			return fmt.Errorf("the export refuses %s: room %q (nodeID %d), message %d (%s) holds text with a UTF-16 surrogate that has no pair (not valid Unicode; values are not shown), "+
				"the first such message in the order the export reads them (by room and chat ID; it stopped there): "+
				"the SQL Server driver reads such a character as U+FFFD and an archive carries text exactly, so the export writes no archive; "+
				"pcmig doctor --role source names such messages and counts them all, in one read on the server; "+
				"correct the messages' tblChat rows after a backup and export again, "+
				"or export with --replace-unpaired-surrogates (estate export.replace_unpaired_surrogates, export.run's replace_unpaired_surrogates) to carry U+FFFD in their place, each message named in the export's warnings",
				src.store.Describe(), roomName, m.RoomID, m.ChatID, unpairedColumns(m.Unpaired))
		}
		user, ok := src.guidOf[m.UserID]
		if !ok {
			return fmt.Errorf("message %d of room %d: poster prinID %d is not in tblPrincipal", m.ChatID, m.RoomID, m.UserID)
		}
		if !pchat.ValidTicks(m.Date) {
			if badDates++; badDates <= 5 {
				res.warn("", fmt.Sprintf("message %d of room %q is dated %d, outside the .NET DateTime range: exported as it is; an import refuses it", m.ChatID, roomName, m.Date))
			}
		}
		if err := w.AddMessage(archive.Message{Room: g, ChatID: m.ChatID, Date: m.Date, User: user,
			Alert: m.Alert, Content: m.Content, RTF: m.RTF}); err != nil {
			if errors.Is(err, archive.ErrInvalidUTF8) {
				// Only an embedded database holds such bytes; name the
				// room as the operator knows it, not by its GUID.
				return fmt.Errorf("room %q (nodeID %d), message %d: %w: an archive carries text exactly and never replaces bytes, so the export refuses the pool and writes no archive; correct the message's tblChat row after a backup, and export again",
					roomName, m.RoomID, m.ChatID, err)
			}
			return err
		}
		run++
		done++
		if done%10000 == 0 {
			progress(Progress{Phase: "messages", Done: done, Total: max(total, done)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if inRoom {
		counts[g] += run
	}
	if badDates > 5 {
		res.warn("", numtext.Count(badDates-5, "more message is", "more messages are")+" dated outside the .NET DateTime range")
	}
	res.Counts.Messages = done
	res.counts = counts
	after, err := src.store.LastChatIDs(ctx, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if after[id] != before[id] {
			res.warn(KindSourceChanged, fmt.Sprintf("the source changed during the export: room %d's last chat ID moved from %d to %d; stop the Persistent Chat services before exporting",
				id, before[id], after[id]))
		}
	}
	return nil
}

// total is how many messages the export will write, for progress reports.
// Chat IDs are allocated densely from 1, so without a start date the last
// chat IDs give it without reading tblChat; with one, the messages are
// counted.
func (src *source) total(ctx context.Context, ids []int32, last map[int32]int64, since int64) (int64, error) {
	var total int64
	if since == 0 {
		for _, id := range ids {
			total += last[id]
		}
		return total, nil
	}
	stats, err := src.store.MessageCounts(ctx, since)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		total += stats[id].Messages
	}
	return total, nil
}

// pageSize is how many messages the reader hands over at a time, and
// pagesInFlight how many pages it may be ahead of the writer. The writer
// works in bursts (it waits while a compressed block is checked, a few
// milliseconds), so a reader only three pages ahead kept stopping and
// being woken again: an execution trace of a 1,000,000-message export
// showed the writer waiting 1.5 s for pages and the reader 0.6 s for
// room, and sixteen pages took the export from 3.1 s to 2.0 s (about
// 16,000 messages, a few MB, held at most).
const (
	pageSize      = 1000
	pagesInFlight = 16
)

// stream calls fn for every message the filter selects, in order, while a
// goroutine reads the next messages. fn must not keep the message.
func (src *source) stream(ctx context.Context, f store.MessageFilter, fn func(*pchat.Message) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	full := make(chan []pchat.Message, pagesInFlight)
	free := make(chan []pchat.Message, pagesInFlight)
	for range cap(free) {
		free <- make([]pchat.Message, 0, pageSize)
	}
	readErr := make(chan error, 1)
	go func() {
		defer close(full)
		buf := <-free
		send := func() error {
			select {
			case full <- buf:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case buf = <-free:
			case <-ctx.Done():
				return ctx.Err()
			}
			return nil
		}
		err := src.store.StreamMessages(ctx, f, func(m pchat.Message) error {
			buf = append(buf, m)
			if len(buf) == pageSize {
				return send()
			}
			return nil
		})
		if err == nil && len(buf) > 0 {
			err = send()
		}
		readErr <- err
	}()
	var err error
	for page := range full {
		for i := range page {
			if err = fn(&page[i]); err != nil {
				break
			}
		}
		if err != nil {
			break
		}
		clear(page) // drop the strings: the reader's next page reuses it
		free <- page[:0]
	}
	if err != nil {
		cancel()
		for range full {
		}
		if rerr := <-readErr; rerr != nil && !errors.Is(rerr, context.Canceled) {
			err = errors.Join(err, rerr)
		}
		return err
	}
	return <-readErr
}

// unpairedColumns names the text columns of a message's Unpaired.
func unpairedColumns(u uint8) string {
	switch u {
	case pchat.UnpairedContent:
		return "content"
	case pchat.UnpairedRTF:
		return "rtf"
	}
	return "content and rtf"
}
