package bindings_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// TestEstatePoolTableKeepsItsPassword: require("estate") masks a DSN's
// password, and a script that passes the estate's own pool table to a module
// (category.list(estate.target)) still connects with the estate's DSN, not
// the masked one.
func TestEstatePoolTableKeepsItsPassword(t *testing.T) {
	t.Parallel()
	dir := newLab(t, smallLab(1))
	const dsn = "sqlserver://sa:Sekr3tPassw0rd@127.0.0.1:1?database=mgc"
	editEstate(t, dir, `db = "sqlite:target-2019.db"`, `db = "`+dsn+`"`)
	env := newEnv(t, dir)
	var mu sync.Mutex
	var opened []string
	env.OpenStore = func(ctx context.Context, cfg store.Config) (*store.Store, error) {
		mu.Lock()
		opened = append(opened, cfg.DSN)
		mu.Unlock()
		return nil, errors.New("no server here")
	}
	var out strings.Builder
	src := `local e = require("estate")
print(e.target.db)
print(pcall(require("category").list, e.target))
print(pcall(require("category").list, { pool = "other.contoso.com", db = "sqlserver://sa:xxxxx@127.0.0.1:1?database=mgc" }))
`
	_, err := pcrt.Run(t.Context(), pcrt.Script{Name: "s.lua", Source: []byte(src)},
		pcrt.Options{Modules: env.Modules(), Now: clock, DryRun: true, Stdout: &out, Stderr: &out})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if strings.Contains(out.String(), "Sekr3t") {
		t.Errorf("the script saw the password:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "sqlserver://sa:xxxxx@127.0.0.1:1?database=mgc") {
		t.Errorf("the script's estate.target.db is not the masked DSN:\n%s", out.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(opened) < 1 || opened[0] != dsn {
		t.Errorf("opened %q, want the estate's DSN first", opened)
	}
}
