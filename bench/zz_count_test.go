package bench_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pcmig/pcmig/store"
)

func TestZZCount(t *testing.T) {
	dir := os.Getenv("ZZ_DIR")
	if dir == "" {
		t.Skip()
	}
	ctx := context.Background()
	src := filepath.Join(dir, "source-2015.db")
	s, _ := store.Open(ctx, store.Config{DSN: "sqlite:" + src, ReadOnly: true})
	for i := 0; i < 2; i++ {
		st := time.Now()
		s.MessageStats(ctx, 0)
		t.Log("stats", time.Since(st))
	}
	s.Close()
	db, _ := sql.Open("sqlite", "file:"+src+"?mode=ro")
	for _, q := range []string{
		`SELECT channelId, COUNT(*) FROM tblChat WHERE chatDate >= 0 GROUP BY channelId`,
		`SELECT channelId, COUNT(*) FROM tblChat GROUP BY channelId`,
		`SELECT channelId, COUNT(*), MAX(chatDate) FROM tblChat GROUP BY channelId`,
	} {
		for i := 0; i < 2; i++ {
			st := time.Now()
			rows, err := db.Query(q)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
			}
			rows.Close()
			t.Log(q, time.Since(st))
		}
	}
}
