package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/store"
)

// TestDoctorStoppedSaysSo: a doctor whose context ends (Ctrl-C, a run's
// --timeout) fails the checks it had not finished. Each such line's advice
// was "see the error; the login may lack VIEW DEFINITION or the table may
// be missing", on an embedded database too, where there is no login: a
// run stopped by its time limit printed four such lines. Now a check
// stopped so says that it was stopped, and no embedded database's line
// names a SQL Server permission.
func TestDoctorStoppedSaysSo(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pool.db")
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := store.OpenDoctor(ctx, store.Config{DSN: "sqlite:" + path})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stopped, cancel := context.WithCancel(ctx)
	cancel()
	rep, err := db.Check(stopped, store.DoctorOptions{Role: store.RoleTarget})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range rep.Checks {
		if strings.Contains(c.Action, "VIEW DEFINITION") {
			t.Errorf("%s %s: %s -> %s: names a SQL Server permission for an embedded database", c.Status, c.Check, c.Message, c.Action)
		}
		if strings.Contains(c.Message, "could not check") {
			n++
			if !strings.Contains(c.Action, "stopped") {
				t.Errorf("%s %s: %s -> %s: does not say the doctor was stopped", c.Status, c.Check, c.Message, c.Action)
			}
		}
	}
	if n == 0 {
		t.Fatalf("no check could not be made with a cancelled context:\n%s", showReport(rep))
	}
}
