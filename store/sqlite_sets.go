package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Set-based writes on SQLite: rows go in chunks, each one INSERT ... SELECT
// over a VALUES list that skips the rows whose key the table holds. SQLite
// runs in-process, so a chunk costs no round trip; the statement for a full
// chunk is prepared once per set. SQLite's changes() count (RowsAffected)
// counts the statement's own rows only, so it is used as it is.

// sqliteMaxParams keeps a chunk's parameters below SQLite's limit of 32766.
const sqliteMaxParams = 30000

// sqliteChunkRows is how many rows of n columns one statement carries.
func sqliteChunkRows(n int) int { return min(500, sqliteMaxParams/n) }

// sqliteInsertSetSQL is the statement for a chunk of rows.
func (d sqliteDialect) insertSetSQL(rs rowSet, rows int) string {
	var b strings.Builder
	names := rs.names()
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = d.ident(n)
	}
	b.WriteString("INSERT INTO " + rs.table + " (" + strings.Join(quoted, ", ") + ") SELECT ")
	for i := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "v.column%d", i+1)
	}
	b.WriteString(" FROM (VALUES ")
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?,", len(names)), ",") + ")"
	for i := 0; i < rows; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(tuple)
	}
	b.WriteString(") AS v")
	if len(rs.key) > 0 {
		b.WriteString(" WHERE NOT EXISTS (SELECT 1 FROM " + rs.table + " AS t WHERE ")
		for i, k := range rs.key {
			if i > 0 {
				b.WriteString(" AND ")
			}
			fmt.Fprintf(&b, "t.%s = v.column%d", d.ident(k), indexOf(names, k)+1)
		}
		b.WriteString(")")
	}
	return b.String()
}

func indexOf(names []string, n string) int {
	for i, x := range names {
		if x == n {
			return i
		}
	}
	panic("store: key column " + n + " is not in the row set")
}

func (d sqliteDialect) insertSet(ctx context.Context, q querier, rs rowSet) (n int64, err error) {
	if len(rs.rows) == 0 {
		return 0, nil
	}
	chunk := sqliteChunkRows(len(rs.cols))
	var full *sql.Stmt
	defer func() {
		if full != nil {
			err = errors.Join(err, full.Close())
		}
	}()
	args := make([]any, 0, min(chunk, len(rs.rows))*len(rs.cols))
	for rows := rs.rows; len(rows) > 0; {
		k := min(chunk, len(rows))
		args = args[:0]
		for _, r := range rows[:k] {
			for _, v := range r {
				args = append(args, sqliteValue(v))
			}
		}
		var res sql.Result
		if k < chunk {
			res, err = q.ExecContext(ctx, d.insertSetSQL(rs, k), args...)
		} else {
			if full == nil {
				if full, err = q.PrepareContext(ctx, d.insertSetSQL(rs, k)); err != nil {
					return n, fmt.Errorf("insert into %s: %w", rs.table, err)
				}
			}
			res, err = full.ExecContext(ctx, args...)
		}
		if err != nil {
			return n, fmt.Errorf("insert into %s: %w", rs.table, err)
		}
		c, err := res.RowsAffected()
		if err != nil {
			return n, fmt.Errorf("insert into %s: %w", rs.table, err)
		}
		n += c
		rows = rows[k:]
	}
	return n, nil
}

// sqliteValue stores bits as 0 and 1.
func sqliteValue(v any) any {
	if b, ok := v.(bool); ok {
		return bit(b)
	}
	return v
}

func (sqliteDialect) insertIdentity(context.Context, querier, rowSet, string, string) (map[string]int32, error) {
	return nil, errors.New("store: the embedded store has no IDENTITY columns")
}

func (sqliteDialect) execCount(ctx context.Context, q querier, stmt, _ string, args ...any) (int64, error) {
	res, err := q.ExecContext(ctx, strings.Replace(stmt, "{out}", "", 1), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (sqliteDialect) setLastChatIDs(ctx context.Context, q querier, lasts map[int32]int64) error {
	for _, room := range slices.Sorted(maps.Keys(lasts)) {
		last := lasts[room]
		res, err := q.ExecContext(ctx, `UPDATE tblLastChatId SET lastChatID = ? WHERE nodeID = ?`, last, room)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			if err != nil {
				return err
			}
			continue
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO tblLastChatId (nodeID, lastChatID) VALUES (?, ?)`, room, last); err != nil {
			return err
		}
	}
	return nil
}

func (sqliteDialect) valuesTable(n int) (string, string) {
	return "(VALUES " + strings.TrimSuffix(strings.Repeat("(?),", n), ",") + ") AS v", "v.column1"
}

func (sqliteDialect) lockHint() string { return "" }
