package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/pchat"
)

// EnsurePrincipals is EnsurePrincipal for many principals in one
// transaction: pools hold up to 150,000 provisioned principals, and one
// transaction each would take minutes. ids[i] is the ID of ps[i]; created
// counts the principals inserted.
func (s *Store) EnsurePrincipals(ctx context.Context, ps []pchat.Principal) (ids []int32, created int, err error) {
	if len(ps) == 0 {
		return nil, 0, nil
	}
	ids = make([]int32, len(ps))
	err = s.write(ctx, fmt.Sprintf("add %d principals", len(ps)), func(q querier) error {
		created = 0
		aff, err := hasTable(ctx, q, s.dialect, "tblPrincipalAffiliations")
		if err != nil {
			return err
		}
		next, err := nextID(ctx, q, "tblPrincipal", "prinID")
		if err != nil {
			return err
		}
		// One read of every key instead of a lookup per principal: GUIDs
		// and URIs are compared case-insensitively, which no index serves.
		byGUID, byURI, err := principalKeys(ctx, q, s.dialect)
		if err != nil {
			return err
		}
		for i, p := range ps {
			id, ok := byGUID[strings.ToLower(p.GUID)]
			if !ok || p.GUID == "" {
				id, ok = byURI[strings.ToLower(p.URI)]
			}
			if !ok {
				id = next
				next++
				if err := s.insertPrincipal(ctx, q, id, p, aff); err != nil {
					return fmt.Errorf("principal %s: %w", p.URI, err)
				}
				created++
				if p.GUID != "" {
					byGUID[strings.ToLower(p.GUID)] = id
				}
				byURI[strings.ToLower(p.URI)] = id
			}
			ids[i] = id
		}
		return nil
	})
	return ids, created, err
}

// insertPrincipal writes one tblPrincipal row with the given ID and, for
// everything but system users, its self-affiliation (index -1).
func (s *Store) insertPrincipal(ctx context.Context, q querier, id int32, p pchat.Principal, affiliations bool) error {
	if p.GUID == "" {
		p.GUID = NewGUID()
	}
	if err := s.CheckPrincipal(p); err != nil {
		return err
	}
	if err := s.insertWithID(ctx, q, "tblPrincipal", `INSERT INTO tblPrincipal (prinID, prinGuid, prinUri, prinName, prinDisplayName,
prinCompanyName, prinEmail, prinADPath, prinADUserPrincipalName, prinDisabled, prinTypeID, prinPoolID, prinPolicyID,
prinAddedBy, prinAddedOn, prinUpdatedBy, prinUpdatedOn, prinVerifiedOn) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		id, p.GUID, p.URI, nullString(p.Name), nullString(p.DisplayName), nullString(p.CompanyName), nullString(p.Email),
		nullString(p.ADPath), nullString(p.UPN), int16(p.State), int16(p.Type), nullInt32(p.PoolID), nullInt32(p.PolicyID),
		nullInt32(p.AddedBy), p.AddedOn, nullInt32(p.UpdatedBy), p.UpdatedOn, s.dialect.datetime(p.VerifiedOn)); err != nil {
		return err
	}
	if p.Type == pchat.TypeSystemUser || !affiliations {
		return nil
	}
	_, err := q.ExecContext(ctx, `INSERT INTO tblPrincipalAffiliations (principalID, affiliationID, `+s.dialect.ident("index")+`, updatedBy) VALUES (?, ?, -1, ?)`,
		id, id, pchat.SystemUserID)
	return err
}

// Affiliation says that Principal belongs to Of (a group, container or
// domain).
type Affiliation struct{ Principal, Of int32 }

// AddAffiliationsBatch records many affiliations in one transaction. The
// reference numbers rows 1, 2, 3 ... within each (principalID,
// affiliationID) bucket; pcmig writes one row per pair, so its index is 1.
// Existing pairs are kept. It returns how many were added.
func (s *Store) AddAffiliationsBatch(ctx context.Context, affs []Affiliation) (int, error) {
	if len(affs) == 0 {
		return 0, nil
	}
	n := 0
	err := s.write(ctx, fmt.Sprintf("add %d affiliations", len(affs)), func(q querier) error {
		n = 0
		ok, err := hasTable(ctx, q, s.dialect, "tblPrincipalAffiliations")
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("this database has no tblPrincipalAffiliations")
		}
		for _, a := range affs {
			res, err := q.ExecContext(ctx, `INSERT INTO tblPrincipalAffiliations (principalID, affiliationID, `+s.dialect.ident("index")+`, updatedBy)
SELECT ?, ?, 1, ? WHERE NOT EXISTS (SELECT 1 FROM tblPrincipalAffiliations WHERE principalID = ? AND affiliationID = ?)`,
				a.Principal, a.Of, pchat.SystemUserID, a.Principal, a.Of)
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += int(k)
		}
		return nil
	})
	return n, err
}

// principalKeys maps every principal's lower-case GUID and URI to its ID
// (the lowest ID for a URI two principals share).
func principalKeys(ctx context.Context, q querier, d dialect) (byGUID, byURI map[string]int32, err error) {
	rows, err := q.QueryContext(ctx, `SELECT prinID, `+d.guid("prinGuid")+`, prinUri FROM tblPrincipal ORDER BY prinID`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	byGUID, byURI = map[string]int32{}, map[string]int32{}
	for rows.Next() {
		var id int32
		var guid, uri string
		if err := rows.Scan(&id, &guid, &uri); err != nil {
			return nil, nil, err
		}
		if g, err := pchat.CanonicalGUID(guid); err == nil {
			byGUID[g] = id
		}
		if _, dup := byURI[strings.ToLower(uri)]; !dup {
			byURI[strings.ToLower(uri)] = id
		}
	}
	return byGUID, byURI, rows.Err()
}
