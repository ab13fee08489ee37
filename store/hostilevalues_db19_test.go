package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// TestUnreadableValuesNotQuoted: an embedded database whose GUID, datetime
// or integer columns hold text that is none of those (SQLite stores what
// it is given) is refused with an error that names the table, the column
// and the row, never the value: database content stays out of errors
// (the value here stands for a secret someone pasted into the wrong
// column, and could be megabytes long).
func TestUnreadableValuesNotQuoted(t *testing.T) {
	t.Parallel()
	const secret = "Hunter2Secret"
	for _, tc := range []struct {
		name, update, want string
		read               func(context.Context, *store.Store) error
	}{
		{"node GUID", `UPDATE tblNode SET nodeGuid = '` + secret + `' WHERE nodeID = 1010`, "tblNode.nodeGuid of node 1010",
			func(ctx context.Context, s *store.Store) error { _, err := s.Rooms(ctx); return err }},
		{"add-in of a room", `UPDATE tblNode SET siopID = '` + secret + `' WHERE nodeID = 1010`, "tblNode.siopID of node 1010",
			func(ctx context.Context, s *store.Store) error { _, err := s.Rooms(ctx); return err }},
		{"principal GUID", `UPDATE tblPrincipal SET prinGuid = '` + secret + `' WHERE prinID = 100`, "tblPrincipal.prinGuid of prinID 100",
			func(ctx context.Context, s *store.Store) error { _, err := s.Principals(ctx); return err }},
		{"add-in GUID", `UPDATE tblSiopWhiteList SET siopID = '` + secret + `'`, "tblSiopWhiteList.siopID",
			func(ctx context.Context, s *store.Store) error { _, err := s.Addins(ctx); return err }},
		{"verified on", `UPDATE tblPrincipal SET prinVerifiedOn = '` + secret + `' WHERE prinID = 100`, "tblPrincipal.prinVerifiedOn of prinID 100",
			func(ctx context.Context, s *store.Store) error { _, err := s.Principals(ctx); return err }},
		{"visibility", `UPDATE tblNode SET visibility = '` + secret + `' WHERE nodeID = 1010`, "visibility",
			func(ctx context.Context, s *store.Store) error { _, err := s.Rooms(ctx); return err }},
		{"room disabled", `UPDATE tblNode SET disabled = '` + secret + `' WHERE nodeID = 1010`, "disabled",
			func(ctx context.Context, s *store.Store) error { _, err := s.Rooms(ctx); return err }},
		{"message date", `UPDATE tblChat SET chatDate = '` + secret + `' WHERE chatId = 2`, "chatDate",
			func(ctx context.Context, s *store.Store) error {
				return s.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{1010}}, func(pchat.Message) error { return nil })
			}},
		{"message alert", `UPDATE tblChat SET isAlert = '` + secret + `' WHERE chatId = 2`, "isAlert",
			func(ctx context.Context, s *store.Store) error {
				return s.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{1010}}, func(pchat.Message) error { return nil })
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "pool.db")
			writeHandmade(t, path, nil)
			labtest.ExecSQLite(t, path, tc.update)
			ctx := context.Background()
			s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, ReadOnly: true})
			if err == nil {
				defer s.Close()
				err = tc.read(ctx, s)
			}
			if err == nil {
				t.Fatal("read the unreadable value without an error")
			}
			if strings.Contains(err.Error(), "Hunter2") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q: want it to name %q and not quote the value", err, tc.want)
			}
		})
	}
}
