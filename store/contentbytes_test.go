package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/store"
)

// MessageStats gives a room's text the same size whichever server holds
// it: on SQL Server content is nvarchar (UTF-16, two bytes a character),
// and counting its DATALENGTH as bytes doubled every figure against the
// embedded store's, and with it the doctor's estimate of the space an
// import needs (which doubles the figure again for UTF-16). The text here
// is ASCII, where UTF-8 bytes and UTF-16 code units agree.
func TestMessageStatsContentBytesAgreeAcrossServers(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lab")
	if _, err := lab.Init(context.Background(), dir, lab.Options{Users: 12, Categories: 2, Rooms: 4, Messages: 120, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "source-2015.db")
	labtest.ExecSQLite(t, path, `UPDATE tblChat SET content = 'message ' || chatId || ' of room ' || channelId,
  rtf = CASE WHEN chatId % 3 = 0 THEN NULL ELSE '{\rtf1 m' || chatId || '}' END`)

	direct, err := store.Open(t.Context(), store.Config{DSN: "sqlite:" + path, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	want, err := direct.MessageStats(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}

	shim, err := store.NewTSQLShim(path)
	if err != nil {
		t.Fatal(err)
	}
	defer shim.Close()
	server, err := store.OpenConnector(t.Context(), store.Config{Instance: `sql15.contoso.com\rtc`, Database: "mgc", ReadOnly: true}, shim)
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	got, err := server.MessageStats(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("the lab source has no messages")
	}
	for room, w := range want {
		if w.ContentBytes == 0 {
			t.Errorf("room %d: no content bytes in the embedded store", room)
		}
		if g := got[room]; g.ContentBytes != w.ContentBytes || g.Messages != w.Messages {
			t.Errorf("room %d: SQL Server %d messages, %d content bytes; embedded store %d, %d", room, g.Messages, g.ContentBytes, w.Messages, w.ContentBytes)
		}
	}
}
