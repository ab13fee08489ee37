package verify

import (
	"context"
	"errors"
	"fmt"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// A source room compared as a multiset (multiset.go) is found message by
// message anywhere in its target room; that proves every message arrived,
// not that it arrived in order. The order is checked as well, while the
// multiplicity check reads the target room (multiplicity.go): the
// source's messages, in chat-ID order, must be a subsequence of the target
// room's history in chat-ID order. Messages the target holds besides (the
// users' posts since, another source's) may come between them. The check
// is greedy: each source message is matched with the first copy of it
// after the copy matched with the message before it. That is exact, with
// messages alike too (several copies of one message in a room): a
// sequence is a subsequence of another if and only if the greedy match
// reaches its end, since matching a message with its earliest copy left
// leaves every later copy for what follows. So a failure means that no
// way of picking the target's copies puts the source's messages in its
// order.
//
// Why it holds for the import: it appends the messages it does not find
// after whatever the room holds, in the archive's order, so the source's
// messages it writes keep their order among themselves and come after
// those it found (from an earlier run, which wrote them in order too). A
// message another source room merged into the same target room holds as
// well is where that source put it, not necessarily in this source's
// order, so such messages (shared) are left out of this check, for every
// source room of the target room. The check is skipped for a source room
// whose messages are not all in the target (that is a difference
// already). Cost: one more read of the source room, at the same time as
// the target room's read, holding a batch of 64-bit keys.

// ordMsg is a source message as the order check needs it.
type ordMsg struct {
	key  uint64
	date int64
	user int32
}

// orderCheck follows one source room through its target room's history.
type orderCheck struct {
	f        *feed
	ch       chan []ordMsg
	buf      []ordMsg
	pos      int
	done     bool   // every checked message was matched, in order
	prev     ordMsg // the last message matched
	matched  int64
	excluded int64 // shared messages not checked
}

// head returns the next source message to match, reading a batch when
// needed; ok is false at the end of the source room.
func (o *orderCheck) head() (ordMsg, bool) {
	for o.pos >= len(o.buf) {
		b, ok := <-o.ch
		if !ok {
			o.done = true
			return ordMsg{}, false
		}
		o.buf, o.pos = b, 0
	}
	return o.buf[o.pos], true
}

// see advances past the head when the target's message key matches it.
func (o *orderCheck) see(key uint64) {
	if o.done {
		return
	}
	if h, ok := o.head(); ok && h.key == key {
		o.prev = h
		o.matched++
		o.pos++
		o.head() // so that done is set at the end
	}
}

// startOrder starts reading a source room's messages for the order check,
// leaving out the keys in skip (read only while it runs).
func startOrder(ctx context.Context, f *feed, skip map[uint64]bool, errs chan<- error) *orderCheck {
	o := &orderCheck{f: f, ch: make(chan []ordMsg, 4)}
	go func() {
		defer close(o.ch)
		buf := make([]ordMsg, 0, batchSize)
		var enc []byte
		var key uint64
		send := func() error {
			select {
			case o.ch <- buf:
			case <-ctx.Done():
				return ctx.Err()
			}
			buf = make([]ordMsg, 0, batchSize)
			return nil
		}
		err := f.side.store.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{f.room}, SinceTick: f.since}, func(m pchat.Message) error {
			enc, _, key = hashKey(enc, f.side, &m)
			if skip[key] {
				o.excluded++
				return nil
			}
			buf = append(buf, ordMsg{key: key, date: m.Date, user: m.UserID})
			if len(buf) == batchSize {
				return send()
			}
			return nil
		})
		if err == nil && len(buf) > 0 {
			err = send()
		}
		errs <- err
	}()
	return o
}

// finishOrder reports an order difference of a check that did not reach
// the end of its source room, once the target room has been read (before
// its reader is stopped).
func (c *comparison) finishOrder(o *orderCheck) {
	h, ok := o.head()
	if !ok {
		return
	}
	fig := &c.res.Rooms[o.f.fig]
	d := differ{c: c, source: o.f.label, category: o.f.category, object: "room " + fig.Name}
	if o.matched == 0 { // not seen: the multiset comparison found it, so never
		d.add(DiffHistory, "the source's message by %s at %s is not in the target", o.f.side.who(h.user), stamp(h.date))
		return
	}
	sh, sp := stamps(h.date, o.prev.date)
	d.add(DiffHistory, "the source's %s messages are all in the target, not in the source's order: the source's message by %s at %s is in the target only before the one that precedes it in the source (by %s at %s)",
		count(fig.SourceMessages), o.f.side.who(h.user), sh, o.f.side.who(o.prev.user), sp)
}

// stopOrder ends the order checks' readers and returns their errors.
func stopOrder(cancel context.CancelFunc, checks []*orderCheck, errs <-chan error) error {
	cancel()
	var err error
	for _, o := range checks {
		for range o.ch { // let a blocked reader go
		}
	}
	for range checks {
		if e := <-errs; e != nil && !errors.Is(e, context.Canceled) {
			err = errors.Join(err, e)
		}
	}
	if err != nil {
		return fmt.Errorf("read the source's messages: %w", err)
	}
	return nil
}
