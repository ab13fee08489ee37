package store

import (
	"context"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/pchat"
)

// TestSQLServerRequestsStayUnderTheParameterLimit: SQL Server refuses a
// request with more than 2100 parameters (sp_executesql's two included,
// error 8003), and the recording driver now does too. The store's
// statements whose parameters grow with the work (an append's read of the
// rooms' last chat IDs and its count of the rows bulk-copied, three per
// room; the check that new node IDs are free; a many-room message stream;
// disabling rooms) are cut into chunks: driven here well past one chunk,
// no request goes over the limit. The guard itself is checked first.
func TestSQLServerRequestsStayUnderTheParameterLimit(t *testing.T) {
	ctx := context.Background()
	f := &fakeServer{identity: map[string]bool{"tblNode": true}, identCurrent: 100, identIncr: 1}
	s, rec := openServer(t, f)

	args := make([]any, maxParams+1)
	for i := range args {
		args[i] = int64(i)
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")
	if _, err := s.dialect.wrap(s.db).ExecContext(ctx, "SELECT 1 WHERE 1 IN ("+marks+")", args...); err == nil || !strings.Contains(err.Error(), "error 8003") {
		t.Fatalf("a request of %d parameters: %v, want the recorder's refusal", len(args), err)
	}

	const rooms = 1234 // past two chunks of 500
	runs := make([]RoomMessages, rooms)
	ids := make([]int32, rooms)
	for i := range runs {
		ids[i] = int32(1000 + i)
		runs[i] = RoomMessages{Room: ids[i], Msgs: []pchat.Message{{Date: 637000000000000000, UserID: 1, Content: "m"}}}
	}
	if _, err := s.AppendRoomMessages(ctx, runs); err != nil {
		t.Fatalf("append to %d rooms: %v", rooms, err)
	}
	if err := s.checkNewNodeIDs(ctx, s.dialect.wrap(s.db), ids); err != nil {
		t.Fatalf("check %d new node IDs: %v", rooms, err)
	}
	if _, err := s.DisableRooms(ctx, ids, 1, 637000000000000000); err != nil {
		t.Fatalf("disable %d rooms: %v", rooms, err)
	}
	if err := s.StreamMessages(ctx, MessageFilter{Rooms: ids, AnyOrder: true}, func(pchat.Message) error { return nil }); err != nil {
		t.Fatalf("stream %d rooms: %v", rooms, err)
	}
	most := 0
	for _, c := range rec.Calls() {
		if strings.HasPrefix(c.Op, "too many parameters") {
			if !strings.Contains(c.Query, "SELECT 1 WHERE 1 IN (") {
				t.Errorf("%s: %.120s", c.Op, c.Query)
			}
			continue
		}
		if !strings.HasPrefix(c.Query, "INSERTBULK ") {
			most = max(most, len(c.Args))
		}
	}
	if most < 1000 {
		t.Errorf("the largest request had %d parameters: the test no longer reaches the store's largest statements", most)
	}
}
