package lab

import (
	"context"
	"errors"
	"fmt"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// messageBatch is about how many messages one transaction carries.
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
// counts the messages into sum. The structure goes in a few set-based
// transactions (principals, affiliations, add-ins, then every category and
// room with its lists); the messages in transactions of about
// messageBatch messages each, whatever the number of rooms.
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
	if err := writeNodes(ctx, s, p); err != nil {
		return err
	}
	if err := writeMessages(ctx, s, p, g, sum); err != nil {
		return err
	}
	return writeServer(ctx, s, p.opts.SourcePool, p.poolGUID)
}

// writeNodes creates every category and room with its lists in one
// transaction.
func writeNodes(ctx context.Context, s *store.Store, p *plan) error {
	admin := p.dir.admin.p.ID
	var c store.Changes
	cats := make([]int32, len(p.cats))
	for i, cat := range p.cats {
		cat.c.AllowedMembers, cat.c.DeniedMembers, cat.c.Creators = ids(cat.allowed), ids(cat.denied), ids(cat.creators)
		cat.c.AddedBy, cat.c.UpdatedBy = admin, admin
		cats[i] = c.Category(cat.c)
	}
	index := make(map[*category]int, len(p.cats))
	for i, cat := range p.cats {
		index[cat] = i
	}
	rooms := make([]int32, len(p.rooms))
	for i, r := range p.rooms {
		r.r.CategoryID = cats[index[r.cat]]
		r.r.Members, r.r.Managers, r.r.Presenters = ids(r.members), ids(r.managers), ids(r.presenters)
		r.r.AddedBy = r.managers[0].p.ID // a room's creator becomes a manager
		r.r.UpdatedBy = r.r.AddedBy
		rooms[i] = c.Room(r.r)
	}
	a, err := s.Apply(ctx, &c)
	if err != nil {
		return err
	}
	for i, cat := range p.cats {
		cat.c.ID = a.ID(cats[i])
	}
	for i, r := range p.rooms {
		r.r.ID, r.r.CategoryID = a.ID(rooms[i]), r.cat.c.ID
	}
	return nil
}

// writePrincipals inserts every principal in one transaction and their
// affiliations in another.
func writePrincipals(ctx context.Context, s *store.Store, d *adPlan) error {
	ps := make([]pchat.Principal, len(d.all))
	for i, pr := range d.all {
		ps[i] = pr.p
	}
	got, created, err := s.EnsurePrincipals(ctx, ps)
	if err != nil {
		return err
	}
	if created != len(ps) {
		return fmt.Errorf("lab: %d of %d principals collide with others", len(ps)-created, len(ps))
	}
	var affs []store.Affiliation
	for i, pr := range d.all {
		pr.p.ID = got[i]
	}
	for _, pr := range d.all {
		for _, a := range pr.aff {
			affs = append(affs, store.Affiliation{Principal: pr.p.ID, Of: a.p.ID})
		}
	}
	_, err = s.AddAffiliationsBatch(ctx, affs)
	return err
}

// writeMessages generates each room's messages and appends them in
// transactions of about messageBatch messages, several rooms to one.
func writeMessages(ctx context.Context, s *store.Store, p *plan, g gen, sum *Summary) error {
	for i, n := range allocate(g, len(p.rooms), p.opts.Messages) {
		p.rooms[i].messages = n
	}
	var runs []store.RoomMessages
	pending := 0
	flush := func() error {
		if pending == 0 {
			return nil
		}
		if _, err := s.AppendRoomMessages(ctx, runs); err != nil {
			return err
		}
		runs, pending = runs[:0], 0
		return nil
	}
	for _, r := range p.rooms {
		err := roomMessages(g, p.opts, r, messageBatch, func(batch []pchat.Message) error {
			runs = append(runs, store.RoomMessages{Room: r.r.ID, Msgs: append([]pchat.Message(nil), batch...)})
			pending += len(batch)
			for _, m := range batch {
				sum.count(r.r.Name, m)
			}
			if pending >= messageBatch {
				return flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return flush()
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
