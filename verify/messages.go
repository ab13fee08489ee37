package verify

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"hash/maphash"
	"strings"
	"sync"
	"time"

	"github.com/pcmig/pcmig/filestore"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// msgRange selects the target messages that hold a source room's history:
// chat IDs above after and, when upTo > 0, at most upTo; none selects
// nothing (the import wrote no message).
// The zero value is the whole history. multiset compares the source's
// messages with the whole history as a multiset (multiset.go); fallback
// compares the whole history in order and, if it differs, as a multiset.
type msgRange struct {
	after, upTo              int64
	none, multiset, fallback bool
}

// Comparisons: how a room's history was compared (RoomFigure.Comparison).
const (
	CompareWhole    = "whole"         // the target room's whole history, message by message in order
	CompareRange    = "journal range" // the chat IDs the import journal says the import wrote, in order
	CompareMultiset = "multiset"      // each source message looked for anywhere in the room (multiset.go)
	CompareNone     = "none"          // the archive brought no message for the room
)

// comparison names how rg compares a history.
func (rg msgRange) comparison() string {
	switch {
	case rg.none:
		return CompareNone
	case rg.multiset:
		return CompareMultiset
	case rg.after > 0 || rg.upTo > 0:
		return CompareRange
	}
	return CompareWhole
}

// admit says what becomes of a message with chat ID id: compared (ok),
// or left out, counted as arrived after the range (later) or not.
func (rg msgRange) admit(id int64) (ok, later bool) {
	if id <= rg.after && rg.after > 0 {
		return false, false
	}
	if rg.none || (rg.upTo > 0 && id > rg.upTo) {
		return false, true
	}
	return true, false
}

// rec is one message as the comparison needs it. hash decides whether
// two messages are equal; the fingerprints of the content and the RTF only
// say which of them differs.
type rec struct {
	date     int64
	poster   string // URI as compared (uris.of)
	alert    bool
	hash     [sha256.Size]byte
	content  uint64 // fingerprint of the content
	rtf      uint64 // fingerprint of the RTF (0 for none)
	rtfIsSet bool
}

// seqSummary sums up one side's history: its count, first and last time
// and the SHA-256 over its messages' digests, in order.
type seqSummary struct {
	count       int64
	first, last int64
	h           hash.Hash // while messages are added; nil once sealed
	sum         [sha256.Size]byte
	sealed      bool
}

func (s *seqSummary) add(r *rec) {
	if s.h == nil {
		s.h = sha256.New()
	}
	if s.count == 0 {
		s.first = r.date
	}
	s.count++
	s.last = r.date
	s.h.Write(r.hash[:])
}

// seal ends the history: its digest is final and the hash state is let go.
func (s *seqSummary) seal() {
	if s.sealed {
		return
	}
	if s.h == nil {
		s.sum = sha256.Sum256(nil) // the empty history: the digest of nothing
	} else {
		s.h.Sum(s.sum[:0])
	}
	s.h, s.sealed = nil, true
}

// same reports whether two sealed histories are identical.
func (s *seqSummary) same(o *seqSummary) bool { return s.count == o.count && s.sum == o.sum }

// digest is the hex SHA-256 over the messages' digests, in order; the
// empty history has the digest of nothing.
func (s *seqSummary) digest() string {
	s.seal()
	return hex.EncodeToString(s.sum[:])
}

// msgResult is the comparison of one room's histories.
type msgResult struct {
	src, tgt seqSummary
	first    string // the first difference in words; "" when equal
	after    int64  // target messages above the range (posted later)
	files    fileCheck
}

// fileStores are the file stores a comparison checks links in: the
// target's, and the current source's (nil when not known).
type fileStores struct {
	target, source *filestore.Store
	// same caches the comparison of a linked file's bytes in the two
	// stores (by link), for the current source: many messages may link
	// to one file.
	mu   sync.Mutex
	same map[string]bool
}

// setSource makes src the source's file store (nil: not known).
func (fs *fileStores) setSource(src *filestore.Store) {
	fs.mu.Lock()
	fs.source, fs.same = src, map[string]bool{}
	fs.mu.Unlock()
}

// differs reports whether the file a link names, which the target's store
// holds, holds other bytes than the source's store's file of that name.
// A file the source's store lacks, or a source store not known, is not
// compared. A file that cannot be read counts as differing: it cannot be
// shown to be the source's.
func (fs *fileStores) differs(link string) bool {
	if fs.source == nil {
		return false
	}
	fs.mu.Lock()
	same, ok := fs.same[link]
	fs.mu.Unlock()
	if ok {
		return !same
	}
	if !fs.source.Has(link) {
		return false
	}
	same, err := fs.target.SameAs(fs.source, link)
	same = same && err == nil
	fs.mu.Lock()
	fs.same[link] = same
	fs.mu.Unlock()
	return !same
}

