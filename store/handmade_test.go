package store_test

// A Persistent Chat database made by hand with raw SQL, not by the store's
// schema code, that follows the documented schema but differs from pcmig's
// own generator wherever the documentation allows: other role type and enum
// value IDs, SQL Server type names (bit, uniqueidentifier, datetime,
// nvarchar(256), ntext; SQLite cannot parse nvarchar(max)), upper- and
// mixed-case GUIDs, datetime text without a
// zone, a root node that is not node 1, reordered and extra nullable
// columns, and only the tables the store requires.

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// handmadeTables is the DDL, one statement per table, in the order below.
var handmadeTables = []struct{ name, ddl string }{
	{"tblEnumAttribute", `CREATE TABLE tblEnumAttribute (attributeName nvarchar(256) NOT NULL, attributeID smallint NOT NULL PRIMARY KEY)`},
	{"tblEnumValue", `CREATE TABLE tblEnumValue (valueID smallint NOT NULL PRIMARY KEY, attributeID smallint NOT NULL, attributeValue nvarchar(256) NOT NULL)`},
	{"tblPrincipalType", `CREATE TABLE tblPrincipalType (ptypeID smallint NOT NULL PRIMARY KEY, ptypeDesc nvarchar(256) NOT NULL,
  ptypeIsSystemUser bit NOT NULL, ptypeIsUser bit NOT NULL)`},
	{"tblPrincipal", `CREATE TABLE tblPrincipal (prinID int NOT NULL PRIMARY KEY, prinGuid uniqueidentifier NOT NULL, prinUri nvarchar(256) NOT NULL,
  prinName nvarchar(256) NULL, prinDisplayName nvarchar(256) NULL, prinCompanyName nvarchar(256) NULL, prinEmail nvarchar(256) NULL,
  prinADPath nvarchar(384) NULL, prinADUserPrincipalName nvarchar(256) NULL, prinDisabled smallint NOT NULL, prinTypeID smallint NOT NULL,
  prinPoolID int NULL, prinPolicyID int NULL, prinAddedBy int NULL, prinAddedOn bigint NOT NULL, prinUpdatedBy int NULL,
  prinUpdatedOn bigint NOT NULL, prinVerifiedOn datetime NOT NULL)`},
	{"tblSiopWhiteList", `CREATE TABLE tblSiopWhiteList (siopID uniqueidentifier NOT NULL PRIMARY KEY, siopName nvarchar(50) NOT NULL, siopUrl nvarchar(255) NOT NULL)`},
	{"tblNode", `CREATE TABLE tblNode (nodeID int NOT NULL PRIMARY KEY, nodeGuid uniqueidentifier NOT NULL, parentID int NULL,
  nodeType bit NOT NULL, nodeName nvarchar(256) NOT NULL, nodeDesc nvarchar(256) NOT NULL, purgedOn datetime NULL,
  nodeExtension nvarchar(64) NULL, invite bit NULL, logged bit NULL, filePost bit NULL, disabled bit NOT NULL,
  behavior smallint NOT NULL, visibility smallint NOT NULL, siopID uniqueidentifier NULL, nodeAddedBy int NOT NULL,
  nodeAddedOn bigint NOT NULL, nodeUpdatedBy int NOT NULL, nodeUpdatedOn bigint NOT NULL)`},
	{"tblRoleType", `CREATE TABLE tblRoleType (rtypeID int NOT NULL PRIMARY KEY, rtypeDesc nvarchar(256) NOT NULL, rtypeAllowedPermSet bigint NOT NULL)`},
	{"tblPrincipalRole", `CREATE TABLE tblPrincipalRole (prinRoleNodeID int NOT NULL, prinRolePrinID int NOT NULL, prinRoleTypeID int NOT NULL,
  prinRoleUpdatedBy int NOT NULL, PRIMARY KEY (prinRoleNodeID, prinRolePrinID, prinRoleTypeID))`},
	{"tblScopePrincipal", `CREATE TABLE tblScopePrincipal (scopeNodeID int NOT NULL, scopePrinID int NOT NULL, scopeIsDenied bit NOT NULL,
  scopeUpdatedBy int NOT NULL, PRIMARY KEY (scopeNodeID, scopePrinID))`},
	{"tblChat", `CREATE TABLE tblChat (channelId int NOT NULL, chatId bigint NOT NULL, userId int NOT NULL, chatDate bigint NOT NULL,
  rtf varchar(8000) NULL, content ntext NOT NULL, isAlert bit NOT NULL, PRIMARY KEY (channelId, chatId))`},
	{"tblLastChatId", `CREATE TABLE tblLastChatId (nodeID int NOT NULL, lastChatID bigint NOT NULL, PRIMARY KEY (nodeID, lastChatID))`},
	{"tblServerIdentity", `CREATE TABLE tblServerIdentity (serverID int NOT NULL PRIMARY KEY, serverAddress nvarchar(256) NOT NULL, serverLastPingTime datetime NULL)`},
	{"tblSystemRevision", `CREATE TABLE tblSystemRevision (sysRevision bigint NOT NULL)`},
}

