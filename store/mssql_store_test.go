package store

// Tests of a SQL Server store as a whole, on the recording driver: what it
// sends when it opens and writes, and that it never trusts a rows-affected
// count (SET NOCOUNT ON hides them).

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	mssql "github.com/microsoft/go-mssqldb"
	"github.com/pcmig/pcmig/pchat"
)

// fakeServer answers what a SQL Server store asks when it opens and writes:
// the documented schema (tblChat's columns spelled as chatCols), the
// identity columns given, the highest IDs in use, and the counts and IDs of
// its set-based statements, worked out from the rows it bulk-copied.
type fakeServer struct {
	identity map[string]bool
	// rename spells columns differently in the catalogue
	// ("tblChat.channelId": "ChannelID").
	rename map[string]string
	// drop leaves tables or columns out of the catalogue ("tblFileToken").
	drop map[string]bool
	// Highest IDs in use: tblNode, tblChat.channelId, tblLastChatId,
	// tblPrincipal.
	nodeMax, chatMax, lastMax, prinMax int64
	// identCurrent and identIncr are tblNode's IDENT_CURRENT and
	// IDENT_INCR.
	identCurrent, identIncr int64
	rec                     *recorder
}

func (f *fakeServer) answer(q string, args []driver.NamedValue) [][]driver.Value {
	if rows, ok := (fakeCatalog{identity: f.identity, rename: f.rename, drop: f.drop}).answer(q, args); ok {
		return rows
	}
	switch {
	case strings.Contains(q, "FROM tblRoleType"):
		return [][]driver.Value{{int64(17), "Member"}, {int64(3), "Manager"}, {int64(42), "Voiced"}, {int64(8), "Creator"}}
	case strings.Contains(q, "FROM tblEnumValue"):
		return [][]driver.Value{{int64(2), "Visibility", "private"}, {int64(3), "Visibility", "scope"},
			{int64(6), "Visibility", "open"}, {int64(4), "Behavior", "normal"}, {int64(5), "Behavior", "auditorium"}}
	case strings.Contains(q, "SELECT MIN(nodeID)"):
		return [][]driver.Value{{int64(1)}}
	case strings.HasPrefix(q, rootValuesSQL[:strings.Index(rootValuesSQL, "?")]):
		return [][]driver.Value{{int64(4), int64(6)}}
	case q == identitySQL():
		var rows [][]driver.Value
		for _, c := range idColumns {
			v := int64(0)
			if f.identity[c.table] {
				v = 1
			}
			rows = append(rows, []driver.Value{c.table, v})
		}
		return rows
	case strings.Contains(q, "IDENT_INCR('tblNode')"), strings.Contains(q, "IDENT_INCR('tblPrincipal')"):
		return [][]driver.Value{{f.identCurrent, f.identIncr}}
	case strings.HasPrefix(q, "SELECT MAX(id) FROM ("):
		high := int64(0)
		for _, part := range []struct {
			table string
			max   int64
		}{{"FROM tblNode", f.nodeMax}, {"FROM tblChat", f.chatMax}, {"FROM tblLastChatId", f.lastMax}} {
			if strings.Contains(q, part.table) {
				high = max(high, part.max)
			}
		}
		return [][]driver.Value{{high}}
	case strings.HasPrefix(q, "SELECT MAX(nodeID) FROM tblNode"): // what the code before set-based writes asked
		return [][]driver.Value{{f.nodeMax}}
	case strings.HasPrefix(q, "SELECT MAX(prinID)"):
		return [][]driver.Value{{f.prinMax}}
	case strings.HasSuffix(q, "SELECT COUNT(*) FROM @pcmig_out"):
		return [][]driver.Value{{int64(len(f.staged()))}}
	case strings.HasSuffix(q, "SELECT id, k FROM @pcmig_ids"):
		var rows [][]driver.Value
		for i, r := range f.staged() {
			rows = append(rows, []driver.Value{int64(100 + i), r[1]})
		}
		return rows
	case strings.HasSuffix(q, "SELECT COUNT(*) FROM @pcmig_n"):
		return [][]driver.Value{{int64(1)}}
	case strings.HasPrefix(q, "SELECT MAX(lastChatID)"), strings.HasPrefix(q, "SELECT MAX(chatId)"):
		return [][]driver.Value{{nil}}
	case strings.HasPrefix(q, "SELECT MIN(id) FROM ("): // new IDs that history uses: none
		return [][]driver.Value{{nil}}
	case strings.HasPrefix(q, "SELECT COUNT_BIG(*) FROM tblChat"):
		return [][]driver.Value{{rangeRows(args)}}
	}
	return nil
}