// fileCheck counts the file links of the compared target messages whose
// file the target's file store lacks: missing, those the source's file
// store holds (or all, when the source's is not known), and
// missingSourceToo, those the source's store lacks as well (nothing could
// be copied).
type fileCheck struct {
	links, missing   int64
	missingSourceToo int64
	// differ are the links whose file the target's store holds with
	// other bytes than the source's store (compared when the source's
	// store is known).
	differ         int64
	first          []string // the first missing file names
	firstSourceToo []string // the first missing from both stores
	firstDiffer    []string // the first files that differ
}

func (f *fileCheck) check(files *fileStores, content string) {
	if files == nil || files.target == nil {
		return
	}
	for _, link := range filestore.Links(content) {
		f.links++
		if files.target.Has(link) {
			if files.differs(link) {
				f.differ++
				if len(f.firstDiffer) < 3 {
					f.firstDiffer = append(f.firstDiffer, filestore.Name(link))
				}
			}
			continue
		}
		if files.source != nil && !files.source.Has(link) {
			f.missingSourceToo++
			if len(f.firstSourceToo) < 3 {
				f.firstSourceToo = append(f.firstSourceToo, filestore.Name(link))
			}
			continue
		}
		f.missing++
		if len(f.first) < 3 {
			f.first = append(f.first, filestore.Name(link))
		}
	}
}

// batchSize is the number of messages a reader hands over at once.
const batchSize = 1024

