package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pcmig/pcmig/pchat"
)

// mssqlTable is one documented mgc table in T-SQL. The list is in
// foreign-key order: a table only references tables before it.
type mssqlTable struct {
	name string
	body string // column and constraint definitions
	// identity is the column that becomes IDENTITY(1,1) in the identity
	// variant of the schema (real mgc databases may declare one).
	identity string
}

// mssqlTables mirrors sqliteSchema with the documented SQL Server types.
var mssqlTables = []mssqlTable{
	{name: "tblEnumAttribute", body: `
  attributeID smallint NOT NULL PRIMARY KEY,
  attributeName nvarchar(256) NOT NULL`},
	{name: "tblEnumValue", body: `
  valueID smallint NOT NULL PRIMARY KEY,
  attributeID smallint NOT NULL REFERENCES tblEnumAttribute(attributeID),
  attributeValue nvarchar(256) NOT NULL`},
	{name: "tblPrincipalType", body: `
  ptypeID smallint NOT NULL PRIMARY KEY,
  ptypeDesc nvarchar(256) NOT NULL,
  ptypeIsSystemUser bit NOT NULL,
  ptypeIsUser bit NOT NULL`},
	{name: "tblPrincipal", identity: "prinID", body: `
  prinID int%s NOT NULL PRIMARY KEY,
  prinGuid uniqueidentifier NOT NULL UNIQUE,
  prinUri nvarchar(256) NOT NULL,
  prinName nvarchar(256) NULL,
  prinDisplayName nvarchar(256) NULL,
  prinCompanyName nvarchar(256) NULL,
  prinEmail nvarchar(256) NULL,
  prinADPath nvarchar(384) NULL,
  prinADUserPrincipalName nvarchar(256) NULL,
  prinDisabled smallint NOT NULL DEFAULT 0,
  prinTypeID smallint NOT NULL REFERENCES tblPrincipalType(ptypeID),
  prinPoolID int NULL,
  prinPolicyID int NULL,
  prinAddedBy int NULL,
  prinAddedOn bigint NOT NULL,
  prinUpdatedBy int NULL,
  prinUpdatedOn bigint NOT NULL,
  prinVerifiedOn datetime NOT NULL`},
	{name: "tblPrincipalAffiliations", body: `
  principalID int NOT NULL REFERENCES tblPrincipal(prinID),
  affiliationID int NOT NULL REFERENCES tblPrincipal(prinID),
  [index] int NOT NULL,
  updatedBy int NOT NULL,
  PRIMARY KEY (principalID, [index], affiliationID)`},
	{name: "tblPrincipalMembers", body: `
  prinID int NOT NULL REFERENCES tblPrincipal(prinID),
  memberADPath nvarchar(384) NOT NULL,
  PRIMARY KEY (prinID, memberADPath)`},
	{name: "tblPrincipalMeta", body: `
  prinID int NOT NULL PRIMARY KEY REFERENCES tblPrincipal(prinID),
  prinAffiliationsDirty bit NOT NULL,
  prinAttributesDirty bit NOT NULL,
  prinDeleted bit NOT NULL,
  tryCount int NULL,
  lastTry datetime NULL,
  nextTry datetime NULL`},
	{name: "tblSiopWhiteList", body: `
  siopID uniqueidentifier NOT NULL PRIMARY KEY,
  siopName nvarchar(50) NOT NULL,
  siopUrl nvarchar(255) NOT NULL`},
	{name: "tblNode", identity: "nodeID", body: `
  nodeID int%s NOT NULL PRIMARY KEY,
  nodeGuid uniqueidentifier NOT NULL UNIQUE,
  parentID int NULL REFERENCES tblNode(nodeID),
  nodeType bit NOT NULL,
  nodeName nvarchar(256) NOT NULL,
  nodeDesc nvarchar(256) NOT NULL,
  invite bit NULL,
  logged bit NULL,
  filePost bit NULL,
  disabled bit NOT NULL DEFAULT 0,
  behavior smallint NOT NULL REFERENCES tblEnumValue(valueID),
  visibility smallint NOT NULL REFERENCES tblEnumValue(valueID),
  siopID uniqueidentifier NULL REFERENCES tblSiopWhiteList(siopID),
  nodeAddedBy int NOT NULL,
  nodeAddedOn bigint NOT NULL,
  nodeUpdatedBy int NOT NULL,
  nodeUpdatedOn bigint NOT NULL,
  purgedOn datetime NULL`},
	{name: "tblRoleType", body: `
  rtypeID int NOT NULL PRIMARY KEY,
  rtypeDesc nvarchar(256) NOT NULL,
  rtypeAllowedPermSet bigint NOT NULL`},
	{name: "tblPrincipalRole", body: `
  prinRoleNodeID int NOT NULL REFERENCES tblNode(nodeID),
  prinRolePrinID int NOT NULL REFERENCES tblPrincipal(prinID),
  prinRoleTypeID int NOT NULL REFERENCES tblRoleType(rtypeID),
  prinRoleUpdatedBy int NOT NULL,
  PRIMARY KEY (prinRoleNodeID, prinRolePrinID, prinRoleTypeID)`},
	{name: "tblScopePrincipal", body: `
  scopeNodeID int NOT NULL REFERENCES tblNode(nodeID),
  scopePrinID int NOT NULL REFERENCES tblPrincipal(prinID),
  scopeIsDenied bit NOT NULL,
  scopeUpdatedBy int NOT NULL,
  PRIMARY KEY (scopeNodeID, scopePrinID)`},
	{name: "tblChat", body: `
  channelId int NOT NULL,
  chatId bigint NOT NULL,
  chatDate bigint NOT NULL,
  userId int NOT NULL,
  isAlert bit NOT NULL,
  content nvarchar(max) NOT NULL,
  rtf varchar(max) NULL,
  PRIMARY KEY (channelId, chatId)`},
	// The documented primary key is (nodeID, lastChatID), "just nodeID is
	// sufficient": a real mgc may hold two rows for a room (the doctor
	// fails such a database), and so may this schema.
	{name: "tblLastChatId", body: `
  nodeID int NOT NULL REFERENCES tblNode(nodeID),
  lastChatID bigint NOT NULL,
  PRIMARY KEY (nodeID, lastChatID)`},
	{name: "tblPrincipalInvites", body: `
  prinID int NOT NULL REFERENCES tblPrincipal(prinID),
  invID int NOT NULL,
  nodeID int NOT NULL REFERENCES tblNode(nodeID),
  createdOn datetime NOT NULL,
  PRIMARY KEY (prinID, nodeID)`},
	{name: "tblLastInviteId", body: `
  prinID int NOT NULL PRIMARY KEY REFERENCES tblPrincipal(prinID),
  lastInviteID int NOT NULL`},
	{name: "tblPreference", body: `
  prefLabel nvarchar(255) NOT NULL,
  prefSeqID int NOT NULL,
  prefContent nvarchar(max) NULL,
  lastModifiedBy int NOT NULL,
  PRIMARY KEY (prefLabel, prefSeqID)`},
	{name: "tblFileToken", body: `
  fileToken nvarchar(50) NOT NULL PRIMARY KEY,
  fileTokenUserID int NOT NULL,
  fileTokenChannelID uniqueidentifier NOT NULL REFERENCES tblNode(nodeGuid),
  fileTokenExpireDate datetime NOT NULL,
  fileTokenComplianceFileUrl nvarchar(256) NULL,
  fileTokenComplianceThumbnailUrl nvarchar(256) NULL,
  fileTokenComplianceTime datetime2 NULL,
  fileTokenComplianceIsUpload bit NULL,
  fileTokenCompliancePinned bit NOT NULL`},
	{name: "tblServerIdentity", body: `
  serverID int NOT NULL PRIMARY KEY,
  serverAddress nvarchar(256) NOT NULL,
  serverLastPingTime datetime NULL`},
	{name: "tblActivePeers", body: `
  aplServerID int NOT NULL REFERENCES tblServerIdentity(serverID),
  aplPeerID int NOT NULL REFERENCES tblServerIdentity(serverID),
  PRIMARY KEY (aplServerID, aplPeerID)`},
	{name: "tblAdminLock", body: `
  lockExpiresTime datetime NOT NULL,
  lockServerID int NOT NULL,
  lockActorID int NOT NULL`},
	{name: "tblSystemRevision", body: `
  sysRevision bigint NOT NULL`},
	{name: "tblConfig", body: `
  configLabel nvarchar(255) NOT NULL PRIMARY KEY,
  configContent nvarchar(max) NULL,
  configPoolID uniqueidentifier NOT NULL`},
	{name: "tblADCookie", body: `
  prinGuid uniqueidentifier NOT NULL PRIMARY KEY,
  prinDCHost nvarchar(255) NULL,
  adcContent image NULL,
  lastUpdated datetime NULL,
  lockedUntil datetime NULL`},
	{name: "tblADUpdates", body: `
  prinGuid uniqueidentifier NOT NULL,
  prinADPath nvarchar(384) NOT NULL,
  prinAttributesChanged bit NOT NULL,
  prinMembersChanged bit NOT NULL,
  prinAffiliationsChanged bit NOT NULL,
  prinDeleted bit NOT NULL,
  lastUpdated datetime NOT NULL`},
	// memberADPath is documented as nullable, but a primary key column
	// cannot be NULL on SQL Server.
	{name: "tblPrincipalMemberDifference", body: `
  prinGuid uniqueidentifier NOT NULL,
  memberADPath nvarchar(256) NOT NULL,
  memberRemoved bit NOT NULL,
  PRIMARY KEY (prinGuid, memberADPath)`},
	{name: "tblSkippedAffiliations", body: `
  prinID int NOT NULL,
  affDescription nvarchar(256) NOT NULL,
  updatedBy int NOT NULL,
  PRIMARY KEY (prinID, affDescription)`},
}