// fakePool answers for a server whose identity columns are given.
func fakePool(identity map[string]bool) func(string, []driver.NamedValue) [][]driver.Value {
	return (&fakeServer{identity: identity}).answer
}

// staged returns the rows of the most recent bulk copy into the staging
// table.
func (f *fakeServer) staged() [][]any {
	if f.rec == nil {
		return nil
	}
	calls := f.rec.Calls()
	var rows [][]any
	for i := len(calls) - 1; i >= 0; i-- {
		c := calls[i]
		if c.Op == "prepare" && strings.Contains(c.Query, stageTable) {
			break
		}
		if c.Op == "exec" && strings.Contains(c.Query, stageTable) && c.Args != nil {
			rows = append([][]any{c.Args}, rows...)
		}
	}
	return rows
}

// openServer opens a SQL Server store on a fake server.
func openServer(t *testing.T, f *fakeServer) (*Store, *recorder) {
	t.Helper()
	db, rec := openRecorder(t, f.answer)
	f.rec = rec
	s := newStore(Config{Instance: "fake", Now: time.Now, HeartbeatWindow: time.Minute}, db, mssqlDialect{})
	if err := s.load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, rec
}

// TestSQLServerIDs checks how a SQL Server store gives new nodes and
// principals their IDs: an IDENTITY column is left to the server and read
// back with OUTPUT INSERTED, never set with SET IDENTITY_INSERT (which needs
// ALTER permission); a plain int column gets IDs above every ID in use
// anywhere (tblNode, tblChat.channelId, tblLastChatId), read under UPDLOCK,
// HOLDLOCK in the inserting transaction.
func TestSQLServerIDs(t *testing.T) {
	tests := []struct {
		name               string
		identity           map[string]bool
		wantCat, wantRoom  int32
		wantPrins          []int32
		wantNodeAllocation bool
	}{
		// The deleted newest room was 41; its history (channelId 90) and
		// last chat ID (60) are still there: new rooms go above them.
		{"plain columns", nil, 91, 92, []int32{8, 9}, true},
		{"nodeID is IDENTITY", map[string]bool{"tblNode": true}, 100, 100, []int32{8, 9}, false},
		{"both are IDENTITY", map[string]bool{"tblNode": true, "tblPrincipal": true}, 100, 100, []int32{100, 101}, false},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeServer{identity: tt.identity, nodeMax: 41, chatMax: 90, lastMax: 60, prinMax: 7}
			s, rec := openServer(t, f)
			if diff := cmp.Diff(RoleTypes{Member: 17, Manager: 3, Voiced: 42, Creator: 8}, s.Roles()); diff != "" {
				t.Errorf("Roles() mismatch (-want +got):\n%s", diff)
			}
			if s.KeepsNodeIDs() != tt.identity["tblNode"] {
				t.Errorf("KeepsNodeIDs() = %v, want %v", s.KeepsNodeIDs(), tt.identity["tblNode"])
			}
			var ch Changes
			cat := ch.Category(pchat.Category{Name: "c", GUID: "11111111-2222-4333-8444-555555555555"})
			room := ch.Room(pchat.Room{Name: "r", CategoryID: cat, Privacy: pchat.Open, Type: pchat.Normal, GUID: "21111111-2222-4333-8444-555555555555"})
			a, err := s.Apply(ctx, &ch)
			if err != nil {
				t.Fatal(err)
			}
			if got := []int32{a.ID(cat), a.ID(room)}; got[0] != tt.wantCat || got[1] != tt.wantRoom {
				t.Errorf("new category and room got IDs %v, want %d and %d", got, tt.wantCat, tt.wantRoom)
			}
			batch := []pchat.Principal{{GUID: "a1111111-2222-4333-8444-555555555555", URI: "sip:b@contoso.com", Type: pchat.TypeUser},
				{GUID: "b1111111-2222-4333-8444-555555555555", URI: "sip:c@contoso.com", Type: pchat.TypeUser}}
			if ids, created, err := s.EnsurePrincipals(ctx, batch); err != nil || created != 2 {
				t.Fatalf("EnsurePrincipals() = %v, %d, %v; want 2 created", ids, created, err)
			} else if diff := cmp.Diff(tt.wantPrins, ids); diff != "" {
				t.Errorf("EnsurePrincipals() IDs mismatch (-want +got):\n%s", diff)
			}
			allocations := 0
			for _, c := range rec.Calls() {
				if strings.Contains(c.Query, "IDENTITY_INSERT") {
					t.Errorf("statement sets IDENTITY_INSERT (needs ALTER permission): %q", c.Query)
				}
				if strings.HasPrefix(c.Query, "SELECT MAX(id) FROM (") {
					allocations++
					if c.Query != s.nodeIDSQL() {
						t.Errorf("node ID allocation = %q", c.Query)
					}
				}
				if strings.Contains(c.Query, "INSERT INTO tblNode") && tt.identity["tblNode"] != strings.Contains(c.Query, "INTO @pcmig_ids") {
					t.Errorf("tblNode insert, identity %v: %q", tt.identity["tblNode"], c.Query)
				}
			}
			if (allocations > 0) != tt.wantNodeAllocation {
				t.Errorf("node ID allocations: %d, want them: %v", allocations, tt.wantNodeAllocation)
			}
		})
	}
	want := "SELECT MAX(id) FROM (SELECT MAX(nodeID) AS id FROM tblNode WITH (UPDLOCK, HOLDLOCK)\n" +
		"UNION ALL SELECT MAX(channelId) FROM tblChat WITH (UPDLOCK, HOLDLOCK)\n" +
		"UNION ALL SELECT MAX(nodeID) FROM tblLastChatId WITH (UPDLOCK, HOLDLOCK)) AS ids"
	s := newStore(Config{}, nil, mssqlDialect{})
	if got := s.nodeIDSQL(); got != want {
		t.Errorf("nodeIDSQL() = %q, want %q", got, want)
	}
}

