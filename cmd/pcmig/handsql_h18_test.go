package main

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// A Persistent Chat database written with plain SQL from the documented
// schema (SQL Server type names, which SQLite takes as they are), not by
// pcmig's store or lab generator: the hostile audit's pools start from it.
// Only the tables pcmig reads and writes, the documented static rows, a
// system user and a root node; the tests add the rows they need.
var handSQLSchema = []string{
	`CREATE TABLE tblEnumAttribute (attributeID smallint NOT NULL PRIMARY KEY, attributeName nvarchar(256) NOT NULL)`,
	`CREATE TABLE tblEnumValue (valueID smallint NOT NULL PRIMARY KEY, attributeID smallint NOT NULL, attributeValue nvarchar(256) NOT NULL)`,
	`CREATE TABLE tblPrincipalType (ptypeID smallint NOT NULL PRIMARY KEY, ptypeDesc nvarchar(256) NOT NULL, ptypeIsSystemUser bit NOT NULL, ptypeIsUser bit NOT NULL)`,
	`CREATE TABLE tblPrincipal (prinID int NOT NULL PRIMARY KEY, prinGuid uniqueidentifier NOT NULL, prinUri nvarchar(256) NOT NULL,
  prinName nvarchar(256) NULL, prinDisplayName nvarchar(256) NULL, prinCompanyName nvarchar(256) NULL, prinEmail nvarchar(256) NULL,
  prinADPath nvarchar(384) NULL, prinADUserPrincipalName nvarchar(256) NULL, prinDisabled smallint NOT NULL, prinTypeID smallint NOT NULL,
  prinPoolID int NULL, prinPolicyID int NULL, prinAddedBy int NULL, prinAddedOn bigint NOT NULL, prinUpdatedBy int NULL,
  prinUpdatedOn bigint NOT NULL, prinVerifiedOn datetime NOT NULL)`,
	`CREATE TABLE tblPrincipalAffiliations (principalID int NOT NULL, affiliationID int NOT NULL, "index" int NOT NULL, updatedBy int NOT NULL,
  PRIMARY KEY (principalID, "index", affiliationID))`,
	`CREATE TABLE tblSiopWhiteList (siopID uniqueidentifier NOT NULL PRIMARY KEY, siopName nvarchar(50) NOT NULL, siopUrl nvarchar(255) NOT NULL)`,
	`CREATE TABLE tblNode (nodeID int NOT NULL PRIMARY KEY, nodeGuid uniqueidentifier NOT NULL, parentID int NULL, nodeType bit NOT NULL,
  nodeName nvarchar(256) NOT NULL, nodeDesc nvarchar(256) NOT NULL, invite bit NULL, logged bit NULL, filePost bit NULL, disabled bit NOT NULL,
  behavior smallint NOT NULL, visibility smallint NOT NULL, siopID uniqueidentifier NULL, nodeAddedBy int NOT NULL, nodeAddedOn bigint NOT NULL,
  nodeUpdatedBy int NOT NULL, nodeUpdatedOn bigint NOT NULL, purgedOn datetime NULL)`,
	`CREATE TABLE tblRoleType (rtypeID int NOT NULL PRIMARY KEY, rtypeDesc nvarchar(256) NOT NULL, rtypeAllowedPermSet bigint NOT NULL)`,
	`CREATE TABLE tblPrincipalRole (prinRoleNodeID int NOT NULL, prinRolePrinID int NOT NULL, prinRoleTypeID int NOT NULL, prinRoleUpdatedBy int NOT NULL,
  PRIMARY KEY (prinRoleNodeID, prinRolePrinID, prinRoleTypeID))`,
	`CREATE TABLE tblScopePrincipal (scopeNodeID int NOT NULL, scopePrinID int NOT NULL, scopeIsDenied bit NOT NULL, scopeUpdatedBy int NOT NULL,
  PRIMARY KEY (scopeNodeID, scopePrinID))`,
	`CREATE TABLE tblChat (channelId int NOT NULL, chatId bigint NOT NULL, chatDate bigint NOT NULL, userId int NOT NULL, isAlert bit NOT NULL,
  content nvarchar NOT NULL, rtf varchar NULL, PRIMARY KEY (channelId, chatId))`,
	`CREATE TABLE tblLastChatId (nodeID int NOT NULL, lastChatID bigint NOT NULL, PRIMARY KEY (nodeID, lastChatID))`,
	`CREATE TABLE tblServerIdentity (serverID int NOT NULL PRIMARY KEY, serverAddress nvarchar(256) NOT NULL, serverLastPingTime datetime NULL)`,
	`CREATE TABLE tblSystemRevision (sysRevision bigint NOT NULL)`,
	`INSERT INTO tblEnumAttribute VALUES (1, 'Visibility'), (2, 'Behavior')`,
	`INSERT INTO tblEnumValue VALUES (2, 1, 'private'), (3, 1, 'scope'), (4, 2, 'normal'), (5, 2, 'auditorium'), (6, 1, 'open')`,
	`INSERT INTO tblPrincipalType VALUES (1, 'Any', 0, 0), (2, 'AnyUser', 0, 1), (3, 'AnyGroup', 0, 0), (4, 'SystemUser', 1, 0),
  (5, 'User', 0, 1), (8, 'DC', 0, 0), (9, 'Group', 0, 0), (10, 'Folder', 0, 0)`,
	`INSERT INTO tblRoleType VALUES (1, 'Member', 3456), (2, 'Manager', 10244), (3, 'Voiced', 4096), (4, 'Creator', 2064)`,
	`INSERT INTO tblSystemRevision VALUES (1)`,
	`INSERT INTO tblPrincipal (prinID, prinGuid, prinUri, prinDisabled, prinTypeID, prinAddedOn, prinUpdatedOn, prinVerifiedOn)
  VALUES (1, 'AAAAAAAA-0000-0000-0000-000000000001', 'sip:system@contoso.com', 0, 4, 637503303671230000, 637503303671230000, '2020-01-01 00:00:00')`,
	`INSERT INTO tblNode VALUES (1, 'AAAAAAAA-0000-0000-0000-0000000000FF', 1, 1, '', '', NULL, NULL, NULL, 0, 4, 6, NULL, 1, 0, 1, 0, NULL)`,
}

