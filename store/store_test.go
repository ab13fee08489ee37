package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/store/storetest"
)

func openSQLite(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), store.Config{DSN: "sqlite:" + filepath.Join(t.TempDir(), "mgc test.db"), Create: true})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformanceSQLite(t *testing.T) { storetest.Run(t, openSQLite) }
