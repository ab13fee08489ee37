package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
)

// prinColumns are the tblPrincipal columns pcmig writes, prinID first.
var prinColumns = []column{
	{"prinID", "int"}, {"prinGuid", "nvarchar(36)"}, {"prinUri", "nvarchar(4000)"}, {"prinName", "nvarchar(4000)"},
	{"prinDisplayName", "nvarchar(4000)"}, {"prinCompanyName", "nvarchar(4000)"}, {"prinEmail", "nvarchar(4000)"},
	{"prinADPath", "nvarchar(4000)"}, {"prinADUserPrincipalName", "nvarchar(4000)"}, {"prinDisabled", "smallint"},
	{"prinTypeID", "smallint"}, {"prinPoolID", "int"}, {"prinPolicyID", "int"}, {"prinAddedBy", "int"},
	{"prinAddedOn", "bigint"}, {"prinUpdatedBy", "int"}, {"prinUpdatedOn", "bigint"}, {"prinVerifiedOn", "datetime"},
}

// affColumns are the tblPrincipalAffiliations columns.
var affColumns = []column{{"principalID", "int"}, {"affiliationID", "int"}, {"index", "int"}, {"updatedBy", "int"}}

// EnsurePrincipals is EnsurePrincipal for many principals in one
// transaction, set-based: pools hold up to 150,000 provisioned principals.
// ids[i] is the ID of ps[i]; created counts the principals inserted. A
// principal with a GUID matches by GUID only: prinGuid is the AD objectGUID,
// and two objects may share a SIP URI (a user deleted from AD and created
// again keeps the address under a new GUID; the pool keeps both). One
// without a GUID matches by URI (as the database compares URIs:
// Store.URIKey). Later entries of ps that match earlier ones get their IDs.
func (s *Store) EnsurePrincipals(ctx context.Context, ps []pchat.Principal) (ids []int32, created int, err error) {
	if len(ps) == 0 {
		return nil, 0, nil
	}
	for _, p := range ps {
		if err := s.CheckPrincipal(p); err != nil {
			return nil, 0, fmt.Errorf("principal %s: %w", p.URI, err)
		}
	}
	ids = make([]int32, len(ps))
	in := ps
	err = s.write(ctx, "add "+numtext.Count(len(ps), "principal", "principals"), func(q querier) error {
		// GUIDs are filled in: a copy per attempt, so that a deadlock
		// victim's next attempt matches by URI what the first made up a
		// GUID for.
		ps := append([]pchat.Principal(nil), in...)
		created = 0
		// One read of every key instead of a lookup per principal: URIs are
		// compared by their collation's key, which no index serves.
		byGUID, byURI, err := s.principalKeys(ctx, q)
		if err != nil {
			return err
		}
		var fresh []int // indexes into ps of the principals to insert
		pending := map[string]int{}
		for i := range ps {
			p := &ps[i]
			g, u := strings.ToLower(p.GUID), s.URIKey(p.URI)
			id, ok := byGUID[g]
			if g == "" {
				id, ok = byURI[u]
			}
			if ok {
				ids[i] = id
				continue
			}
			if k, dup := pending["g:"+g]; dup && g != "" {
				ids[i] = -1 - int32(k)
				continue
			}
			if k, dup := pending["u:"+u]; dup && g == "" {
				ids[i] = -1 - int32(k)
				continue
			}
			if p.GUID == "" {
				p.GUID = NewGUID()
				g = p.GUID
			}
			pending["g:"+g] = i
			if _, seen := pending["u:"+u]; !seen {
				pending["u:"+u] = i
			}
			ids[i] = -1 - int32(i)
			fresh = append(fresh, i)
		}
		if err := s.insertPrincipals(ctx, q, ps, fresh, ids); err != nil {
			return err
		}
		for i, id := range ids {
			if id < 0 {
				ids[i] = ids[-1-id]
			}
		}
		created = len(fresh)
		return nil
	})
	return ids, created, err
}

