package store

import "context"

// ExecOnPool runs query on the store's connection pool, outside pcmig's
// own statements (tests of what a session keeps).
func ExecOnPool(ctx context.Context, s *Store, query string) error {
	_, err := s.db.ExecContext(ctx, query)
	return err
}

// AfterNodeGUIDs runs fn inside a write transaction of s, after the read
// that decides whether the node GUIDs are free.
func AfterNodeGUIDs(ctx context.Context, s *Store, guids []string, fn func() error) error {
	return s.write(ctx, "read the node GUIDs", func(q querier) error {
		if _, err := s.takenGUIDs(ctx, q, "tblNode", "nodeGuid", guids); err != nil {
			return err
		}
		return fn()
	})
}