// mssqlIndexes are the secondary indexes, as in the embedded schema.
var mssqlIndexes = []string{
	`CREATE INDEX ixPrincipalUri ON tblPrincipal(prinUri)`,
	`CREATE INDEX ixNodeParent ON tblNode(parentID)`,
}

// sqlServerSchema returns the statements that create the documented
// tables and the static rows (enum values, principal types, role types,
// system revision, the system user and the root node). With identity, the
// store-assigned ID columns (tblNode.nodeID, tblPrincipal.prinID) are
// IDENTITY(1,1), as they may be on a real mgc.
func sqlServerSchema(identity bool) []string {
	var out []string
	idTables := map[string]bool{}
	for _, t := range mssqlTables {
		body := t.body
		if t.identity != "" {
			ident := ""
			if identity {
				ident = " IDENTITY(1,1)"
				idTables[t.name] = true
			}
			body = fmt.Sprintf(body, ident)
		}
		out = append(out, "CREATE TABLE "+t.name+" ("+body+")")
	}
	out = append(out, mssqlIndexes...)
	out = append(out,
		`INSERT INTO tblEnumAttribute VALUES (1, N'Visibility'), (2, N'Behavior')`,
		`INSERT INTO tblEnumValue VALUES (2, 1, N'private'), (3, 1, N'scope'), (4, 2, N'normal'), (5, 2, N'auditorium'), (6, 1, N'open')`,
		`INSERT INTO tblPrincipalType VALUES
  (1, N'Any', 0, 0), (2, N'AnyUser', 0, 1), (3, N'AnyGroup', 0, 0), (4, N'SystemUser', 1, 0),
  (5, N'User', 0, 1), (8, N'DC', 0, 0), (9, N'Group', 0, 0), (10, N'Folder', 0, 0)`,
		`INSERT INTO tblSystemRevision VALUES (0)`)
	roles := make([]string, len(seedRoleTypes))
	for i, r := range seedRoleTypes {
		roles[i] = fmt.Sprintf("(%d, N'%s', %d)", r.id, r.desc, r.perm)
	}
	out = append(out, "INSERT INTO tblRoleType VALUES "+strings.Join(roles, ", "))
	epoch := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	ticks := pchat.TicksFromTime(epoch)
	explicit := func(table, insert string) string {
		if idTables[table] {
			return identityInsert(table, insert)
		}
		return insert
	}
	out = append(out, explicit("tblPrincipal", fmt.Sprintf(`INSERT INTO tblPrincipal (prinID, prinGuid, prinUri, prinName, prinDisabled,
prinTypeID, prinAddedOn, prinUpdatedOn, prinVerifiedOn) VALUES (1, '%s', N'ma-sys:system', N'System', 0, 4, %d, %d, '%s')`,
		systemUserGUID, ticks, ticks, epoch.Format("2006-01-02T15:04:05"))))
	out = append(out, explicit("tblNode", fmt.Sprintf(`INSERT INTO tblNode (nodeID, nodeGuid, parentID, nodeType, nodeName, nodeDesc,
invite, logged, filePost, disabled, behavior, visibility, nodeAddedBy, nodeAddedOn, nodeUpdatedBy, nodeUpdatedOn)
VALUES (1, '%s', 1, 1, N'Root', N'', 0, 1, 1, 0, 4, 6, 1, %d, 1, %d)`, rootNodeGUID, ticks, ticks)))
	return out
}

