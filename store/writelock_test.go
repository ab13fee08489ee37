package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/internal/proc"
	"github.com/pcmig/pcmig/pchat"
)

// TestWriterLockSQLite: a second writer of an embedded database is refused
// with the first one's name and account, readers and dry runs of the same
// process are not, and the lock goes with Close.
func TestWriterLockSQLite(t *testing.T) {
	ctx := WithCommand(context.Background(), "pcmig import")
	path := filepath.Join(t.TempDir(), "pool.db")
	cfg := Config{DSN: "sqlite:" + path, Create: true}
	first, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(WithCommand(context.Background(), "pcmig run"), cfg)
	var le *LockedError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("second writer: %v, want a LockedError", err)
	}
	host, _ := os.Hostname()
	account := proc.User(os.Getenv)
	for _, want := range []string{path, "held by pcmig import run by " + account + ", pid " + strconv.Itoa(os.Getpid()), "on host " + host, "since "} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v\ndoes not say %q", err, want)
		}
	}
	for _, c := range []Config{{DSN: cfg.DSN, ReadOnly: true}, {DSN: cfg.DSN, Shadow: true}} {
		r, err := Open(ctx, c)
		if err != nil {
			t.Fatalf("reader %+v while a writer holds the lock: %v", c, err)
		}
		if _, err := r.Rooms(ctx); err != nil {
			t.Error(err)
		}
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	// Removed, or emptied where an open file cannot be removed (Windows).
	if b, err := os.ReadFile(path + ".pcmig-lock"); !errors.Is(err, os.ErrNotExist) && (err != nil || len(b) > 0) {
		t.Errorf("the lock file is left behind: %q, %v", b, err)
	}
	again, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("writer after the first closed: %v", err)
	}
	if err := again.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestWriterLockSQLServer checks the T-SQL of the SQL Server writer lock on
// the recording driver: sp_getapplock owned by the session, on a pinned
// connection, the holder in CONTEXT_INFO; a refusal reads the holder back.
func TestWriterLockSQLServer(t *testing.T) {
	golden, err := os.ReadFile(filepath.Join("testdata", "writelock_mssql.sql"))
	if err != nil {
		t.Fatal(err)
	}
	since := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	holder := encodeHolder(Holder{Command: "pcmig run", PID: 4242, Host: "ops01.contoso.com", Since: since})
	for _, result := range []int64{0, -1} {
		db, rec := openRecorder(t, func(q string, _ []driver.NamedValue) [][]driver.Value {
			switch {
			case strings.Contains(q, "sp_getapplock"):
				return [][]driver.Value{{result}}
			case strings.Contains(q, "sys.dm_tran_locks"):
				return [][]driver.Value{{"ops01", int64(4242), "go-mssqldb", since, append(holder, make([]byte, 128-len(holder))...)}}
			}
			return nil
		})
		now := func() time.Time { return since }
		s := &Store{cfg: Config{Instance: "sql19.contoso.com\\rtc", Now: now}, db: db, dialect: mssqlDialect{}}
		err := s.lockServer(WithCommand(context.Background(), "pcmig import"))
		calls := rec.Calls()
		if len(calls) == 0 || calls[0].Op != "query" || calls[0].Query != strings.TrimSpace(string(golden)) {
			t.Fatalf("first call %+v, want the query of testdata/writelock_mssql.sql", calls)
		}
		h := decodeHolder(calls[0].Args[0].([]byte))
		if h == nil || h.Command != "pcmig import" || h.PID != os.Getpid() || !h.Since.Equal(since) {
			t.Errorf("CONTEXT_INFO holder %+v", h)
		}
		if result == 0 {
			if err != nil || s.unlock == nil {
				t.Fatalf("granted lock: %v, unlock %v", err, s.unlock != nil)
			}
			if err := s.unlock(); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "held by pcmig run, pid 4242 on host ops01.contoso.com, since 2026-11-24T09:00:00Z") {
			t.Errorf("refused lock: %v", err)
		}
		if len(calls) != 2 || !strings.Contains(calls[1].Query, "resource_description LIKE N'%[[]pcmig writer]%'") {
			t.Errorf("holder query: %+v", calls[1:])
		}
	}
}

// TestWriterLockLostSQLServer: before each write transaction the store
// asks the session that took the writer lock whether it still holds it
// (APPLOCK_MODE, on that session's connection). While it does, the write
// goes ahead; once that session has ended (the query fails) or no longer
// holds the lock (NoLock), the write is refused before its transaction
// begins, saying that the lock was lost and another pcmig may be writing,
// and so is every later write, even if the lock seemed held again.
func TestWriterLockLostSQLServer(t *testing.T) {
	ctx := context.Background()
	for _, lost := range []struct {
		name   string
		answer driver.Value
	}{
		{"NoLock", "NoLock"},
		{"session gone", errors.New("read tcp 10.0.0.5:51234->10.0.0.9:1433: connection reset by peer")},
	} {
		t.Run(lost.name, func(t *testing.T) {
			mode := driver.Value("Exclusive")
			f := &fakeServer{}
			db, rec := openRecorder(t, func(q string, args []driver.NamedValue) [][]driver.Value {
				switch {
				case strings.Contains(q, "sp_getapplock"):
					return [][]driver.Value{{int64(0)}}
				case strings.Contains(q, "APPLOCK_MODE("):
					return [][]driver.Value{{mode}}
				}
				return f.answer(q, args)
			})
			f.rec = rec
			db.SetMaxOpenConns(2) // the lock's session and one for the writes
			s := newStore(Config{Instance: "sql19.contoso.com\\rtc", Now: time.Now, HeartbeatWindow: time.Minute}, db, mssqlDialect{})
			if err := s.lockServer(ctx); err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.load(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := s.AppendMessages(ctx, 6, storeMsgs(2)); err != nil {
				t.Fatalf("write while the lock is held: %v", err)
			}
			calls := rec.Calls()
			checked := -1
			for i, c := range calls {
				if strings.Contains(c.Query, "APPLOCK_MODE(") {
					checked = i
					if c.Query != "SELECT APPLOCK_MODE('public', N'pcmig writer', 'Session')" {
						t.Errorf("lock check %q", c.Query)
					}
				}
				if c.Op == "begin" && checked < 0 {
					t.Fatal("a write transaction began before the writer lock was checked")
				}
			}
			if checked < 0 {
				t.Fatal("the write did not check the writer lock")
			}
			mode = lost.answer
			for i, write := range []func() error{
				func() error { _, err := s.AppendMessages(ctx, 6, storeMsgs(2)); return err },
				func() error {
					mode = "Exclusive" // lost is lost: not taken back silently
					return s.UpdateCategory(ctx, pchat.Category{ID: 5, Name: "c"})
				},
			} {
				before := len(rec.Calls())
				err := write()
				t.Log(err)
				if !errors.Is(err, ErrLockLost) || !strings.Contains(err.Error(), "writer lock on this database was lost") ||
					!strings.Contains(err.Error(), "another pcmig may be writing") || !strings.Contains(err.Error(), "sql19.contoso.com") {
					t.Errorf("write %d after the lock was lost: %v, want it refused", i+1, err)
				}
				for _, c := range rec.Calls()[before:] {
					if c.Op != "query" || !strings.Contains(c.Query, "APPLOCK_MODE(") && !strings.Contains(c.Query, "tblServerIdentity") {
						t.Errorf("write %d after the lock was lost sent %s %.60q", i+1, c.Op, c.Query)
					}
				}
			}
		})
	}
}
