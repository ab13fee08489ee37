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

// optionalTables are documented tables the store uses when present.
var optionalTables = []string{"tblPrincipalAffiliations", "tblConfig"}

// checkSchema reports every missing table and column at once.
func checkSchema(ctx context.Context, q querier, d dialect) error {
	var missingTables, missingCols []string
	tables := make([]string, 0, len(requiredSchema))
	for t := range requiredSchema {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	for _, t := range tables {
		cols, err := d.columns(ctx, q, t)
		if err != nil {
			return fmt.Errorf("read the columns of %s: %w", t, err)
		}
		if len(cols) == 0 {
			missingTables = append(missingTables, t)
			continue
		}
		have := map[string]bool{}
		for _, c := range cols {
			have[strings.ToLower(c)] = true
		}
		for _, c := range requiredSchema[t] {
			if !have[strings.ToLower(c)] {
				missingCols = append(missingCols, t+"."+c)
			}
		}
	}
	if len(missingTables) == 0 && len(missingCols) == 0 {
		return nil
	}
	var parts []string
	if len(missingTables) > 0 {
		parts = append(parts, "missing tables "+strings.Join(missingTables, ", "))
	}
	if len(missingCols) > 0 {
		parts = append(parts, "missing columns "+strings.Join(missingCols, ", "))
	}
	return fmt.Errorf("%w (mgc schema): %s", ErrNotPersistentChat, strings.Join(parts, "; "))
}

// hasTable reports whether an optional table exists.
func hasTable(ctx context.Context, q querier, d dialect, table string) (bool, error) {
	cols, err := d.columns(ctx, q, table)
	return len(cols) > 0, err
}
