package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"

	"github.com/pcmig/pcmig/numtext"
)

// ID allocation (docs/store.md). Where a database declares tblNode.nodeID or
// tblPrincipal.prinID IDENTITY, the server assigns it and the store reads it
// back (OUTPUT INSERTED): no SET IDENTITY_INSERT, so no ALTER permission.
// Otherwise the store allocates a block above every ID in use anywhere, in
// the transaction that inserts the rows: for nodes that is tblNode,
// tblChat.channelId and tblLastChatId (a room's history may outlive its
// node row) and, in the embedded store, sqlite_sequence (the highest node ID
// ever given). On SQL Server the MAX reads take update range locks held to
// the end of the transaction (UPDLOCK, HOLDLOCK), so a concurrent writer
// waits instead of taking the same IDs; SQLite has one writer.

// nodeIDSQL is the query for the highest node ID in use, with the locks
// that keep it so until the transaction ends.
func (s *Store) nodeIDSQL() string { return s.nodeIDQuery(s.dialect.lockHint()) }

// nodeIDQuery is nodeIDSQL with the lock hint h ("" for a plain read).
func (s *Store) nodeIDQuery(h string) string {
	parts := []string{
		"SELECT MAX(nodeID) AS id FROM tblNode" + h,
		"SELECT MAX(channelId) FROM tblChat" + h,
		"SELECT MAX(nodeID) FROM tblLastChatId" + h,
	}
	if s.nodeSeq() {
		parts = append(parts, "SELECT seq FROM sqlite_sequence WHERE name = 'tblNode'")
	}
	return "SELECT MAX(id) FROM (" + strings.Join(parts, "\nUNION ALL ") + ") AS ids"
}

// KeepsNodeIDs reports whether the database remembers the highest node ID
// ever given, so that a removed room's ID is never given to a new room: an
// IDENTITY nodeID does, and so does an embedded store with
// sqlite_sequence. A plain int nodeID on SQL Server does not: a room the
// store removed with every row that named it may see its ID again, with
// nothing to inherit (docs/store.md).
func (s *Store) KeepsNodeIDs() bool { return s.identity["tblNode"] || s.nodeSeq() }

// nodeSeq reports whether tblNode keeps its high-water mark in
// sqlite_sequence (embedded stores made by this version).
func (s *Store) nodeSeq() bool { return s.dialect.name() == "sqlite" && s.optional["sqlite_sequence"] }

// NodeIDsPastLargest says, before anything is written, whether n new
// categories and rooms would need node IDs past tblNode.nodeID's largest
// value (an int: 2,147,483,647): a sentence naming the IDs needed and the
// largest node ID they would follow, or "" when they fit. Where the store
// gives node IDs (embedded stores, a plain int nodeID on SQL Server), they
// follow the highest ID in use, as allocNodeIDs finds it (tblNode,
// tblChat.channelId, tblLastChatId, sqlite_sequence; in a dry run the
// database's own as well); where nodeID is an IDENTITY column the server
// gives them from the identity's current value (IDENT_CURRENT) by its
// increment (IDENT_INCR).
func (s *Store) NodeIDsPastLargest(ctx context.Context, n int) (string, error) {
	if n <= 0 {
		return "", nil
	}
	if s.identity["tblNode"] {
		return s.identityPast(ctx, "tblNode", "nodeID", "node", "nodes", n)
	}
	var high sql.NullInt64
	if err := s.q().QueryRowContext(ctx, s.nodeIDQuery("")).Scan(&high); err != nil {
		return "", s.wrap("read the highest node ID", err)
	}
	top := high.Int64
	if s.sim != nil {
		top = max(top, s.sim.nodeFloor)
	}
	if top+int64(n) > math.MaxInt32 {
		return fmt.Sprintf("the largest node ID in use is %d (tblNode, tblChat and tblLastChatId), and tblNode.nodeID (an int) ends at %d: %s",
			top, math.MaxInt32, numtext.Count(max(0, math.MaxInt32-top), "more node fits", "more nodes fit")), nil
	}
	return "", nil
}

// PrincipalIDsPastLargest is NodeIDsPastLargest for n new principals:
// tblPrincipal.prinID is an int too. Where the store gives principal IDs
// they follow MAX(prinID) (allocPrinIDs); where prinID is an IDENTITY
// column the server gives them from the identity's current value by its
// increment.
func (s *Store) PrincipalIDsPastLargest(ctx context.Context, n int) (string, error) {
	if n <= 0 {
		return "", nil
	}
	if s.identity["tblPrincipal"] {
		return s.identityPast(ctx, "tblPrincipal", "prinID", "principal", "principals", n)
	}
	var high sql.NullInt64
	if err := s.q().QueryRowContext(ctx, "SELECT MAX(prinID) FROM tblPrincipal").Scan(&high); err != nil {
		return "", s.wrap("read the highest principal ID", err)
	}
	if high.Int64+int64(n) > math.MaxInt32 {
		return fmt.Sprintf("the largest prinID in use is %d, and tblPrincipal.prinID (an int) ends at %d: %s",
			high.Int64, math.MaxInt32, numtext.Count(max(0, math.MaxInt32-high.Int64), "more principal fits", "more principals fit")), nil
	}
	return "", nil
}

