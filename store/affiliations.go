package store

import (
	"context"
)

// Affiliations returns, for every principal that has any, the groups,
// containers and domains it belongs to (tblPrincipalAffiliations without the
// self-affiliation), in ascending ID order. Access checks (allowed minus
// denied members) resolve through these. A database without the table has
// none.
func (s *Store) Affiliations(ctx context.Context) (map[int32][]int32, error) {
	out := map[int32][]int32{}
	if !s.optional["tblPrincipalAffiliations"] {
		return out, nil
	}
	rows, err := s.q().QueryContext(ctx, `SELECT DISTINCT principalID, affiliationID FROM tblPrincipalAffiliations
WHERE principalID <> affiliationID ORDER BY principalID, affiliationID`)
	if err != nil {
		return nil, s.wrap("read tblPrincipalAffiliations", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p, a int32
		if err := rows.Scan(&p, &a); err != nil {
			return nil, s.wrap("read tblPrincipalAffiliations", err)
		}
		out[p] = append(out[p], a)
	}
	return out, s.wrap("read tblPrincipalAffiliations", rows.Err())
}

// AddAffiliations records that a principal belongs to groups, containers or
// domains (index 1: the first row of each (principalID, affiliationID)
// bucket); existing affiliations are kept. It returns how many were added.
func (s *Store) AddAffiliations(ctx context.Context, prin int32, of []int32) (int, error) {
	affs := make([]Affiliation, len(of))
	for i, a := range of {
		affs[i] = Affiliation{Principal: prin, Of: a}
	}
	return s.AddAffiliationsBatch(ctx, affs)
}
