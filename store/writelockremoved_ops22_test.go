package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/pchat"
)

// TestWriterLockFileRemovedSQLite: the writer lock file of an embedded
// database removed by hand while a writer holds it (thought stale) guards
// nothing: a second writer opens the database and locks a file of its
// own. Before, both then wrote (two imports of one archive into one
// target, each appending the messages), and the first one's Close removed
// the second's lock file. Now the first refuses every write from then on
// (ErrLockLost) and its Close leaves the second's file alone.
func TestWriterLockFileRemovedSQLite(t *testing.T) {
	ctx := WithCommand(context.Background(), "pcmig import")
	path := filepath.Join(t.TempDir(), "pool.db")
	cfg := Config{DSN: "sqlite:" + path, Create: true}
	first, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.CreateCategory(ctx, pchat.Category{Name: "before"}); err != nil {
		t.Fatalf("write while the lock is held: %v", err)
	}
	lock := path + ".pcmig-lock"
	if err := os.Remove(lock); err != nil {
		t.Fatal(err)
	}
	second, err := Open(WithCommand(context.Background(), "pcmig run"), cfg)
	if err != nil {
		t.Fatalf("second writer once the lock file was removed: %v", err)
	}
	if _, err := first.CreateCategory(ctx, pchat.Category{Name: "after"}); !errors.Is(err, ErrLockLost) {
		t.Errorf("the first writer's write after its lock file was removed: %v, want ErrLockLost", err)
	}
	if _, err := second.CreateCategory(ctx, pchat.Category{Name: "second"}); err != nil {
		t.Errorf("the second writer's write: %v", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(lock); err != nil {
		t.Errorf("the first writer's Close removed the second's lock file: %v", err)
	}
	if _, err := Open(ctx, cfg); !errors.Is(err, ErrLocked) {
		t.Errorf("a third writer while the second holds the lock: %v, want ErrLocked", err)
	}
	if err := second.Close(); err != nil {
		t.Fatal(err)
	}
}