// Time stamps in the hand-made pool: .NET ticks far above 2^53.
const (
	hmTick  int64 = 637503303671230000 // 2021-03-04 05:06:07.123
	hmTick2 int64 = 637503303671230001
)

// GUIDs as the hand-made pool stores them, and canonically.
const (
	hmSysGUID    = "5F1B0C2E-7A3D-4E59-9C1B-0D2E3F405162"
	hmUser1GUID  = "a1B2c3D4-e5F6-4a7B-8c9D-0E1f2A3b4C5d"
	hmUser2GUID  = "B2C3D4E5-F6A7-4B8C-9D0E-1F2A3B4C5D6E"
	hmUser3GUID  = "c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f"
	hmGroupGUID  = "D4E5F6A7-B8C9-4DAE-8F10-3B4C5D6E7F80"
	hmRootGUID   = "E5F6A7B8-C9DA-4EBF-9011-4C5D6E7F8091"
	hmEngGUID    = "F6A7B8C9-DAEB-4FC0-A122-5D6E7F8091A2"
	hmOpsGUID    = "07B8C9DA-EBFC-40D1-B233-6E7F8091A2B3"
	hmGenGUID    = "18C9DAEB-FC0D-41E2-8344-7F8091A2B3C4"
	hmStageGUID  = "29DAEBFC-0D1E-42F3-9455-8091A2B3C4D5"
	hmClosedGUID = "3aEbFc0D-1e2F-4304-a566-91A2b3C4d5E6"
	hmAddinGUID  = "C0FFEE00-1234-4ABC-8DEF-0123456789AB"
)

