package bindings

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/jsonerr"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// shapesRecorder keeps, with each finished step, what the databases the
// run has open hold (store.Shape) and their pool IDs, by pool role; a
// resumed run first checks that each database holds at least what the
// last finished step that saw it left, with the same pool ID
// (CheckResume). A database replaced under its name by an empty copy or a
// backup taken before the import is refused, naming it, before anything
// runs: the resumed run would skip the import and switch the topology to
// a pool without its rooms. Pool names and counts only: no secret.
type shapesRecorder struct{ e *Env }

// shapeRecord is one database in a step's record.
type shapeRecord struct {
	PoolID string `json:"pool_id,omitempty"`
	store.Shape
	// Revision is the target's tblSystemRevision (Store.Revision); 0
	// when it could not be read, or in a record of an older pcmig.
	Revision int64 `json:"revision,omitempty"`
}

// StepStarted does nothing: the record is taken at the step's end.
func (shapesRecorder) StepStarted(string) {}

// StepFinished records the pool ID of every database of the estate that
// this process has open, and the target's shape: a source is held to its
// pool ID only (CheckResume), so its figures would be read for nothing.
func (r shapesRecorder) StepFinished(string) (json.RawMessage, error) {
	e := r.e
	rec := map[string]shapeRecord{}
	if e.Estate != nil {
		for _, rp := range e.Estate.Roles() {
			cfg, err := rp.Pool.DB.Config(e.dir(), e.secretEnv)
			if err != nil {
				continue
			}
			e.mu.Lock()
			s, ok := e.stores[cfg.Describe()]
			e.mu.Unlock()
			if !ok {
				continue
			}
			sr, err := readShape(context.Background(), s, rp.Role == "target")
			if err != nil {
				return nil, fmt.Errorf("the %s database: %w", rp.Role, err)
			}
			rec[rp.Role] = sr
		}
	}
	return json.Marshal(rec)
}

// StepRestored has nothing to restore.
func (shapesRecorder) StepRestored(string, json.RawMessage) error { return nil }

// readShape reads the database's pool ID and, with counts, its shape.
func readShape(ctx context.Context, s *store.Store, counts bool) (shapeRecord, error) {
	id, err := s.PoolID(ctx)
	if err != nil || !counts {
		return shapeRecord{PoolID: id}, err
	}
	sh, err := s.Shape(ctx)
	if err != nil {
		return shapeRecord{}, err
	}
	// A revision that cannot be read is unknown (0): the figures are
	// still compared, as in a record that has none.
	rev, _ := s.Revision(ctx)
	return shapeRecord{PoolID: id, Shape: sh, Revision: rev}, nil
}

