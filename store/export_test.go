package store

import (
	"context"
	"database/sql"
	"strings"
)

// Hooks for the external tests (package store_test).

// CreateSQLServerSchemaIdentity is CreateSQLServerSchema with tblNode.nodeID
// and tblPrincipal.prinID declared IDENTITY(1,1), as a real mgc may have.
func CreateSQLServerSchemaIdentity(ctx context.Context, db *sql.DB) error {
	return createSQLServerSchema(ctx, db, true)
}

// SQLServerTables names the tables CreateSQLServerSchema creates, in
// creation (foreign-key) order.
func SQLServerTables() []string {
	out := make([]string, len(mssqlTables))
	for i, t := range mssqlTables {
		out[i] = t.name
	}
	return out
}

// SessionInitSQL is what every SQL Server session is sent first, and again
// after each reset: SET options, which change nothing in the database.
const SessionInitSQL = sessionInitSQL

// TSQLShim stands in for a SQL Server whose mgc is an embedded database:
// it answers T-SQL reads from it and refuses and records the rest.
type TSQLShim = tsqlShim

// NewTSQLShim opens the embedded database at path read-only behind a
// stand-in SQL Server.
func NewTSQLShim(path string) (*TSQLShim, error) { return newTSQLShim(path) }

// SetNameCollation makes the stand-in server declare collation (such as
// Latin1_General_CS_AS) as its database's and tblNode.nodeName's: how it
// compares category and room names.
func (s *tsqlShim) SetNameCollation(collation string) {
	c := ParseCollation(collation)
	s.cat = fakeCatalog{dbCollation: c.Name, text: map[string]fakeCollation{
		"tblNode.nodeName": {name: c.Name, codePage: int64(c.CodePage), style: styleOf(c)}}}
}

// SetColumnType makes the stand-in server declare a documented column
// ("tblChat.content") with another type ("ntext").
func (s *tsqlShim) SetColumnType(column, typ string) {
	if s.cat.retype == nil {
		s.cat.retype = map[string]string{}
	}
	s.cat.retype[column] = typ
}

// Statements lists what the store sent to the shim, as "op query".
func (s *tsqlShim) Statements() []string {
	var out []string
	for _, c := range s.Calls() {
		out = append(out, strings.TrimSpace(c.Op+" "+c.Query))
	}
	return out
}

// AfterPrincipalKeys runs fn inside a write transaction of s, after the
// read of the principals' keys that EnsurePrincipals makes, made as it
// makes it; the transaction then commits (fn's error rolls it back).
func AfterPrincipalKeys(ctx context.Context, s *Store, fn func() error) error {
	return s.write(ctx, "read the principals' keys", func(q querier) error {
		if _, _, err := s.principalKeys(ctx, q); err != nil {
			return err
		}
		return fn()
	})
}

// ServerCollation is the Collation pcmig makes of a collation name and the
// CodePage, ComparisonStyle and LCID properties a server reports for it.
func ServerCollation(name string, codePage, style, lcid *int64) Collation {
	return collationFromServer(name, codePage, style, lcid)
}
