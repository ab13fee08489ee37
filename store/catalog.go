package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Column is one column of a table pcmig reads or writes, as the database
// declares it.
type Column struct {
	Table  string // the table's name as the database spells it
	Name   string // the column's name as the database spells it
	Type   string // lower case: nvarchar, varchar, int, uniqueidentifier, ...
	Length int    // text types: the declared n (UTF-16 code units for nchar and nvarchar, bytes for char and varchar); -1 for (max); 0 otherwise
	// Collation is the column's collation (text types only).
	Collation Collation
	Identity  bool
	Nullable  bool
	// Default says the column has a default (DEFAULT constraint); Computed
	// that it is a computed column. The server fills either in an INSERT
	// that leaves the column out.
	Default, Computed bool
}

// ServerFilled reports whether an INSERT that leaves the column out still
// succeeds: it is nullable, has a default, or the server computes it (an
// IDENTITY, a computed column, rowversion).
func (c Column) ServerFilled() bool {
	return c.Nullable || c.Default || c.Computed || c.Identity || c.Type == "timestamp" || c.Type == "rowversion"
}

// IsText reports whether the column holds character data.
func (c Column) IsText() bool {
	switch c.Type {
	case "nvarchar", "nchar", "ntext", "varchar", "char", "text":
		return true
	}
	return false
}

// Unicode reports whether the column stores UTF-16 (the n types).
func (c Column) Unicode() bool { return strings.HasPrefix(c.Type, "n") && c.IsText() }

// Declared is the column's type as in a CREATE TABLE: nvarchar(256).
func (c Column) Declared() string {
	switch {
	case !c.IsText() || c.Type == "text" || c.Type == "ntext":
		return c.Type
	case c.Length < 0:
		return c.Type + "(max)"
	}
	return c.Type + "(" + strconv.Itoa(c.Length) + ")"
}

// Trigger is a DML trigger on a table pcmig reads or writes.
type Trigger struct {
	Table, Name string
	Disabled    bool
}

// catalog is what the database says about the tables pcmig uses: read once
// when a store opens, and the source of exact names, types, lengths,
// collations, identity columns and triggers.
type catalog struct {
	// database is the database's default collation; identifiers (table and
	// column names) compare by it.
	database Collation
	// schema is the login's default schema (SQL Server); unqualified names
	// resolve in it first, then in dbo.
	schema string
	// tables maps each documented table name that resolves to its schema
	// (the table's own name and columns in database order).
	tables   map[string]*catTable
	triggers []Trigger
}

type catTable struct {
	schema, name string
	cols         []Column
}

// catalogTables are the documented tables the catalogue describes: every
// table the store reads or writes.
func catalogTables() []string {
	out := make([]string, 0, len(requiredSchema)+len(optionalTables)+1)
	for t := range requiredSchema {
		out = append(out, t)
	}
	out = append(out, optionalTables...)
	out = append(out, "tblPrincipalInvites")
	sort.Strings(out)
	return out
}

// column finds a column of a documented table by its documented name, as
// the database resolves identifiers: exactly first, then by the database
// collation's rules (a case-insensitive database finds nodeName as
// NODENAME; a case-sensitive one does not).
func (c *catalog) column(table, name string) (Column, bool) {
	t := c.tables[table]
	if t == nil {
		return Column{}, false
	}
	for _, col := range t.cols {
		if col.Name == name {
			return col, true
		}
	}
	for _, col := range t.cols {
		if c.database.Equal(col.Name, name) {
			return col, true
		}
	}
	return Column{}, false
}

// hasTable reports whether a documented table resolves.
func (c *catalog) hasTable(table string) bool { return c.tables[table] != nil }

// columnName is the database's spelling of a documented column (the
// documented spelling when the column is unknown). Bulk copy matches
// column names exactly, whatever the collation.
func (c *catalog) columnName(table, name string) string {
	if col, ok := c.column(table, name); ok {
		return col.Name
	}
	return name
}

// readCatalog reads the catalogue of a database in either dialect.
func readCatalog(ctx context.Context, q querier, d dialect) (*catalog, error) {
	if d.name() == "sqlserver" {
		return readSQLServerCatalog(ctx, q)
	}
	return readSQLiteCatalog(ctx, q)
}

// tableValues is a T-SQL VALUES list of the catalogue's table names.
func tableValues() string {
	var b strings.Builder
	for i, t := range catalogTables() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(N'" + t + "')")
	}
	return b.String()
}

