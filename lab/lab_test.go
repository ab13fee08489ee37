package lab_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/directory"
	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/topology"
)

var ctx = context.Background()

var files = []string{"source-2015.db", "target-2019.db", "topology.xml", "users.csv", "estate.lua"}

// small is a lab that is quick to write but has every kind of object.
func small(seed int64) lab.Options {
	return lab.Options{Users: 24, Categories: 6, Rooms: 12, Messages: 600, Seed: seed}
}

func initLab(t *testing.T, opts lab.Options) (string, *lab.Summary) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "estate")
	sum, err := lab.Init(ctx, dir, opts)
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	return dir, sum
}

func readFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		out[f] = b
	}
	return out
}

func openSource(t *testing.T, dir string) *store.Store {
	t.Helper()
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + filepath.Join(dir, "source-2015.db"), ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func TestInitIsDeterministic(t *testing.T) {
	t.Parallel()
	base := small(7)
	fewer := base
	fewer.Messages = 300
	tests := []struct {
		name     string
		a, b     lab.Options
		wantSame map[string]bool // per file: byte-identical or not
	}{
		{"same seed", base, base, map[string]bool{
			"source-2015.db": true, "target-2019.db": true, "topology.xml": true, "users.csv": true, "estate.lua": true}},
		{"other seed", base, small(8), map[string]bool{
			"source-2015.db": false, "target-2019.db": false, "topology.xml": true, "users.csv": false, "estate.lua": false}},
		// The principals come from their own stream: fewer messages, same users.
		{"fewer messages", base, fewer, map[string]bool{
			"source-2015.db": false, "target-2019.db": true, "topology.xml": true, "users.csv": true, "estate.lua": false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dirA, sumA := initLab(t, tt.a)
			dirB, sumB := initLab(t, tt.b)
			a, b := readFiles(t, dirA), readFiles(t, dirB)
			got := map[string]bool{}
			for _, f := range files {
				got[f] = bytes.Equal(a[f], b[f])
			}
			if diff := cmp.Diff(tt.wantSame, got); diff != "" {
				t.Errorf("files identical mismatch (-want +got):\n%s", diff)
			}
			if tt.a == tt.b {
				if diff := cmp.Diff(sumA, sumB); diff != "" {
					t.Errorf("Summary mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestInitRefusesToOverwrite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		existing  []string // files present before Init
		overwrite bool
		wantErr   error
	}{
		{"empty folder", nil, false, nil},
		{"whole estate", files, false, lab.ErrExists},
		{"one file", []string{"users.csv"}, false, lab.ErrExists},
		{"whole estate, overwrite", files, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			before := map[string]string{}
			for _, f := range tt.existing {
				before[f] = "old " + f
				if err := os.WriteFile(filepath.Join(dir, f), []byte(before[f]), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			state := filepath.Join(dir, ".pcmig")
			if err := os.Mkdir(state, 0o755); err != nil {
				t.Fatal(err)
			}
			opts := small(1)
			opts.Overwrite = tt.overwrite
			_, err := lab.Init(ctx, dir, opts)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Init error = %v, want %v", err, tt.wantErr)
			}
			got := map[string]string{}
			for _, f := range files {
				if b, err := os.ReadFile(filepath.Join(dir, f)); err == nil {
					got[f] = string(b)
				}
			}
			_, stateErr := os.Stat(state)
			stateKept := stateErr == nil
			if tt.wantErr != nil {
				if diff := cmp.Diff(before, got); diff != "" {
					t.Errorf("files after a refused Init mismatch (-want +got):\n%s", diff)
				}
			} else {
				for _, f := range files {
					if strings.HasPrefix(got[f], "old ") || got[f] == "" {
						t.Errorf("%s was not written", f)
					}
				}
			}
			// Overwriting resets the run state of the old estate; nothing else does.
			if want := !tt.overwrite; stateKept != want {
				t.Errorf(".pcmig kept = %v, want %v", stateKept, want)
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".lab-init-") {
					t.Errorf("temporary folder %s left behind", e.Name())
				}
			}
		})
	}
}

func TestInitRejectsBadOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts lab.Options
		want string
	}{
		{"too few users", lab.Options{Users: 3}, "users: 3 is out of range"},
		{"negative messages", lab.Options{Messages: -1}, "messages: -1 is out of range"},
		{"bad admin", lab.Options{Admin: "pc admin"}, `administrator "pc admin"`},
		{"bad domain", lab.Options{Domain: "contoso"}, `domain "contoso"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "estate")
			_, err := lab.Init(ctx, dir, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Init error = %v, want one containing %q", err, tt.want)
			}
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("Init with bad options created %s", dir)
			}
		})
	}
}

// TestInitHundredThousandMessages writes a large history in one go.
func TestInitHundredThousandMessages(t *testing.T) {
	t.Parallel()
	start := time.Now()
	dir, sum := initLab(t, lab.Options{Messages: 100_000, Seed: 3})
	t.Logf("Init with 100,000 messages took %v", time.Since(start).Round(time.Millisecond))
	s := openSource(t, dir)
	stats, err := s.MessageStats(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var total, bytes int64
	for id, st := range stats {
		total += st.Messages
		bytes += st.ContentBytes
		if st.LastChatID != st.Messages {
			t.Errorf("room %d: tblLastChatId %d, want %d (its message count)", id, st.LastChatID, st.Messages)
		}
	}
	if diff := cmp.Diff([]int64{100_000, 100_000, sum.ContentBytes}, []int64{sum.Messages, total, bytes}); diff != "" {
		t.Errorf("messages and content bytes mismatch (-want +got):\n%s", diff)
	}
}

// TestSourceHistory checks the messages room by room: chat IDs 1..n,
// strictly increasing time stamps within the lab's history, posters who
// are users of the room, and the variety of content.
func TestSourceHistory(t *testing.T) {
	t.Parallel()
	dir, sum := initLab(t, small(11))
	s := openSource(t, dir)
	rooms, err := s.Rooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	prins, err := s.Principals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	users := map[int32]bool{}
	for _, p := range prins {
		users[p.ID] = p.Type == pchat.TypeUser
	}
	from, to := pchat.TicksFromTime(time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)), pchat.TicksFromTime(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	var withRTF, withoutRTF, alerts, links, nonASCII, emoji int
	empty := 0
	for _, r := range rooms {
		members := map[int32]bool{}
		for _, m := range r.Members {
			members[m] = true
		}
		var n int64
		last := int64(0)
		err := s.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{r.ID}}, func(m pchat.Message) error {
			n++
			if m.ChatID != n {
				t.Errorf("room %q: chat ID %d, want %d", r.Name, m.ChatID, n)
			}
			if m.Date <= last || m.Date < from || m.Date >= to {
				t.Errorf("room %q message %d: time stamp %d not after %d or outside 2016..2024", r.Name, m.ChatID, m.Date, last)
			}
			last = m.Date
			if !users[m.UserID] || !members[m.UserID] {
				t.Errorf("room %q message %d: poster %d is not a user member of the room", r.Name, m.ChatID, m.UserID)
			}
			if r.Type == pchat.Auditorium && !slices.Contains(r.Presenters, m.UserID) {
				t.Errorf("auditorium %q message %d: poster %d is not a presenter", r.Name, m.ChatID, m.UserID)
			}
			if m.RTF != nil {
				withRTF++
				if !strings.HasPrefix(*m.RTF, `{\rtf1\ansi`) || strings.ContainsFunc(*m.RTF, func(c rune) bool { return c > 0x7f }) {
					t.Errorf("room %q message %d: RTF %q is not ASCII RTF", r.Name, m.ChatID, *m.RTF)
				}
			} else {
				withoutRTF++
			}
			if m.Alert {
				alerts++
			}
			if strings.HasPrefix(m.Content, "ma-filelink:///") {
				links++
			}
			if strings.ContainsFunc(m.Content, func(c rune) bool { return c > 0x7f }) {
				nonASCII++
			}
			if strings.ContainsFunc(m.Content, func(c rune) bool { return c >= 0x1f300 }) {
				emoji++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != sum.MessagesPerRoom[r.Name] {
			t.Errorf("room %q: %d messages, summary says %d", r.Name, n, sum.MessagesPerRoom[r.Name])
		}
		if n == 0 {
			empty++
		}
	}
	got := map[string]bool{"rtf": withRTF > 0, "no rtf": withoutRTF > 0, "alerts": alerts > 0, "file links": links > 0,
		"non-ASCII": nonASCII > 0, "emoji": emoji > 0, "empty rooms": empty > 0, "busy rooms": empty < len(rooms)}
	want := map[string]bool{"rtf": true, "no rtf": true, "alerts": true, "file links": true,
		"non-ASCII": true, "emoji": true, "empty rooms": true, "busy rooms": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("message variety mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(sum.Alerts, int64(alerts)); diff != "" {
		t.Errorf("alerts mismatch (-want +got):\n%s", diff)
	}
}

// TestEstateFiles reads the estate, topology and directory back with the
// packages that use them.
func TestEstateFiles(t *testing.T) {
	t.Parallel()
	dir, sum := initLab(t, small(5))
	e, err := estate.Load(ctx, filepath.Join(dir, lab.EstateFile))
	if err != nil {
		t.Fatal(err)
	}
	type estateView struct {
		Kind, Site, Topology, Directory, Archive, Runbook, State string
		Source, Target                                           estate.Pool
		Export                                                   string
		Creators                                                 map[string][]string
	}
	got := estateView{e.Kind, e.Site, e.Topology, e.Directory, e.Archive, e.Runbook, e.State, *e.Source, e.Target,
		e.Export.Level, e.Creators}
	want := estateView{"lab", "Redmond", filepath.Join(dir, "topology.xml"), filepath.Join(dir, "users.csv"),
		filepath.Join(dir, "archive", "pchat-2015.zip"), filepath.Join(dir, "runbook.ps1"), filepath.Join(dir, ".pcmig"),
		estate.Pool{Pool: "pchat15.contoso.com", Registrar: "fe15.contoso.com", DB: estate.DB{DSN: "sqlite:source-2015.db"},
			FileStore: filepath.Join(dir, "filestore-2015")},
		estate.Pool{Pool: "pchat19.contoso.com", Registrar: "fe19.contoso.com", DB: estate.DB{DSN: "sqlite:target-2019.db"},
			FileStore: filepath.Join(dir, "filestore-2019")},
		"All", map[string][]string{"*": {"sip:pcadmin@contoso.com"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("estate mismatch (-want +got):\n%s", diff)
	}

	data, err := os.ReadFile(e.Topology)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := topology.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := doc.DefaultPersistentChatPool("Redmond")
	type poolView struct{ FQDN, DBInstance, Database, NextHop string }
	var pools []poolView
	for _, p := range doc.PersistentChatPools() {
		pools = append(pools, poolView{p.FQDN, p.Store.DBInstance, p.Store.Database, p.NextHop})
	}
	wantPools := []poolView{
		{"pchat15.contoso.com", `sql15.contoso.com\rtc`, "mgc", "fe15.contoso.com"},
		{"pchat19.contoso.com", `sql19.contoso.com\rtc`, "mgc", "fe19.contoso.com"},
	}
	if diff := cmp.Diff(wantPools, pools); diff != "" {
		t.Errorf("Persistent Chat pools mismatch (-want +got):\n%s", diff)
	}
	if def != "pchat15.contoso.com" {
		t.Errorf("default Persistent Chat pool of Redmond = %q, want pchat15.contoso.com", def)
	}

	csv, err := os.ReadFile(e.Directory)
	if err != nil {
		t.Fatal(err)
	}
	d, problems, err := directory.Parse(csv)
	if err != nil || len(problems) > 0 {
		t.Fatalf("directory.Parse: %v %v", problems, err)
	}
	active := map[string]bool{}
	for _, p := range mustPrincipals(t, openSource(t, dir)) {
		if p.Type == pchat.TypeUser && p.State == pchat.Active {
			active[p.URI] = true
		}
	}
	listed := map[string]bool{}
	for _, u := range d.Users() {
		if u.RegistrarPool != "fe15.contoso.com" {
			t.Errorf("%s is homed on %s, want fe15.contoso.com", u.SipAddress, u.RegistrarPool)
		}
		listed[u.SipAddress] = true
	}
	if diff := cmp.Diff(active, listed); diff != "" {
		t.Errorf("users.csv against the active users of the pool (-want +got):\n%s", diff)
	}
	if len(listed) != sum.ActiveUsers {
		t.Errorf("users.csv lists %d users, summary says %d active", len(listed), sum.ActiveUsers)
	}
}

func mustPrincipals(t *testing.T, s *store.Store) []pchat.Principal {
	t.Helper()
	p, err := s.Principals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
