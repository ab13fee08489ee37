package store

import (
	"context"
	"fmt"

	"github.com/pcmig/pcmig/pchat"
)

// Affiliations returns, for every principal that has any, the groups,
// containers and domains it belongs to (tblPrincipalAffiliations without the
// self-affiliation), in ascending ID order. Access checks (allowed minus
// denied members) resolve through these. A database without the table has
// none.
func (s *Store) Affiliations(ctx context.Context) (map[int32][]int32, error) {
	out := map[int32][]int32{}
	ok, err := hasTable(ctx, s.q(), s.dialect, "tblPrincipalAffiliations")
	if err != nil || !ok {
		return out, s.wrap("read tblPrincipalAffiliations", err)
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
	n := 0
	err := s.write(ctx, fmt.Sprintf("add affiliations of principal %d", prin), func(q querier) error {
		ok, err := hasTable(ctx, q, s.dialect, "tblPrincipalAffiliations")
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("this database has no tblPrincipalAffiliations")
		}
		for _, a := range of {
			var exists int
			if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM tblPrincipalAffiliations WHERE principalID = ? AND affiliationID = ?`, prin, a).Scan(&exists); err != nil {
				return err
			}
			if exists > 0 {
				continue
			}
			if _, err := q.ExecContext(ctx, `INSERT INTO tblPrincipalAffiliations (principalID, affiliationID, `+s.dialect.ident("index")+`, updatedBy) VALUES (?, ?, 1, ?)`,
				prin, a, pchat.SystemUserID); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
