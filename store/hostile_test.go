package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A DSN with a "#" is a password (or another value) that was not written
// %23: everything after it is the URL's fragment, which go-mssqldb drops
// (the login would fail with a cut password) and which must never be
// shown.
func TestDSNFragment(t *testing.T) {
	for _, dsn := range []string{
		"sqlserver://h:1433?user+id=sa&password=S3cr#" + testPassword,
		"sqlserver://sa@h:1433?database=mgc#password=" + testPassword,
	} {
		cfg := Config{DSN: dsn}
		if got := cfg.Describe(); leaksPassword(got) != "" || strings.Contains(got, "#S3") {
			t.Errorf("Describe(%q) = %q shows what follows the #", dsn, got)
		}
		_, err := ConnString(cfg)
		if err == nil || !strings.Contains(err.Error(), "%23") || leaksPassword(err.Error()) != "" {
			t.Errorf("ConnString(%q) = %v, want an error saying to write # as %%23, without the password", dsn, err)
		}
	}
}

// A failed connection through a sqlserver:// URL names the host and port
// it tried, as the instance form does.
func TestConnectPartNamesTheURLHost(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := Open(ctx, Config{DSN: "sqlserver://sa:" + testPassword + "@127.0.0.1:1?database=mgc"})
	if err == nil || !strings.Contains(err.Error(), "network: no connection to 127.0.0.1:1") || leaksPassword(err.Error()) != "" {
		t.Errorf("Open = %v, want an error naming 127.0.0.1:1", err)
	}
}

// liveDB is an embedded database whose one server pinged at ping (stored
// as written, zone-less text as a hand-made database holds it).
func liveDB(t *testing.T, ping string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "mgc.db")
	s, err := Open(context.Background(), Config{DSN: "sqlite:" + path, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DELETE FROM tblServerIdentity`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO tblServerIdentity (serverID, serverAddress, serverLastPingTime) VALUES (7, 'net.tcp://pchat01:8011', ?)`, ping); err != nil {
		t.Fatal(err)
	}
	return path
}

// The embedded store judges heartbeats as SQL Server does (liveSQL): live
// within the window either side of the local or the UTC clock, whichever
// a server writes; a ping in the far future (9999) or past (1753, 1900) is
// not a running server.
func TestEmbeddedLiveServers(t *testing.T) {
	west := time.FixedZone("PST", -8*3600)
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC).In(west) // 02:00 local
	for _, tt := range []struct {
		ping string
		live bool
	}{
		{"2026-11-24 09:58:00", true},         // UTC, 2 minutes ago
		{"2026-11-24 01:58:00", true},         // local time, 2 minutes ago
		{"2026-11-24T01:58:00.000Z", true},    // local time written with a Z by a careless tool
		{"2026-11-24 10:05:00", true},         // UTC, a server clock 5 minutes ahead
		{"2026-11-24 09:30:00", false},        // UTC, half an hour ago
		{"2026-11-24 05:58:00", false},        // neither clock
		{"2026-11-24 18:00:00", false},        // eight hours ahead of UTC: not now by either clock
		{"9999-12-31 23:59:59.997", false},    // datetime's maximum
		{"1753-01-01 00:00:00", false},        // datetime's minimum
		{"1900-01-01 00:00:00", false},        // datetime's zero
		{"2026-11-24 09:59:59.9999999", true}, // datetime2 precision
	} {
		path := liveDB(t, tt.ping)
		s, err := Open(context.Background(), Config{DSN: "sqlite:" + path, ReadOnly: true, Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		live, err := s.LiveServers(context.Background())
		s.Close()
		if err != nil {
			t.Errorf("ping %s: %v", tt.ping, err)
			continue
		}
		if got := len(live) > 0; got != tt.live {
			t.Errorf("ping %s at %s (UTC %s): live = %v, want %v", tt.ping, now.Format(time.DateTime), now.UTC().Format(time.DateTime), got, tt.live)
		}
	}
}

// A heartbeat that is not a date names the server and the column, never
// the value (database content stays out of errors).
func TestUnreadableHeartbeatNotQuoted(t *testing.T) {
	path := liveDB(t, "garbage Hunter2Secret")
	s, err := Open(context.Background(), Config{DSN: "sqlite:" + path, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.LiveServers(context.Background())
	if err == nil || strings.Contains(err.Error(), "Hunter2") || !strings.Contains(err.Error(), "server 7") {
		t.Errorf("LiveServers = %v, want an error naming server 7 without the value", err)
	}
}

// The doctor says what is wrong with a database file that is empty or a
// folder, not "no such file".
func TestDoctorEmptyFileAndFolder(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{empty: "is empty (0 bytes)", dir: "is a folder"} {
		r, err := Doctor(context.Background(), Config{DSN: "sqlite:" + path}, DoctorOptions{Role: RoleTarget})
		if err != nil {
			t.Fatal(err)
		}
		if !r.Failed() || !strings.Contains(reportText(r), want) {
			t.Errorf("doctor of %s: want a FAIL saying %q:\n%s", path, want, reportText(r))
		}
	}
	if st, err := os.Stat(empty); err != nil || st.Size() != 0 {
		t.Errorf("the doctor changed the empty file: %v %v", st, err)
	}
}

// A room whose messages have no tblLastChatId row at all is not "one row
// per room": the doctor names it.
func TestDoctorRoomWithoutLastChatID(t *testing.T) {
	path := liveDB(t, "1900-01-01 00:00:00")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO tblNode (nodeID, nodeGuid, parentID, nodeType, nodeName, nodeDesc, behavior, visibility, nodeAddedBy, nodeAddedOn, nodeUpdatedBy, nodeUpdatedOn)
		 VALUES (500, 'a0000000-0000-4000-8000-000000000500', 1, 1, 'c', '', 4, 6, 1, 0, 1, 0)`,
		`INSERT INTO tblNode (nodeID, nodeGuid, parentID, nodeType, nodeName, nodeDesc, behavior, visibility, nodeAddedBy, nodeAddedOn, nodeUpdatedBy, nodeUpdatedOn)
		 VALUES (501, 'a0000000-0000-4000-8000-000000000501', 500, 0, 'r', '', 4, 6, 1, 0, 1, 0)`,
		`INSERT INTO tblChat VALUES (501, 1, 637000000000000000, 1, 0, 'a', NULL), (501, 2, 637000000000000001, 1, 0, 'b', NULL)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	r, err := Doctor(context.Background(), Config{DSN: "sqlite:" + path}, DoctorOptions{Role: RoleTarget})
	if err != nil {
		t.Fatal(err)
	}
	if !findLine(r, DoctorWarn, "1 room has messages but no tblLastChatId row: 501") || findLine(r, DoctorOK, "one row per room") {
		t.Errorf("doctor does not name room 501, whose messages have no tblLastChatId row:\n%s", reportText(r))
	}
}

// The doctor runs against live production servers before the window: its
// tblLastChatId checks seek each room's highest chat ID and never join the
// whole of tblChat.
func TestDoctorSeeksNotJoinsTblChat(t *testing.T) {
	_, rec := runFakeDoctor(t, fakeDoctorServer{cat: fakeCatalog{}}, DoctorOptions{})
	for _, c := range rec.Calls() {
		if strings.Contains(c.Query, "JOIN tblChat") {
			t.Errorf("doctor joins every chat row: %s", c.Query)
		}
	}
}
