package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/pcmig/pcmig/pchat"
)

// PartError is an error in one part of an archive, at one line (counting
// from 1) or, when Line is 0, in the part as a whole.
type PartError struct {
	Part string
	Line int64
	Err  error
}

func (e *PartError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("archive part %s: line %d: %v", e.Part, e.Line, e.Err)
	}
	return fmt.Sprintf("archive part %s: %v", e.Part, e.Err)
}

func (e *PartError) Unwrap() error { return e.Err }

// recordError marks an error in a record, as opposed to one returned by a
// caller's function, which passes through unchanged.
type recordError struct{ err error }

func (e *recordError) Error() string { return e.err.Error() }

// scan streams the lines of part p, each without its newline, to fn. It
// reads through a limit of the declared size plus one byte and checks, at
// the end, the size, SHA-256 and record count. When a record is bad it
// still reads the rest of the part, so that corruption is reported as a
// checksum mismatch rather than as the symptom it caused.
func (r *Reader) scan(p Part, fn func(line []byte) error) error {
	fail := func(line int64, err error) error { return &PartError{Part: p.Name, Line: line, Err: err} }
	r.scans.Add(1)
	// A part this Reader has checked in full before is proved the same by
	// the SHA-256 of its compressed bytes (seals), not of its inflated ones.
	sealed, isSealed := r.seals.get(p.Name)
	rc, err := r.openPart(r.entries[p.Name])
	if err != nil {
		return fail(0, fmt.Errorf("%w: %v", ErrChecksum, err))
	}
	pf := startPrefetch(io.LimitReader(rc, p.Bytes+1), !isSealed)
	defer func() {
		pf.stop()
		rc.Close()
	}()
	ls := &lines{pf: pf, max: r.maxLine}
	var lineNo int64
	var badRecord error
	for badRecord == nil {
		line, err := ls.next()
		if err == io.EOF {
			if len(line) > 0 {
				badRecord = fail(lineNo+1, errors.New("last line does not end with a newline"))
			}
			break
		}
		if _, ok := err.(*lineTooLongError); ok {
			badRecord = fail(lineNo+1, err)
			break
		}
		if err != nil {
			return fail(0, readError(err, p.Bytes))
		}
		lineNo++
		switch {
		case lineNo > p.Records:
			badRecord = fail(0, fmt.Errorf("holds more than the %d records the manifest declares", p.Records))
		case len(line) == 1:
			badRecord = fail(lineNo, errors.New("empty line"))
		case bytes.HasPrefix(line, []byte(utf8BOM)):
			// A text editor's mark, which JSON Lines parts never have
			// (docs/archive-format.md §2): JSON would only say that no
			// value starts at column 1.
			badRecord = fail(lineNo, errors.New("starts with a byte order mark (U+FEFF), which a part never has: parts are UTF-8 without one; save it without (and its bytes and sha256 in the manifest to match)"))
		}
		if badRecord != nil {
			break
		}
		if err := fn(line[:len(line)-1]); err != nil {
			var re *recordError
			if !errors.As(err, &re) {
				return err
			}
			badRecord = fail(lineNo, re.err)
		}
	}
	if badRecord != nil {
		// The rest of the part, at most the declared size, decides
		// whether the bad record is corruption.
		if err := ls.drain(); err != nil {
			return fail(0, readError(err, p.Bytes))
		}
	}
	// The inflated stream has ended (the prefetch's producer is done): the
	// rest of the compressed bytes, if any, complete their hash.
	seal, err := rc.sealOf()
	if err != nil {
		return fail(0, readError(err, p.Bytes))
	}
	switch {
	case pf.n > p.Bytes:
		return fail(0, fmt.Errorf("%w: data exceeds the declared %d bytes (possible zip bomb)", ErrChecksum, p.Bytes))
	case pf.n < p.Bytes:
		return fail(0, fmt.Errorf("%w: %d of %d bytes", ErrChecksum, pf.n, p.Bytes))
	case isSealed && !bytes.Equal(seal, sealed):
		return fail(0, ErrChecksum)
	case !isSealed && hex.EncodeToString(pf.h.Sum(nil)) != p.SHA256:
		return fail(0, ErrChecksum)
	case badRecord != nil:
		return badRecord
	case lineNo != p.Records:
		return fail(0, fmt.Errorf("holds %d records but the manifest declares %d", lineNo, p.Records))
	}
	if !isSealed {
		r.seals.put(p.Name, seal)
	}
	return nil
}