// identityInsert runs an INSERT with an explicit value for an IDENTITY
// column, as only schema creation does (it needs ALTER permission, which
// the store's own writes never do). The three statements go to the server
// as one batch, so IDENTITY_INSERT is never left on.
func identityInsert(table, insert string) string {
	t := mssqlDialect{}.ident(table)
	return "SET IDENTITY_INSERT " + t + " ON;\n" + insert + ";\nSET IDENTITY_INSERT " + t + " OFF;"
}

// ErrSchemaExists is returned by CreateSQLServerSchema for a database that
// already has Persistent Chat tables.
var ErrSchemaExists = errors.New("database already has a tblNode table")

// CreateSQLServerSchema creates the documented mgc tables with their SQL
// Server types and static rows in the connection's database, in one
// transaction, for lab and test databases. It refuses (ErrSchemaExists) a
// database that already has tblNode, so it can never touch a real pool.
func CreateSQLServerSchema(ctx context.Context, db *sql.DB) error {
	return createSQLServerSchema(ctx, db, false)
}

func createSQLServerSchema(ctx context.Context, db *sql.DB, identity bool) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create mgc schema: %w", err)
	}
	run := func() error {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT CASE WHEN OBJECT_ID('tblNode') IS NULL THEN 0 ELSE 1 END`).Scan(&exists); err != nil {
			return err
		}
		if exists == 1 {
			return ErrSchemaExists
		}
		for _, stmt := range sqlServerSchema(identity) {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("%w in %.60s", err, stmt)
			}
		}
		return nil
	}
	if err := run(); err != nil {
		return fmt.Errorf("create mgc schema: %w", errors.Join(err, tx.Rollback()))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create mgc schema: %w", err)
	}
	return nil
}
