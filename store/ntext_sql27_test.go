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

// TestSQLServerExportRefusesUnpairedSurrogatesInNText: a source whose
// tblChat.content is ntext (not the documented nvarchar(max); an old or
// hand-made database's may be), one message holding a lone high
// surrogate. The export read ntext as it was, go-mssqldb put U+FFFD in
// its place and the archive was written without a word, while the
// doctor's text line (which checks ntext) failed the pool. Now the export
// reads CONVERT(varbinary(max), CONVERT(nvarchar(max), content)) and
// refuses, as for nvarchar. Failed before: the export succeeded.
func TestSQLServerExportRefusesUnpairedSurrogatesInNText(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lab")
	if _, err := lab.Init(context.Background(), dir, lab.Options{Users: 12, Categories: 2, Rooms: 4, Messages: 120, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "source-2015.db")
	labtest.ExecSQLite(t, path, `UPDATE tblChat SET content = CAST(X'6869EDA0BD21' AS TEXT) WHERE (channelId, chatId) = (SELECT channelId, chatId FROM tblChat ORDER BY channelId, chatId LIMIT 1 OFFSET 3)`)
	row := labtest.QuerySQLite(t, path, `SELECT c.channelId, c.chatId FROM tblChat c ORDER BY c.channelId, c.chatId LIMIT 1 OFFSET 3`)[0]
	shim, err := store.NewTSQLShim(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { shim.Close() })
	shim.SetColumnType("tblChat.content", "ntext")
	s, err := store.OpenConnector(t.Context(), store.Config{Instance: `sql15.contoso.com\rtc`, Database: "mgc", ReadOnly: true}, shim)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	out := filepath.Join(t.TempDir(), "out")
	_, err = exporter.Export(t.Context(), s, filepath.Join(out, "pool.pcmig"), exporter.Options{})
	if err == nil {
		t.Fatal("the export wrote an archive of ntext read with U+FFFD in place of a surrogate without its pair")
	}
	if w := "(nodeID " + row[0] + "), message " + row[1] + " (content) holds text with a UTF-16 surrogate that has no pair"; !strings.Contains(err.Error(), w) {
		t.Errorf("the refusal does not name %q:\n%v", w, err)
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		t.Errorf("left behind: %s", e.Name())
	}
	read := false
	for _, q := range shim.Statements() {
		read = read || strings.Contains(q, "CONVERT(varbinary(max), CONVERT(nvarchar(max), content)) AS content")
	}
	if !read {
		t.Error("the export did not read the ntext content as nvarchar(max)'s bytes")
	}
}

// TestSQLServerExportStopsAtFirstUnpairedMessage: a pool of 45000
// messages, one near the start holding a lone surrogate. The export read
// all of tblChat (every keyset page, nothing written) only to count such
// messages before refusing: on a pool of 50M messages an hour before the
// refusal. Now it refuses at the first, having read the pages in flight
// at most, and names the doctor, which counts them on the server. Failed
// before: all 9 pages of 5000 were read.
func TestSQLServerExportStopsAtFirstUnpairedMessage(t *testing.T) {
	if testing.Short() {
		t.Skip("a lab of 45000 messages")
	}
	dir := filepath.Join(t.TempDir(), "lab")
	if _, err := lab.Init(context.Background(), dir, lab.Options{Users: 12, Categories: 2, Rooms: 4, Messages: 45000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "source-2015.db")
	labtest.ExecSQLite(t, path, `UPDATE tblChat SET content = CAST(X'6869EDA0BD21' AS TEXT) WHERE (channelId, chatId) = (SELECT channelId, chatId FROM tblChat ORDER BY channelId, chatId LIMIT 1 OFFSET 10)`)
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
	_, err = exporter.Export(t.Context(), s, filepath.Join(t.TempDir(), "pool.pcmig"), exporter.Options{})
	if err == nil {
		t.Fatal("the export wrote an archive of text read with U+FFFD")
	}
	if !strings.Contains(err.Error(), "the first such message") || !strings.Contains(err.Error(), "pcmig doctor --role source names such messages and counts them all") {
		t.Errorf("the refusal does not say it stopped at the first and that the doctor counts them: %v", err)
	}
	pages := 0
	for _, q := range shim.Statements() {
		if strings.Contains(q, "FROM tblChat") && strings.Contains(q, "CONVERT(varbinary(max), content)") {
			pages++
		}
	}
	if pages == 0 || pages >= 9 {
		t.Errorf("the export read %d pages of tblChat before refusing at the 11th message, want fewer than 9 (12 before: all of them)", pages)
	}
}