// handSQLPool writes a hand-built pool name.db in dir with stmts after
// the schema, and returns its DSN.
func handSQLPool(t *testing.T, dir, name string, stmts ...string) string {
	t.Helper()
	path := filepath.Join(dir, name+".db")
	labtest.ExecSQLite(t, path, append(append([]string{}, handSQLSchema...), stmts...)...)
	return "sqlite:" + path
}

// handSQLUser is the INSERT of an active user prinID id (type 5) with
// every nullable column NULL.
func handSQLUser(id int, uri string) string {
	return handSQLPrincipal(id, uri, 5)
}

// handSQLPrincipal is the INSERT of an active principal of type typ with
// every nullable column NULL.
func handSQLPrincipal(id int, uri string, typ int) string {
	return fmt.Sprintf(`INSERT INTO tblPrincipal (prinID, prinGuid, prinUri, prinDisabled, prinTypeID, prinAddedOn, prinUpdatedOn, prinVerifiedOn)
  VALUES (%d, '%08X-1111-4111-8111-%012X', '%s', 0, %d, 637503303671230000, 637503303671230000, '2021-03-04 05:06:07.123')`, id, id, id, uri, typ)
}

// handSQLNode is the INSERT of a category (parent 1) or a room, open and
// normal, with invitations, history and uploads NULL.
func handSQLNode(id, parent int, category bool, name string) string {
	typ := 0
	if category {
		typ = 1
	}
	return fmt.Sprintf(`INSERT INTO tblNode VALUES (%d, 'BBBBBBBB-0000-4000-8000-%012d', %d, %d, '%s', '', NULL, NULL, NULL, 0, 4, 6, NULL, 1,
  637503303671230000, 1, 637503303671230000, NULL)`, id, id, parent, typ, name)
}
