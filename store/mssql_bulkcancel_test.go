package store

// A write cancelled (Ctrl-C, --timeout) while its bulk copy into tblChat
// is sending rows. go-mssqldb streams a bulk copy's rows as one TDS
// bulk-load message that only the Exec without arguments ends (v1.11.2
// Bulk.AddRow, Bulk.Done); its copy-in statement takes no context, so
// database/sql answers the next row's Exec with the context's error, and a
// transaction begun with that context is rolled back by database/sql as
// soon as no statement is running: the rollback request went out after
// the unfinished message, which is no TDS a server is specified to take.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestSQLServerCancelledBulkCopyEndsItsMessage: an append cancelled after
// ten of its fifty rows were given to the bulk copy into tblChat, and a
// grant of 300 roles cancelled after ten rows were given to the bulk copy
// into the staging table, still end the bulk copy's message before
// anything else goes to the server (the recorder refuses a request on a
// connection whose bulk copy is unfinished), then roll the transaction back
// and report the cancellation; nothing is committed.
func TestSQLServerCancelledBulkCopyEndsItsMessage(t *testing.T) {
	prins := make([]int32, 300)
	for i := range prins {
		prins[i] = int32(10 + i)
	}
	for _, tc := range []struct {
		name  string
		write func(context.Context, *Store) error
	}{
		{"append", func(ctx context.Context, s *Store) error {
			_, err := s.AppendMessages(ctx, 30, storeMsgs(50))
			return err
		}},
		{"staged roles", func(ctx context.Context, s *Store) error {
			_, err := s.AddRoles(ctx, 5, "Member", prins)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, rec := openServer(t, &fakeServer{})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			rec.bulkRow = func(n int64) {
				if n == 10 {
					cancel()
					// database/sql's goroutine that rolls back a transaction
					// whose context ended waits for this row's Exec, and goes
					// before the next one.
					time.Sleep(50 * time.Millisecond)
				}
			}
			if err := tc.write(ctx, s); !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled write: %v, want an error wrapping context.Canceled", err)
			}
			// go-mssqldb's attention may end the bulk copy with an error of
			// its own (the server's, or a drain timeout's): the write still
			// says it was cancelled.
			s2, rec2 := openServer(t, &fakeServer{})
			rec2.bulkEnd = errors.New("mssql: the bulk copy ended by an attention")
			ctx2, cancel2 := context.WithCancel(context.Background())
			defer cancel2()
			rec2.bulkRow = func(n int64) {
				if n == 10 {
					cancel2()
				}
			}
			if err := tc.write(ctx2, s2); !errors.Is(err, context.Canceled) || !strings.Contains(fmt.Sprint(err), "attention") {
				t.Errorf("cancelled write whose bulk copy's end failed: %v, want an error wrapping context.Canceled and the bulk copy's", err)
			}
			rows, ended, rolledBack := 0, false, false
			for _, c := range rec.Calls() {
				switch {
				case strings.HasPrefix(c.Op, "mid-bulk"):
					t.Errorf("%s sent while the bulk copy was unfinished", c.Op)
				case c.Op == "exec" && strings.HasPrefix(c.Query, "INSERTBULK ") && c.Args != nil:
					rows++
				case c.Op == "exec" && strings.HasPrefix(c.Query, "INSERTBULK "):
					ended = true
				case c.Op == "rollback":
					rolledBack = true
				case c.Op == "commit":
					t.Error("the cancelled write committed")
				}
			}
			if !ended || !rolledBack {
				t.Errorf("bulk copy ended: %v, transaction rolled back: %v (after %d rows); want both", ended, rolledBack, rows)
			}
		})
	}
}

// TestSQLServerBulkRowRefusedEndsItsMessage: a message that cannot be
// encoded for tblChat.rtf's code page (here 日本 for code page 1252, which
// the append's own check refuses before any bulk copy, so the bulk copy is
// called directly) stops the bulk copy after the rows before it: the
// bulk-load message is ended before the transaction is rolled back, and
// the error says why.
func TestSQLServerBulkRowRefusedEndsItsMessage(t *testing.T) {
	s, rec := openServer(t, &fakeServer{})
	ctx := context.Background()
	msgs := storeMsgs(5)
	for i := range msgs {
		msgs[i].RoomID, msgs[i].ChatID = 30, int64(i+1)
	}
	rtf := "{\\rtf1 日本}"
	msgs[2].RTF = &rtf
	err := s.tx(ctx, func(q querier) error { return s.dialect.insertMessages(ctx, q, s.chatCols, msgs) })
	if !errors.Is(err, ErrText) {
		t.Errorf("bulk copy of a row rtf cannot hold: %v, want ErrText", err)
	}
	rows, ended := 0, false
	for _, c := range rec.Calls() {
		switch {
		case strings.HasPrefix(c.Op, "mid-bulk"):
			t.Errorf("%s sent while the bulk copy was unfinished", c.Op)
		case c.Op == "exec" && strings.HasPrefix(c.Query, "INSERTBULK ") && c.Args != nil:
			rows++
		case c.Op == "exec" && strings.HasPrefix(c.Query, "INSERTBULK "):
			ended = true
		}
	}
	if rows != 2 || !ended {
		t.Errorf("%d rows sent, bulk copy ended: %v; want the 2 rows before the refused one, then the end", rows, ended)
	}
}
