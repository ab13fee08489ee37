package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// TestDeleteRoomFileTokens: removing a room removes its tblFileToken rows
// (fileTokenChannelID references tblNode.nodeGuid: a SQL Server refuses to
// delete the node while they exist, error 547), whatever the case of the
// GUID's text, and keeps other rooms' tokens. The embedded store does not
// enforce foreign keys; PRAGMA foreign_key_check finds what SQL Server
// would have refused.
func TestDeleteRoomFileTokens(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/pool.db"
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, catID, gone := addRoom(t, s, "c", "probe", 2)
	kept, err := s.CreateRoom(ctx, pchat.Room{Name: "kept", CategoryID: catID, Privacy: pchat.Open, Type: pchat.Normal})
	if err != nil {
		t.Fatal(err)
	}
	guids := map[int32]string{}
	rooms, err := s.Rooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rooms {
		guids[r.ID] = r.GUID
	}
	db, err := sql.Open("sqlite", store.SQLiteURI(path, false))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, g := range []string{guids[gone], strings.ToUpper(guids[gone]), guids[kept]} {
		if _, err := db.ExecContext(ctx, `INSERT INTO tblFileToken (fileToken, fileTokenUserID, fileTokenChannelID, fileTokenExpireDate, fileTokenCompliancePinned)
VALUES (?, 1, ?, '2026-11-29T00:00:00.000Z', 1)`, "token"+string(rune('a'+i)), g); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteRoom(ctx, gone); err != nil {
		t.Fatal(err)
	}
	var left []string
	rows, err := db.QueryContext(ctx, `SELECT fileTokenChannelID FROM tblFileToken ORDER BY fileToken`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var g string
		if err := rows.Scan(&g); err != nil {
			t.Fatal(err)
		}
		left = append(left, g)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0] != guids[kept] {
		t.Errorf("tblFileToken after removing room %d: channels %q, want only room %d's %s", gone, left, kept, guids[kept])
	}
	var violations int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_foreign_key_check('tblFileToken')`).Scan(&violations); err != nil {
		t.Fatal(err)
	}
	if violations != 0 {
		t.Errorf("%d tblFileToken rows name a room that is gone (SQL Server refuses the removal: error 547)", violations)
	}
}
