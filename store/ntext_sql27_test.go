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
	if w := "(nodeID " + row[0] + "), message " + row[1] + ": content"; !strings.Contains(err.Error(), w) {
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