// TestSQLServerIdentityGolden pins the T-SQL of an insert into an IDENTITY
// table: staged rows, inserted in order, IDs read back through a table
// variable (OUTPUT without INTO is refused on a table with triggers).
func TestSQLServerIdentityGolden(t *testing.T) {
	rs := rowSet{table: "tblNode", cols: nodeColumns[1:3]}
	want := "DECLARE @pcmig_ids TABLE (id int, k nvarchar(36));\n" +
		"INSERT INTO tblNode ([nodeGuid], [parentID])\n" +
		"OUTPUT INSERTED.[nodeID], CONVERT(nvarchar(36), INSERTED.[nodeGuid]) INTO @pcmig_ids\n" +
		"SELECT s.[nodeGuid], s.[parentID] FROM #pcmig_stage AS s ORDER BY s.pcmig_seq;\n" +
		"DROP TABLE #pcmig_stage;\nSELECT id, k FROM @pcmig_ids"
	if got := (mssqlDialect{}).insertIdentitySQL(rs, "nodeID", "nodeGuid"); got != want {
		t.Errorf("insertIdentitySQL() =\n%s\nwant\n%s", got, want)
	}
}

// TestSQLServerSetBased checks that role grants and scope entries are
// written set-based, whatever their number: staged by bulk copy, moved by
// one INSERT ... WHERE NOT EXISTS, counted by its own OUTPUT.
func TestSQLServerSetBased(t *testing.T) {
	ctx := context.Background()
	s, rec := openServer(t, &fakeServer{})
	prins := make([]int32, 300)
	for i := range prins {
		prins[i] = int32(10 + i)
	}
	n, err := s.AddRoles(ctx, 5, "Member", prins)
	if err != nil || n != 300 {
		t.Fatalf("AddRoles(300 principals) = %d, %v; want 300", n, err)
	}
	var got []string
	for _, c := range rec.Calls() {
		if c.Op != "begin" && c.Op != "commit" && !strings.Contains(c.Query, "INFORMATION_SCHEMA") && !strings.HasPrefix(c.Query, "SELECT") {
			got = append(got, c.Op+" "+strings.SplitN(c.Query, "\n", 2)[0])
		}
	}
	want := []string{
		"exec IF OBJECT_ID('tempdb..#pcmig_stage') IS NOT NULL DROP TABLE #pcmig_stage;",
		"prepare " + mssql.CopyIn(stageTable, mssql.BulkOptions{KeepNulls: true, RowsPerBatch: 300}, "prinRoleNodeID", "prinRolePrinID", "prinRoleTypeID", "prinRoleUpdatedBy"),
	}
	for range prins {
		want = append(want, "exec "+mssql.CopyIn(stageTable, mssql.BulkOptions{KeepNulls: true, RowsPerBatch: 300}, "prinRoleNodeID", "prinRolePrinID", "prinRoleTypeID", "prinRoleUpdatedBy"))
	}
	want = append(want, "exec "+mssql.CopyIn(stageTable, mssql.BulkOptions{KeepNulls: true, RowsPerBatch: 300}, "prinRoleNodeID", "prinRolePrinID", "prinRoleTypeID", "prinRoleUpdatedBy"),
		"close "+mssql.CopyIn(stageTable, mssql.BulkOptions{KeepNulls: true, RowsPerBatch: 300}, "prinRoleNodeID", "prinRolePrinID", "prinRoleTypeID", "prinRoleUpdatedBy"),
		"query DECLARE @pcmig_out TABLE (k int);",
		"exec UPDATE tblSystemRevision SET sysRevision = sysRevision + 1")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statements mismatch (-want +got):\n%s", diff)
	}
	wantSQL := "DECLARE @pcmig_out TABLE (k int);\n" +
		"INSERT INTO tblPrincipalRole ([prinRoleNodeID], [prinRolePrinID], [prinRoleTypeID], [prinRoleUpdatedBy])\n" +
		"OUTPUT INSERTED.[prinRoleNodeID] INTO @pcmig_out\n" +
		"SELECT s.[prinRoleNodeID], s.[prinRolePrinID], s.[prinRoleTypeID], s.[prinRoleUpdatedBy] FROM #pcmig_stage AS s " +
		"WHERE NOT EXISTS (SELECT 1 FROM tblPrincipalRole AS t WITH (UPDLOCK, HOLDLOCK) WHERE t.[prinRoleNodeID] = s.[prinRoleNodeID] AND " +
		"t.[prinRolePrinID] = s.[prinRolePrinID] AND t.[prinRoleTypeID] = s.[prinRoleTypeID]);\n" +
		"DROP TABLE #pcmig_stage;\nSELECT COUNT(*) FROM @pcmig_out"
	for _, c := range rec.Calls() {
		if strings.HasPrefix(c.Query, "DECLARE @pcmig_out") && c.Query != wantSQL {
			t.Errorf("set insert =\n%s\nwant\n%s", c.Query, wantSQL)
		}
	}
}

