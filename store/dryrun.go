package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pcmig/pcmig/internal/scratch"
	"github.com/pcmig/pcmig/numtext"
)

// Dry runs (docs/store.md). A dry-run store reads the database and writes
// nothing to it, whatever its kind: it copies the structure pcmig works on
// (principals, affiliations, nodes, roles, scopes, add-ins, per-room last
// chat IDs and the static rows) into a private embedded scratch database and
// simulates every write there, with the same code a real run uses. Message
// history is never copied: reads of it (streams, counts, the highest chat ID
// of a room) go to the database itself, with plain SELECTs outside any
// transaction. So a dry run takes no write lock, opens no transaction and
// moves no identity seed on the database, and the live-pool check still
// reads the database's own heartbeats.

// simulation is the state of a dry run.
type simulation struct {
	// nodeFloor is the highest node ID the database has used (its chat
	// history, identity seed or sqlite_sequence): simulated rooms get IDs
	// above it, so they never meet real history.
	nodeFloor int64
	// deleted holds the rooms the dry run removed; their real history is
	// hidden from later reads.
	deleted map[int32]bool
}

// removed reports whether a dry run removed the room (false outside one).
func (sim *simulation) removed(room int32) bool { return sim != nil && sim.deleted[room] }

// scratchTables are copied into a dry run's scratch database, in
// foreign-key order; tblChat is not among them.
var scratchTables = []string{"tblEnumAttribute", "tblEnumValue", "tblPrincipalType", "tblRoleType", "tblPrincipal",
	"tblPrincipalAffiliations", "tblSiopWhiteList", "tblNode", "tblPrincipalRole", "tblScopePrincipal", "tblLastChatId",
	"tblServerIdentity", "tblSystemRevision", "tblConfig"}

// guidColumns and datetimeColumns need converting on the way.
var (
	guidColumns     = map[string]bool{"prinGuid": true, "nodeGuid": true, "siopID": true, "configPoolID": true}
	datetimeColumns = map[string]bool{"prinVerifiedOn": true, "serverLastPingTime": true, "purgedOn": true}
)

func openDryRun(ctx context.Context, cfg Config, kind string, conn driver.Connector) (*Store, error) {
	real, err := openReal(ctx, cfg, kind, conn)
	if err != nil {
		return nil, err
	}
	closeReal := func() error {
		if real == nil {
			return nil
		}
		return real.Close()
	}
	dir, err := scratch.Make("pcmig-dryrun-")
	if err != nil {
		return nil, errors.Join(fmt.Errorf("dry run: %w", err), closeReal())
	}
	fail := func(err error) (*Store, error) {
		return nil, errors.Join(err, closeReal(), os.RemoveAll(dir))
	}
	path := filepath.Join(dir, "scratch.db")
	if real == nil {
		err = createSQLite(ctx, path) // a dry run of a database still to be created
	} else {
		err = createScratch(ctx, path)
	}
	if err != nil {
		return fail(fmt.Errorf("dry run: create the scratch copy: %w", err))
	}
	db, err := openSQLiteDB(path, false)
	if err != nil {
		return fail(err)
	}
	cfg.ReadOnly = false
	s := newStore(cfg, db, sqliteDialect{})
	s.sim = &simulation{deleted: map[int32]bool{}}
	s.cleanup = func() error { return os.RemoveAll(dir) }
	if real != nil {
		s.hist, s.histDialect = real.db, real.dialect
		if err := copyStructure(ctx, real, s); err != nil {
			// The scratch copy keeps prinGuid and nodeGuid unique, as
			// Persistent Chat does: name the rows rather than SQLite's
			// constraint.
			if shared, n, e := real.sharedGUIDs(ctx, 10); e == nil && n > 0 {
				err = fmt.Errorf("%s held by more than one row, which Persistent Chat keeps unique (pcmig doctor names them): %s",
					numtext.Count(n, "GUID is", "GUIDs are"), numtext.Listed(shared, n, "; "))
			}
			return nil, errors.Join(fmt.Errorf("dry run: copy the structure of %s: %w", cfg.Describe(), err), s.Close())
		}
		if s.sim.nodeFloor, err = real.nodeHighWater(ctx); err != nil {
			return nil, errors.Join(s.wrap("dry run: read the highest node ID", err), s.Close())
		}
	}
	if err := s.load(ctx); err != nil {
		return nil, errors.Join(s.wrap("open the dry-run copy of", err), s.Close())
	}
	if real != nil {
		// Names compare, and text is checked, as the database does it.
		s.cat = real.cat
		for t, ok := range real.optional {
			if t != "sqlite_sequence" {
				s.optional[t] = ok
			}
		}
	}
	return s, nil
}

