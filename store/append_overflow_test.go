package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/store/storetest"
)

// TestAppendRefusesChatIDsPastTheLargest: a room whose chat IDs end one
// below tblChat.chatId's largest value (a bigint) takes one more message,
// not two: the append is refused, naming the room and its last chat ID,
// and nothing is written. Before, the chat IDs wrapped to negative ones.
func TestAppendRefusesChatIDsPastTheLargest(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pool.db")
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	user, _, room := addRoom(t, s, "c", "r", 0)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(fmt.Sprintf(`INSERT OR REPLACE INTO tblLastChatId (nodeID, lastChatID) VALUES (%d, %d)`, room, int64(math.MaxInt64-2))); err != nil {
		t.Fatal(err)
	}
	_, err = s.AppendMessages(ctx, room, storetest.Msgs(3, user))
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("room %d: its chat IDs end at %d", room, int64(math.MaxInt64-2))) {
		t.Fatalf("append of 3 messages after chat ID 2^63-3: %v, want a refusal naming the room", err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM tblChat`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("tblChat holds %d rows after the refused append (%v), want 0", n, err)
	}
	first, err := s.AppendMessages(ctx, room, storetest.Msgs(2, user))
	if err != nil || first != math.MaxInt64-1 {
		t.Fatalf("append of 2 messages: first chat ID %d, %v; want %d", first, err, int64(math.MaxInt64-1))
	}
}