// handmadeRows fills the pool.
var handmadeRows = []string{
	`INSERT INTO tblEnumAttribute (attributeID, attributeName) VALUES (7, 'Visibility'), (9, 'Behavior')`,
	`INSERT INTO tblEnumValue VALUES (12, 7, 'Private'), (13, 7, 'scope'), (16, 7, 'OPEN'), (14, 9, 'normal'), (15, 9, 'Auditorium')`,
	`INSERT INTO tblPrincipalType VALUES (1,'Any',0,0),(2,'AnyUser',0,1),(3,'AnyGroup',0,0),(4,'SystemUser',1,0),(5,'User',0,1),(8,'DC',0,0),(9,'Group',0,0),(10,'Folder',0,0)`,
	`INSERT INTO tblRoleType VALUES (17, 'Member', 3456), (3, 'Manager', 10244), (42, 'Voiced', 4096), (8, 'Creator', 2064)`,
	`INSERT INTO tblPrincipal VALUES
 (1, '` + hmSysGUID + `', 'sip:RtcSystem@contoso.com', 'RTC system', NULL, NULL, NULL, NULL, NULL, 0, 4, NULL, NULL, NULL, 630822816000000000, NULL, 630822816000000000, '2021-03-04 05:06:07.123'),
 (100, '` + hmUser1GUID + `', 'sip:ada@contoso.com', 'Ada', 'Ada Lovelace', 'Contoso', 'ada@contoso.com', 'CN=Ada,OU=Eng,DC=contoso,DC=com', 'ada@contoso.com', 0, 5, 3, 7, 1, 637503303671230000, 1, 637503303671230001, '2021-03-04 05:06:07.123'),
 (101, '` + hmUser2GUID + `', 'sip:bob@contoso.com', 'Bob', 'Bob Ünïcødé', NULL, 'bob@contoso.com', 'CN=Bob,OU=Eng,DC=contoso,DC=com', NULL, 1, 5, NULL, NULL, 100, 637503303671230000, NULL, 637503303671230000, '2020-12-31 23:59:59'),
 (102, '` + hmUser3GUID + `', 'sip:cy@contoso.com', 'Cy', 'Cy', NULL, NULL, 'CN=Cy,OU=Ops,DC=contoso,DC=com', NULL, 2, 5, NULL, NULL, NULL, 637503303671230000, NULL, 637503303671230000, '2021-03-04T05:06:07')`,
	`INSERT INTO tblPrincipal (prinID, prinGuid, prinUri, prinADPath, prinDisabled, prinTypeID, prinAddedOn, prinUpdatedOn, prinVerifiedOn)
 VALUES (200, '` + hmGroupGUID + `', 'ma-grp://contoso.com/Engineering', 'CN=Engineering,OU=Groups,DC=contoso,DC=com', 0, 9, 637503303671230000, 637503303671230000, '2021-03-04 05:06:07.123')`,
	`INSERT INTO tblSiopWhiteList VALUES ('` + hmAddinGUID + `', 'Ticker', 'https://addins.contoso.com/ticker')`,
	`INSERT INTO tblNode (nodeID, nodeGuid, parentID, nodeType, nodeName, nodeDesc, purgedOn, nodeExtension, invite, logged, filePost, disabled,
  behavior, visibility, siopID, nodeAddedBy, nodeAddedOn, nodeUpdatedBy, nodeUpdatedOn) VALUES
 (1000, '` + hmRootGUID + `', 1000, 1, 'Root', '', NULL, NULL, 1, 1, 1, 0, 14, 16, NULL, 1, 630822816000000000, 1, 630822816000000000),
 (1001, '` + hmEngGUID + `', 1000, 1, 'Engineering', 'Engineering rooms', '2021-01-01 00:00:00', 'x', 1, 1, 0, 0, 14, 16, NULL, 100, 637503303671230000, 101, 637503303671230001),
 (1002, '` + hmOpsGUID + `', 1000, 1, 'Ops', '', NULL, NULL, 0, 0, 1, 0, 14, 16, NULL, 1, 637503303671230000, 1, 637503303671230000),
 (1010, '` + hmGenGUID + `', 1001, 0, 'General', 'Everyone', NULL, NULL, NULL, NULL, NULL, 0, 14, 16, '` + hmAddinGUID + `', 100, 637503303671230000, 100, 637503303671230000),
 (1011, '` + hmStageGUID + `', 1001, 0, 'Secret stage', 'Town hall', NULL, NULL, 0, NULL, NULL, 1, 15, 12, NULL, 101, 637503303671230000, 102, 637503303671230001),
 (1012, '` + hmClosedGUID + `', 1002, 0, 'Closed room', '', NULL, NULL, NULL, NULL, NULL, 0, 14, 13, NULL, 1, 637503303671230000, 1, 637503303671230000)`,
	`INSERT INTO tblScopePrincipal VALUES (1001, 200, 0, 1), (1001, 100, 0, 1), (1001, 102, 1, 1)`,
	`INSERT INTO tblPrincipalRole VALUES (1001, 101, 8, 1),
 (1010, 100, 17, 1), (1010, 101, 17, 1), (1010, 101, 3, 1),
 (1011, 100, 17, 1), (1011, 101, 17, 1), (1011, 102, 17, 1), (1011, 100, 3, 1), (1011, 102, 42, 1), (1011, 101, 42, 1)`,
	`INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf) VALUES
 (1010, 1, 637503303671230000, 100, 0, 'hello', NULL),
 (1010, 2, 637503303671230001, 101, 1, 'ALERT: ünïcødé 日本語', '{\rtf1\ansi ALERT}'),
 (1010, 3, 637503303671239999, 100, 0, '', ''),
 (1011, 5, 637503303671230000, 101, 0, 'welcome', NULL),
 (1011, 9, 637503303681230000, 102, 0, 'ma-filelink:///deck.pptx', NULL)`,
	`INSERT INTO tblLastChatId VALUES (1010, 3), (1011, 12)`,
	`INSERT INTO tblServerIdentity VALUES (3, 'net.tcp://pchat01.contoso.com:8011', '2019-01-01 00:00:00')`,
	`INSERT INTO tblSystemRevision VALUES (4711)`,
}

