package store

import (
	"context"
	"errors"
	"testing"
)

// groupsOf returns a next function for AppendRoomMessagesFrom that gives
// the groups one call at a time, then none.
func groupsOf(groups ...[]RoomMessages) func() ([]RoomMessages, error) {
	return func() ([]RoomMessages, error) {
		if len(groups) == 0 {
			return nil, nil
		}
		g := groups[0]
		groups = groups[1:]
		return g, nil
	}
}

// TestAppendFromIsOneTransaction: on SQL Server, the groups next gives are
// appended in one transaction, committed once after the last. (The fake
// server does not see a transaction's own writes: the chat IDs are
// checked on the embedded store, TestAppendFromWritesWhatOneCallWrites.)
func TestAppendFromIsOneTransaction(t *testing.T) {
	ctx := context.Background()
	s, rec := openFaultServer(t, &fakeServer{}, nil)
	err := s.AppendRoomMessagesFrom(ctx, groupsOf(
		[]RoomMessages{{Room: 7, Msgs: storeMsgs(3)}, {Room: 6, Msgs: storeMsgs(2)}},
		[]RoomMessages{{Room: 7, Msgs: storeMsgs(1)}}))
	if err != nil {
		t.Fatal(err)
	}
	calls := rec.Calls()
	if n := len(chatRows(calls)); n != 6 {
		t.Errorf("%d rows sent, want 6", n)
	}
	if b, r, c := countOps(calls, "begin"), countOps(calls, "rollback"), countOps(calls, "commit"); b != 1 || r != 0 || c != 1 {
		t.Errorf("%d transactions begun, %d rolled back, %d committed; want 1, 0, 1", b, r, c)
	}

	// Nothing to append: no transaction at all.
	s, rec = openFaultServer(t, &fakeServer{}, nil)
	if err := s.AppendRoomMessagesFrom(ctx, groupsOf()); err != nil {
		t.Fatal(err)
	}
	if b := countOps(rec.Calls(), "begin"); b != 0 {
		t.Errorf("no runs: %d transactions begun, want 0", b)
	}
}

// TestAppendFromCommitsNothingOnFailure: an error from next after a first
// group rolls the whole transaction back and returns the error; a deadlock
// victim is run again from the groups kept, or, past the text kept for
// that, rolled back with the deadlock as the error.
func TestAppendFromCommitsNothingOnFailure(t *testing.T) {
	ctx := context.Background()
	stop := errors.New("the archive part failed its checksum")
	s, rec := openFaultServer(t, &fakeServer{}, nil)
	first := true
	err := s.AppendRoomMessagesFrom(ctx, func() ([]RoomMessages, error) {
		if first {
			first = false
			return []RoomMessages{{Room: 7, Msgs: storeMsgs(3)}}, nil
		}
		return nil, stop
	})
	if !errors.Is(err, stop) {
		t.Errorf("next failed: error %v, want it to wrap %v", err, stop)
	}
	if b, r, c := countOps(rec.Calls(), "begin"), countOps(rec.Calls(), "rollback"), countOps(rec.Calls(), "commit"); b != 1 || r != 1 || c != 0 {
		t.Errorf("next failed: %d transactions begun, %d rolled back, %d committed; want 1, 1, 0", b, r, c)
	}

	// A deadlock in the second group: run again from the first group,
	// which the store kept; the committed attempt sends every row once.
	s, rec = openFaultServer(t, &fakeServer{}, func(q string, seen int) error {
		if isLastChatIDWrite(q) && seen == 2 {
			return deadlockVictim
		}
		return nil
	})
	if err := s.AppendRoomMessagesFrom(ctx, groupsOf(
		[]RoomMessages{{Room: 7, Msgs: storeMsgs(3)}},
		[]RoomMessages{{Room: 6, Msgs: storeMsgs(2)}})); err != nil {
		t.Fatalf("deadlock in the second group: %v", err)
	}
	calls := rec.Calls()
	if b, r, c := countOps(calls, "begin"), countOps(calls, "rollback"), countOps(calls, "commit"); b != 2 || r != 1 || c != 1 {
		t.Errorf("deadlock: %d transactions begun, %d rolled back, %d committed; want 2, 1, 1", b, r, c)
	}
	if rows := chatRows(calls); len(rows) != 3+2 {
		t.Errorf("deadlock: the committed attempt sent %d rows, want the 5 of both groups", len(rows))
	}

	// Past the text kept for a rerun, a deadlock is the error: nothing is
	// committed, and the groups (consumed) are not run again.
	s, rec = openFaultServer(t, &fakeServer{}, func(q string, seen int) error {
		if isLastChatIDWrite(q) && seen == 2 {
			return deadlockVictim
		}
		return nil
	})
	err = s.appendFrom(ctx, groupsOf(
		[]RoomMessages{{Room: 7, Msgs: storeMsgs(3)}},
		[]RoomMessages{{Room: 6, Msgs: storeMsgs(2)}}), 1)
	var lw *lockWaitError
	if !errors.As(err, &lw) || lw.number != errDeadlock {
		t.Errorf("deadlock past the kept text: error %v, want the deadlock", err)
	}
	if b, r, c := countOps(rec.Calls(), "begin"), countOps(rec.Calls(), "rollback"), countOps(rec.Calls(), "commit"); b != 1 || r != 1 || c != 0 {
		t.Errorf("deadlock past the kept text: %d transactions begun, %d rolled back, %d committed; want 1, 1, 0", b, r, c)
	}
}
