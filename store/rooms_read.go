package store

// Set-based reads for the Lua modules over pools of tens of thousands of
// rooms (scale's, beside storewrite's read.go).

import (
	"context"
)

// RoomCounts returns how many rooms each category holds, keyed by the
// category's nodeID, without reading the rooms' role lists.
func (s *Store) RoomCounts(ctx context.Context) (map[int32]int, error) {
	rows, err := s.q().QueryContext(ctx, `SELECT parentID, COUNT(*) FROM tblNode WHERE nodeType = 0 AND parentID IS NOT NULL GROUP BY parentID`)
	if err != nil {
		return nil, s.wrap("count rooms", err)
	}
	defer rows.Close()
	out := map[int32]int{}
	for rows.Next() {
		var cat int32
		var n int
		if err := rows.Scan(&cat, &n); err != nil {
			return nil, s.wrap("count rooms", err)
		}
		out[cat] = n
	}
	return out, s.wrap("count rooms", rows.Err())
}
