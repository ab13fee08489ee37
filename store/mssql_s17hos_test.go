package store

import (
	"context"
	"errors"
	"testing"
)

// TestSQLServerDeadlockBackoffHonoursCancel: Ctrl-C while a deadlock
// victim waits before its next attempt stops the write at once, and its
// error says the run was cancelled (errors.Is context.Canceled), so that
// pcmig reports a cancellation with its advice rather than only a
// deadlock.
func TestSQLServerDeadlockBackoffHonoursCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, rec := openFaultServer(t, &fakeServer{}, func(q string, _ int) error {
		if isLastChatIDWrite(q) {
			cancel() // Ctrl-C arrives as the first attempt fails
			return deadlockVictim
		}
		return nil
	})
	_, err := s.AppendMessages(ctx, 6, storeMsgs(2))
	if err == nil {
		t.Fatal("append cancelled during the deadlock backoff succeeded")
	}
	if n := countOps(rec.Calls(), "begin"); n != 1 {
		t.Errorf("%d attempts; want 1 (no attempt after the cancel)", n)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %q does not wrap context.Canceled", err)
	}
	if !errors.Is(err, ErrDeadlock) {
		t.Errorf("error %q no longer says it was a deadlock", err)
	}
}
