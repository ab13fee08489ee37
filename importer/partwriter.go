package importer

import (
	"context"
	"fmt"

	"github.com/pcmig/pcmig/store"
)

// partWriter hands the decoder's batches to the store one transaction per
// archive part (store.AppendRoomMessagesFrom): batches of several rooms
// are appended together, about size messages at a time (a pool of 20,000
// small rooms is a few dozen appends, not 20,000), and the transaction
// ends at the decoder's mark that the part's checksum has been checked.
type partWriter struct {
	batches <-chan batch
	size    int
	group   []batch  // the batches next returned last
	inTx    []credit // what the transaction holds, credited once committed
	atMark  bool     // the group last returned ended at a mark
	closed  bool     // the decoder has closed its channel
}

// credit is what a batch of the transaction holds: the batches themselves
// are not kept, since a part may be large.
type credit struct {
	room *roomPlan
	n    int64
}

// next returns the runs of the next group of the transaction, or none at
// the end of a verified part. The channel closing before that means the
// decoder stopped (an error, or cancelled): the transaction must not be
// committed, and next says so with errDecoderStopped.
func (w *partWriter) next(ctx context.Context) ([]store.RoomMessages, error) {
	w.group = w.group[:0]
	if w.atMark {
		w.atMark = false
		return nil, nil
	}
	pending := 0
	for pending < w.size {
		var b batch
		var ok bool
		select {
		case b, ok = <-w.batches:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if !ok {
			w.closed = true
			if len(w.inTx) > 0 || len(w.group) > 0 {
				return nil, errDecoderStopped
			}
			break
		}
		if b.verified {
			w.atMark = len(w.group) > 0
			break
		}
		w.group = append(w.group, b)
		pending += len(b.run.Msgs)
	}
	if len(w.group) == 0 {
		return nil, nil
	}
	runs := make([]store.RoomMessages, len(w.group))
	for k, b := range w.group {
		runs[k] = b.run
		w.inTx = append(w.inTx, credit{b.room, int64(len(b.run.Msgs))})
	}
	return runs, nil
}

// named wraps err, a failed transaction, with the rooms of the group it
// failed in.
func (w *partWriter) named(err error) error {
	switch {
	case len(w.group) == 1:
		return fmt.Errorf("import messages of room %q: %w", w.group[0].room.arc.Name, err)
	case len(w.group) > 1:
		return fmt.Errorf("import messages of %d rooms (%q and others): %w", len(w.group), w.group[0].room.arc.Name, err)
	}
	return err
}