// stream reads one room's messages into batches of recs on a channel.
func stream(ctx context.Context, sd *side, room int32, since int64, rg msgRange, seed maphash.Seed, out chan<- []rec, after *int64, files *fileCheck, fstore *fileStores) error {
	defer close(out)
	buf := make([]rec, 0, batchSize)
	var enc []byte
	err := sd.store.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{room}, SinceTick: since}, func(m pchat.Message) error {
		if ok, later := rg.admit(m.ChatID); !ok {
			if later {
				*after++
			}
			return nil
		}
		files.check(fstore, m.Content)
		r := rec{date: m.Date, poster: sd.who(m.UserID), alert: m.Alert, content: maphash.String(seed, m.Content)}
		if m.RTF != nil {
			r.rtf, r.rtfIsSet = maphash.String(seed, *m.RTF), true
		}
		enc = encode(enc[:0], &r, &m)
		r.hash = sha256.Sum256(enc)
		buf = append(buf, r)
		if len(buf) == batchSize {
			select {
			case out <- buf:
			case <-ctx.Done():
				return ctx.Err()
			}
			buf = make([]rec, 0, batchSize)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(buf) > 0 {
		select {
		case out <- buf:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// encode is the canonical form a message's digest covers: time, poster
// URI, alert flag, content and RTF (absent or present), each length-
// prefixed so that no two messages encode alike.
func encode(b []byte, r *rec, m *pchat.Message) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(r.date))
	b = binary.BigEndian.AppendUint32(b, uint32(len(r.poster)))
	b = append(b, r.poster...)
	if r.alert {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = binary.BigEndian.AppendUint64(b, uint64(len(m.Content)))
	b = append(b, m.Content...)
	if m.RTF == nil {
		return append(b, 0)
	}
	b = append(b, 1)
	b = binary.BigEndian.AppendUint64(b, uint64(len(*m.RTF)))
	return append(b, *m.RTF...)
}

// cursor walks a channel of batches with a look-ahead of one message.
type cursor struct {
	ch  <-chan []rec
	buf []rec
	pos int
}

// peek returns the message k places ahead (0: the current one), or nil at
// the end.
func (c *cursor) peek(k int) *rec {
	for c.pos+k >= len(c.buf) {
		b, ok := <-c.ch
		if !ok {
			return nil
		}
		c.buf = append(c.buf[c.pos:], b...)
		c.pos = 0
	}
	return &c.buf[c.pos+k]
}

func (c *cursor) next() { c.pos++ }

// compareMessages streams a source room and its target room at once and
// compares them message by message.
func compareMessages(ctx context.Context, s *side, srcRoom int32, since int64, t *side, tgtRoom int32, rg msgRange, files *fileStores) (*msgResult, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	res := &msgResult{}
	srcCh, tgtCh := make(chan []rec, 4), make(chan []rec, 4)
	errs := make(chan error, 2)
	var ignored int64
	var noFiles fileCheck
	seed := maphash.MakeSeed()
	go func() { errs <- stream(ctx, s, srcRoom, since, msgRange{}, seed, srcCh, &ignored, &noFiles, nil) }()
	go func() { errs <- stream(ctx, t, tgtRoom, 0, rg, seed, tgtCh, &res.after, &res.files, files) }()
	a, b := &cursor{ch: srcCh}, &cursor{ch: tgtCh}
	var first *parting
	for {
		x, y := a.peek(0), b.peek(0)
		if x == nil && y == nil {
			break
		}
		if first == nil && (x == nil || y == nil || x.hash != y.hash) {
			first = part(a, b, res.src.count, res.tgt.count)
		}
		if x != nil {
			res.src.add(x)
			a.next()
		}
		if y != nil {
			res.tgt.add(y)
			b.next()
		}
	}
	if first != nil {
		res.first = first.describe(res.src.count, res.tgt.count)
	}
	var err error
	for range 2 {
		if e := <-errs; e != nil && !errors.Is(e, context.Canceled) {
			err = errors.Join(err, e)
		}
	}
	return res, err
}

// parting is where two histories part: the first message that differs,
// with its neighbours, and how many messages each side had before it.
type parting struct {
	x, y       *rec // the source's and the target's message there (nil: that side ended)
	nx, ny     *rec // the message after each
	srcN, tgtN int64
}

func part(a, b *cursor, srcN, tgtN int64) *parting {
	cp := func(r *rec) *rec {
		if r == nil {
			return nil
		}
		c := *r
		return &c
	}
	p := &parting{x: cp(a.peek(0)), srcN: srcN, tgtN: tgtN}
	if p.x != nil {
		p.nx = cp(a.peek(1))
	}
	p.y = cp(b.peek(0))
	if p.y != nil {
		p.ny = cp(b.peek(1))
	}
	return p
}

// describe says where two histories part and how, once both have been read
// to the end (srcTotal and tgtTotal messages).
func (p *parting) describe(srcTotal, tgtTotal int64) string {
	x, y := p.x, p.y
	switch {
	case y == nil:
		if n := srcTotal - p.srcN; n > 1 {
			return fmt.Sprintf("%s: the source's last %s messages (from the one by %s) are not in the target", stamp(x.date), count(n), x.poster)
		}
		return fmt.Sprintf("%s: the source's last message (by %s) is not in the target", stamp(x.date), x.poster)
	case x == nil:
		if n := tgtTotal - p.tgtN; n > 1 {
			return fmt.Sprintf("%s: the target has %s messages after the source's last (from one by %s)", stamp(y.date), count(n), y.poster)
		}
		return fmt.Sprintf("%s: the target has a message by %s after the source's last", stamp(y.date), y.poster)
	}
	nx, ny := p.nx, p.ny
	switch {
	case nx != nil && ny != nil && nx.hash == y.hash && ny.hash == x.hash:
		sx, sy := stamps(x.date, y.date)
		return fmt.Sprintf("%s: the source's messages by %s (%s) and by %s (%s) are in the other order in the target", sx, x.poster, sx, y.poster, sy)
	case nx != nil && nx.hash == y.hash:
		return fmt.Sprintf("%s: the source's message by %s is not in the target", stamp(x.date), x.poster)
	case ny != nil && ny.hash == x.hash:
		return fmt.Sprintf("%s: the target has a message by %s that the source does not", stamp(y.date), y.poster)
	}
	sx, sy := stamps(x.date, y.date)
	var what []string
	if x.date != y.date {
		what = append(what, fmt.Sprintf("time %s in the target", sy))
	}
	if x.poster != y.poster {
		what = append(what, fmt.Sprintf("poster %s in the source, %s in the target", x.poster, y.poster))
	}
	if x.alert != y.alert {
		what = append(what, fmt.Sprintf("alert flag %s in the source, %s in the target", yesNo(x.alert), yesNo(y.alert)))
	}
	var parts []string
	if x.content != y.content {
		parts = append(parts, "content")
	}
	switch {
	case x.rtfIsSet && !y.rtfIsSet:
		what = append(what, "its RTF is in the source, not in the target")
	case !x.rtfIsSet && y.rtfIsSet:
		what = append(what, "its RTF is in the target, not in the source")
	case x.rtf != y.rtf:
		parts = append(parts, "RTF")
	}
	if len(parts) > 0 {
		what = append(what, "its "+strings.Join(parts, " and "))
	}
	if len(what) == 0 {
		what = append(what, "its content or RTF") // fingerprints alike, digests not: never seen
	}
	return fmt.Sprintf("%s: the message by %s differs (%s)", sx, x.poster, strings.Join(what, "; "))
}

// stamp writes a tick time stamp as RFC 3339 UTC.
func stamp(ticks int64) string {
	return pchat.TimeFromTicks(ticks).Format(time.RFC3339)
}

// stamps writes two time stamps, to the tick (100 ns) when they differ
// within one second, so that two different times never print alike.
func stamps(a, b int64) (string, string) {
	sa, sb := stamp(a), stamp(b)
	if a != b && sa == sb {
		const fine = "2006-01-02T15:04:05.0000000Z07:00"
		return pchat.TimeFromTicks(a).Format(fine), pchat.TimeFromTicks(b).Format(fine)
	}
	return sa, sb
}
