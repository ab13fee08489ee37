package bindings

import (
	"context"
	"fmt"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/estate"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// opened is a database a run has opened, with the pool it was opened for.
type opened struct {
	label  string
	cfg    store.Config
	poolID string
}

// claim checks, before a pool's database is opened or reused, that no
// other pool of the run is the same database (estate.SameDatabase): a run
// that exported from and imported into one pool would double its history.
func (e *Env) claim(L *lua.LState, p estate.Pool, cfg store.Config) {
	label := poolLabel(p, cfg.Describe())
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, o := range e.opened {
		if o.label != label && estate.SameDatabase(o.cfg, cfg) {
			pcrt.RaiseError(L, pcrt.KindValidation, "pools %s and %s are one database (%s): pcmig does not read and write one pool as two", o.label, label, cfg.Describe())
		}
	}
}

// identify records a newly opened database and checks its tblConfig pool
// ID against the other pools': a copy of a pool's database (restored, or
// reached by another name) is the same pool.
func (e *Env) identify(ctx context.Context, p estate.Pool, cfg store.Config, s *store.Store) error {
	label := poolLabel(p, cfg.Describe())
	id, err := s.PoolID(ctx)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, o := range e.opened {
		if id != "" && o.label != label && o.poolID == id {
			return fmt.Errorf("%w: pools %s and %s are the same pool (pool ID %s in tblConfig of %s and of %s): a copy of one pool's database cannot be the other pool",
				errSamePool, o.label, label, id, o.cfg.Describe(), cfg.Describe())
		}
	}
	e.opened = append(e.opened, opened{label: label, cfg: cfg, poolID: id})
	return nil
}
