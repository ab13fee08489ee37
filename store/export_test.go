package store

import (
	"context"
	"database/sql"
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
