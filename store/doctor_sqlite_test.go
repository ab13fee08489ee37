package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/store"
)

// findCheck returns the first check with the status whose message holds
// phrase.
func findCheck(r *store.DoctorReport, status, phrase string) *store.DoctorCheck {
	for i, c := range r.Checks {
		if c.Status == status && strings.Contains(c.Message, phrase) {
			return &r.Checks[i]
		}
	}
	return nil
}

func showReport(r *store.DoctorReport) string {
	var b strings.Builder
	for _, c := range r.Checks {
		b.WriteString(c.Status + " " + c.Check + ": " + c.Message + "\n")
	}
	return b.String()
}

// TestDoctorEmbeddedPool: a pool pcmig made, with data, passes every check.
func TestDoctorEmbeddedPool(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pool.db")
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	addRoom(t, s, "c", "r", 20)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before := readAll(t, path)
	r, err := store.Doctor(ctx, store.Config{DSN: "sqlite:" + path}, store.DoctorOptions{ImportBytes: 1 << 20, ImportMessages: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if r.Failed() || r.Count(store.DoctorWarn) > 0 {
		t.Errorf("doctor on a pool pcmig made:\n%s", showReport(r))
	}
	for _, want := range []struct{ status, phrase string }{
		{store.DoctorOK, "all 13 documented tables"},
		{store.DoctorOK, "role types found by description: Member"},
		{store.DoctorOK, "one row per room"},
		{store.DoctorOK, "every message belongs to an existing room"},
		{store.DoctorOK, "every role and allowed/denied entry names a principal in tblPrincipal"},
		{store.DoctorOK, "no Persistent Chat server heartbeats"},
		{store.DoctorOK, "no triggers"},
		{store.DoctorNA, "text is Unicode"},
		{store.DoctorNA, "the import adds about 2.1 MiB"},
	} {
		if findCheck(r, want.status, want.phrase) == nil {
			t.Errorf("no %s line saying %q:\n%s", want.status, want.phrase, showReport(r))
		}
	}
	if string(before) != string(readAll(t, path)) {
		t.Error("doctor changed the database file")
	}
}

// TestDoctorHandmadeProblems: a hand-made database with a wrong column
// name, a duplicate tblLastChatId row, messages of a removed room, a
// trigger and a live heartbeat gets a line naming each problem, and fails.
func TestDoctorHandmadeProblems(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "handmade.db")
	writeHandmade(t, path, nil)
	labtest.ExecSQLite(t, path,
		`ALTER TABLE tblNode RENAME COLUMN nodeDesc TO nodeDescription`,
		`INSERT INTO tblLastChatId VALUES (1010, 7)`,
		`INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf) VALUES (999, 1, 637503303671230000, 100, 0, 'left behind', NULL)`,
		`CREATE TRIGGER trAudit AFTER INSERT ON tblChat BEGIN SELECT 1; END`,
		`UPDATE tblServerIdentity SET serverLastPingTime = '`+now.Add(-time.Minute).Format("2006-01-02 15:04:05")+`'`)
	before := readAll(t, path)
	r, err := store.Doctor(ctx, store.Config{DSN: "sqlite:" + path, Now: func() time.Time { return now }}, store.DoctorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct{ status, phrase string }{
		{store.DoctorFail, "column tblNode.nodeDesc is missing"},
		{store.DoctorFail, "1 room has more than one tblLastChatId row: 1010 (2 rows)"},
		{store.DoctorFail, "Persistent Chat server net.tcp://pchat01.contoso.com:8011 is running"},
		{store.DoctorWarn, "1 message belongs to 1 room that no longer exists: 999 (1 message)"},
		{store.DoctorWarn, "trigger trAudit on tblChat"},
		{store.DoctorOK, "role types found by description: Member 17, Manager 3, Voiced 42, Creator 8"},
	} {
		c := findCheck(r, want.status, want.phrase)
		if c == nil {
			t.Errorf("no %s line saying %q:\n%s", want.status, want.phrase, showReport(r))
		} else if c.Status != store.DoctorOK && c.Action == "" {
			t.Errorf("%s line %q says nothing to do", c.Status, c.Message)
		}
	}
	if !r.Failed() {
		t.Error("Failed() = false")
	}
	if string(before) != string(readAll(t, path)) {
		t.Error("doctor changed the database file")
	}
	// As a source, or in a dry run, a live server is a warning.
	r, err = store.Doctor(ctx, store.Config{DSN: "sqlite:" + path, Now: func() time.Time { return now }}, store.DoctorOptions{Role: store.RoleSource})
	if err != nil {
		t.Fatal(err)
	}
	if findCheck(r, store.DoctorWarn, "is running") == nil {
		t.Errorf("source role: live server is not a warning:\n%s", showReport(r))
	}
}

// TestDoctorCannotConnect reports a missing file as one failed line.
func TestDoctorCannotConnect(t *testing.T) {
	r, err := store.Doctor(context.Background(), store.Config{DSN: "sqlite:" + filepath.Join(t.TempDir(), "none.db")}, store.DoctorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Checks) != 1 || r.Checks[0].Status != store.DoctorFail || !strings.Contains(r.Checks[0].Message, "no such Persistent Chat database file") {
		t.Errorf("doctor on a missing file:\n%s", showReport(r))
	}
}

func readAll(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDoctorEmbeddedUnfilledColumn: the embedded store's catalogue knows
// defaults too: an extra NOT NULL column without one, in tblChat, fails
// the doctor by name; one with a default does not.
func TestDoctorEmbeddedUnfilledColumn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pool.db")
	writeHandmade(t, path, map[string]bool{"tblChat": true})
	labtest.ExecSQLite(t, path, `CREATE TABLE tblChat (channelId int NOT NULL, chatId bigint NOT NULL, userId int NOT NULL, chatDate bigint NOT NULL,
  rtf varchar(8000) NULL, content ntext NOT NULL, isAlert bit NOT NULL, chatTenant int NOT NULL, chatFlags int NOT NULL DEFAULT 0,
  PRIMARY KEY (channelId, chatId))`)
	r, err := store.Doctor(context.Background(), store.Config{DSN: "sqlite:" + path}, store.DoctorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if findCheck(r, store.DoctorFail, "column tblChat.chatTenant (int) is NOT NULL without a default") == nil {
		t.Errorf("no FAIL for tblChat.chatTenant:\n%s", showReport(r))
	}
	if strings.Contains(showReport(r), "chatFlags") {
		t.Errorf("tblChat.chatFlags has a default, and is faulted:\n%s", showReport(r))
	}
}
