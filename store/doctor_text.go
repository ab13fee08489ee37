package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
)

// structureTexts are the text columns of the structure that pcmig
// exports, by table, with the key that names a row. SQLite keeps any
// bytes and any length in a TEXT column; SQL Server's nvarchar columns
// hold neither invalid UTF-8 nor more than their declared length (the
// "types" line warns of a column declared longer than documented).
var structureTexts = []struct {
	table, key string
	cols       []string
}{
	{"tblNode", "nodeID", []string{"nodeName", "nodeDesc"}},
	{"tblPrincipal", "prinID", []string{"prinUri", "prinName", "prinDisplayName", "prinCompanyName", "prinEmail", "prinADPath", "prinADUserPrincipalName"}},
	{"tblSiopWhiteList", "siopID", []string{"siopName", "siopUrl"}},
}

// texts runs the "text" line (embedded databases only): structure text
// that is not valid UTF-8 (the export refuses it: an archive carries
// text exactly, never with bytes replaced) fails; text longer than its
// documented column warns (a target of the documented schema cannot hold
// it: the import refuses it, naming it). Values are never shown.
//
// On SQL Server, whose nvarchar holds neither, the line checks for text
// holding a UTF-16 surrogate without its pair, which go-mssqldb reads as
// U+FFFD (the export refuses it): in the structure (unpairedStructureText;
// a read that fails is said, and the messages are still checked) and in
// the messages (messageFindingsSQLServer).
func (d *doctorRun) texts(ctx context.Context) {
	docs := documentedColumns()
	var invalid, long []string
	nInvalid, nLong := 0, 0
	tables := structureTexts
	structure := true // the structure's text was checked
	if d.sqlServer {
		tables = nil
		invalid, nInvalid, structure = d.structureTextsSQLServer(ctx)
	}
	for _, t := range tables {
		tab, ok := d.cat.tables[t.table]
		key, okKey := d.cat.column(t.table, t.key)
		if !ok || !okKey {
			continue
		}
		sel := []string{d.s.dialect.ident(key.Name)}
		var names []string
		for _, c := range t.cols {
			if col, ok := d.cat.column(t.table, c); ok {
				sel = append(sel, d.s.dialect.ident(col.Name))
				names = append(names, c)
			}
		}
		if len(names) == 0 {
			continue
		}
		rows, err := d.s.q().QueryContext(ctx, "SELECT "+strings.Join(sel, ", ")+" FROM "+d.s.dialect.ident(tab.name))
		if err != nil {
			d.failed("text", d.s.wrap("read "+t.table, err))
			return
		}
		vals := make([]any, len(sel))
		dest := make([]any, len(sel))
		for i := range vals {
			dest[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				d.failed("text", d.s.wrap("read "+t.table, err))
				return
			}
			row := "a row of " + t.table
			switch k := vals[0].(type) {
			case int64:
				row = fmt.Sprintf("%s %s %d", t.table, t.key, k)
			case string, []byte:
				if g, err := pchat.CanonicalGUID(fmt.Sprint(textOf(k))); err == nil {
					row = fmt.Sprintf("%s %s %s", t.table, t.key, g)
				}
			}
			var bad, over []string
			for i, c := range names {
				var s string
				switch v := vals[i+1].(type) {
				case string:
					s = v
				case []byte:
					s = string(v)
				default:
					continue // NULL, or not text: the "values" line's
				}
				if !utf8.ValidString(s) {
					bad = append(bad, c+" is not valid UTF-8")
				} else if max := docs[t.table][strings.ToLower(c)].Length; max > 0 && UTF16Len(s) > max {
					over = append(over, fmt.Sprintf("%s has %d characters, over nvarchar(%d)", c, UTF16Len(s), max))
				}
			}
			if len(bad) > 0 {
				if nInvalid++; len(invalid) < 10 {
					invalid = append(invalid, row+": "+strings.Join(bad, ", "))
				}
			}
			if len(over) > 0 {
				if nLong++; len(long) < 10 {
					long = append(long, row+": "+strings.Join(over, ", "))
				}
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			d.failed("text", d.s.wrap("read "+t.table, err))
			return
		}
	}
	if nInvalid > 0 && d.sqlServer {
		status, action := DoctorFail, "go-mssqldb reads such a character as U+FFFD, and an archive carries text exactly: the export refuses the pool and writes no archive; correct the text after a backup, "+unpairedOptIn
		if d.opts.ReplaceUnpaired {
			status, action = DoctorWarn, unpairedReplaced
		}
		d.add(status, "text", fmt.Sprintf("%s text with a UTF-16 surrogate that has no pair (not valid Unicode) (values are not shown): %s",
			numtext.Count(nInvalid, "row holds", "rows hold"), numtext.Listed(invalid, nInvalid, "; ")), action)
	} else if nInvalid > 0 {
		d.add(DoctorFail, "text", fmt.Sprintf("%s text that is not valid UTF-8 (values are not shown): %s",
			numtext.Count(nInvalid, "row holds", "rows hold"), numtext.Listed(invalid, nInvalid, "; ")),
			"an archive carries text exactly, never with bytes replaced: the export refuses the pool; correct the text after a backup")
	}
	if nLong > 0 {
		d.add(DoctorWarn, "text", fmt.Sprintf("%s text longer than its documented column (values are not shown): %s",
			numtext.Count(nLong, "row holds", "rows hold"), numtext.Listed(long, nLong, "; ")),
			"a target of the documented schema cannot hold it: the import refuses it, naming it; shorten it after a backup")
	}
	pass := d.messageChecks(ctx)
	messages := pass != nil && pass.text
	if pass != nil && pass.textErr != nil {
		d.failed("text", pass.textErr)
	}
	if messages && pass.nBadText > 0 {
		named := make([]string, len(pass.badText))
		for i, m := range pass.badText {
			named[i] = d.describeMessage(ctx, m)
		}
		what, action := "text that is not valid UTF-8", "an archive carries text exactly, never with bytes replaced: the export refuses the pool and writes no archive; correct the message's tblChat row after a backup"
		status := DoctorFail
		if d.sqlServer {
			what, action = "text with a UTF-16 surrogate that has no pair (not valid Unicode)",
				"go-mssqldb reads such a character as U+FFFD, and an archive carries text exactly: the export refuses the pool and writes no archive; correct the message's tblChat row after a backup, "+unpairedOptIn
			if d.opts.ReplaceUnpaired {
				status, action = DoctorWarn, unpairedReplaced
			}
		}
		d.add(status, "text", fmt.Sprintf("%s %s (values are not shown): %s",
			numtext.Count(pass.nBadText, "message holds", "messages hold"), what, numtext.Listed(named, pass.nBadText, "; ")), action)
	}
	if pass != nil && pass.nBig > 0 {
		named := make([]string, len(pass.big))
		for i, m := range pass.big {
			named[i] = d.describeMessage(ctx, m)
		}
		status, action := DoctorWarn, "a target of the documented schema holds it, but an archive does not: export with a --since after it, or leave its room out of the scope"
		if d.opts.Role == RoleSource {
			status, action = DoctorFail, "the export refuses it and writes no archive: remove or replace the message (Remove-CsPersistentChatMessage -Identity POOL\\ROOM with -ReplaceMessage, or -Remove) before the export"
		}
		d.add(status, "message size", fmt.Sprintf("%s more text than an archive record holds (%d bytes; values are not shown): %s",
			numtext.Count(pass.nBig, "message holds", "messages hold"), archive.MaxRecordBytes, numtext.Listed(named, pass.nBig, "; ")), action)
	}
	if d.sqlServer {
		if nInvalid == 0 && (structure || messages) && (!messages || pass.nBadText == 0) {
			what := "every name, description, principal and add-in text is valid Unicode (no UTF-16 surrogate without its pair)"
			switch {
			case structure && messages:
				what = "every name, description, principal and add-in text and every message's text is valid Unicode (no UTF-16 surrogate without its pair)"
			case messages:
				what = "every message's text is valid Unicode (no UTF-16 surrogate without its pair)"
			}
			d.add(DoctorOK, "text", what, "")
		}
		return
	}
	if nInvalid == 0 && nLong == 0 && (!messages || pass.nBadText == 0) {
		what := "every name, description, principal and add-in text is valid UTF-8 and fits its documented column"
		if messages {
			what = "every name, description, principal and add-in text is valid UTF-8 and fits its documented column, and every message's text is valid UTF-8"
		}
		d.add(DoctorOK, "text", what, "")
	}
}

// describeMessage names a message as the export's refusal does: its
// room by name and nodeID, its chat ID and the columns that are not
// valid UTF-8.
func (d *doctorRun) describeMessage(ctx context.Context, m badMessage) string {
	room := fmt.Sprintf("room nodeID %d", m.room)
	var name any
	if err := d.s.q().QueryRowContext(ctx, "SELECT nodeName FROM tblNode WHERE nodeID = ?", m.room).Scan(&name); err == nil {
		if s, ok := textOf(name).(string); ok && utf8.ValidString(s) {
			room = fmt.Sprintf("room %q (nodeID %d)", s, m.room)
		}
	}
	msg := "a message"
	if m.chatID >= 0 {
		msg = fmt.Sprintf("message %d", m.chatID)
	}
	return fmt.Sprintf("%s, %s: %s", room, msg, m.cols)
}

// structureTextSQL finds, in one read of a table, the rows (the first
// limit by key; 0: all) whose nvarchar columns cols hold a surrogate
// without its pair, with a flag for each column and how many such rows
// there are.
func structureTextSQL(id func(string) string, table, key string, cols []string, limit int) string {
	flags := make([]string, len(cols))
	where := make([]string, len(cols))
	for i, c := range cols {
		flags[i] = fmt.Sprintf("%s AS b%d", unpairedSurrogateSQL(id(c)), i)
		where[i] = fmt.Sprintf("x.b%d = 1", i)
	}
	top := ""
	if limit > 0 {
		top = fmt.Sprintf("TOP (%d) ", limit)
	}
	return "SELECT " + top + "x.*, COUNT_BIG(*) OVER () AS n FROM (SELECT " + key + " AS k, " + strings.Join(flags, ", ") +
		" FROM " + id(table) + ") AS x WHERE " + strings.Join(where, " OR ") + " ORDER BY x.k"
}

// structureTextsSQLServer is the doctor's use of unpairedStructureText:
// the first 10 rows and how many there are; false when a read failed (the
// line then says so).
func (d *doctorRun) structureTextsSQLServer(ctx context.Context) (named []string, n int, ok bool) {
	rows, n, err := d.s.unpairedStructureText(ctx, d.cat, 10)
	if err != nil {
		d.failed("text", err)
		return nil, 0, false
	}
	for _, r := range rows {
		named = append(named, r.String())
	}
	return named, n, true
}

// UnpairedRow is a row of the structure whose nvarchar text holds a
// UTF-16 surrogate without its pair.
type UnpairedRow struct {
	Table, Key string // "tblNode", "nodeID"
	ID         int64  // an integer key's value
	GUID       string // a uniqueidentifier key's value, lower case ("" for an integer key)
	Columns    []string
}

// String names the row and its columns: "tblNode nodeID 10: nodeDesc".
func (r UnpairedRow) String() string {
	row := fmt.Sprintf("%s %s %d", r.Table, r.Key, r.ID)
	if r.GUID != "" {
		row = fmt.Sprintf("%s %s %s", r.Table, r.Key, r.GUID)
	}
	return row + ": " + strings.Join(r.Columns, ", ")
}

// UnpairedStructureText lists every row of the structure pcmig exports
// (structureTexts: tblNode, tblPrincipal, tblSiopWhiteList) whose nvarchar
// text holds a UTF-16 surrogate without its pair, which go-mssqldb reads
// as U+FFFD, by table and key. SQL Server only (one read of each table);
// an embedded database's text is checked as UTF-8 when it is written to
// an archive. A dry run reads the database itself, not its scratch copy
// (which holds the text as the driver read it, U+FFFD already), so that
// it finds what the real run will; of what it finds, it leaves out the
// text the dry run itself has rewritten or removed (notRewritten), as the
// real run's writes will have replaced it.
func (s *Store) UnpairedStructureText(ctx context.Context) ([]UnpairedRow, error) {
	if _, ok := s.histDialect.(mssqlDialect); !ok || s.cat == nil {
		return nil, nil
	}
	rows, _, err := s.unpairedStructureText(ctx, s.cat, 0)
	if err != nil || s.sim == nil {
		return rows, err
	}
	return s.notRewritten(ctx, rows)
}

// notRewritten keeps, of the rows a dry run's database holds with lone
// surrogates, the columns its scratch copy still holds as the driver read
// them (U+FFFD, or bytes that are not UTF-8, where the surrogate is): a
// script of the run that wrote new text there (category.update), or
// removed the row, has done what the real run will do to the database
// before its export reads it. A write that kept U+FFFD is taken for none
// (the real run then refuses only if it did not write; so the dry run
// refuses either way). One read of the scratch copy per row found.
func (s *Store) notRewritten(ctx context.Context, rows []UnpairedRow) ([]UnpairedRow, error) {
	var out []UnpairedRow
	for _, r := range rows {
		id := s.dialect.ident
		cols := make([]string, len(r.Columns))
		for i, c := range r.Columns {
			cols[i] = id(c)
		}
		where, arg := id(r.Key)+" = ?", any(r.ID)
		if r.GUID != "" {
			where, arg = "lower("+id(r.Key)+") = ?", r.GUID
		}
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		err := s.q().QueryRowContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+id(r.Table)+" WHERE "+where, arg).Scan(ptrs...)
		if errors.Is(err, sql.ErrNoRows) {
			continue // removed by the dry run
		}
		if err != nil {
			return nil, s.wrap("read "+r.Table+" of the dry run", err)
		}
		var kept []string
		for i, c := range r.Columns {
			if vals[i].Valid && strings.ContainsRune(vals[i].String, utf8.RuneError) {
				kept = append(kept, c)
			}
		}
		if len(kept) > 0 {
			r.Columns = kept
			out = append(out, r)
		}
	}
	return out, nil
}