// TestSQLServerNoCount runs writes against a server that reports no rows
// affected (SET NOCOUNT ON in its user options): updates of existing rows
// still succeed, counts are right, a room's tblLastChatId row is updated in
// place rather than inserted again, and bulk copies are not refused.
func TestSQLServerNoCount(t *testing.T) {
	ctx := context.Background()
	s, rec := openServer(t, &fakeServer{})
	rec.nocount = true
	if err := s.UpdateCategory(ctx, pchat.Category{ID: 5, Name: "c"}); err != nil {
		t.Errorf("UpdateCategory on an existing category = %v", err)
	}
	if err := s.UpdateRoom(ctx, pchat.Room{ID: 6, Name: "r", CategoryID: 5, Privacy: pchat.Open, Type: pchat.Normal}); err != nil {
		t.Errorf("UpdateRoom on an existing room = %v", err)
	}
	if n, err := s.DisableRooms(ctx, []int32{6}, 1, 0); err != nil || n != 1 {
		t.Errorf("DisableRooms = %d, %v; want 1", n, err)
	}
	if n, err := s.AddRoles(ctx, 5, "Creator", []int32{7, 8}); err != nil || n != 2 {
		t.Errorf("AddRoles = %d, %v; want 2", n, err)
	}
	for _, n := range []int{1, 1, 1234} {
		if _, err := s.AppendMessages(ctx, 6, storeMsgs(n)); err != nil {
			t.Errorf("AppendMessages(%d) = %v", n, err)
		}
	}
	if err := s.DeleteRoom(ctx, 6); err != nil {
		t.Errorf("DeleteRoom on an existing room = %v", err)
	}
	for _, c := range rec.Calls() {
		if strings.HasPrefix(c.Query, "INSERT INTO tblLastChatId") || strings.HasPrefix(c.Query, "UPDATE tblLastChatId") {
			t.Errorf("tblLastChatId written by a statement of its own, decided by a rows-affected count: %q", c.Query)
		}
	}
}

