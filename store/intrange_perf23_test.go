package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// The role and message reads scan int columns as int64 and narrow them
// to int32 themselves: a value outside int's range that SQLite holds (it
// keeps what it is given) is an error, never another ID. 4294967297 as an
// int32 is 1, the system user: a role or a message would be credited to
// it.
func TestIDsOutsideIntRangeRefused(t *testing.T) {
	dir := t.TempDir()
	opts := lab.DefaultOptions()
	opts.Rooms, opts.Messages, opts.Seed = 6, 60, 3
	if _, err := lab.Init(context.Background(), dir, opts); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "source-2015.db")
	const wide = "4294967297"
	for _, c := range []struct {
		name, update string
		read         func(*store.Store) error
		want         string
	}{
		{"a role's principal", `UPDATE tblPrincipalRole SET prinRolePrinID = ` + wide + ` WHERE rowid = (SELECT MAX(rowid) FROM tblPrincipalRole)`,
			func(s *store.Store) error { _, err := s.Rooms(t.Context()); return err }, "read tblPrincipalRole"},
		{"a role's type", `UPDATE tblPrincipalRole SET prinRoleTypeID = ` + wide + ` WHERE rowid = (SELECT MAX(rowid) FROM tblPrincipalRole)`,
			func(s *store.Store) error { _, err := s.Rooms(t.Context()); return err }, "read tblPrincipalRole"},
		{"a message's poster, one room", `UPDATE tblChat SET userId = ` + wide + ` WHERE chatId = (SELECT MIN(chatId) FROM tblChat WHERE channelId = (SELECT MIN(channelId) FROM tblChat)) AND channelId = (SELECT MIN(channelId) FROM tblChat)`,
			func(s *store.Store) error { return stream(t, s, false) }, "read tblChat room"},
		{"a message's poster, rooms together", `UPDATE tblChat SET userId = ` + wide + ` WHERE chatId = (SELECT MIN(chatId) FROM tblChat WHERE channelId = (SELECT MIN(channelId) FROM tblChat)) AND channelId = (SELECT MIN(channelId) FROM tblChat)`,
			func(s *store.Store) error { return stream(t, s, true) }, "read tblChat room"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "pool.db")
			labtest.CopyFile(t, path, p)
			db, err := sql.Open("sqlite", p)
			if err != nil {
				t.Fatal(err)
			}
			res, err := db.Exec(c.update)
			db.Close()
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				t.Fatalf("%s: no row changed", c.update)
			}
			s, err := store.Open(t.Context(), store.Config{DSN: "sqlite:" + p, ReadOnly: true, Force: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			err = c.read(s)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("read: %v, want an error saying %q", err, c.want)
			}
			if strings.Contains(err.Error(), wide) {
				t.Errorf("the error shows the value: %v", err)
			}
		})
	}
}

// stream reads every room's history, the rooms one by one or together.
func stream(t *testing.T, s *store.Store, together bool) error {
	t.Helper()
	rooms, err := s.Rooms(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int32, 0, len(rooms))
	for _, r := range rooms {
		ids = append(ids, r.ID)
	}
	return s.StreamMessages(t.Context(), store.MessageFilter{Rooms: ids, AnyOrder: together}, func(pchat.Message) error { return nil })
}