// allocNodeIDs returns the first of n consecutive free node IDs.
func (s *Store) allocNodeIDs(ctx context.Context, q querier, n int) (int32, error) {
	var high sql.NullInt64
	if err := q.QueryRowContext(ctx, s.nodeIDSQL()).Scan(&high); err != nil {
		return 0, fmt.Errorf("allocate node IDs: %w", err)
	}
	top := high.Int64
	if s.sim != nil {
		top = max(top, s.sim.nodeFloor)
	}
	return idBlock("node", top, n)
}

// allocPrinIDs returns the first of n consecutive free principal IDs.
func (s *Store) allocPrinIDs(ctx context.Context, q querier, n int) (int32, error) {
	var high sql.NullInt64
	if err := q.QueryRowContext(ctx, "SELECT MAX(prinID) FROM tblPrincipal"+s.dialect.lockHint()).Scan(&high); err != nil {
		return 0, fmt.Errorf("allocate principal IDs: %w", err)
	}
	return idBlock("principal", high.Int64, n)
}

// idBlock checks that n IDs above top fit an int column.
func idBlock(kind string, top int64, n int) (int32, error) {
	if top+int64(n) > math.MaxInt32 {
		return 0, fmt.Errorf("allocate %d %s IDs above %d: the int column would overflow", n, kind, top)
	}
	return int32(top + 1), nil
}

// checkNewNodeIDs refuses node IDs the server assigned (IDENTITY) that chat
// history or a last chat ID already uses: a reseeded identity would
// otherwise hand an old room's history to a new one.
func (s *Store) checkNewNodeIDs(ctx context.Context, q querier, ids []int32) error {
	return inLists(ids, func(marks string, list []any) error {
		var used sql.NullInt32
		err := q.QueryRowContext(ctx, `SELECT MIN(id) FROM (SELECT channelId AS id FROM tblChat WHERE channelId IN (`+marks+`)
UNION ALL SELECT nodeID FROM tblLastChatId WHERE nodeID IN (`+marks+`)) AS used`, append(list, list...)...).Scan(&used)
		if err != nil {
			return fmt.Errorf("check new node IDs: %w", err)
		}
		if used.Valid {
			return fmt.Errorf("the server gave a new node ID %d, which chat history in tblChat or tblLastChatId still uses (was the tblNode identity reseeded?); nothing was written", used.Int32)
		}
		return nil
	})
}

// inLists calls fn for the IDs in chunks, each as an IN list ("?,?,...")
// and its arguments, padded to a bucket length.
func inLists(ids []int32, fn func(marks string, list []any) error) error {
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), inBuckets[len(inBuckets)-1])]
		ids = ids[len(chunk):]
		list := make([]any, len(chunk))
		for i, id := range chunk {
			list[i] = id
		}
		list = padAny(list)
		if err := fn(strings.TrimSuffix(strings.Repeat("?,", len(list)), ","), list); err != nil {
			return err
		}
	}
	return nil
}

// inBuckets are the lengths IN lists are padded to, so that a statement
// has a few shapes (and cached plans), not one per list length.
var inBuckets = []int{1, 8, 64, 500}

// inBucket is the bucket length a list of n items is padded to: the
// smallest that holds it, or the largest (a longer list is cut into
// chunks of that length first).
func inBucket(n int) int {
	for _, b := range inBuckets {
		if b >= n {
			return b
		}
	}
	return inBuckets[len(inBuckets)-1]
}

// identityPast is NodeIDsPastLargest and PrincipalIDsPastLargest where
// table's int column is an IDENTITY (SQL Server): the server gives the n
// new IDs from the identity's current value (IDENT_CURRENT) by its
// increment (IDENT_INCR). one and many name what the IDs are of.
func (s *Store) identityPast(ctx context.Context, table, column, one, many string, n int) (string, error) {
	var cur, incr sql.NullInt64
	if err := s.q().QueryRowContext(ctx, `SELECT CAST(IDENT_CURRENT('`+table+`') AS bigint), CAST(IDENT_INCR('`+table+`') AS bigint)`).Scan(&cur, &incr); err != nil {
		return "", s.wrap("read "+table+"'s identity", err)
	}
	if !cur.Valid || incr.Int64 <= 0 {
		return "", nil // the server refuses an overflow at the insert, before its commit
	}
	if cur.Int64+int64(n)*incr.Int64 > math.MaxInt32 {
		return fmt.Sprintf("%s.%s's identity is at %d (IDENT_CURRENT, increment %d), and the int column ends at %d: %s",
			table, column, cur.Int64, incr.Int64, math.MaxInt32, numtext.Count(max(0, (math.MaxInt32-cur.Int64)/incr.Int64), "more "+one+" fits", "more "+many+" fit")), nil
	}
	return "", nil
}
