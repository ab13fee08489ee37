package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/store"
)

// unpairedLab is a lab source behind a stand-in SQL Server, edit applied
// to its embedded database first (a surrogate without its pair is stored
// there as its WTF-8 bytes, which the stand-in reads as nvarchar's
// UTF-16 code unit).
func unpairedLab(t *testing.T, edit string) (*store.Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "lab")
	if _, err := lab.Init(context.Background(), dir, lab.Options{Users: 12, Categories: 2, Rooms: 4, Messages: 120, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "source-2015.db")
	if edit != "" {
		labtest.ExecSQLite(t, path, edit)
	}
	shim, err := store.NewTSQLShim(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { shim.Close() })
	s, err := store.OpenConnector(t.Context(), store.Config{Instance: `sql15.contoso.com\rtc`, Database: "mgc", ReadOnly: true}, shim)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

// TestSQLServerExportRefusesUnpairedSurrogates: go-mssqldb read an
// nvarchar message text holding a surrogate without its pair as U+FFFD,
// and the export wrote the archive with the replaced character, without a
// word. Now the export refuses, naming the messages by room and chat ID
// with their count, and leaves no archive and no temporary file. Failed
// before: the export succeeded.
func TestSQLServerExportRefusesUnpairedSurrogates(t *testing.T) {
	// Three messages: a lone high surrogate (U+D83D) in one's content, a
	// lone low one (U+DE00) in another's; a whole pair (U+1F600, valid) in
	// a third is not named. (rtf is the documented varchar, which holds
	// no surrogate.)
	s, dir := unpairedLab(t, `
UPDATE tblChat SET content = CAST(X'6869EDA0BD21' AS TEXT) WHERE (channelId, chatId) = (SELECT channelId, chatId FROM tblChat ORDER BY channelId, chatId LIMIT 1 OFFSET 3);
UPDATE tblChat SET content = CAST(X'EDB880207820' AS TEXT) WHERE (channelId, chatId) = (SELECT channelId, chatId FROM tblChat ORDER BY channelId, chatId LIMIT 1 OFFSET 40);
UPDATE tblChat SET content = CAST(X'F09F9880' AS TEXT) WHERE (channelId, chatId) = (SELECT channelId, chatId FROM tblChat ORDER BY channelId, chatId LIMIT 1 OFFSET 50);`)
	var want []string
	for _, off := range []string{"3", "40"} {
		row := labtest.QuerySQLite(t, filepath.Join(dir, "source-2015.db"), `SELECT c.channelId, c.chatId, n.nodeName FROM tblChat c JOIN tblNode n ON n.nodeID = c.channelId ORDER BY c.channelId, c.chatId LIMIT 1 OFFSET `+off)[0]
		want = append(want, `room "`+row[2]+`" (nodeID `+row[0]+`), message `+row[1]+` `)
	}
	out := filepath.Join(t.TempDir(), "out")
	path := filepath.Join(out, "pool.pcmig")
	_, err := exporter.Export(t.Context(), s, path, exporter.Options{})
	if err == nil {
		t.Fatal("the export wrote an archive of text read with U+FFFD in place of a surrogate without its pair")
	}
	msg := err.Error()
	// The export stops at the first (sql27: reading the rest only to
	// count them took as long as the export; the doctor counts them).
	for _, w := range []string{want[0] + "(content) holds text with a UTF-16 surrogate that has no pair", "the first such message", "writes no archive", "pcmig doctor --role source names such messages and counts them all"} {
		if !strings.Contains(msg, w) {
			t.Errorf("the refusal does not say %q:\n%s", w, msg)
		}
	}
	if strings.Count(msg, "), message ") != 1 {
		t.Errorf("the refusal names other messages:\n%s", msg)
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		t.Errorf("left behind: %s", e.Name())
	}

	// The same pool without them exports, the astral character whole.
	clean, _ := unpairedLab(t, `UPDATE tblChat SET content = CAST(X'F09F9880' AS TEXT) WHERE (channelId, chatId) = (SELECT channelId, chatId FROM tblChat ORDER BY channelId, chatId LIMIT 1 OFFSET 50);`)
	if _, err := exporter.Export(t.Context(), clean, filepath.Join(t.TempDir(), "clean.pcmig"), exporter.Options{}); err != nil {
		t.Fatalf("a clean pool: %v", err)
	}
}

// TestSQLServerExportRefusesUnpairedSurrogatesInStructure: a room's
// description and a principal's display name holding a surrogate without
// its pair were exported as U+FFFD without a word (go-mssqldb). Now the
// export refuses before writing anything, naming the rows by table and
// key; the doctor's text line names them too. Failed before: the export
// succeeded.
func TestSQLServerExportRefusesUnpairedSurrogatesInStructure(t *testing.T) {
	const pick = `(SELECT nodeID FROM tblNode WHERE nodeType = 0 ORDER BY nodeID LIMIT 1)`
	s, dir := unpairedLab(t, `
UPDATE tblNode SET nodeDesc = CAST(X'6869EDA0BD21' AS TEXT) WHERE nodeID = `+pick+`;
UPDATE tblPrincipal SET prinDisplayName = CAST(X'EDB88041' AS TEXT) WHERE prinID = (SELECT userId FROM tblChat ORDER BY channelId, chatId LIMIT 1);`)
	db := filepath.Join(dir, "source-2015.db")
	room := labtest.QuerySQLite(t, db, `SELECT nodeID FROM tblNode WHERE nodeID = `+pick)[0][0]
	prin := labtest.QuerySQLite(t, db, `SELECT userId FROM tblChat ORDER BY channelId, chatId LIMIT 1`)[0][0]
	out := filepath.Join(t.TempDir(), "out")
	_, err := exporter.Export(t.Context(), s, filepath.Join(out, "pool.pcmig"), exporter.Options{})
	if err == nil {
		t.Fatal("the export wrote an archive of structure text read with U+FFFD in place of a surrogate without its pair")
	}
	for _, w := range []string{"2 rows hold text with a UTF-16 surrogate that has no pair", "tblNode nodeID " + room + ": nodeDesc",
		"tblPrincipal prinID " + prin + ": prinDisplayName", "nothing was written"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("the refusal does not say %q:\n%v", w, err)
		}
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		t.Errorf("left behind: %s", e.Name())
	}
	r, err := store.DoctorStore(t.Context(), s, store.DoctorOptions{Role: store.RoleSource})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range r.Checks {
		if c.Check == "text" && c.Status == store.DoctorFail && strings.Contains(c.Message, "tblNode nodeID "+room+": nodeDesc") {
			found = true
		}
	}
	if !found {
		t.Errorf("the doctor's text line does not name the room: %+v", r.Checks)
	}
}

// TestBundledMigrateRefusesUnpairedSurrogates: the bundled migrate.lua on
// SQL Server pools (a dry run through stand-in servers) stops with the
// refusal, naming the message. Failed before: the dry run went on with an
// archive of U+FFFD text. (Since sql27 the doctor's message check runs on
// the stand-in too, and doctor.require stops the run before the export.)
func TestBundledMigrateRefusesUnpairedSurrogates(t *testing.T) {
	dir, shims := sqlServerLab(t, func(source, _ string) {
		labtest.ExecSQLite(t, source, `UPDATE tblChat SET content = CAST(X'6869EDA0BD21' AS TEXT) WHERE (channelId, chatId) = (SELECT channelId, chatId FROM tblChat ORDER BY channelId, chatId LIMIT 1 OFFSET 7)`)
	})
	_, out, err := dryRunMigrate(t, dir, shims)
	if err == nil {
		t.Fatalf("the dry run went on past a message read as U+FFFD:\n%s", out)
	}
	if !strings.Contains(out+err.Error(), "1 message holds text with a UTF-16 surrogate that has no pair") {
		t.Errorf("the run does not name the message:\n%v\n%s", err, out)
	}
}