// openReal opens the database of a dry run read-only and checks it; nil
// for an embedded database that does not exist yet and may be created.
func openReal(ctx context.Context, cfg Config, kind string, conn driver.Connector) (*Store, error) {
	var s *Store
	if kind == "sqlite" {
		path := cfg.SQLitePath()
		exists, err := sqliteFile(path, cfg.Create)
		if err != nil {
			return nil, err
		}
		if !exists {
			return nil, nil
		}
		if err := checkSQLiteHeader(path); err != nil {
			return nil, err
		}
		db, err := openSQLiteDB(path, true)
		if err != nil {
			return nil, err
		}
		s = newStore(cfg, db, sqliteDialect{})
	} else {
		db, err := openSQLServerDB(ctx, cfg, conn)
		if err != nil {
			return nil, err
		}
		s = newStore(cfg, db, mssqlDialect{})
	}
	if err := s.load(ctx); err != nil {
		return nil, errors.Join(s.wrap("open", err), s.Close())
	}
	return s, nil
}

// createScratch writes an embedded database with the schema and no rows.
func createScratch(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", SQLiteURI(path, false))
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return errors.Join(err, db.Close())
	}
	for _, stmt := range sqliteSchema {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return errors.Join(fmt.Errorf("%w in %.60s", err, stmt), tx.Rollback(), db.Close())
		}
	}
	return errors.Join(tx.Commit(), db.Close())
}

// copyStructure copies scratchTables from the real store into the scratch
// store's database, in one scratch transaction, streaming in chunks.
func copyStructure(ctx context.Context, real, scratch *Store) error {
	return scratch.tx(ctx, func(q querier) error {
		for _, t := range scratchTables {
			if ok, known := real.optional[t]; known && !ok {
				continue
			}
			if err := copyTable(ctx, real, q, t); err != nil {
				return fmt.Errorf("%s: %w", t, err)
			}
		}
		return nil
	})
}

func copyTable(ctx context.Context, real *Store, q querier, table string) error {
	want, err := tableColumns(ctx, q, sqliteDialect{}, table)
	if err != nil {
		return err
	}
	rs := rowSet{table: table}
	var sel []string
	for _, w := range want {
		col, ok := real.cat.column(table, w)
		if !ok {
			continue
		}
		expr := real.dialect.ident(col.Name)
		if guidColumns[w] {
			expr = real.dialect.guid(expr)
		}
		if table == "tblLastChatId" && w == "lastChatID" {
			expr = "MAX(" + expr + ")" // duplicate rows: the highest counts
		}
		sel = append(sel, expr)
		rs.cols = append(rs.cols, column{name: w})
	}
	query := "SELECT " + strings.Join(sel, ", ") + " FROM " + table
	if table == "tblLastChatId" {
		query += " GROUP BY " + sel[0]
	}
	rows, err := real.q().QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]any, len(sel))
	ptrs := make([]any, len(sel))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		row := make([]any, len(vals))
		for i, v := range vals {
			row[i] = scratchValue(rs.cols[i].name, v)
		}
		rs.rows = append(rs.rows, row)
		if len(rs.rows) == 5000 {
			if _, err := (sqliteDialect{}).insertSet(ctx, q, rs); err != nil {
				return err
			}
			rs.rows = rs.rows[:0]
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	_, err = sqliteDialect{}.insertSet(ctx, q, rs)
	return err
}

// scratchValue converts a value read from the database for the scratch
// copy: GUIDs in lower case, datetimes as the embedded store writes them.
func scratchValue(col string, v any) any {
	switch x := v.(type) {
	case []byte:
		if guidColumns[col] || datetimeColumns[col] {
			return scratchValue(col, string(x))
		}
	case string:
		if guidColumns[col] {
			return strings.ToLower(x)
		}
	case time.Time:
		return sqliteDialect{}.datetime(x)
	}
	return v
}

// nodeHighWater is the highest node ID the database has used: the highest
// channelId of its history (a primary-key seek), and its identity seed or
// sqlite_sequence where it keeps one.
func (s *Store) nodeHighWater(ctx context.Context) (int64, error) {
	var high sql.NullInt64
	if err := s.q().QueryRowContext(ctx, `SELECT MAX(channelId) FROM tblChat`).Scan(&high); err != nil {
		return 0, err
	}
	top := high.Int64
	var seq sql.NullInt64
	switch {
	case s.identity["tblNode"]:
		if err := s.q().QueryRowContext(ctx, `SELECT CAST(IDENT_CURRENT('tblNode') AS bigint)`).Scan(&seq); err != nil {
			return 0, err
		}
	case s.nodeSeq():
		if err := s.q().QueryRowContext(ctx, `SELECT MAX(seq) FROM sqlite_sequence WHERE name = 'tblNode'`).Scan(&seq); err != nil {
			return 0, err
		}
	}
	return max(top, seq.Int64), nil
}
