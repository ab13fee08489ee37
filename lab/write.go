package lab

import (
	"context"
	"errors"
	"fmt"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// messageBatch is how many messages one AppendMessages call (one
// transaction) carries.
const messageBatch = 5000

func ids(ps []*prin) []int32 {
	out := make([]int32, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.p.ID)
	}
	return out
}

// openNew creates an embedded mgc at path.
func openNew(ctx context.Context, path string) (*store.Store, error) {
	return store.Open(ctx, store.Config{DSN: "sqlite:" + path, Create: true})
}

// writeSource writes the planned 2015 pool into a new database at path and
// counts the messages into sum.
func writeSource(ctx context.Context, path string, p *plan, g gen, sum *Summary) (err error) {
	s, err := openNew(ctx, path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	if err := writePrincipals(ctx, s, p.dir); err != nil {
		return err
	}
	for _, a := range p.addins {
		id, _, err := s.EnsureAddin(ctx, a)
		if err != nil {
			return err
		}
		if id != a.ID {
			return fmt.Errorf("lab: add-in %q got siopID %s, not the planned %s", a.Name, id, a.ID)
		}
	}
	admin := p.dir.admin.p.ID
	for _, c := range p.cats {
		c.c.AllowedMembers, c.c.DeniedMembers, c.c.Creators = ids(c.allowed), ids(c.denied), ids(c.creators)
		c.c.AddedBy, c.c.UpdatedBy = admin, admin
		if c.c.ID, err = s.CreateCategory(ctx, c.c); err != nil {
			return err
		}
	}
	for _, r := range p.rooms {
		r.r.CategoryID = r.cat.c.ID
		r.r.Members, r.r.Managers, r.r.Presenters = ids(r.members), ids(r.managers), ids(r.presenters)
		r.r.AddedBy = r.managers[0].p.ID // a room's creator becomes a manager
		r.r.UpdatedBy = r.r.AddedBy
		if r.r.ID, err = s.CreateRoom(ctx, r.r); err != nil {
			return err
		}
	}
	if err := writeMessages(ctx, s, p, g, sum); err != nil {
		return err
	}
	return writeServer(ctx, s, p.opts.SourcePool, p.poolGUID)
}

func writePrincipals(ctx context.Context, s *store.Store, d *adPlan) error {
	for _, pr := range d.all {
		id, created, err := s.EnsurePrincipal(ctx, pr.p)
		if err != nil {
			return err
		}
		if !created {
			return fmt.Errorf("lab: principal %s collides with principal %d", pr.p.URI, id)
		}
		pr.p.ID = id
	}
	for _, pr := range d.all {
		if len(pr.aff) == 0 {
			continue
		}
		if _, err := s.AddAffiliations(ctx, pr.p.ID, ids(pr.aff)); err != nil {
			return err
		}
	}
	return nil
}

func writeMessages(ctx context.Context, s *store.Store, p *plan, g gen, sum *Summary) error {
	for i, n := range allocate(g, len(p.rooms), p.opts.Messages) {
		p.rooms[i].messages = n
	}
	for _, r := range p.rooms {
		err := roomMessages(g, p.opts, r, messageBatch, func(batch []pchat.Message) error {
			if _, err := s.AppendMessages(ctx, r.r.ID, batch); err != nil {
				return err
			}
			for _, m := range batch {
				sum.count(r.r.Name, m)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// writeServer records the pool's tblConfig row and its server, stopped
// since the heartbeat instant.
func writeServer(ctx context.Context, s *store.Store, pool, poolGUID string) error {
	if err := s.SetConfig(ctx, "pool", pool, poolGUID); err != nil {
		return err
	}
	return s.RegisterServer(ctx, 1, "net.tcp://"+pool+":8011/", heartbeat)
}

// writeTarget writes the empty 2019 pool: schema, static rows, its
// tblConfig row and its server.
func writeTarget(ctx context.Context, path string, o Options) (err error) {
	s, err := openNew(ctx, path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	return writeServer(ctx, s, o.TargetPool, newGen(o.Seed, streamTarget).guid())
}
