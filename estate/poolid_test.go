package estate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/lab"
)

// TestCheckPoolIDs: two pools of an estate whose databases carry one
// tblConfig pool ID (a copy of a pool's database) are refused, whichever
// roles they have; a database that cannot be opened is left to the run.
func TestCheckPoolIDs(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := lab.Init(ctx, dir, lab.Options{Users: 12, Categories: 1, Rooms: 1, Messages: 1, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(dir, "source-2015.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "copy.db"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	estate := func(sources, target string) string {
		return `return { name = "x", kind = "lab", site = "Redmond", topology = "topology.xml", directory = "users.csv",
  archive = "archive/x.zip", target = { pool = "pchat19.contoso.com", db = "sqlite:` + target + `" },
  sources = {` + sources + `} }`
	}
	tests := []struct {
		name, sources, target string
		want                  []string // nil: accepted
	}{
		{"distinct pools", `{ name = "emea", pool = "p1.contoso.com", db = "sqlite:source-2015.db" }`, "target-2019.db", nil},
		{"two sources one pool", `{ name = "emea", pool = "p1.contoso.com", db = "sqlite:source-2015.db" },
      { name = "amer", pool = "p2.contoso.com", db = "sqlite:copy.db" }`, "target-2019.db",
			[]string{`the source "emea" and the source "amer" are the same pool`, "pool ID ", "copy.db"}},
		{"a source and the target", `{ name = "emea", pool = "p1.contoso.com", db = "sqlite:source-2015.db" }`, "copy.db",
			[]string{`the source "emea" and the target are the same pool`}},
		{"a target not there yet", `{ name = "emea", pool = "p1.contoso.com", db = "sqlite:source-2015.db" }`, "missing.db", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, "estate.lua")
			if err := os.WriteFile(p, []byte(estate(tt.sources, tt.target)), 0o644); err != nil {
				t.Fatal(err)
			}
			e, err := Load(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.CheckPoolIDs(ctx, os.Getenv)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("CheckPoolIDs() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatal("CheckPoolIDs() = nil, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("CheckPoolIDs() = %v, want it to mention %q", err, w)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "missing.db")); !os.IsNotExist(err) {
				t.Errorf("a database was created: %v", err)
			}
		})
	}
}
