package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Shape is what a database holds, in three figures cheap to read however
// large its history: a resumed run compares them with what the run it
// resumes left, to tell the database it worked on from another one under
// the same name (a backup restored, an empty copy). None of them shrinks
// while pcmig migrates into a pool: rows are added, rooms are disabled,
// not removed (pcmig's probe room is removed in the step that creates it).
type Shape struct {
	// Nodes are tblNode's rows: categories and rooms.
	Nodes int64 `json:"nodes"`
	// Principals are tblPrincipal's rows.
	Principals int64 `json:"principals"`
	// Messages is the sum of tblLastChatId's lastChatID, one row per
	// room: the chat IDs the rooms have used.
	Messages int64 `json:"messages"`
}

// Shape reads the database's Shape: two counts of structure tables and a
// sum over one row per room, never the message history.
func (s *Store) Shape(ctx context.Context) (Shape, error) {
	var sh Shape
	for _, c := range []struct {
		query string
		into  *int64
	}{
		{`SELECT COUNT(*) FROM tblNode`, &sh.Nodes},
		{`SELECT COUNT(*) FROM tblPrincipal`, &sh.Principals},
		{`SELECT SUM(lastChatID) FROM tblLastChatId`, &sh.Messages},
	} {
		var n sql.NullInt64
		if err := s.q().QueryRowContext(ctx, c.query).Scan(&n); err != nil {
			return Shape{}, s.wrap(fmt.Sprintf("read the database's shape (%s)", c.query), err)
		}
		*c.into = n.Int64
	}
	return sh, nil
}

// Revision reads tblSystemRevision's sysRevision (the highest, were there
// several rows; 0 when there is none), which every write transaction of
// pcmig moves on (Store.write), as the server does after each change
// (documented as inferred: the reference's tblSystemRevision). A resumed
// run tells by it a database written since its record (objects a step of
// the run removed) from one put under its name (a backup restored, a
// copy), whose revision has not moved past the record's.
func (s *Store) Revision(ctx context.Context) (int64, error) {
	var n sql.NullInt64
	if err := s.q().QueryRowContext(ctx, `SELECT MAX(sysRevision) FROM tblSystemRevision`).Scan(&n); err != nil {
		return 0, s.wrap("read the database's revision (tblSystemRevision)", err)
	}
	return n.Int64, nil
}
