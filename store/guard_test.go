package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/store/storetest"
)

// newPool creates an embedded pool at path and closes it.
func newPool(t *testing.T, path string) {
	t.Helper()
	s, err := store.Open(context.Background(), store.Config{DSN: "sqlite:" + path, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestLivePoolGuard(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	tests := []struct {
		name    string
		ping    string // serverLastPingTime as SQL text, "" for NULL
		blocked bool
	}{
		{"heartbeat a minute ago", now.Add(-time.Minute).Format("2006-01-02 15:04:05.000"), true},
		{"heartbeat a minute ago, ISO form", now.Add(-time.Minute).Format("2006-01-02T15:04:05.000Z"), true},
		{"heartbeat ahead of this clock", now.Add(5 * time.Minute).Format("2006-01-02 15:04:05"), true},
		{"heartbeat two hours ago", now.Add(-2 * time.Hour).Format("2006-01-02 15:04:05.000"), false},
		{"never pinged", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "pool.db")
			newPool(t, path)
			ping := "NULL"
			if tt.ping != "" {
				ping = "'" + tt.ping + "'"
			}
			labtest.ExecSQLite(t, path, `INSERT INTO tblServerIdentity VALUES (7, 'net.tcp://pchat01.contoso.com:8011', `+ping+`)`)

			s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, Now: clock})
			if err != nil {
				t.Fatal(err)
			}
			live, err := s.LiveServers(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(live) > 0; got != tt.blocked {
				t.Errorf("LiveServers() = %v, want live = %v", live, tt.blocked)
			}
			_, werr := s.CreateCategory(ctx, pchat.Category{Name: "c"})
			_, _, perr := s.EnsurePrincipal(ctx, pchat.Principal{URI: "sip:a@contoso.com", Type: pchat.TypeUser})
			cats, rerr := s.Categories(ctx)
			if rerr != nil {
				t.Errorf("Categories() on a live pool: %v (reads must work)", rerr)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if !tt.blocked {
				if werr != nil || perr != nil {
					t.Fatalf("writes = %v, %v; want them allowed", werr, perr)
				}
				return
			}
			for _, err := range []error{werr, perr} {
				if !errors.Is(err, store.ErrLivePool) {
					t.Fatalf("write error = %v, want ErrLivePool", err)
				}
				for _, w := range []string{"net.tcp://pchat01.contoso.com:8011", "stop the Persistent Chat services", "--force"} {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("write error %q does not say %q", err, w)
					}
				}
			}
			if len(cats) != 0 {
				t.Errorf("refused write left categories %v", cats)
			}
			// Forced, the same writes go through.
			s, err = store.Open(ctx, store.Config{DSN: "sqlite:" + path, Now: clock, Force: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if _, err := s.CreateCategory(ctx, pchat.Category{Name: "c"}); err != nil {
				t.Errorf("forced CreateCategory() = %v", err)
			}
			if _, _, err := s.EnsurePrincipal(ctx, pchat.Principal{URI: "sip:a@contoso.com", Type: pchat.TypeUser}); err != nil {
				t.Errorf("forced EnsurePrincipal() = %v", err)
			}
		})
	}
}

// TestShadowLeavesFileAlone writes through a shadow (dry-run) store and
// checks that reads see the writes while the file and its directory stay
// exactly as they were, and that the private copy is gone after Close.
func TestShadowLeavesFileAlone(t *testing.T) {
	ctx := context.Background()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where the shadow copy goes
	dir := t.TempDir()
	path := filepath.Join(dir, "pool.db")
	newPool(t, path)
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path})
	if err != nil {
		t.Fatal(err)
	}
	_, _, rid := addRoom(t, s, "existing", "existing room", 10)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)

	sh, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, Shadow: true})
	if err != nil {
		t.Fatal(err)
	}
	v := storetest.AddUser(t, sh, 2)
	cid2, err := sh.CreateCategory(ctx, pchat.Category{Name: "dry run"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sh.CreateRoom(ctx, pchat.Room{Name: "dry room", CategoryID: cid2, Privacy: pchat.Secret, Type: pchat.Normal, Members: []int32{v}}); err != nil {
		t.Fatal(err)
	}
	if first, err := sh.AppendMessages(ctx, rid, storetest.Msgs(5, v)); err != nil || first != 11 {
		t.Fatalf("AppendMessages() = %d, %v; want 11", first, err)
	}
	var names []string
	rooms, err := sh.Rooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rooms {
		names = append(names, r.Name)
	}
	if diff := cmp.Diff([]string{"dry room", "existing room"}, names); diff != "" {
		t.Errorf("shadow Rooms() mismatch (-want +got):\n%s", diff)
	}
	// The history is read from the database itself: the dry run's five
	// messages only moved its copy of the room's last chat ID.
	n := 0
	if err := sh.StreamMessages(ctx, store.MessageFilter{}, func(pchat.Message) error { n++; return nil }); err != nil || n != 10 {
		t.Errorf("shadow StreamMessages() = %d messages, %v; want the database's 10", n, err)
	}
	if last, err := sh.LastChatID(ctx, rid); err != nil || last != 15 {
		t.Errorf("shadow LastChatID() = %d, %v; want 15", last, err)
	}
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("shadow writes reached the directory (-before +after):\n%s", diff)
	}
	if err := sh.Close(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("directory changed after the shadow store closed (-before +after):\n%s", diff)
	}
	if left := snapshot(t, tmp); len(left) != 0 {
		t.Errorf("shadow store left %v in the temporary directory", left)
	}

	// A new shadow pool (Create) lives only in the temporary directory.
	newPath := filepath.Join(dir, "new.db")
	sh, err = store.Open(ctx, store.Config{DSN: "sqlite:" + newPath, Shadow: true, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sh.CreateCategory(ctx, pchat.Category{Name: "c"}); err != nil {
		t.Fatal(err)
	}
	if err := sh.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(newPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("shadow Create made %s (stat: %v)", newPath, err)
	}
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("shadow Create changed the directory (-before +after):\n%s", diff)
	}
	if left := snapshot(t, tmp); len(left) != 0 {
		t.Errorf("shadow store left %v in the temporary directory", left)
	}
}
