package store

import "context"

// AppendRoomMessagesFrom is AppendRoomMessages for a transaction whose
// runs come one group at a time: it appends the runs next returns, call
// after call, until next returns none, and then commits them all at once.
// A writer that holds messages to a point of its choosing (the importer:
// the end of an archive part whose checksum has been checked) commits
// nothing before it, and a failure or a kill before it leaves none of them
// written.
//
// next is called once before the transaction begins: when it returns no
// runs, nothing is written. An error from next ends the transaction
// without committing, and is returned wrapped.
//
// A transaction SQL Server chooses as a deadlock victim is run again, as
// AppendRoomMessages' are, from the groups it keeps: up to rerunBytes of
// message text (pcmig's archive parts hold at most 64 MiB). A transaction
// past that keeps none, and a deadlock ends it with the error: nothing of
// it is committed, and running the import again resumes it.
func (s *Store) AppendRoomMessagesFrom(ctx context.Context, next func() ([]RoomMessages, error)) error {
	return s.appendFrom(ctx, next, rerunBytes)
}

// appendFrom is AppendRoomMessagesFrom keeping up to limit bytes of text
// for a rerun.
func (s *Store) appendFrom(ctx context.Context, next func() ([]RoomMessages, error), limit int) error {
	pending, err := next()
	if err != nil || len(pending) == 0 {
		return err
	}
	var kept [][]RoomMessages // the groups appended, for a rerun
	keptBytes, keeping := 0, true
	group := func(q querier, ins *chatInserter, runs []RoomMessages) error {
		rooms, total, err := s.checkRuns(runs)
		if err != nil || total == 0 {
			return err
		}
		_, err = s.appendRuns(ctx, q, ins, runs, rooms, total)
		return err
	}
	s.prepareAppend(ctx)
	return s.writeIf(ctx, "append messages", func() bool { return keeping }, func(q querier) error {
		ins := s.inserter(q)
		for _, runs := range kept { // a rerun: the groups appended before
			if err := group(q, ins, runs); err != nil {
				return err
			}
		}
		for len(pending) > 0 {
			if err := group(q, ins, pending); err != nil {
				return err
			}
			if keeping {
				kept = append(kept, pending)
				if keptBytes += textBytes(pending); keptBytes > limit {
					kept, keeping = nil, false
				}
			}
			var err error
			if pending, err = next(); err != nil {
				return err
			}
		}
		return ins.finish(ctx)
	})
}

// rerunBytes bounds the message text AppendRoomMessagesFrom keeps to run a
// deadlock victim again.
const rerunBytes = 64 << 20

// textBytes is the length of the runs' message text.
func textBytes(runs []RoomMessages) int {
	n := 0
	for _, r := range runs {
		for _, m := range r.Msgs {
			n += len(m.Content)
			if m.RTF != nil {
				n += len(*m.RTF)
			}
		}
	}
	return n
}
