package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	mssql "github.com/microsoft/go-mssqldb"
)

// Set-based writes on SQL Server. A row set is bulk-copied into a session
// temporary table, then one INSERT ... SELECT moves the rows the table lacks
// into it. Counts come from the statement's own OUTPUT ... INTO a table
// variable, never from the driver's rows-affected (the DONE token carries no
// count under SET NOCOUNT ON, which a server's `user options` can switch on
// for every session, and a trigger's own writes would be added to it).
// OUTPUT goes INTO a table variable because OUTPUT without INTO is refused
// on a table with enabled triggers. Creating a temporary table and bulk
// copying into it need no permission beyond connecting; the INSERT needs
// INSERT on the target (db_datawriter), never ALTER.

// stageTable is the session temporary table row sets are staged in; it is
// dropped after each use (and when the transaction rolls back).
const stageTable = "#pcmig_stage"

// stageSeq is the staging column that keeps the rows' order.
const stageSeq = "pcmig_seq"

// stage creates the staging table for rs (with a sequence column when seq)
// and bulk-copies the rows into it.
func (d mssqlDialect) stage(ctx context.Context, q querier, rs rowSet, seq bool) (err error) {
	var defs []string
	names := rs.names()
	if seq {
		defs = append(defs, stageSeq+" int NOT NULL")
		names = append([]string{stageSeq}, names...)
	}
	for _, c := range rs.cols {
		typ := c.tsql
		if strings.HasPrefix(typ, "nvarchar") {
			// tempdb's collation may differ from the database's.
			typ += " COLLATE DATABASE_DEFAULT"
		}
		defs = append(defs, d.ident(c.name)+" "+typ+" NULL")
	}
	create := fmt.Sprintf("IF OBJECT_ID('tempdb..%s') IS NOT NULL DROP TABLE %s;\nCREATE TABLE %s (%s)",
		stageTable, stageTable, stageTable, strings.Join(defs, ", "))
	if _, err := q.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("stage %s rows: %w", rs.table, err)
	}
	stmt, err := q.PrepareContext(ctx, mssql.CopyIn(stageTable, mssql.BulkOptions{KeepNulls: true, RowsPerBatch: len(rs.rows)}, names...))
	if err != nil {
		return fmt.Errorf("stage %s rows: %w", rs.table, err)
	}
	defer func() { err = errors.Join(err, stmt.Close()) }()
	row := func(i int, vals []any) ([]any, error) {
		vals = vals[:0]
		if seq {
			vals = append(vals, int64(i))
		}
		for _, v := range rs.rows[i] {
			if t, ok := v.(mssql.DateTime1); ok {
				v = time.Time(t) // bulk copy takes a time.Time for datetime
			}
			vals = append(vals, v)
		}
		return vals, nil
	}
	if err := sendBulk(ctx, stmt, len(rs.rows), row); err != nil {
		return fmt.Errorf("stage %s rows: %w", rs.table, err)
	}
	return nil
}

// selectStaged is "SELECT s.a, s.b FROM #stage AS s" with a NOT EXISTS
// condition on rs.key.
func (d mssqlDialect) selectStaged(rs rowSet) string {
	cols := make([]string, len(rs.cols))
	for i, c := range rs.cols {
		cols[i] = "s." + d.ident(c.name)
	}
	sel := "SELECT " + strings.Join(cols, ", ") + " FROM " + stageTable + " AS s"
	if len(rs.key) > 0 {
		conds := make([]string, len(rs.key))
		for i, k := range rs.key {
			conds[i] = "t." + d.ident(k) + " = s." + d.ident(k)
		}
		// The probe locks what it finds, and the gap where it finds nothing,
		// to the end of the transaction: under READ COMMITTED another
		// writer could otherwise insert the key between the probe and the
		// insert (a primary-key violation, 2627, which is not run again).
		sel += " WHERE NOT EXISTS (SELECT 1 FROM " + rs.table + " AS t" + d.lockHint() + " WHERE " + strings.Join(conds, " AND ") + ")"
	}
	return sel
}

// insertSetSQL is the batch that moves staged rows into the table and
// returns how many it inserted.
func (d mssqlDialect) insertSetSQL(rs rowSet) string {
	cols := make([]string, len(rs.cols))
	for i, c := range rs.cols {
		cols[i] = d.ident(c.name)
	}
	return "DECLARE @pcmig_out TABLE (k int);\n" +
		"INSERT INTO " + rs.table + " (" + strings.Join(cols, ", ") + ")\nOUTPUT INSERTED." + cols[0] + " INTO @pcmig_out\n" +
		d.selectStaged(rs) + ";\nDROP TABLE " + stageTable + ";\nSELECT COUNT(*) FROM @pcmig_out"
}

func (d mssqlDialect) insertSet(ctx context.Context, q querier, rs rowSet) (int64, error) {
	if len(rs.rows) == 0 {
		return 0, nil
	}
	if err := d.stage(ctx, q, rs, false); err != nil {
		return 0, err
	}
	var n int64
	if err := q.QueryRowContext(ctx, d.insertSetSQL(rs)).Scan(&n); err != nil {
		return 0, fmt.Errorf("insert into %s: %w", rs.table, err)
	}
	return n, nil
}

