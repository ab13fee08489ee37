package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
)

// DoctorDB is a database opened for the doctor: read-only, without the
// open-time checks of Open, so that a database Open would refuse is still
// described line by line. A doctor of several databases that need each
// other's figures (an estate: the sources' names are compared as the
// target compares names, and the target's free space is held against what
// the sources hold) opens each database once, asks it for those figures,
// checks each and closes them.
type DoctorDB struct {
	cfg  Config
	kind string
	// s is the open database; nil when the connection failed, and err
	// says why (the report's connection line).
	s   *Store
	err error
	// own is whether Close closes s (not when it shares an open store's
	// connection: DoctorOn).
	own bool
}

// OpenDoctor opens the database of cfg for the doctor. The error is only
// for a configuration that names no database: a failed connection is kept
// for the report (Check), and the other methods then answer nothing.
func OpenDoctor(ctx context.Context, cfg Config) (*DoctorDB, error) {
	return openDoctor(ctx, cfg, nil)
}

func openDoctor(ctx context.Context, cfg Config, conn driver.Connector) (*DoctorDB, error) {
	kind, err := cfg.Kind()
	if err != nil {
		return nil, cfg.redactErr(err)
	}
	cfg = doctorConfig(cfg)
	db := &DoctorDB{cfg: cfg, kind: kind, own: true}
	db.s, db.err = openForDoctor(ctx, cfg, kind, conn)
	return db, nil
}

// DoctorOn is the database an open store works on (in a dry run, the real
// database behind its scratch copy), through the store's own connection;
// closing it leaves the store open.
func DoctorOn(s *Store) *DoctorDB {
	cfg := doctorConfig(s.cfg)
	return &DoctorDB{cfg: cfg, kind: s.histDialect.name(), s: newStore(cfg, s.hist, s.histDialect)}
}

// Check runs every check (docs/doctor.md) and returns the report. The
// error is only for an unknown role.
func (db *DoctorDB) Check(ctx context.Context, opts DoctorOptions) (*DoctorReport, error) {
	rep, err := newDoctorReport(db.cfg, db.kind, opts)
	if err != nil {
		return nil, err
	}
	if db.s == nil {
		rep.add(DoctorFail, "connection", db.cfg.Redact(db.err.Error()), "fix the connection first; nothing else can be checked")
		return rep, nil
	}
	return runDoctor(ctx, rep, db.s, opts), nil
}

// NameCollation is how the database compares category and room names
// (the collation of tblNode.nodeName): for a target, how its import
// compares an archive's names (DoctorOptions.TargetNames of its sources).
// nil when the database cannot be read or has no such column: its own
// report says why.
func (db *DoctorDB) NameCollation(ctx context.Context) *Collation {
	if db.s == nil {
		return nil
	}
	cat, err := readCatalog(ctx, db.s.q(), db.s.dialect)
	if err != nil {
		return nil
	}
	col, ok := cat.column("tblNode", "nodeName")
	if !ok || !col.IsText() {
		return nil
	}
	c := col.Collation
	return &c
}

// MessageSize is what the database's messages amount to, as an import of
// them would write them (DoctorOptions.ImportBytes and ImportMessages of
// their target), or why they cannot be read. With a scope (category
// names, as an export's scope), only the messages of those categories'
// rooms (ScopeRooms).
func (db *DoctorDB) MessageSize(ctx context.Context, scope ...string) (bytes, msgs int64, err error) {
	if db.s == nil {
		return 0, 0, errors.New("the database could not be opened")
	}
	return MessageSizeIn(ctx, db.s, scope)
}

// MessageSizeIn is MessageSize of the store s: all its messages, or with a
// scope those of the rooms of its categories.
func MessageSizeIn(ctx context.Context, s *Store, scope []string) (bytes, msgs int64, err error) {
	var in map[int32]bool
	if len(scope) > 0 {
		rooms, err := s.ScopeRooms(ctx, scope)
		if err != nil {
			return 0, 0, err
		}
		in = make(map[int32]bool, len(rooms))
		for _, r := range rooms {
			in[r] = true
		}
	}
	stats, err := s.MessageStats(ctx, 0)
	if err != nil {
		return 0, 0, err
	}
	for id, st := range stats {
		if in == nil || in[id] {
			bytes, msgs = bytes+st.ContentBytes, msgs+st.Messages
		}
	}
	return bytes, msgs, nil
}

// ScopeRooms are the nodeIDs of the rooms of the named categories, the
// names found as an export finds its scope's (the database's comparison of
// names, NameKey); a name the database lacks adds none. It reads tblNode's
// IDs, names and parents only (a doctor's store reads no role or enum).
func (s *Store) ScopeRooms(ctx context.Context, scope []string) ([]int32, error) {
	want := map[string]bool{}
	for _, n := range scope {
		want[s.NameKey(n)] = true
	}
	rows, err := s.q().QueryContext(ctx, `SELECT nodeID, CASE WHEN nodeType = 0 THEN 0 ELSE 1 END, nodeName, parentID FROM tblNode WHERE nodeType IN (0, 1)`)
	if err != nil {
		return nil, s.wrap("read the scope's rooms", err)
	}
	defer rows.Close()
	cats := map[int32]bool{}
	type room struct{ id, parent int32 }
	var rooms []room
	for rows.Next() {
		var id int32
		var typ int
		var name string
		var parent sql.NullInt32
		if err := rows.Scan(&id, &typ, &name, &parent); err != nil {
			return nil, s.wrap("read the scope's rooms", err)
		}
		if typ == 1 && want[s.NameKey(name)] {
			cats[id] = true
		} else if typ == 0 && parent.Valid {
			rooms = append(rooms, room{id, parent.Int32})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("read the scope's rooms", err)
	}
	var out []int32
	for _, r := range rooms {
		if cats[r.parent] {
			out = append(out, r.id)
		}
	}
	return out, nil
}

// Close releases the database (not an open store's: DoctorOn).
func (db *DoctorDB) Close() error {
	if db.s == nil || !db.own {
		return nil
	}
	return db.s.Close()
}
