package store

import (
	"database/sql/driver"
	"fmt"
	"strings"
)

// fakeCatalog describes a SQL Server database to the recording driver: the
// documented schema with the given collations, as the catalogue queries
// return it.
type fakeCatalog struct {
	dbCollation string // default SQL_Latin1_General_CP1_CI_AS
	// text gives a column ("tblChat.rtf") its own collation, code page
	// and comparison style.
	text     map[string]fakeCollation
	identity map[string]bool // table -> its store-assigned ID is IDENTITY
	// rename spells a column differently ("tblNode.nodeName": "NodeName").
	rename map[string]string
	drop   map[string]bool // "table" or "table.column" left out
	// elsewhere are tables that exist only in a schema the login's
	// statements do not resolve to: INFORMATION_SCHEMA lists them, the
	// catalogue (OBJECT_ID) does not.
	elsewhere map[string]bool
	triggers  [][]driver.Value
	schema    string // default dbo
	// extra are columns the documented schema does not have, at the end
	// of their tables.
	extra []fakeColumn
	// retype declares a documented column with another type
	// ("tblChat.content": "ntext").
	retype map[string]string
}

// fakeColumn is an undocumented column of a documented table.
type fakeColumn struct {
	table, name, typ               string
	nullable, hasDefault, computed bool
}

type fakeCollation struct {
	name     string
	codePage int64
	style    int64
	// lcid is COLLATIONPROPERTY(name, 'LCID'); 0: Turkish (1055) for a
	// Turkic name, English (1033) otherwise.
	lcid int64
}

// locale is the LCID the fake server reports for the collation.
func (c fakeCollation) locale() int64 {
	switch {
	case c.lcid != 0:
		return c.lcid
	case ParseCollation(c.name).Turkic:
		return lcidTurkish
	}
	return 1033
}

// latin1CI is SQL Server's default collation on an English-language
// install.
var latin1CI = fakeCollation{name: "SQL_Latin1_General_CP1_CI_AS", codePage: 1252, style: 196609}

// answer returns the rows for a catalogue query, and whether it was one.
// It answers the INFORMATION_SCHEMA.COLUMNS query of dialect.columns from
// the same description.
func (f fakeCatalog) answer(q string, args []driver.NamedValue) ([][]driver.Value, bool) {
	switch {
	case strings.Contains(q, "INFORMATION_SCHEMA.COLUMNS") && len(args) == 1:
		g := f
		g.elsewhere = nil
		all, _ := g.answer(catalogSQL(), nil)
		var rows [][]driver.Value
		for _, r := range all {
			if r[0] == fmt.Sprint(args[0].Value) { // a string, or mssql.NVarCharMax
				rows = append(rows, []driver.Value{r[3]})
			}
		}
		return rows, true
	case q == databaseSQL:
		c := latin1CI
		if f.dbCollation != "" {
			c = fakeCollation{name: f.dbCollation, codePage: int64(ParseCollation(f.dbCollation).CodePage), style: styleOf(ParseCollation(f.dbCollation))}
		}
		schema := f.schema
		if schema == "" {
			schema = "dbo"
		}
		return [][]driver.Value{{c.name, c.codePage, c.style, c.locale(), schema}}, true
	case q == triggersSQL():
		return f.triggers, true
	case q != catalogSQL():
		return nil, false
	}
	var rows [][]driver.Value
	for _, t := range mssqlTables {
		if f.drop[t.name] || f.elsewhere[t.name] {
			continue
		}
		docs := documentedColumns()[t.name]
		for _, line := range strings.Split(t.body, "\n") {
			fields := strings.Fields(line)
			if len(fields) < 2 || fields[0] == "PRIMARY" {
				continue
			}
			name := strings.Trim(fields[0], "[]")
			key := t.name + "." + name
			if f.drop[key] {
				continue
			}
			col := docs[strings.ToLower(name)]
			spelled := name
			if r, ok := f.rename[key]; ok {
				spelled = r
			}
			maxLen := int64(col.Length)
			if col.IsText() && col.Unicode() && maxLen > 0 {
				maxLen *= 2
			}
			var coll, cp, style, lcid driver.Value
			if col.IsText() {
				c := latin1CI
				if x, ok := f.text[key]; ok {
					c = x
				}
				coll, cp, style, lcid = c.name, c.codePage, c.style, c.locale()
			}
			ident := f.identity[t.name] && t.identity == name
			typ := col.Type
			if x, ok := f.retype[key]; ok {
				typ = x
				if x == "ntext" || x == "text" {
					maxLen = 16 // sys.columns: the text pointer
				}
			}
			rows = append(rows, []driver.Value{t.name, "dbo", t.name, spelled, typ, maxLen, coll, cp, style, lcid, ident, strings.Contains(line, " NULL") && !strings.Contains(line, "NOT NULL"), strings.Contains(line, " DEFAULT "), false})
		}
		for _, x := range f.extra {
			if x.table == t.name {
				rows = append(rows, []driver.Value{t.name, "dbo", t.name, x.name, x.typ, int64(0), nil, nil, nil, nil, false, x.nullable, x.hasDefault, x.computed})
			}
		}
	}
	return rows, true
}

func styleOf(c Collation) int64 {
	var s int64
	if c.IgnoreCase {
		s |= styleIgnoreCase
	}
	if c.IgnoreAccent {
		s |= styleIgnoreAccent
	}
	if c.IgnoreKana {
		s |= styleIgnoreKana
	}
	if c.IgnoreWidth {
		s |= styleIgnoreWidth
	}
	return s
}

// fakeSystem answers the doctor's questions about the server itself
// (version, rights, files, recovery model) for a stand-in server: a
// login with every right pcmig needs, files with room to spare, SIMPLE
// recovery.
func fakeSystem(q string) ([][]driver.Value, bool) {
	const gib = int64(1) << 30
	switch {
	case strings.Contains(q, "SERVERPROPERTY('ProductVersion')"):
		return [][]driver.Value{{"16.0.4135.4", "Developer Edition (64-bit)", "mgc", "pcmig", "dbo"}}, true
	case q == permissionsSQL():
		var rows [][]driver.Value
		for _, t := range catalogTables() {
			rows = append(rows, []driver.Value{t, int64(1), int64(1), int64(1), int64(1)})
		}
		return rows, true
	case q == spaceSQL:
		return [][]driver.Value{{int64(0), 10 * gib, gib, int64(1), int64(1), int64(0)}, {int64(1), 4 * gib, gib / 10, int64(1), int64(1), int64(0)}}, true
	case q == recoverySQL:
		return [][]driver.Value{{"SIMPLE", "NOTHING"}}, true
	}
	return nil, false
}