// catalogSQL reads every column of the documented tables. OBJECT_ID with a
// one-part name resolves the way pcmig's unqualified statements do: in the
// login's default schema, then in dbo, comparing names by the database's
// collation. A same-named table in another schema is never read.
func catalogSQL() string {
	return `SELECT v.doc, SCHEMA_NAME(t.schema_id), t.name, c.name, TYPE_NAME(c.system_type_id), c.max_length, c.collation_name,
  CONVERT(int, COLLATIONPROPERTY(c.collation_name, 'CodePage')), CONVERT(int, COLLATIONPROPERTY(c.collation_name, 'ComparisonStyle')),
  CONVERT(int, COLLATIONPROPERTY(c.collation_name, 'LCID')), c.is_identity, c.is_nullable, CONVERT(bit, CASE WHEN c.default_object_id = 0 THEN 0 ELSE 1 END), c.is_computed
FROM (VALUES ` + tableValues() + `) AS v(doc)
JOIN sys.tables t ON t.object_id = OBJECT_ID(v.doc)
JOIN sys.columns c ON c.object_id = t.object_id
ORDER BY v.doc, c.column_id`
}

// databaseSQL reads the database's default collation and the login's
// default schema.
const databaseSQL = `SELECT CONVERT(nvarchar(128), DATABASEPROPERTYEX(DB_NAME(), 'Collation')),
  CONVERT(int, COLLATIONPROPERTY(CONVERT(nvarchar(128), DATABASEPROPERTYEX(DB_NAME(), 'Collation')), 'CodePage')),
  CONVERT(int, COLLATIONPROPERTY(CONVERT(nvarchar(128), DATABASEPROPERTYEX(DB_NAME(), 'Collation')), 'ComparisonStyle')),
  CONVERT(int, COLLATIONPROPERTY(CONVERT(nvarchar(128), DATABASEPROPERTYEX(DB_NAME(), 'Collation')), 'LCID')),
  SCHEMA_NAME()`

// triggersSQL lists the DML triggers on the documented tables.
func triggersSQL() string {
	return `SELECT v.doc, tr.name, tr.is_disabled
FROM (VALUES ` + tableValues() + `) AS v(doc)
JOIN sys.triggers tr ON tr.parent_id = OBJECT_ID(v.doc)
ORDER BY v.doc, tr.name`
}