// writeHandmade creates a hand-made pool at path, leaving out the tables in
// skip.
func writeHandmade(t *testing.T, path string, skip map[string]bool) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tb := range handmadeTables {
		if skip[tb.name] {
			continue
		}
		if _, err := db.Exec(tb.ddl); err != nil {
			t.Fatalf("%v in %.50s", err, tb.ddl)
		}
	}
	for _, stmt := range handmadeRows {
		table := strings.Fields(stmt)[2]
		if skip[table] {
			continue
		}
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%v in %.60s", err, stmt)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestHandmadeRead(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "handmade.db")
	writeHandmade(t, path, nil)
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	if got := s.RootID(); got != 1000 {
		t.Errorf("RootID() = %d, want 1000", got)
	}
	if diff := cmp.Diff(store.RoleTypes{Member: 17, Manager: 3, Voiced: 42, Creator: 8}, s.Roles()); diff != "" {
		t.Errorf("Roles() mismatch (-want +got):\n%s", diff)
	}

	wantCats := []pchat.Category{
		{ID: 1001, GUID: strings.ToLower(hmEngGUID), Name: "Engineering", Description: "Engineering rooms", Invitations: true,
			FileUpload: false, ChatHistory: true, AllowedMembers: []int32{100, 200}, DeniedMembers: []int32{102}, Creators: []int32{101},
			AddedBy: 100, AddedOn: hmTick, UpdatedBy: 101, UpdatedOn: hmTick2},
		{ID: 1002, GUID: strings.ToLower(hmOpsGUID), Name: "Ops", FileUpload: true, AddedBy: 1, AddedOn: hmTick, UpdatedBy: 1, UpdatedOn: hmTick},
	}
	cats, err := s.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantCats, cats); diff != "" {
		t.Errorf("Categories() mismatch (-want +got):\n%s", diff)
	}

	wantRooms := []pchat.Room{
		{ID: 1012, GUID: strings.ToLower(hmClosedGUID), Name: "Closed room", CategoryID: 1002, Privacy: pchat.Closed, Type: pchat.Normal,
			Invitations: pchat.Inherit, AddedBy: 1, AddedOn: hmTick, UpdatedBy: 1, UpdatedOn: hmTick},
		{ID: 1010, GUID: strings.ToLower(hmGenGUID), Name: "General", Description: "Everyone", CategoryID: 1001, Privacy: pchat.Open,
			Type: pchat.Normal, Invitations: pchat.Inherit, AddinID: strings.ToLower(hmAddinGUID), Members: []int32{100, 101},
			Managers: []int32{101}, AddedBy: 100, AddedOn: hmTick, UpdatedBy: 100, UpdatedOn: hmTick},
		{ID: 1011, GUID: strings.ToLower(hmStageGUID), Name: "Secret stage", Description: "Town hall", CategoryID: 1001, Privacy: pchat.Secret,
			Type: pchat.Auditorium, Invitations: pchat.InvitationsFalse, Disabled: true, Members: []int32{100, 101, 102},
			Managers: []int32{100}, Presenters: []int32{101, 102}, AddedBy: 101, AddedOn: hmTick, UpdatedBy: 102, UpdatedOn: hmTick2},
	}
	rooms, err := s.Rooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantRooms, rooms); diff != "" {
		t.Errorf("Rooms() mismatch (-want +got):\n%s", diff)
	}

	verified := mustTime(t, "2021-03-04T05:06:07.123Z")
	wantPrins := []pchat.Principal{
		{ID: 1, GUID: strings.ToLower(hmSysGUID), URI: "sip:RtcSystem@contoso.com", Type: pchat.TypeSystemUser, Name: "RTC system",
			AddedOn: 630822816000000000, UpdatedOn: 630822816000000000, VerifiedOn: verified},
		{ID: 100, GUID: strings.ToLower(hmUser1GUID), URI: "sip:ada@contoso.com", Type: pchat.TypeUser, Name: "Ada", DisplayName: "Ada Lovelace",
			CompanyName: "Contoso", Email: "ada@contoso.com", ADPath: "CN=Ada,OU=Eng,DC=contoso,DC=com", UPN: "ada@contoso.com",
			PoolID: ptr[int32](3), PolicyID: ptr[int32](7), AddedBy: ptr[int32](1), AddedOn: hmTick, UpdatedBy: ptr[int32](1), UpdatedOn: hmTick2,
			VerifiedOn: verified},
		{ID: 101, GUID: strings.ToLower(hmUser2GUID), URI: "sip:bob@contoso.com", Type: pchat.TypeUser, Name: "Bob", DisplayName: "Bob Ünïcødé",
			Email: "bob@contoso.com", ADPath: "CN=Bob,OU=Eng,DC=contoso,DC=com", State: pchat.Disabled, AddedBy: ptr[int32](100),
			AddedOn: hmTick, UpdatedOn: hmTick, VerifiedOn: mustTime(t, "2020-12-31T23:59:59Z")},
		{ID: 102, GUID: strings.ToLower(hmUser3GUID), URI: "sip:cy@contoso.com", Type: pchat.TypeUser, Name: "Cy", DisplayName: "Cy",
			ADPath: "CN=Cy,OU=Ops,DC=contoso,DC=com", State: pchat.Deleted, AddedOn: hmTick, UpdatedOn: hmTick,
			VerifiedOn: mustTime(t, "2021-03-04T05:06:07Z")},
		{ID: 200, GUID: strings.ToLower(hmGroupGUID), URI: "ma-grp://contoso.com/Engineering", Type: pchat.TypeGroup,
			ADPath: "CN=Engineering,OU=Groups,DC=contoso,DC=com", AddedOn: hmTick, UpdatedOn: hmTick, VerifiedOn: verified},
	}
	prins, err := s.Principals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantPrins, prins); diff != "" {
		t.Errorf("Principals() mismatch (-want +got):\n%s", diff)
	}

	addins, err := s.Addins(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]pchat.Addin{{ID: strings.ToLower(hmAddinGUID), Name: "Ticker", URL: "https://addins.contoso.com/ticker"}}, addins); diff != "" {
		t.Errorf("Addins() mismatch (-want +got):\n%s", diff)
	}

	rtf, empty := `{\rtf1\ansi ALERT}`, ""
	wantMsgs := []pchat.Message{
		{RoomID: 1010, ChatID: 1, Date: hmTick, UserID: 100, Content: "hello"},
		{RoomID: 1010, ChatID: 2, Date: hmTick2, UserID: 101, Alert: true, Content: "ALERT: ünïcødé 日本語", RTF: &rtf},
		{RoomID: 1010, ChatID: 3, Date: 637503303671239999, UserID: 100, Content: "", RTF: &empty},
		{RoomID: 1011, ChatID: 5, Date: hmTick, UserID: 101, Content: "welcome"},
		{RoomID: 1011, ChatID: 9, Date: 637503303681230000, UserID: 102, Content: "ma-filelink:///deck.pptx"},
	}
	var msgs []pchat.Message
	if err := s.StreamMessages(ctx, store.MessageFilter{PageSize: 2}, func(m pchat.Message) error { msgs = append(msgs, m); return nil }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantMsgs, msgs); diff != "" {
		t.Errorf("StreamMessages() mismatch (-want +got):\n%s", diff)
	}
	if last, err := s.LastChatID(ctx, 1011); err != nil || last != 12 {
		t.Errorf("LastChatID(1011) = %d, %v; want 12 (tblLastChatId is ahead of tblChat)", last, err)
	}
	if live, err := s.LiveServers(ctx); err != nil || len(live) != 0 {
		t.Errorf("LiveServers() = %v, %v; want none (last ping in 2019)", live, err)
	}
}

