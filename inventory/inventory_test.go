package inventory_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/inventory"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var ctx = context.Background()

// labInventory writes a lab estate and takes the inventory of one of its
// databases.
func labInventory(t *testing.T, opts lab.Options, db string) (*inventory.Inventory, *lab.Summary) {
	t.Helper()
	dir := t.TempDir()
	sum, err := lab.Init(ctx, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + filepath.Join(dir, db), ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}()
	inv, err := inventory.Take(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(inv.Database, db) {
		t.Errorf("Database = %q, want the path of %s", inv.Database, db)
	}
	inv.Database = "sqlite:" + db // the temporary folder differs from run to run
	return inv, sum
}

// figures are what both a lab summary and an inventory say.
type figures struct {
	Users, Groups, Disabled, Deleted int
	PrincipalsByType                 map[string]int
	Categories, Rooms, DisabledRooms int
	RoomsByPrivacy, RoomsByType      map[string]int
	Addins                           int
	Messages, ContentBytes           int64
	FileLinks, FileLinksListed       int64
	MessagesPerRoom                  map[string]int64
}

func summaryFigures(s *lab.Summary) figures {
	return figures{Users: s.Users, Groups: s.Groups, Disabled: s.DisabledPrincipals, Deleted: s.DeletedPrincipals,
		PrincipalsByType: s.PrincipalsByType, Categories: s.Categories, Rooms: s.Rooms, DisabledRooms: s.DisabledRooms,
		RoomsByPrivacy: s.RoomsByPrivacy, RoomsByType: s.RoomsByType, Addins: s.Addins,
		Messages: s.Messages, ContentBytes: s.ContentBytes, FileLinks: s.FileLinks, FileLinksListed: s.FileLinks,
		MessagesPerRoom: s.MessagesPerRoom}
}

func inventoryFigures(inv *inventory.Inventory) figures {
	f := figures{PrincipalsByType: map[string]int{}, MessagesPerRoom: map[string]int64{},
		Disabled: inv.Principals.Disabled, Deleted: inv.Principals.Deleted,
		Categories: len(inv.Categories), Rooms: inv.Totals.Rooms, DisabledRooms: len(inv.DisabledRooms),
		RoomsByPrivacy: inv.Totals.RoomsByPrivacy, RoomsByType: inv.Totals.RoomsByType, Addins: len(inv.Addins),
		Messages: inv.Totals.Messages, ContentBytes: inv.Totals.ContentBytes, FileLinks: inv.Totals.FileLinks,
		FileLinksListed: int64(len(inv.Files.Links))}
	for _, c := range inv.Principals.ByType {
		f.PrincipalsByType[c.Type] = c.Total
	}
	f.Users, f.Groups = f.PrincipalsByType["User"], f.PrincipalsByType["Group"]
	for _, c := range inv.Categories {
		for _, r := range c.Rooms {
			f.MessagesPerRoom[r.Name] = r.Messages
		}
	}
	return f
}

func TestTakeAgreesWithLabSummary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts lab.Options
	}{
		{"default lab", lab.Options{Seed: 1}},
		{"one category", lab.Options{Users: 12, Categories: 1, Rooms: 3, Messages: 50, Seed: 2}},
		{"many categories", lab.Options{Users: 30, Categories: 14, Rooms: 50, Messages: 2000, Seed: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv, sum := labInventory(t, tt.opts, "source-2015.db")
			if diff := cmp.Diff(summaryFigures(sum), inventoryFigures(inv)); diff != "" {
				t.Errorf("inventory against the lab summary (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{}, inv.Warnings); diff != "" {
				t.Errorf("Warnings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTakeEmptyPool(t *testing.T) {
	t.Parallel()
	inv, _ := labInventory(t, lab.Options{Users: 12, Rooms: 2, Messages: 10, Seed: 4}, "target-2019.db")
	inv.PoolID = ""
	want := &inventory.Inventory{Database: "sqlite:target-2019.db",
		Principals: inventory.Principals{Total: 1, Active: 1,
			ByType: []inventory.PrincipalCount{{Type: "SystemUser", Active: 1, Total: 1}}},
		Totals:     inventory.Totals{RoomsByPrivacy: map[string]int{}, RoomsByType: map[string]int{}},
		Categories: []inventory.Category{}, Busiest: []inventory.RoomFigure{}, DisabledRooms: []string{},
		Addins: []inventory.Addin{}, Files: inventory.Files{Note: inventory.FilesNote, Links: []inventory.FileLink{}},
		Warnings: []string{}}
	if diff := cmp.Diff(want, inv); diff != "" {
		t.Errorf("Take(empty pool) mismatch (-want +got):\n%s", diff)
	}
}

func TestBusiestRooms(t *testing.T) {
	t.Parallel()
	inv, _ := labInventory(t, lab.Options{Users: 12, Categories: 2, Rooms: 30, Messages: 3000, Seed: 5}, "source-2015.db")
	if len(inv.Busiest) != inventory.BusiestRooms {
		t.Fatalf("%d busiest rooms, want %d", len(inv.Busiest), inventory.BusiestRooms)
	}
	var least int64 = 1 << 62
	for i, b := range inv.Busiest {
		if b.Messages > least || b.Messages == 0 {
			t.Errorf("busiest room %d (%s) has %d messages, after one with %d", i+1, b.Room, b.Messages, least)
		}
		least = b.Messages
	}
	for _, c := range inv.Categories {
		for _, r := range c.Rooms {
			if r.Messages > least && !listed(inv.Busiest, r.Name) {
				t.Errorf("room %s with %d messages is missing from the busiest rooms", r.Name, r.Messages)
			}
		}
	}
}

func listed(figs []inventory.RoomFigure, room string) bool {
	for _, f := range figs {
		if f.Room == room {
			return true
		}
	}
	return false
}

func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	inv, _ := labInventory(t, lab.Options{Users: 12, Rooms: 6, Messages: 500, Seed: 6}, "source-2015.db")
	b, err := json.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	var back inventory.Inventory
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(inv, &back); diff != "" {
		t.Errorf("JSON round trip mismatch (-want +got):\n%s", diff)
	}
	// Chat IDs are 64-bit: JSON carries them as strings.
	if len(inv.Files.Links) > 0 && !bytes.Contains(b, []byte(`"chat_id":"`)) {
		t.Errorf("chat IDs are not strings in %s", b)
	}
}

func TestWriteTextGolden(t *testing.T) {
	t.Parallel()
	inv, _ := labInventory(t, lab.Options{Users: 24, Categories: 6, Rooms: 12, Messages: 600, Seed: 7}, "source-2015.db")
	var buf bytes.Buffer
	if err := inventory.WriteText(&buf, inv); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "lab.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("WriteText mismatch (-want +got):\n%s", diff)
	}
}