// CheckResume compares each database the records name, opened read-only,
// with its latest record.
//
// A target that holds less than the record but whose revision moved past
// the record's was written since: it is the database the run worked on,
// from which a step of the run (the one it stopped in: a script of the
// administrator's own may remove rooms) or an administrator removed
// objects; the run is resumed, with a warning naming what it lacks. A
// target that holds less and whose revision has not moved (or is not
// known) is refused: a backup restored, a copy, or rows deleted straight
// in the database cannot be told apart, and a resumed run would skip the
// steps made on the database the run left.
func (r shapesRecorder) CheckResume(c pcrt.ResumeCheck) error {
	e, recs := r.e, c.Records
	if e.Estate == nil {
		return nil
	}
	type seen struct {
		step string
		rec  shapeRecord
	}
	last := map[string]seen{}
	for _, rc := range recs {
		var m map[string]shapeRecord
		if err := json.Unmarshal(rc.Data, &m); err != nil {
			return fmt.Errorf("the journal's record of the databases after step %q is not valid: %s", rc.Step, jsonerr.Describe(rc.Data, err, &m))
		}
		for role, sr := range m {
			last[role] = seen{rc.Step, sr}
		}
	}
	var probs []string
	for _, rp := range e.Estate.Roles() {
		was, ok := last[rp.Role]
		if !ok {
			continue
		}
		cfg, err := rp.Pool.DB.Config(e.dir(), e.secretEnv)
		if err != nil {
			continue // the run says so when it opens the pool
		}
		now, err := openShape(cfg, rp.Role == "target", e.OpenStore)
		if err != nil {
			probs = append(probs, fmt.Sprintf("the %s database %s cannot be read to check that it is the one the run left after step %q (%v)", rp.Role, cfg.Describe(), was.step, err))
			continue
		}
		var less []string
		for _, f := range []struct {
			what     string
			was, now int64
		}{
			{"categories and rooms", was.rec.Nodes, now.Nodes},
			{"principals", was.rec.Principals, now.Principals},
			{"chat IDs used", was.rec.Messages, now.Messages},
		} {
			// Only the target is held to it: a source is a live pool,
			// whose administrators may remove rooms meanwhile (the
			// documented clean-up before a migration removes disabled
			// ones with Remove-CsPersistentChatRoom), and the run does not
			// write what it reads from there.
			if f.now < f.was && rp.Role == "target" {
				less = append(less, fmt.Sprintf("%s: %d now, %d then", f.what, f.now, f.was))
			}
		}
		switch {
		case was.rec.PoolID != "" && now.PoolID != was.rec.PoolID:
			id := now.PoolID
			if id == "" {
				id = "none"
			}
			probs = append(probs, fmt.Sprintf("the %s database %s has pool ID %s, the run's had %s after step %q: another database under its name",
				rp.Role, cfg.Describe(), id, was.rec.PoolID, was.step))
		case len(less) > 0:
			if p, warning := shrunk(rp.Role, cfg.Describe(), was.step, c.Stopped, less, was.rec.Revision, now.Revision); p != "" {
				probs = append(probs, p)
			} else if c.Warnf != nil {
				c.Warnf("%s", warning)
			}
		}
	}
	if len(probs) > 0 {
		return errors.New(strings.Join(probs, "; "))
	}
	return nil
}

// shrunk is what a resume says of a target that holds less than the
// record of step (less: the figures, "X: N now, M then") with revision
// was then and now now: a refusal, or when the revision moved on, a
// warning.
func shrunk(role, db, step, stopped string, less []string, was, now int64) (refusal, warning string) {
	figures := strings.Join(less, "; ")
	by := "by hand"
	if stopped != "" {
		by = fmt.Sprintf("by step %q, in which the run stopped, or by hand", stopped)
	}
	switch {
	case was > 0 && now > was:
		return "", fmt.Sprintf("the %s database %s holds less than after step %q (%s) and was written after it (revision %d now, %d then): objects were removed after that step: %s; the resumed run goes on with the database as it is (what was removed is not brought back)",
			role, db, step, figures, now, was, by)
	case was > 0 && now > 0:
		return fmt.Sprintf("the %s database %s holds less than the run left in it after step %q (%s) and its revision (tblSystemRevision, which every write of pcmig or the server moves on) has not moved since (%d now, %d then): a backup restored or a copy under its name, or rows deleted straight in the database, not the database the run left; if the rows were deleted on purpose, --fresh starts over",
			role, db, step, figures, now, was), ""
	}
	return fmt.Sprintf("the %s database %s holds less than the run left in it after step %q (%s): a backup restored or an empty copy under its name, not the database the run worked on, unless objects were removed since (%s): then --fresh starts over",
		role, db, step, figures, by), ""
}

// openShape is readShape of a database opened read-only for it.
func openShape(cfg store.Config, counts bool, open func(context.Context, store.Config) (*store.Store, error)) (shapeRecord, error) {
	if open == nil {
		open = store.Open
	}
	cfg.ReadOnly = true
	ctx := context.Background()
	s, err := open(ctx, cfg)
	if err != nil {
		return shapeRecord{}, err
	}
	sr, err := readShape(ctx, s, counts)
	return sr, errors.Join(err, s.Close())
}