// insertIdentitySQL inserts the staged rows in their order and returns the
// IDs the server gave them with their keys.
func (d mssqlDialect) insertIdentitySQL(rs rowSet, idCol, keyCol string) string {
	cols := make([]string, len(rs.cols))
	for i, c := range rs.cols {
		cols[i] = d.ident(c.name)
	}
	return "DECLARE @pcmig_ids TABLE (id int, k nvarchar(36));\n" +
		"INSERT INTO " + rs.table + " (" + strings.Join(cols, ", ") + ")\nOUTPUT INSERTED." + d.ident(idCol) +
		", CONVERT(nvarchar(36), INSERTED." + d.ident(keyCol) + ") INTO @pcmig_ids\n" +
		d.selectStaged(rs) + " ORDER BY s." + stageSeq + ";\nDROP TABLE " + stageTable + ";\nSELECT id, k FROM @pcmig_ids"
}

func (d mssqlDialect) insertIdentity(ctx context.Context, q querier, rs rowSet, idCol, keyCol string) (map[string]int32, error) {
	out := map[string]int32{}
	if len(rs.rows) == 0 {
		return out, nil
	}
	if err := d.stage(ctx, q, rs, true); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, d.insertIdentitySQL(rs, idCol, keyCol))
	if err != nil {
		return nil, fmt.Errorf("insert into %s: %w", rs.table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int32
		var k string
		if err := rows.Scan(&id, &k); err != nil {
			return nil, fmt.Errorf("insert into %s: %w", rs.table, err)
		}
		out[strings.ToLower(k)] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("insert into %s: %w", rs.table, err)
	}
	if len(out) != len(rs.rows) {
		return nil, fmt.Errorf("insert into %s: the server returned %d IDs for %d rows", rs.table, len(out), len(rs.rows))
	}
	return out, nil
}

// execCountSQL puts the OUTPUT clause into stmt and counts its rows.
func execCountSQL(stmt, out string) string {
	return "DECLARE @pcmig_n TABLE (k int);\n" + strings.Replace(stmt, "{out}", "OUTPUT "+out+" INTO @pcmig_n", 1) +
		";\nSELECT COUNT(*) FROM @pcmig_n"
}

func (mssqlDialect) execCount(ctx context.Context, q querier, stmt, out string, args ...any) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, execCountSQL(stmt, out), args...).Scan(&n)
	return n, err
}

// setLastChatIDSQL updates or inserts a room's tblLastChatId row in one
// batch; the EXISTS test holds its range lock to the end of the
// transaction, so no other writer inserts the row in between.
const setLastChatIDSQL = `IF EXISTS (SELECT 1 FROM tblLastChatId WITH (UPDLOCK, HOLDLOCK) WHERE nodeID = ?)
UPDATE tblLastChatId SET lastChatID = ? WHERE nodeID = ?
ELSE INSERT INTO tblLastChatId (nodeID, lastChatID) VALUES (?, ?)`

// setLastChatIDsSQL does the same for staged rooms, set-based.
const setLastChatIDsSQL = `UPDATE t SET lastChatID = s.[lastChatID]
FROM tblLastChatId AS t WITH (UPDLOCK, HOLDLOCK) JOIN ` + stageTable + ` AS s ON t.nodeID = s.[nodeID];
INSERT INTO tblLastChatId (nodeID, lastChatID) SELECT s.[nodeID], s.[lastChatID] FROM ` + stageTable + ` AS s
WHERE NOT EXISTS (SELECT 1 FROM tblLastChatId AS t WITH (UPDLOCK, HOLDLOCK) WHERE t.nodeID = s.[nodeID]);
DROP TABLE ` + stageTable

// stagedLastChatIDs is the number of rooms from which a transaction's last
// chat IDs are staged and written set-based rather than room by room.
const stagedLastChatIDs = 8

func (d mssqlDialect) setLastChatIDs(ctx context.Context, q querier, lasts map[int32]int64) error {
	rooms := slices.Sorted(maps.Keys(lasts))
	if len(rooms) < stagedLastChatIDs {
		for _, room := range rooms {
			if _, err := q.ExecContext(ctx, setLastChatIDSQL, room, lasts[room], room, room, lasts[room]); err != nil {
				return err
			}
		}
		return nil
	}
	rs := rowSet{table: "tblLastChatId", cols: []column{{"nodeID", "int"}, {"lastChatID", "bigint"}}}
	for _, room := range rooms {
		rs.rows = append(rs.rows, []any{int64(room), lasts[room]})
	}
	if err := d.stage(ctx, q, rs, false); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, setLastChatIDsSQL)
	return err
}

func (mssqlDialect) valuesTable(n int) (string, string) {
	return "(VALUES " + strings.TrimSuffix(strings.Repeat("(?),", n), ",") + ") AS v(id)", "v.id"
}

func (mssqlDialect) lockHint() string { return " WITH (UPDLOCK, HOLDLOCK)" }