func readSQLServerCatalog(ctx context.Context, q querier) (*catalog, error) {
	c := &catalog{tables: map[string]*catTable{}}
	var dbColl, schema sql.NullString
	var dbCP, dbStyle, dbLCID sql.NullInt64
	if err := q.QueryRowContext(ctx, databaseSQL).Scan(&dbColl, &dbCP, &dbStyle, &dbLCID, &schema); err != nil {
		return nil, fmt.Errorf("read the database collation: %w", err)
	}
	c.database = collationFromServer(dbColl.String, nullInt(dbCP), nullInt(dbStyle), nullInt(dbLCID))
	c.schema = schema.String
	rows, err := q.QueryContext(ctx, catalogSQL())
	if err != nil {
		return nil, fmt.Errorf("read the catalogue (sys.columns): %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var doc, sch, table, name, typ string
		var maxLen int64
		var coll sql.NullString
		var cp, style, lcid sql.NullInt64
		var ident, null, def, computed bool
		if err := rows.Scan(&doc, &sch, &table, &name, &typ, &maxLen, &coll, &cp, &style, &lcid, &ident, &null, &def, &computed); err != nil {
			return nil, fmt.Errorf("read the catalogue (sys.columns): %w", err)
		}
		col := Column{Table: table, Name: name, Type: strings.ToLower(typ), Identity: ident, Nullable: null, Default: def, Computed: computed}
		if col.IsText() {
			col.Length = int(maxLen)
			if col.Unicode() && maxLen > 0 {
				col.Length = int(maxLen / 2) // sys.columns counts bytes
			}
			if col.Type == "text" || col.Type == "ntext" {
				col.Length = -1
			}
			col.Collation = collationFromServer(coll.String, nullInt(cp), nullInt(style), nullInt(lcid))
		}
		t := c.tables[doc]
		if t == nil {
			t = &catTable{schema: sch, name: table}
			c.tables[doc] = t
		}
		t.cols = append(t.cols, col)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the catalogue (sys.columns): %w", err)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	trows, err := q.QueryContext(ctx, triggersSQL())
	if err != nil {
		return nil, fmt.Errorf("read the catalogue (sys.triggers): %w", err)
	}
	defer trows.Close()
	for trows.Next() {
		var tr Trigger
		if err := trows.Scan(&tr.Table, &tr.Name, &tr.Disabled); err != nil {
			return nil, fmt.Errorf("read the catalogue (sys.triggers): %w", err)
		}
		c.triggers = append(c.triggers, tr)
	}
	return c, trows.Err()
}

func nullInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

// readSQLiteCatalog describes an embedded database. SQLite declares text
// as TEXT without a length; the documented SQL Server type is reported
// instead, so that names are held to the limits a real mgc has. SQLite
// matches table and column names without regard to ASCII case.
func readSQLiteCatalog(ctx context.Context, q querier) (*catalog, error) {
	c := &catalog{tables: map[string]*catTable{}, database: Collation{Name: "embedded identifiers (ASCII case-insensitive)", IgnoreCase: true}}
	docs := documentedColumns()
	for _, doc := range catalogTables() {
		var name string
		err := q.QueryRowContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE`, doc).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read the catalogue (sqlite_master): %w", err)
		}
		t := &catTable{schema: "main", name: name}
		rows, err := q.QueryContext(ctx, `SELECT name, type, "notnull", dflt_value IS NOT NULL FROM pragma_table_info(?) ORDER BY cid`, name)
		if err != nil {
			return nil, fmt.Errorf("read the columns of %s: %w", name, err)
		}
		for rows.Next() {
			var col Column
			var typ string
			var notNull bool
			if err := rows.Scan(&col.Name, &typ, &notNull, &col.Default); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read the columns of %s: %w", name, err)
			}
			col.Table, col.Nullable = name, !notNull
			col.Type, col.Length = parseDeclared(typ)
			if dc, ok := docs[doc][strings.ToLower(col.Name)]; ok && col.Type == "text" && dc.IsText() {
				col.Type, col.Length = dc.Type, dc.Length
			}
			if col.IsText() {
				col.Collation = embeddedCollation
			}
			t.cols = append(t.cols, col)
		}
		err = rows.Err()
		if err := errors.Join(err, rows.Close()); err != nil {
			return nil, fmt.Errorf("read the columns of %s: %w", name, err)
		}
		c.tables[doc] = t
		trows, err := q.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? COLLATE NOCASE ORDER BY name`, name)
		if err != nil {
			return nil, fmt.Errorf("read the triggers of %s: %w", name, err)
		}
		for trows.Next() {
			tr := Trigger{Table: doc}
			if err := trows.Scan(&tr.Name); err != nil {
				trows.Close()
				return nil, fmt.Errorf("read the triggers of %s: %w", name, err)
			}
			c.triggers = append(c.triggers, tr)
		}
		if err := errors.Join(trows.Err(), trows.Close()); err != nil {
			return nil, fmt.Errorf("read the triggers of %s: %w", name, err)
		}
	}
	return c, nil
}

// documentedColumns are the documented SQL Server declarations of every
// column, by table and lower-case column name, read from the T-SQL schema
// pcmig creates (mssqlTables).
func documentedColumns() map[string]map[string]Column {
	out := map[string]map[string]Column{}
	for _, t := range mssqlTables {
		cols := map[string]Column{}
		for _, line := range strings.Split(t.body, "\n") {
			f := strings.Fields(strings.TrimSuffix(strings.TrimSpace(line), ","))
			if len(f) < 2 || f[0] == "PRIMARY" || f[0] == "UNIQUE" || f[0] == "FOREIGN" {
				continue
			}
			name := strings.Trim(f[0], "[]")
			col := Column{Table: t.name, Name: name}
			col.Type, col.Length = parseDeclared(strings.TrimSuffix(f[1], "%s"))
			col.Nullable = !strings.Contains(strings.ToUpper(line), "NOT NULL")
			cols[strings.ToLower(name)] = col
		}
		out[t.name] = cols
	}
	return out
}

// parseDeclared splits a declared type ("nvarchar(256)", "VARCHAR(max)",
// "TEXT") into its lower-case name and length (-1 for max, 0 for none). A
// hand-made embedded database that declares lengths is held to them.
func parseDeclared(decl string) (typ string, length int) {
	typ = strings.ToLower(strings.TrimSpace(decl))
	i := strings.IndexByte(typ, '(')
	if i <= 0 {
		return typ, 0
	}
	n := strings.TrimSpace(strings.TrimSuffix(typ[i+1:], ")"))
	typ = strings.TrimSpace(typ[:i])
	if n == "max" {
		return typ, -1
	}
	length, _ = strconv.Atoi(n)
	return typ, length
}
