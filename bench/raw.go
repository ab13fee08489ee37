package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/internal/cputime"
	"github.com/pcmig/pcmig/store"

	_ "modernc.org/sqlite" // the embedded store's driver: the floor is measured with it
)

// The raw figures are the floor pcmig's export and import are measured
// against: the same SQLite driver (modernc.org/sqlite through
// database/sql), the same connection settings as the embedded store, the
// same rows, and nothing else: no archive, no validation, no journal.

// rawColumns are tblChat's columns, in the order the store reads and
// writes them.
const rawColumns = "channelId, chatId, chatDate, userId, isAlert, content, rtf"

// rawMessage is one tblChat row as the store scans it.
type rawMessage struct {
	room    int32
	chatID  int64
	date    int64
	user    int32
	alert   bool
	content string
	rtf     sql.NullString
}

// RawRead measures reading every tblChat row of the database at path with
// one query, scanning each column into the Go type the store uses.
func RawRead(ctx context.Context, path string) (Phase, error) {
	db, err := sql.Open("sqlite", store.SQLiteURI(path, true))
	if err != nil {
		return Phase{}, err
	}
	ph, err := measure("raw read", func() (int64, error) {
		var n int64
		err := rawScan(ctx, db, "", nil, func(*rawMessage) error { n++; return nil })
		return n, err
	})
	return ph, errors.Join(err, db.Close())
}

// rawScan runs SELECT rawColumns FROM tblChat [where] ORDER BY channelId,
// chatId and calls fn for each row (fn must not keep it).
func rawScan(ctx context.Context, db *sql.DB, where string, args []any, fn func(*rawMessage) error) error {
	rows, err := db.QueryContext(ctx, "SELECT "+rawColumns+" FROM tblChat "+where+" ORDER BY channelId, chatId", args...)
	if err != nil {
		return fmt.Errorf("raw read: %w", err)
	}
	defer rows.Close()
	var m rawMessage
	for rows.Next() {
		if err := rows.Scan(&m.room, &m.chatID, &m.date, &m.user, &m.alert, &m.content, &m.rtf); err != nil {
			return fmt.Errorf("raw read: %w", err)
		}
		if err := fn(&m); err != nil {
			return err
		}
	}
	return rows.Err()
}

// rawInsertRows is how many rows one INSERT carries and rawInsertBatch how
// many one transaction does: the store's and the importer's figures (100
// rows per statement; a transaction per archive part, which pcmig's
// export ends at 10,000 messages).
const (
	rawInsertRows  = 100
	rawInsertBatch = archive.DefaultChunkMessages
	// rawReadAhead is how many rows are read from the source, untimed,
	// before they are inserted, timed: it bounds the memory the raw insert
	// needs.
	rawReadAhead = rawInsertBatch
)

// RawInsert measures inserting every tblChat row of the database at source
// into the database at target (whose tblChat must not hold them): rows are
// read, untimed, rawReadAhead at a time, then inserted with a prepared
// multi-row INSERT, rawInsertBatch rows per transaction. Only the inserts
// count towards the figures; the peak memory is not measured.
func RawInsert(ctx context.Context, source, target string) (Phase, error) {
	src, err := sql.Open("sqlite", store.SQLiteURI(source, true))
	if err != nil {
		return Phase{}, err
	}
	defer src.Close()
	dst, err := sql.Open("sqlite", store.SQLiteURI(target, false))
	if err != nil {
		return Phase{}, err
	}
	defer dst.Close()
	dst.SetMaxOpenConns(1)
	full := "INSERT INTO tblChat (" + rawColumns + ") VALUES " +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", rawInsertRows), ", ")
	stmt, err := dst.PrepareContext(ctx, full)
	if err != nil {
		return Phase{}, fmt.Errorf("raw insert: %w", err)
	}
	defer stmt.Close()

	ph := Phase{Name: "raw insert"}
	buf := make([]rawMessage, 0, rawReadAhead)
	insert := func() error {
		start, cpu0 := time.Now(), cputime.Process()
		if err := rawInsert(ctx, dst, stmt, buf); err != nil {
			return err
		}
		ph.Duration += time.Since(start)
		ph.CPU += cputime.Process() - cpu0
		ph.Messages += int64(len(buf))
		buf = buf[:0]
		return nil
	}
	err = rawScan(ctx, src, "", nil, func(m *rawMessage) error {
		buf = append(buf, *m)
		if len(buf) == cap(buf) {
			return insert()
		}
		return nil
	})
	if err == nil && len(buf) > 0 {
		err = insert()
	}
	ph.rates()
	return ph, err
}

func rawInsert(ctx context.Context, db *sql.DB, full *sql.Stmt, msgs []rawMessage) error {
	args := make([]any, 0, rawInsertRows*7)
	for len(msgs) > 0 {
		batch := msgs[:min(len(msgs), rawInsertBatch)]
		msgs = msgs[len(batch):]
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("raw insert: %w", err)
		}
		stmt := tx.StmtContext(ctx, full)
		for len(batch) > 0 {
			n := min(len(batch), rawInsertRows)
			args = args[:0]
			for _, m := range batch[:n] {
				var rtf any
				if m.rtf.Valid {
					rtf = m.rtf.String
				}
				alert := 0
				if m.alert {
					alert = 1
				}
				args = append(args, m.room, m.chatID, m.date, m.user, alert, m.content, rtf)
			}
			if n == rawInsertRows {
				_, err = stmt.ExecContext(ctx, args...)
			} else {
				_, err = tx.ExecContext(ctx, "INSERT INTO tblChat ("+rawColumns+") VALUES "+
					strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", n), ", "), args...)
			}
			if err != nil {
				return errors.Join(fmt.Errorf("raw insert: %w", err), tx.Rollback())
			}
			batch = batch[n:]
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("raw insert: %w", err)
		}
	}
	return nil
}