// readError explains an error reading a part's zip entry.
func readError(err error, declared int64) error {
	if errors.Is(err, zip.ErrFormat) {
		// archive/zip reports reading past the size in the zip directory
		// this way, and no other error while reading data.
		return fmt.Errorf("%w: data exceeds the declared %d bytes (possible zip bomb)", ErrChecksum, declared)
	}
	return fmt.Errorf("%w: %v", ErrChecksum, err)
}

// partsOf returns the manifest's parts of one kind, in order.
func (r *Reader) partsOf(kind string) []Part {
	var ps []Part
	for _, p := range r.manifest.Parts {
		if p.Kind == kind {
			ps = append(ps, p)
		}
	}
	return ps
}

// records streams the records of one kind, decoded, validated and checked
// against seq, to fn.
func records[T any](r *Reader, kind string, decode func([]byte, *T) error, seqCheck func(*T) error, fn func(T) error) error {
	for _, p := range r.partsOf(kind) {
		err := r.scan(p, func(line []byte) error {
			var v T
			if err := decode(line, &v); err != nil {
				return &recordError{err}
			}
			if err := seqCheck(&v); err != nil {
				return &recordError{err}
			}
			return fn(v)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Principals streams the principals, checking their part as it goes. An
// error from fn stops the stream and is returned unchanged. Records reach
// fn before the part's checksum is known: on a checksum error, discard
// what fn was given (or call Verify first).
func (r *Reader) Principals(fn func(Principal) error) error {
	return records(r, KindPrincipals, decodePrincipal, newSequence().principal, fn)
}

// Categories streams the categories like Principals.
func (r *Reader) Categories(fn func(Category) error) error {
	seq := newSequence()
	if err := records(r, KindCategories, decodeCategory, seq.category, fn); err != nil {
		return err
	}
	r.keepCategories(seq)
	return nil
}

// Addins streams the add-ins like Principals.
func (r *Reader) Addins(fn func(Addin) error) error {
	return records(r, KindAddins, decodeAddin, newSequence().addin, fn)
}

// Rooms streams the rooms like Principals. Their message counts are
// checked against the messages by Messages and Verify.
func (r *Reader) Rooms(fn func(Room) error) error {
	seq, err := r.categorySequence()
	if err != nil {
		return err
	}
	if err := records(r, KindRooms, decodeRoom, seq.room, fn); err != nil {
		return err
	}
	r.keepRooms(seq)
	return nil
}

// categorySequence returns a new sequence holding the categories' GUIDs,
// so that the rooms read into it are checked against them too (a
// category's GUID is no room's: both are nodes of tblNode). The GUIDs come
// from an earlier complete read of categories.jsonl when there was one,
// else from reading the part (once per Reader).
func (r *Reader) categorySequence() (*sequence, error) {
	r.roomsMu.Lock()
	kept := r.categories
	r.roomsMu.Unlock()
	seq := newSequence()
	if kept != nil {
		// Shared: a sequence that reads rooms only looks categories up.
		seq.categories = kept
		return seq, nil
	}
	if err := records(r, KindCategories, decodeCategory, seq.category, func(Category) error { return nil }); err != nil {
		return nil, err
	}
	r.keepCategories(seq)
	return seq, nil
}

// keepCategories keeps the category GUIDs of a sequence that read all of
// categories.jsonl without error, for Rooms. The map is not written again.
func (r *Reader) keepCategories(seq *sequence) {
	r.roomsMu.Lock()
	defer r.roomsMu.Unlock()
	if r.categories == nil {
		r.categories = seq.categories
	}
}

// keepRooms keeps the rooms of a sequence that read all of rooms.jsonl
// without error, for Messages.
func (r *Reader) keepRooms(seq *sequence) {
	r.roomsMu.Lock()
	defer r.roomsMu.Unlock()
	if r.rooms != nil {
		return
	}
	r.rooms = make([]roomTally, len(seq.roomOrder))
	for i, t := range seq.roomOrder {
		r.rooms[i] = roomTally{guid: t.guid, declared: t.declared}
	}
}

// roomSequence returns a sequence holding the rooms of rooms.jsonl, from
// an earlier complete read when there was one, else by reading the part.
func (r *Reader) roomSequence() (*sequence, error) {
	r.roomsMu.Lock()
	kept := r.rooms
	r.roomsMu.Unlock()
	if kept == nil {
		seq, err := r.categorySequence()
		if err != nil {
			return nil, err
		}
		if err := records(r, KindRooms, decodeRoom, seq.room, func(Room) error { return nil }); err != nil {
			return nil, err
		}
		r.keepRooms(seq)
		return seq, nil
	}
	seq := newSequence()
	seq.roomOrder = make([]*roomTally, len(kept))
	for i := range kept {
		t := kept[i] // a copy: the tallies count this stream's messages
		seq.rooms[t.guid] = &t
		seq.roomOrder[i] = &t
	}
	return seq, nil
}

// Messages streams the messages in archive order, part by part, in bounded
// memory. It first reads rooms.jsonl (once per Reader: after one complete
// and valid read of it, by Rooms or Messages, it keeps each room's GUID and
// declared count), and checks that every message's room
// is there, that messages are grouped by room in increasing chat ID order,
// and at the end that each room's count is as declared. Otherwise it
// behaves like Principals.
func (r *Reader) Messages(fn func(Message) error) error {
	seq, err := r.roomSequence()
	if err != nil {
		return err
	}
	if err := r.messages(seq, fn); err != nil {
		return err
	}
	return r.roomCounts(seq)
}

func (r *Reader) messages(seq *sequence, fn func(Message) error) error {
	d := newMsgDecoder()
	var m Message
	since, bounded := r.sinceTicks()
	return r.messageLines(nil, func(line []byte) error {
		if err := d.decode(line, &m); err != nil {
			return &recordError{err}
		}
		if bounded && m.Date < since {
			return &recordError{r.beforeSince(m.Room, m.ChatID)}
		}
		if err := seq.message(&m); err != nil {
			return &recordError{err}
		}
		return fn(m)
	})
}

// sinceTicks returns the manifest's since in ticks, and whether there is
// one. An export from since on holds no message dated before it (pcmig's
// export takes chatDate >= since, in ticks computed the same way).
func (r *Reader) sinceTicks() (int64, bool) {
	if r.manifest.Since == nil {
		return 0, false
	}
	return pchat.TicksFromTime(*r.manifest.Since), true
}

// beforeSince is the error of a message dated before the manifest's since.
func (r *Reader) beforeSince(room string, chatID int64) error {
	return fmt.Errorf("room %s: chat_id %d is dated before the manifest's since (%s): an export of the content from since on holds no older message",
		room, chatID, r.manifest.Since.UTC().Format(time.RFC3339Nano))
}

// messageLines scans the messages parts in order, each line to fn.
// verified, when not nil, is called after each part has been checked.
func (r *Reader) messageLines(verified func() error, fn func(line []byte) error) error {
	for _, p := range r.partsOf(KindMessages) {
		if err := r.scan(p, fn); err != nil {
			return err
		}
		if verified != nil {
			if err := verified(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *Reader) roomCounts(seq *sequence) error {
	if err := seq.checkRoomCounts(); err != nil {
		return &PartError{Part: fixedPartName(KindRooms), Err: err}
	}
	return nil
}

// ctxEvery is how many records Verify reads between context checks.
const ctxEvery = 4096

// Verify reads every part once and checks everything the accessors check:
// sizes, SHA-256 checksums, record counts, that every record decodes and is
// valid, and the rules across records (unique keys, message order, rooms'
// message counts). It stops early when ctx is done.
func (r *Reader) Verify(ctx context.Context) error {
	seq := newSequence()
	var n int
	tick := func() error {
		if n++; n%ctxEvery == 0 {
			return ctx.Err()
		}
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := records(r, KindPrincipals, decodePrincipal, seq.principal, func(Principal) error { return tick() }); err != nil {
		return err
	}
	if err := records(r, KindCategories, decodeCategory, seq.category, func(Category) error { return tick() }); err != nil {
		return err
	}
	if err := records(r, KindAddins, decodeAddin, seq.addin, func(Addin) error { return tick() }); err != nil {
		return err
	}
	if err := records(r, KindRooms, decodeRoom, seq.room, func(Room) error { return tick() }); err != nil {
		return err
	}
	if err := r.messageViews(seq, func(*MessageView) error { return tick() }, nil); err != nil {
		return err
	}
	return r.roomCounts(seq)
}
