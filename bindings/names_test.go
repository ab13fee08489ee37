package bindings_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// TestNamesLua runs names_test.lua on a lab whose target already has a
// category named "Sales  " (with trailing spaces, which SQL Server's =
// ignores).
func TestNamesLua(t *testing.T) {
	runLuaTests(t, "names_test.lua", smallLab(1), func(t testing.TB, dir string) {
		ctx := context.Background()
		s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + filepath.Join(dir, "target-2019.db")})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := s.CreateCategory(ctx, pchat.Category{Name: "Sales  "}); err != nil {
			t.Fatal(err)
		}
	})
}
