package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
)

// The integer and bit columns pcmig reads hold their documented types on
// SQL Server, which converts or refuses anything else. SQLite keeps
// whatever a column is given (text in a smallint, 7 in a bit), and
// pcmig's reads of such a row stop with a conversion error that names
// the column but not the row; likewise a GUID or datetime column holding
// other text. UnreadableValues finds those rows, by table,
// key and column, for the doctor's "values" line and for the export's
// refusal; it never shows the values that are not integers.

// valueKeys are the documented primary keys of the tables pcmig reads,
// which name a row.
var valueKeys = map[string][]string{
	"tblNode": {"nodeID"}, "tblPrincipal": {"prinID"}, "tblPrincipalType": {"ptypeID"}, "tblRoleType": {"rtypeID"},
	"tblPrincipalRole":  {"prinRoleNodeID", "prinRolePrinID", "prinRoleTypeID"},
	"tblScopePrincipal": {"scopeNodeID", "scopePrinID"},
	"tblEnumAttribute":  {"attributeID"}, "tblEnumValue": {"valueID"},
	"tblChat": {"channelId", "chatId"}, "tblLastChatId": {"nodeID", "lastChatID"},
	"tblServerIdentity": {"serverID"}, "tblSystemRevision": nil,
}

// integerRange is the range of a documented integer type, and whether it
// is one.
func integerRange(typ string) (lo, hi int64, ok bool) {
	switch typ {
	case "bit":
		return 0, 1, true
	case "tinyint":
		return 0, 255, true
	case "smallint":
		return -1 << 15, 1<<15 - 1, true
	case "int":
		return -1 << 31, 1<<31 - 1, true
	case "bigint":
		return -1 << 63, 1<<63 - 1, true
	}
	return 0, 0, false
}

// intColumn is an integer column pcmig reads, as the database spells it.
type intColumn struct {
	name     string // as the database spells it
	typ      string // documented type
	lo, hi   int64
	nullable bool // documented NULL
}