func TestHandmadeWrite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "handmade.db")
	writeHandmade(t, path, nil)
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path})
	if err != nil {
		t.Fatal(err)
	}
	room, err := s.CreateRoom(ctx, pchat.Room{Name: "New stage", CategoryID: 1002, Privacy: pchat.Secret, Type: pchat.Auditorium,
		Invitations: pchat.InvitationsFalse, Members: []int32{100}, Managers: []int32{101}, Presenters: []int32{102}, AddedBy: 100, AddedOn: hmTick})
	if err != nil {
		t.Fatal(err)
	}
	if room != 1013 {
		t.Errorf("CreateRoom() = %d, want 1013 (the next node ID)", room)
	}
	for _, g := range []struct {
		node  int32
		role  string
		prins []int32
	}{{1001, "Creator", []int32{100, 101}}, {1010, "presenter", []int32{100}}, {1010, "MANAGER", []int32{102}}, {1012, "member", []int32{102}}} {
		if _, err := s.AddRoles(ctx, g.node, g.role, g.prins); err != nil {
			t.Fatal(err)
		}
	}
	first, err := s.AppendMessages(ctx, 1011, []pchat.Message{
		{Date: hmTick + 1, UserID: 100, Content: "after the gap"},
		{Date: hmTick + 2, UserID: 101, Alert: true, Content: "alert", RTF: ptr(`{\rtf1 alert}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if first != 13 {
		t.Errorf("AppendMessages() first chatId = %d, want 13 (after tblLastChatId 12)", first)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tests := []struct {
		name  string
		query string
		want  [][]any
	}{
		{"new room", `SELECT nodeID, parentID, nodeType, invite, logged, filePost, disabled, behavior, visibility, siopID, nodeAddedBy FROM tblNode WHERE nodeID = 1013`,
			[][]any{{int64(1013), int64(1002), int64(0), int64(0), nil, nil, int64(0), int64(15), int64(12), nil, int64(100)}}},
		{"roles use the pool's role type IDs", `SELECT prinRoleNodeID, prinRolePrinID, prinRoleTypeID FROM tblPrincipalRole
 WHERE prinRoleNodeID = 1013 OR (prinRoleNodeID, prinRolePrinID, prinRoleTypeID) IN (VALUES (1001,100,8),(1010,100,42),(1010,102,3),(1012,102,17))
 ORDER BY 1, 2, 3`,
			[][]any{{int64(1001), int64(100), int64(8)}, {int64(1010), int64(100), int64(42)}, {int64(1010), int64(102), int64(3)},
				{int64(1012), int64(102), int64(17)}, {int64(1013), int64(100), int64(17)}, {int64(1013), int64(101), int64(3)}, {int64(1013), int64(102), int64(42)}}},
		{"no duplicate grants", `SELECT COUNT(*) FROM tblPrincipalRole WHERE prinRoleNodeID = 1001`, [][]any{{int64(2)}}},
		{"messages", `SELECT channelId, chatId, chatDate, userId, isAlert, content, rtf FROM tblChat WHERE channelId = 1011 AND chatId > 9 ORDER BY chatId`,
			[][]any{{int64(1011), int64(13), hmTick + 1, int64(100), int64(0), "after the gap", nil},
				{int64(1011), int64(14), hmTick + 2, int64(101), int64(1), "alert", `{\rtf1 alert}`}}},
		{"chat counter", `SELECT nodeID, lastChatID FROM tblLastChatId ORDER BY nodeID`, [][]any{{int64(1010), int64(3)}, {int64(1011), int64(14)}}},
		{"system revision bumped once per write", `SELECT sysRevision FROM tblSystemRevision`, [][]any{{int64(4711 + 6)}}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, queryAll(t, db, tt.query)); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

// queryAll returns every row of a query.
func queryAll(t *testing.T, db *sql.DB, query string) [][]any {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%v in %s", err, query)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestOpenRejectsNonPersistentChat opens files that are not Persistent
// Chat databases and checks that the error says what is missing and that
// the file is left exactly as it was.
func TestOpenRejectsNonPersistentChat(t *testing.T) {
	tests := []struct {
		name    string
		make    func(t *testing.T, path string)
		notPC   bool     // the error wraps ErrNotPersistentChat
		wantErr []string // the error names these
	}{
		{"unrelated database", func(t *testing.T, path string) {
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hi')`); err != nil {
				t.Fatal(err)
			}
		}, true, []string{"missing tables", "tblChat", "tblNode", "tblPrincipal", "tblSystemRevision"}},
		{"no tblChat", func(t *testing.T, path string) {
			writeHandmade(t, path, map[string]bool{"tblChat": true})
		}, true, []string{"missing tables tblChat"}},
		{"no tblNode.purgedOn", func(t *testing.T, path string) {
			writeHandmade(t, path, nil)
			labtest.ExecSQLite(t, path, `ALTER TABLE tblNode DROP COLUMN purgedOn`)
		}, true, []string{"missing columns tblNode.purgedOn"}},
		{"no Voiced role type", func(t *testing.T, path string) {
			writeHandmade(t, path, nil)
			labtest.ExecSQLite(t, path, `DELETE FROM tblRoleType WHERE rtypeDesc = 'Voiced'`)
		}, true, []string{"tblRoleType has no row described Voiced"}},
		{"text file", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte("roomName,category\nGeneral,Engineering\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, true, []string{"not an SQLite database"}},
		{"no such file", func(*testing.T, string) {}, false, []string{"no such Persistent Chat database file"}},
		{"empty file", func(t *testing.T, path string) {
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, true, []string{"the file is empty (0 bytes)"}},
		{"a folder", func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
		}, true, []string{"it is a folder, not a database file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "pool.db")
			tt.make(t, path)
			before := snapshot(t, dir)
			// Writable, read-only and dry-run opens say the same.
			for _, cfg := range []store.Config{{}, {ReadOnly: true}, {Shadow: true}} {
				cfg.DSN = "sqlite:" + path
				s, err := store.Open(context.Background(), cfg)
				if err == nil {
					s.Close()
					t.Fatalf("Open(ReadOnly=%v, Shadow=%v) succeeded", cfg.ReadOnly, cfg.Shadow)
				}
				if got := errors.Is(err, store.ErrNotPersistentChat); got != tt.notPC {
					t.Errorf("Open(ReadOnly=%v, Shadow=%v) error %q: errors.Is(err, ErrNotPersistentChat) = %v, want %v", cfg.ReadOnly, cfg.Shadow, err, got, tt.notPC)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("Open(ReadOnly=%v, Shadow=%v) error %q does not name %q", cfg.ReadOnly, cfg.Shadow, err, w)
					}
				}
			}
			if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
				t.Errorf("Open() changed the directory (-before +after):\n%s", diff)
			}
		})
	}
}
