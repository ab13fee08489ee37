package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// TestExportUnpairedSurrogateSQLServer: on a real server, tblChat's
// content read as CONVERT(varbinary(max), content) and decoded by the
// store gives a surrogate pair whole and says which messages held a lone
// surrogate (read as U+FFFD); the export refuses the first, naming it.
func TestExportUnpairedSurrogateSQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	ctx := context.Background()
	s := openFreshSQLServer(t, dsn, dsn, store.CreateSQLServerSchema)
	_, _, rid := addRoom(t, s, "c", "r", 3)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, cfg := adminDB(t, dsn)
	defer db.Close()
	for _, q := range []string{
		`UPDATE tblChat SET content = N'a' + CONVERT(nvarchar(1), 0x00D8) + N'b' WHERE channelId = @p1 AND chatId = 1`,
		`UPDATE tblChat SET content = N'x' + CONVERT(nvarchar(2), 0x3DD800DE) WHERE channelId = @p1 AND chatId = 2`,
		`UPDATE tblChat SET content = CONVERT(nvarchar(2), 0x00DC6100) WHERE channelId = @p1 AND chatId = 3`,
	} {
		if _, err := db.ExecContext(ctx, q, rid); err != nil {
			t.Fatal(cfg.Redact(err.Error()))
		}
	}
	s, err := store.Open(ctx, store.Config{DSN: dsn, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got := map[int64]pchat.Message{}
	if err := s.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{rid}}, func(m pchat.Message) error { got[m.ChatID] = m; return nil }); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[int64]struct {
		text     string
		unpaired uint8
	}{1: {"a\uFFFDb", pchat.UnpairedContent}, 2: {"x😀", 0}, 3: {"\uFFFDa", pchat.UnpairedContent}} {
		if m := got[id]; m.Content != want.text || m.Unpaired != want.unpaired {
			t.Errorf("message %d: %q unpaired %d, want %q %d", id, m.Content, m.Unpaired, want.text, want.unpaired)
		}
	}
	_, err = exporter.Export(ctx, s, filepath.Join(t.TempDir(), "a.pcmig"), exporter.Options{})
	// The export stops at the first (sql27); the doctor counts them all.
	if err == nil || !strings.Contains(err.Error(), "message 1 (content) holds text with a UTF-16 surrogate that has no pair") ||
		!strings.Contains(err.Error(), "the first such message") || strings.Contains(err.Error(), "message 3") {
		t.Errorf("export: %v; want message 1 refused, the first", err)
	}
}

// TestUnpairedStructureTextSQLServer: on a real server, the check the
// export makes of the structure's nvarchar text names a room whose
// description holds a lone surrogate, and not one holding a pair.
func TestUnpairedStructureTextSQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	ctx := context.Background()
	s := openFreshSQLServer(t, dsn, dsn, store.CreateSQLServerSchema)
	_, _, rid := addRoom(t, s, "c", "r", 1)
	_, _, pair := addRoom(t, s, "c2", "r2", 1)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, cfg := adminDB(t, dsn)
	defer db.Close()
	for _, q := range []struct {
		sql string
		id  int32
	}{
		{`UPDATE tblNode SET nodeDesc = N'd' + CONVERT(nvarchar(1), 0x00D8) WHERE nodeID = @p1`, rid},
		{`UPDATE tblNode SET nodeDesc = N'x' + CONVERT(nvarchar(2), 0x3DD800DE) WHERE nodeID = @p1`, pair},
	} {
		if _, err := db.ExecContext(ctx, q.sql, q.id); err != nil {
			t.Fatal(cfg.Redact(err.Error()))
		}
	}
	s, err := store.Open(ctx, store.Config{DSN: dsn, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.UnpairedStructureText(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Table != "tblNode" || rows[0].ID != int64(rid) || strings.Join(rows[0].Columns, ",") != "nodeDesc" {
		t.Errorf("rows %+v; want room %d's nodeDesc only", rows, rid)
	}
}