func storeMsgs(n int) []pchat.Message {
	out := make([]pchat.Message, n)
	for i := range out {
		out[i] = pchat.Message{Date: 637000000000000001, UserID: 3, Content: fmt.Sprintf("m%d", i)}
	}
	return out
}

// TestSQLServerStatements checks properties of everything a store sends:
// text parameters are nvarchar(max) (one plan per statement, not one per
// length), no predicate wraps a column in LOWER() (no index serves it),
// nothing reads the whole of tblChat where tblNode or tblLastChatId
// answers, and bulk copy names tblChat's columns as the catalogue spells
// them (go-mssqldb matches them case-sensitively).
func TestSQLServerStatements(t *testing.T) {
	ctx := context.Background()
	f := &fakeServer{rename: map[string]string{"tblChat.channelId": "ChannelID", "tblChat.chatId": "ChatID"}}
	s, rec := openServer(t, f)
	chatCols := []string{"ChannelID", "ChatID", "chatDate", "userId", "isAlert", "content", "rtf"}
	if _, _, err := s.FindPrincipal(ctx, "a1111111-2222-4333-8444-555555555555", "sip:A@contoso.com"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.EnsureAddin(ctx, pchat.Addin{Name: "Wiki", URL: "https://wiki"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateCategory(ctx, pchat.Category{Name: "Sales", Description: "deals"}); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateCategory(ctx, pchat.Category{ID: 5, Name: "Sales 2", Description: "more deals"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppendMessages(ctx, 6, storeMsgs(3)); err != nil {
		t.Fatal(err)
	}
	if err := s.StreamMessages(ctx, MessageFilter{}, func(pchat.Message) error { return nil }); err != nil {
		t.Fatal(err)
	}
	bulk := 0
	for _, c := range rec.Calls() {
		if strings.HasPrefix(c.Query, "INSERTBULK ") {
			if strings.Contains(c.Query, "tblChat") {
				bulk++
				if want := mssql.CopyIn("tblChat", bulkOptions(3, chatCols, false), chatCols...); c.Op == "prepare" && c.Query != want {
					t.Errorf("bulk copy = %s, want %s", c.Query, want)
				}
			}
			continue
		}
		for _, a := range c.Args {
			if _, ok := a.(string); ok {
				t.Errorf("text parameter %q sent as a Go string (nvarchar(len)) in %q", a, c.Query)
			}
		}
		if strings.Contains(c.Query, "LOWER(") {
			t.Errorf("predicate on LOWER(column): %q", c.Query)
		}
		if strings.Contains(c.Query, "DISTINCT channelId FROM tblChat") {
			t.Errorf("reads the whole history for its room list: %q", c.Query)
		}
	}
	if bulk == 0 {
		t.Error("three messages did not go by bulk copy")
	}
}

// rangeRows is what a server holds in the (room, first, last) ranges of a
// count-back query when every row sent arrived.
func rangeRows(args []driver.NamedValue) int64 {
	var n int64
	for i := 0; i+2 < len(args); i += 3 {
		lo, hi := args[i+1].Value.(int64), args[i+2].Value.(int64)
		if hi >= lo {
			n += hi - lo + 1
		}
	}
	return n
}

// TestSQLServerMultiRoomAppend: messages of many rooms go in one bulk copy,
// in primary-key order whatever the order of the runs, and the rooms' last
// chat IDs are staged and written set-based.
func TestSQLServerMultiRoomAppend(t *testing.T) {
	ctx := context.Background()
	s, rec := openServer(t, &fakeServer{})
	rec.nocount = true
	var runs []RoomMessages
	for room := int32(40); room > 20; room-- { // descending: the store sorts
		runs = append(runs, RoomMessages{Room: room, Msgs: storeMsgs(3)})
	}
	if _, err := s.AppendRoomMessages(ctx, runs); err != nil {
		t.Fatal(err)
	}
	bulks, staged, lastRooms := 0, 0, 0
	var prev [2]int64
	for _, c := range rec.Calls() {
		switch {
		case c.Op == "prepare" && strings.Contains(c.Query, `"tblChat"`):
			bulks++
		case c.Op == "exec" && strings.Contains(c.Query, `"tblChat"`) && c.Args != nil:
			key := [2]int64{c.Args[0].(int64), c.Args[1].(int64)}
			if key[0] < prev[0] || key[0] == prev[0] && key[1] <= prev[1] {
				t.Errorf("bulk row %v after %v: not in primary-key order", key, prev)
			}
			prev = key
		case c.Op == "exec" && c.Query == setLastChatIDsSQL:
			staged++
		case c.Op == "exec" && strings.Contains(c.Query, "#pcmig_stage") && c.Args != nil:
			lastRooms++
		case strings.HasPrefix(c.Query, "IF EXISTS (SELECT 1 FROM tblLastChatId"):
			t.Errorf("a last chat ID written room by room: %v", c.Args)
		}
	}
	if bulks != 1 || staged != 1 || lastRooms != 20 {
		t.Errorf("%d bulk copies, %d set-based last chat ID writes of %d rooms; want 1, 1, 20", bulks, staged, lastRooms)
	}
}

// TestSQLServerAppendLocksChatIDs: the reads that decide an append's chat
// IDs (the rooms' tblLastChatId rows and their highest tblChat chatId)
// take update range locks held to the end of the transaction, so a second
// writer (a Persistent Chat server under --force, another session) waits
// instead of taking the same chat IDs between the read and the insert.
// Reads outside a write take no locks.
func TestSQLServerAppendLocksChatIDs(t *testing.T) {
	ctx := context.Background()
	s, rec := openServer(t, &fakeServer{})
	if _, err := s.LastChatIDs(ctx, []int32{6, 7}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppendRoomMessages(ctx, []RoomMessages{{Room: 6, Msgs: storeMsgs(2)}, {Room: 7, Msgs: storeMsgs(1)}}); err != nil {
		t.Fatal(err)
	}
	const hint = " WITH (UPDLOCK, HOLDLOCK) WHERE "
	inTx := false
	var last, chat [2]int // reads outside and inside the transaction
	for _, c := range rec.Calls() {
		if c.Op == "begin" {
			inTx = true
		}
		i := 0
		if inTx {
			i = 1
		}
		for _, table := range []struct {
			from string
			n    *[2]int
		}{{"MAX(lastChatID) FROM tblLastChatId", &last}, {"MAX(chatId) FROM tblChat", &chat}} {
			if c.Op != "query" || !strings.Contains(c.Query, table.from) {
				continue
			}
			table.n[i]++
			if locked := strings.Contains(c.Query, table.from+hint); locked != inTx {
				t.Errorf("read in a transaction %v, locked %v: %q", inTx, locked, c.Query)
			}
		}
	}
	if last != [2]int{1, 1} || chat != [2]int{1, 1} {
		t.Errorf("tblLastChatId reads %v, tblChat reads %v (outside, inside the transaction); want one each", last, chat)
	}
}

// TestSQLServerDeleteRoomFileTokens: removing a room deletes its
// tblFileToken rows before its tblNode row, which they reference
// (fileTokenChannelID -> nodeGuid: the server refuses the node's deletion
// with error 547 while they exist), comparing uniqueidentifiers; a
// database without tblFileToken is sent no such statement.
func TestSQLServerDeleteRoomFileTokens(t *testing.T) {
	const want = "DELETE FROM tblFileToken WHERE fileTokenChannelID IN (SELECT nodeGuid FROM tblNode WHERE nodeID = @p1 AND nodeType = 0)"
	for _, hasTokens := range []bool{true, false} {
		f := &fakeServer{}
		if !hasTokens {
			f.drop = map[string]bool{"tblFileToken": true}
		}
		s, rec := openServer(t, f)
		if err := s.DeleteRoom(context.Background(), 6); err != nil {
			t.Fatal(err)
		}
		tokens, node := -1, -1
		for i, c := range rec.Calls() {
			switch {
			case strings.Contains(c.Query, "DELETE FROM tblFileToken"):
				tokens = i
				if c.Query != want || len(c.Args) != 1 || c.Args[0] != int64(6) {
					t.Errorf("tblFileToken delete %q %v, want %q [6]", c.Query, c.Args, want)
				}
			case strings.Contains(c.Query, "DELETE FROM tblNode"):
				node = i
			}
		}
		switch {
		case node < 0:
			t.Errorf("tblFileToken %v: no tblNode delete", hasTokens)
		case hasTokens && (tokens < 0 || tokens > node):
			t.Errorf("tblFileToken delete at %d, tblNode delete at %d: the tokens must go first", tokens, node)
		case !hasTokens && tokens >= 0:
			t.Errorf("a database without tblFileToken was sent %q", rec.Calls()[tokens].Query)
		}
	}
}

// TestSQLServerSetInsertLocksWhatItSkips: a staged insert skips the rows
// whose key the table holds (NOT EXISTS). Under READ COMMITTED that probe
// keeps no lock, so another writer (a Persistent Chat server or its AD
// sync left running under --force, an administrator's cmdlet) could insert
// the same key between the probe and the insert, and the whole write
// failed with a primary-key violation (2627), which is not run again. The
// probe takes UPDLOCK, HOLDLOCK, as pcmig's other reads in a write do: the
// other writer waits, or a deadlock makes pcmig's transaction run again.
func TestSQLServerSetInsertLocksWhatItSkips(t *testing.T) {
	ctx := context.Background()
	s, rec := openServer(t, &fakeServer{})
	if _, err := s.AddRoles(ctx, 5, "Member", []int32{10, 11}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddScopes(ctx, 5, false, []int32{10, 11}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddAffiliationsBatch(ctx, []Affiliation{{Principal: 10, Of: 11}}); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range rec.Calls() {
		for _, table := range []string{"tblPrincipalRole", "tblScopePrincipal", "tblPrincipalAffiliations"} {
			probe := "WHERE NOT EXISTS (SELECT 1 FROM " + table + " AS t"
			if !strings.Contains(c.Query, probe) {
				continue
			}
			seen[table] = true
			if !strings.Contains(c.Query, probe+" WITH (UPDLOCK, HOLDLOCK) WHERE") {
				t.Errorf("the insert into %s probes for existing rows without locking them:\n%s", table, c.Query)
			}
		}
	}
	if len(seen) != 3 {
		t.Errorf("staged inserts seen for %v, want tblPrincipalRole, tblScopePrincipal and tblPrincipalAffiliations", seen)
	}
}

// TestSQLServerPrincipalKeysLockedForTheWrite: EnsurePrincipals reads every
// principal's GUID and URI, decides which principals are missing, and
// inserts those. The read must take update range locks held to the end of
// that write's transaction (WITH (UPDLOCK, HOLDLOCK)), on plain and
// IDENTITY prinIDs alike: under READ COMMITTED a plain read keeps no lock,
// and another session could insert a principal between the read and the
// insert, which pcmig would then insert a second time (a duplicate key, or
// a second principal with one URI). Failed before: the read had no hint.
func TestSQLServerPrincipalKeysLockedForTheWrite(t *testing.T) {
	for _, identity := range []bool{false, true} {
		t.Run(fmt.Sprintf("identity=%v", identity), func(t *testing.T) {
			s, rec := openServer(t, &fakeServer{identity: map[string]bool{"tblPrincipal": identity}, prinMax: 7})
			if _, _, err := s.EnsurePrincipals(context.Background(), []pchat.Principal{
				{GUID: "a1111111-2222-4333-8444-555555555555", URI: "sip:ann@contoso.com", Type: pchat.TypeUser},
				{URI: "sip:bob@contoso.com", Type: pchat.TypeUser},
			}); err != nil {
				t.Fatal(err)
			}
			inTx, reads := false, 0
			for _, c := range rec.Calls() {
				switch c.Op {
				case "begin":
					inTx = true
				case "commit", "rollback":
					inTx = false
				}
				if !strings.Contains(c.Query, "prinUri FROM tblPrincipal") {
					continue
				}
				reads++
				if !inTx {
					t.Errorf("the principals' keys are read outside the write's transaction:\n%s", c.Query)
				}
				if !strings.Contains(c.Query, "FROM tblPrincipal WITH (UPDLOCK, HOLDLOCK)") {
					t.Errorf("the principals' keys are read without locks held to the end of the write:\n%s", c.Query)
				}
			}
			if reads != 1 {
				t.Errorf("principals' keys read %d times; want once", reads)
			}
		})
	}
}