// UnreadableValues lists the rows of the tables pcmig reads whose integer
// or bit columns hold something other than an integer in the column's
// documented range (or NULL where the schema documents NOT NULL): at most
// limit rows, described as "tblNode nodeID 1000: visibility holds text",
// and how many rows there are in all; without messages, tblChat is left
// out. Only an embedded database can hold them (nil on SQL Server). It
// reads every table it checks whole.
func (s *Store) UnreadableValues(ctx context.Context, limit int, messages bool) ([]string, int, error) {
	if s.dialect.name() != "sqlite" {
		return nil, 0, nil
	}
	cat := s.cat
	if cat == nil {
		var err error
		if cat, err = readCatalog(ctx, s.q(), s.dialect); err != nil {
			return nil, 0, err
		}
	}
	docs := documentedColumns()
	tables := make([]string, 0, len(valueKeys))
	for t := range valueKeys {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	var out []string
	total := 0
	for _, t := range tables {
		if _, ok := cat.tables[t]; !ok || t == "tblChat" && !messages {
			continue
		}
		cols := intColumns(cat, docs, t)
		if len(cols) == 0 {
			continue
		}
		rows, n, err := s.unreadableRows(ctx, cat, t, cols, limit-len(out))
		if err != nil {
			return nil, 0, err
		}
		out = append(out, rows...)
		total += n
	}
	rows, n, err := s.unreadableText(ctx, cat, limit-len(out))
	if err != nil {
		return nil, 0, err
	}
	return append(out, rows...), total + n, nil
}

// intColumns are the integer and bit columns of table that the database
// has, as it spells them, with their documented types.
func intColumns(cat *catalog, docs map[string]map[string]Column, table string) []intColumn {
	var cols []intColumn
	for _, name := range requiredSchema[table] {
		col, ok := cat.column(table, name)
		doc := docs[table][strings.ToLower(name)]
		lo, hi, isInt := integerRange(doc.Type)
		if ok && isInt {
			cols = append(cols, intColumn{name: col.Name, typ: doc.Type, lo: lo, hi: hi, nullable: doc.Nullable})
		}
	}
	return cols
}

// unreadableRows is UnreadableValues for one table: at most limit rows,
// and the number of them.
func (s *Store) unreadableRows(ctx context.Context, cat *catalog, table string, cols []intColumn, limit int) ([]string, int, error) {
	id := s.dialect.ident
	var keys []string
	for _, k := range valueKeys[table] {
		if col, ok := cat.column(table, k); ok {
			keys = append(keys, col.Name)
		}
	}
	var sel, bad []string
	for _, k := range keys {
		sel = append(sel, fmt.Sprintf("CASE WHEN typeof(%s) = 'integer' THEN %s END", id(k), id(k)))
	}
	for _, c := range cols {
		sel = append(sel, fmt.Sprintf("typeof(%s), CASE WHEN typeof(%s) = 'integer' THEN %s END", id(c.name), id(c.name), id(c.name)))
		ok := fmt.Sprintf("typeof(%s) = 'integer' AND %s BETWEEN %d AND %d", id(c.name), id(c.name), c.lo, c.hi)
		if c.nullable {
			ok += fmt.Sprintf(" OR typeof(%s) = 'null'", id(c.name))
		}
		bad = append(bad, "NOT ("+ok+")")
	}
	from := " FROM " + id(cat.tables[table].name) + " WHERE " + strings.Join(bad, " OR ")
	if limit < 1 {
		limit = 0
	}
	rows, err := s.q().QueryContext(ctx, "SELECT "+strings.Join(sel, ", ")+from+fmt.Sprintf(" LIMIT %d", limit+1))
	if err != nil {
		return nil, 0, s.wrap("read "+table, err)
	}
	defer rows.Close()
	var out []string
	n := 0
	for rows.Next() {
		keyv := make([]sql.NullInt64, len(keys))
		types := make([]string, len(cols))
		vals := make([]sql.NullInt64, len(cols))
		dest := make([]any, 0, len(keys)+2*len(cols))
		for i := range keyv {
			dest = append(dest, &keyv[i])
		}
		for i := range cols {
			dest = append(dest, &types[i], &vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, 0, s.wrap("read "+table, err)
		}
		n++
		if len(out) == limit {
			continue
		}
		out = append(out, describeRow(table, keys, keyv, cols, types, vals))
	}
	if err := rows.Err(); err != nil {
		return nil, 0, s.wrap("read "+table, err)
	}
	if n > limit {
		if err := s.q().QueryRowContext(ctx, "SELECT COUNT(*)"+from).Scan(&n); err != nil {
			return nil, 0, s.wrap("read "+table, err)
		}
	}
	return out, n, nil
}

// describeRow is "tblChat channelId 1000 chatId 2: isAlert 2 is not 0 or
// 1 (bit)": the row by its key (by its table when a key column is not an
// integer itself), then each column that is wrong, by the type of what
// it holds, never the value unless it is an integer.
func describeRow(table string, keys []string, keyv []sql.NullInt64, cols []intColumn, types []string, vals []sql.NullInt64) string {
	row := table
	for i, k := range keys {
		if !keyv[i].Valid {
			row = "a row of " + table
			break
		}
		row += fmt.Sprintf(" %s %d", k, keyv[i].Int64)
	}
	if len(keys) == 0 {
		row = "a row of " + table
	}
	var what []string
	for i, c := range cols {
		switch {
		case vals[i].Valid && (vals[i].Int64 < c.lo || vals[i].Int64 > c.hi):
			if c.typ == "bit" {
				what = append(what, fmt.Sprintf("%s %d is not 0 or 1 (bit)", c.name, vals[i].Int64))
			} else {
				what = append(what, fmt.Sprintf("%s %d is outside %s's range", c.name, vals[i].Int64, c.typ))
			}
		case vals[i].Valid:
		case types[i] == "null" && c.nullable:
		case types[i] == "null":
			what = append(what, fmt.Sprintf("%s is NULL (documented NOT NULL)", c.name))
		case types[i] == "real":
			what = append(what, fmt.Sprintf("%s holds a fraction (real)", c.name))
		default: // text, blob
			what = append(what, fmt.Sprintf("%s holds %s", c.name, types[i]))
		}
	}
	sort.Strings(what)
	return row + ": " + strings.Join(what, ", ")
}

// values runs the "values" line (embedded databases only).
func (d *doctorRun) values(ctx context.Context) {
	if d.sqlServer {
		return
	}
	// The message rows are read here only when the shared pass over
	// tblChat found one to name, or could not tell.
	messages := true
	if p := d.chatPass(ctx); p != nil && !p.values {
		messages = false
	}
	rows, n, err := d.s.UnreadableValues(ctx, 10, messages)
	if err != nil {
		d.failed("values", err)
		return
	}
	if n == 0 {
		d.add(DoctorOK, "values", "every integer, bit, GUID and datetime column pcmig reads holds its documented type", "")
		return
	}
	d.add(DoctorFail, "values", fmt.Sprintf("%s values that are not their column's documented type (the embedded store keeps whatever it is given; values that are not integers are not shown): %s",
		numtext.Count(n, "row holds", "rows hold"), numtext.Listed(rows, n, "; ")),
		"pcmig cannot read such a row as the schema documents it (most reads stop there; a nodeType other than 0 and 1 is neither a room nor a category): the export refuses the pool naming each row, and the import, verify and inventory stop or misread; correct the values after a backup (the documented types: docs/mappings.md)")
}

// textChecks are the GUID and datetime columns the store reads and
// converts in Go, by table, with the key that names a row.
var textChecks = []struct {
	table, key string
	guids      []string // GUID columns (NULL allowed only where documented)
	datetimes  []string // datetime columns
}{
	{"tblPrincipal", "prinID", []string{"prinGuid"}, []string{"prinVerifiedOn"}},
	{"tblNode", "nodeID", []string{"nodeGuid", "siopID"}, nil},
	{"tblServerIdentity", "serverID", nil, []string{"serverLastPingTime"}},
}

// unreadableText lists rows whose GUID or datetime columns the store
// cannot convert (SQLite keeps any text there): "tblNode nodeID 1000:
// nodeGuid is not a GUID". It reads those tables whole.
func (s *Store) unreadableText(ctx context.Context, cat *catalog, limit int) ([]string, int, error) {
	docs := documentedColumns()
	var out []string
	n := 0
	for _, t := range textChecks {
		key, ok := cat.column(t.table, t.key)
		if !ok {
			continue
		}
		cols := []string{s.dialect.ident(key.Name)}
		var names []string
		for _, c := range append(append([]string{}, t.guids...), t.datetimes...) {
			if col, ok := cat.column(t.table, c); ok {
				cols = append(cols, s.dialect.ident(col.Name))
				names = append(names, c)
			}
		}
		if len(names) == 0 {
			continue
		}
		rows, err := s.q().QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+s.dialect.ident(cat.tables[t.table].name))
		if err != nil {
			return nil, 0, s.wrap("read "+t.table, err)
		}
		vals := make([]any, len(cols))
		dest := make([]any, len(cols))
		for i := range vals {
			dest[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return nil, 0, s.wrap("read "+t.table, err)
			}
			var what []string
			for i, c := range names {
				v := vals[i+1]
				isGUID := i < len(t.guids)
				switch {
				case v == nil && docs[t.table][strings.ToLower(c)].Nullable:
				case v == nil:
					what = append(what, c+" is NULL (documented NOT NULL)")
				case isGUID:
					if _, err := pchat.CanonicalGUID(fmt.Sprint(textOf(v))); err != nil {
						what = append(what, c+" is not a GUID (8-4-4-4-12 hexadecimal digits)")
					}
				default:
					if _, _, err := parseDateTime(v); err != nil {
						what = append(what, c+" is not a datetime")
					}
				}
			}
			if len(what) == 0 {
				continue
			}
			n++
			if len(out) < limit {
				row := "a row of " + t.table
				if id, ok := vals[0].(int64); ok {
					row = fmt.Sprintf("%s %s %d", t.table, t.key, id)
				}
				out = append(out, row+": "+strings.Join(what, ", "))
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, 0, s.wrap("read "+t.table, err)
		}
	}
	return out, n, nil
}

// textOf is a scanned value as text ([]byte as its bytes).
func textOf(v any) any {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v
}

// UnreadableRows is UnreadableValues (every table, tblChat included) as
// one phrase for an error that explains a failed read: "2 rows hold values
// not their column's documented type: tblPrincipal prinID 7: prinDisabled
// holds text; ...", the first ten named. It returns "" when there is no
// such row, or when they cannot be listed.
func (s *Store) UnreadableRows(ctx context.Context) string {
	if ctx.Err() != nil {
		return ""
	}
	rows, n, err := s.UnreadableValues(ctx, 10, true)
	if err != nil || n == 0 {
		return ""
	}
	return numtext.Count(n, "row holds a value", "rows hold values") + " not their column's documented type: " + numtext.Listed(rows, n, "; ")
}
