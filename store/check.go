package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// requiredSchema is every table and column the store reads or writes. A
// database lacking any of them is not one pcmig can work with.
var requiredSchema = map[string][]string{
	"tblNode": {"nodeID", "nodeGuid", "parentID", "nodeType", "nodeName", "nodeDesc", "invite", "logged",
		"filePost", "disabled", "behavior", "visibility", "siopID", "nodeAddedBy", "nodeAddedOn",
		"nodeUpdatedBy", "nodeUpdatedOn", "purgedOn"},
	"tblPrincipal": {"prinID", "prinGuid", "prinUri", "prinName", "prinDisplayName", "prinCompanyName",
		"prinEmail", "prinADPath", "prinADUserPrincipalName", "prinDisabled", "prinTypeID", "prinPoolID",
		"prinPolicyID", "prinAddedBy", "prinAddedOn", "prinUpdatedBy", "prinUpdatedOn", "prinVerifiedOn"},
	"tblPrincipalType":  {"ptypeID", "ptypeDesc"},
	"tblRoleType":       {"rtypeID", "rtypeDesc", "rtypeAllowedPermSet"},
	"tblPrincipalRole":  {"prinRoleNodeID", "prinRolePrinID", "prinRoleTypeID", "prinRoleUpdatedBy"},
	"tblScopePrincipal": {"scopeNodeID", "scopePrinID", "scopeIsDenied", "scopeUpdatedBy"},
	"tblSiopWhiteList":  {"siopID", "siopName", "siopUrl"},
	"tblEnumAttribute":  {"attributeID", "attributeName"},
	"tblEnumValue":      {"valueID", "attributeID", "attributeValue"},
	"tblChat":           {"channelId", "chatId", "chatDate", "userId", "isAlert", "content", "rtf"},
	"tblLastChatId":     {"nodeID", "lastChatID"},
	"tblServerIdentity": {"serverID", "serverAddress", "serverLastPingTime"},
	"tblSystemRevision": {"sysRevision"},
}

// optionalTables are documented tables the store uses when present
// (tblFileToken: a removed room's file tokens are deleted with it).
var optionalTables = []string{"tblPrincipalAffiliations", "tblConfig", "tblFileToken"}

// insertedColumns are the columns pcmig's inserts and bulk copies fill, by
// table, for every table a migration inserts into (tableNeeds).
func insertedColumns() map[string][]string {
	names := func(cols []column) []string {
		out := make([]string, len(cols))
		for i, c := range cols {
			out[i] = c.name
		}
		return out
	}
	return map[string][]string{
		"tblPrincipal":             names(prinColumns),
		"tblPrincipalAffiliations": names(affColumns),
		"tblSiopWhiteList":         {"siopID", "siopName", "siopUrl"},
		"tblNode":                  names(nodeColumns),
		"tblPrincipalRole":         names(grantColumns),
		"tblScopePrincipal":        names(scopeColumns),
		"tblChat":                  chatColumns,
		"tblLastChatId":            {"nodeID", "lastChatID"},
	}
}

// UnfilledColumns are the columns of the tables pcmig inserts into that
// its inserts leave out and the server cannot fill (see unfilledColumns):
// every insert into such a table fails, so writers refuse before their
// first write. Nil when the store has no catalogue.
func (s *Store) UnfilledColumns() []Column {
	if s.cat == nil {
		return nil
	}
	return s.cat.unfilledColumns()
}

// Unfilled says why col stops pcmig's inserts (doctor and importer alike).
func Unfilled(col Column) string {
	return fmt.Sprintf("column %s.%s (%s) is NOT NULL without a default, and pcmig's inserts into %s leave it out: the server would refuse every row pcmig inserts there (error 515)",
		col.Table, col.Name, col.Declared(), col.Table)
}

// unfilledColumns are the columns of tables pcmig inserts into that its
// inserts leave out and the server cannot fill (NOT NULL, no default, not
// computed: ServerFilled): a column the documented schema does not have,
// added to a real mgc. The server refuses every row pcmig inserts into
// such a table (error 515). In table and column order.
func (c *catalog) unfilledColumns() []Column {
	inserted := insertedColumns()
	tables := make([]string, 0, len(inserted))
	for t := range inserted {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	var out []Column
	for _, t := range tables {
		ct := c.tables[t]
		if ct == nil {
			continue
		}
	cols:
		for _, col := range ct.cols {
			if col.ServerFilled() {
				continue
			}
			for _, name := range inserted[t] {
				if c.database.Equal(col.Name, name) {
					continue cols
				}
			}
			out = append(out, col)
		}
	}
	return out
}

// schemaReport is what the catalogue lacks of the documented schema.
type schemaReport struct {
	missingTables, missingCols []string
	// caseOnly are columns found only by the database's case-insensitive
	// identifier rules ("tblNode.nodeName is NODENAME").
	caseOnly []string
}

func (c *catalog) schemaReport() schemaReport {
	var r schemaReport
	tables := make([]string, 0, len(requiredSchema))
	for t := range requiredSchema {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	for _, t := range tables {
		if !c.hasTable(t) {
			r.missingTables = append(r.missingTables, t)
			continue
		}
		for _, name := range requiredSchema[t] {
			col, ok := c.column(t, name)
			switch {
			case !ok:
				r.missingCols = append(r.missingCols, t+"."+name)
			case col.Name != name:
				r.caseOnly = append(r.caseOnly, t+"."+name+" is "+col.Name)
			}
		}
	}
	return r
}

// checkSchema refuses a database that lacks a documented table or column.
// Names are matched as the database matches identifiers: exactly in a
// case-sensitive database, by its collation otherwise.
func (c *catalog) checkSchema() error {
	r := c.schemaReport()
	if len(r.missingTables) == 0 && len(r.missingCols) == 0 {
		return nil
	}
	var parts []string
	if len(r.missingTables) > 0 {
		parts = append(parts, "missing tables "+strings.Join(r.missingTables, ", "))
	}
	if len(r.missingCols) > 0 {
		parts = append(parts, "missing columns "+strings.Join(r.missingCols, ", "))
	}
	return fmt.Errorf("%w (mgc schema): %s", ErrNotPersistentChat, strings.Join(parts, "; "))
}

// hasTable reports whether an optional table exists.
func hasTable(ctx context.Context, q querier, d dialect, table string) (bool, error) {
	cols, err := tableColumns(ctx, q, d, table)
	return len(cols) > 0, err
}

// tableColumns lists the column names of a table, in order (none if it
// does not exist).
func tableColumns(ctx context.Context, q querier, d dialect, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, d.columnsSQL(), table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}