// unpairedStructureText finds those rows in the database itself (histQ:
// in a dry run, not the scratch copy): the first limit of each table (0:
// all) and how many there are in all.
func (s *Store) unpairedStructureText(ctx context.Context, cat *catalog, limit int) (out []UnpairedRow, n int, err error) {
	for _, t := range structureTexts {
		_, okTab := cat.tables[t.table]
		key, okKey := cat.column(t.table, t.key)
		if !okTab || !okKey {
			continue
		}
		var cols, names []string
		for _, c := range t.cols {
			if col, ok := cat.column(t.table, c); ok && (col.Type == "nvarchar" || col.Type == "nchar" || col.Type == "ntext") {
				cols, names = append(cols, col.Name), append(names, c)
			}
		}
		if len(cols) == 0 {
			continue
		}
		d := s.histDialect
		k := d.ident(key.Name)
		if key.Type == "uniqueidentifier" {
			k = d.guid(k)
		}
		rows, err := s.histQ().QueryContext(ctx, structureTextSQL(d.ident, t.table, k, cols, limit))
		if err != nil {
			return nil, 0, s.wrap("read "+t.table, err)
		}
		var count int64 // the table's rows with such text, on every row
		for rows.Next() {
			var k any
			flags := make([]int64, len(cols))
			dest := []any{&k}
			for i := range flags {
				dest = append(dest, &flags[i])
			}
			if err := rows.Scan(append(dest, &count)...); err != nil {
				rows.Close()
				return nil, 0, s.wrap("read "+t.table, err)
			}
			r := UnpairedRow{Table: t.table, Key: t.key}
			switch v := k.(type) {
			case int64:
				r.ID = v
			case string:
				g, err := pchat.CanonicalGUID(v)
				if err != nil {
					rows.Close()
					return nil, 0, s.wrap("read "+t.table, fmt.Errorf("a row's %s is not a GUID", t.key))
				}
				r.GUID = g
			default:
				rows.Close()
				return nil, 0, s.wrap("read "+t.table, fmt.Errorf("a row's %s is %T", t.key, k))
			}
			for i, f := range flags {
				if f == 1 {
					r.Columns = append(r.Columns, names[i])
				}
			}
			out = append(out, r)
		}
		n += int(count)
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, 0, s.wrap("read "+t.table, err)
		}
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, n, nil
}

// The doctor's advice on a SQL Server source's lone surrogates, without
// and with the export's opt-in (DoctorOptions.ReplaceUnpaired).
const (
	unpairedOptIn    = "or export with --replace-unpaired-surrogates (estate export.replace_unpaired_surrogates) to carry U+FFFD in their place, each named in the export's warnings"
	unpairedReplaced = "the export carries U+FFFD in their place (replace_unpaired_surrogates), naming each in its warnings and counting them in the archive's manifest"
)
