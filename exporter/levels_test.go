package exporter_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

func all(string) bool { return true }

func TestExportLevels(t *testing.T) {
	t.Parallel()
	dir, path := newSource(t)
	s := open(t, path, true)
	full := readSource(t, s, all, 0)
	tests := []struct {
		level exporter.Level
		// What the level holds beyond principals.
		categories, rooms, messages bool
	}{
		{exporter.User, false, false, false},
		{exporter.Category, true, false, false},
		{exporter.RoomDirectory, true, true, false},
		{exporter.Content, true, true, true},
		{exporter.All, true, true, true},
		{0, true, true, true}, // the default is All
	}
	for _, tt := range tests {
		t.Run(tt.level.String(), func(t *testing.T) {
			out := filepath.Join(dir, "level-"+tt.level.String()+".zip")
			res, err := exporter.Export(ctx, s, out, exporter.Options{Level: tt.level})
			if err != nil {
				t.Fatalf("Export: %v", err)
			}
			want := keys{Principals: full.Principals, Categories: []string{}, Addins: []string{}, Rooms: []string{}, Messages: []string{}}
			if tt.categories {
				want.Categories = full.Categories
			}
			if tt.rooms {
				want.Addins, want.Rooms = full.Addins, full.Rooms
			}
			if tt.messages {
				want.Messages = full.Messages
			}
			got, m := readArchive(t, out)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("archive records mismatch (-want +got):\n%s", diff)
			}
			level := tt.level
			if level == 0 {
				level = exporter.All
			}
			if m.Level != level.String() || res.Level != level.String() {
				t.Errorf("manifest level %q, result level %q, want %q", m.Level, res.Level, level)
			}
			wantCounts := archive.Counts{Principals: int64(len(want.Principals)), Categories: int64(len(want.Categories)),
				Addins: int64(len(want.Addins)), Rooms: int64(len(want.Rooms)), Messages: int64(len(want.Messages))}
			if diff := cmp.Diff(wantCounts, res.Counts); diff != "" {
				t.Errorf("Result.Counts mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseLevel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    exporter.Level
		wantErr bool
	}{
		{"All", exporter.All, false},
		{"user", exporter.User, false},
		{"CATEGORY", exporter.Category, false},
		{"RoomDirectory", exporter.RoomDirectory, false},
		{"content", exporter.Content, false},
		{"Rooms", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		got, err := exporter.ParseLevel(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseLevel(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestExportScope(t *testing.T) {
	t.Parallel()
	dir, path := newSource(t)
	s := open(t, path, true)
	tests := []struct {
		name  string
		scope []string
		keep  []string // categories, as the pool names them
		level exporter.Level
	}{
		{"one category", []string{"Sales"}, []string{"Sales"}, exporter.All},
		{"any case, non-ASCII", []string{"sales", "東京オフィス", "MÄNNISKOR & KULTUR"}, []string{"Sales", "東京オフィス", "Människor & Kultur"}, exporter.All},
		{"trailing spaces, as the database compares names", []string{"Sales  "}, []string{"Sales"}, exporter.All},
		{"room directory only", []string{"Finance"}, []string{"Finance"}, exporter.RoomDirectory},
		{"empty scope: all", nil, nil, exporter.All},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keep := func(name string) bool { return tt.keep == nil || slices.Contains(tt.keep, name) }
			want := readSource(t, s, keep, 0)
			if tt.level < exporter.Content {
				want.Messages = []string{}
			}
			out := filepath.Join(dir, "scope-"+string(rune('a'+i))+".zip")
			res, err := exporter.Export(ctx, s, out, exporter.Options{Level: tt.level, Scope: tt.scope})
			if err != nil {
				t.Fatalf("Export: %v", err)
			}
			got, m := readArchive(t, out)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("archive records mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.scope, m.Scope, cmpEmpty); diff != "" {
				t.Errorf("manifest scope mismatch (-want +got):\n%s", diff)
			}
			var rooms []string
			for _, r := range res.Rooms {
				if !keep(r.Category) {
					rooms = append(rooms, r.Name)
				}
			}
			if len(rooms) > 0 {
				t.Errorf("Result.Rooms lists rooms outside the scope: %v", rooms)
			}
		})
	}
}

// cmpEmpty treats nil and empty slices alike.
var cmpEmpty = cmp.Transformer("nonil", func(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
})

func TestExportUnknownScope(t *testing.T) {
	t.Parallel()
	dir, path := newSource(t)
	s := open(t, path, true)
	out := filepath.Join(dir, "out", "scoped.zip")
	_, err := exporter.Export(ctx, s, out, exporter.Options{Scope: []string{"Sales", "Sails", "Ghosts"}})
	if err == nil {
		t.Fatal("Export accepted a scope naming categories the pool does not have")
	}
	for _, name := range []string{`"Sails"`, `"Ghosts"`} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
	if strings.Contains(strings.SplitN(err.Error(), "(it has", 2)[0], `"Sales"`) {
		t.Errorf("error %q names a category that exists as unknown", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("Stat(archive) = %v, want no archive", err)
	}
}

func TestExportSince(t *testing.T) {
	t.Parallel()
	dir, path := newSource(t)
	s := open(t, path, true)
	var dates []int64
	if err := s.StreamMessages(ctx, store.MessageFilter{}, func(m pchat.Message) error {
		dates = append(dates, m.Date)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(dates)
	tests := []struct {
		name  string
		since int64 // ticks
	}{
		{"before the first message", dates[0] - 1},
		{"at the first message", dates[0]},
		{"at the median message", dates[len(dates)/2]},
		{"just after the median message", dates[len(dates)/2] + 1},
		{"at the last message", dates[len(dates)-1]},
		{"after the last message", dates[len(dates)-1] + 1},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			since := pchat.TimeFromTicks(tt.since)
			want := readSource(t, s, all, tt.since)
			out := filepath.Join(dir, "since-"+string(rune('a'+i))+".zip")
			res, err := exporter.Export(ctx, s, out, exporter.Options{Since: since.In(time.FixedZone("CET", 3600))})
			if err != nil {
				t.Fatalf("Export: %v", err)
			}
			got, m := readArchive(t, out)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("archive records mismatch (-want +got):\n%s", diff)
			}
			if m.Since == nil || !m.Since.Equal(since) || res.Since == nil || !res.Since.Equal(since) {
				t.Errorf("manifest since %v, result since %v, want %v", m.Since, res.Since, since)
			}
			if len(res.Warnings) > 0 {
				t.Errorf("Result.Warnings = %q, want none", res.Warnings)
			}
		})
	}
}