// insertPrincipals inserts ps[fresh[...]] and sets their ids, with the
// self-affiliations (index -1) of all but system users.
func (s *Store) insertPrincipals(ctx context.Context, q querier, ps []pchat.Principal, fresh []int, ids []int32) error {
	if len(fresh) == 0 {
		return nil
	}
	rs := rowSet{table: "tblPrincipal", cols: prinColumns}
	for _, i := range fresh {
		p := ps[i]
		rs.rows = append(rs.rows, []any{int64(0), strings.ToLower(p.GUID), p.URI, nullText(p.Name), nullText(p.DisplayName),
			nullText(p.CompanyName), nullText(p.Email), nullText(p.ADPath), nullText(p.UPN), int64(p.State), int64(p.Type),
			nullID(p.PoolID), nullID(p.PolicyID), nullID(p.AddedBy), p.AddedOn, nullID(p.UpdatedBy), p.UpdatedOn,
			s.dialect.datetime(p.VerifiedOn)})
	}
	if s.identity["tblPrincipal"] {
		rs.cols = prinColumns[1:]
		for k := range rs.rows {
			rs.rows[k] = rs.rows[k][1:]
		}
		got, err := s.dialect.insertIdentity(ctx, q, rs, "prinID", "prinGuid")
		if err != nil {
			return err
		}
		for _, i := range fresh {
			id, ok := got[strings.ToLower(ps[i].GUID)]
			if !ok {
				return fmt.Errorf("insert into tblPrincipal: the server returned no ID for principal %s", ps[i].URI)
			}
			ids[i] = id
		}
	} else {
		base, err := s.allocPrinIDs(ctx, q, len(fresh))
		if err != nil {
			return err
		}
		for k, i := range fresh {
			ids[i] = base + int32(k)
			rs.rows[k][0] = int64(ids[i])
		}
		if _, err := s.dialect.insertSet(ctx, q, rs); err != nil {
			return err
		}
	}
	if !s.optional["tblPrincipalAffiliations"] {
		return nil
	}
	self := rowSet{table: "tblPrincipalAffiliations", cols: affColumns, key: []string{"principalID", "index", "affiliationID"}}
	for _, i := range fresh {
		if ps[i].Type != pchat.TypeSystemUser {
			self.rows = append(self.rows, []any{int64(ids[i]), int64(ids[i]), int64(-1), int64(pchat.SystemUserID)})
		}
	}
	_, err := s.dialect.insertSet(ctx, q, self)
	return err
}

// nullText is NULL for an empty string.
func nullText(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// nullID is NULL for a nil pointer.
func nullID(p *int32) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

// Affiliation says that Principal belongs to Of (a group, container or
// domain).
type Affiliation struct{ Principal, Of int32 }

// AddAffiliationsBatch records many affiliations in one transaction,
// set-based. The reference numbers rows 1, 2, 3 ... within each
// (principalID, affiliationID) bucket; pcmig writes one row per pair, so its
// index is 1. Existing pairs are kept. It returns how many were added.
func (s *Store) AddAffiliationsBatch(ctx context.Context, affs []Affiliation) (int, error) {
	if len(affs) == 0 {
		return 0, nil
	}
	if !s.optional["tblPrincipalAffiliations"] {
		return 0, s.wrap("add affiliations", fmt.Errorf("this database has no tblPrincipalAffiliations"))
	}
	var n int64
	err := s.write(ctx, "add "+numtext.Count(len(affs), "affiliation", "affiliations"), func(q querier) error {
		rs := rowSet{table: "tblPrincipalAffiliations", cols: affColumns, key: []string{"principalID", "affiliationID"}}
		seen := make(map[Affiliation]bool, len(affs))
		for _, a := range affs {
			if seen[a] {
				continue
			}
			seen[a] = true
			rs.rows = append(rs.rows, []any{int64(a.Principal), int64(a.Of), int64(1), int64(pchat.SystemUserID)})
		}
		var err error
		n, err = s.dialect.insertSet(ctx, q, rs)
		return err
	})
	return int(n), err
}

// principalKeys maps every principal's lower-case GUID and URI key
// (Store.URIKey) to its ID (the lowest ID for a URI two principals share).
// The read takes the dialect's update range locks (UPDLOCK, HOLDLOCK on
// SQL Server), held to the end of the write transaction it is part of:
// under READ COMMITTED a plain read keeps no lock once it has read a row,
// so another session (a Persistent Chat server's AD sync, a script) could
// insert a principal pcmig found missing between this read and pcmig's
// insert. pcmig would then insert it again: a duplicate key (2627/2601)
// failing the whole write where prinGuid is unique, and, for a principal
// matched by URI, a second principal with that URI, which pcmig's grants
// would go to. With the locks such an insert waits for this transaction.
func (s *Store) principalKeys(ctx context.Context, q querier) (byGUID, byURI map[string]int32, err error) {
	rows, err := q.QueryContext(ctx, `SELECT prinID, `+s.dialect.guid("prinGuid")+`, prinUri FROM tblPrincipal`+s.dialect.lockHint()+` ORDER BY prinID`)
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
		k := s.URIKey(uri)
		if _, dup := byURI[k]; !dup {
			byURI[k] = id
		}
	}
	return byGUID, byURI, rows.Err()
}
