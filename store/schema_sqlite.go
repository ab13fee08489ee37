package store

// sqliteSchema creates the documented mgc tables in an embedded database.
// Column names are exactly the documented ones. Types are chosen to hold the
// SQL Server values losslessly: int/bigint/smallint/bit as INTEGER (bits are
// 0/1), nvarchar/varchar as TEXT, uniqueidentifier as canonical GUID TEXT,
// datetime as ISO-8601 UTC TEXT, image as BLOB. tblNode.nodeID is
// AUTOINCREMENT, as an IDENTITY column would be on SQL Server: SQLite then
// keeps the highest node ID ever used in sqlite_sequence, and the store
// allocates above it, so that a removed room's ID is never given again.
var sqliteSchema = []string{
	`CREATE TABLE tblEnumAttribute (
  attributeID INTEGER NOT NULL PRIMARY KEY,
  attributeName TEXT NOT NULL)`,
	`CREATE TABLE tblEnumValue (
  valueID INTEGER NOT NULL PRIMARY KEY,
  attributeID INTEGER NOT NULL REFERENCES tblEnumAttribute(attributeID),
  attributeValue TEXT NOT NULL)`,
	`CREATE TABLE tblPrincipalType (
  ptypeID INTEGER NOT NULL PRIMARY KEY,
  ptypeDesc TEXT NOT NULL,
  ptypeIsSystemUser INTEGER NOT NULL CHECK (ptypeIsSystemUser IN (0,1)),
  ptypeIsUser INTEGER NOT NULL CHECK (ptypeIsUser IN (0,1)))`,
	`CREATE TABLE tblPrincipal (
  prinID INTEGER NOT NULL PRIMARY KEY,
  prinGuid TEXT NOT NULL UNIQUE,
  prinUri TEXT NOT NULL,
  prinName TEXT NULL,
  prinDisplayName TEXT NULL,
  prinCompanyName TEXT NULL,
  prinEmail TEXT NULL,
  prinADPath TEXT NULL,
  prinADUserPrincipalName TEXT NULL,
  prinDisabled INTEGER NOT NULL DEFAULT 0,
  prinTypeID INTEGER NOT NULL REFERENCES tblPrincipalType(ptypeID),
  prinPoolID INTEGER NULL,
  prinPolicyID INTEGER NULL,
  prinAddedBy INTEGER NULL,
  prinAddedOn INTEGER NOT NULL,
  prinUpdatedBy INTEGER NULL,
  prinUpdatedOn INTEGER NOT NULL,
  prinVerifiedOn TEXT NOT NULL)`,
	`CREATE INDEX ixPrincipalUri ON tblPrincipal(prinUri)`,
	`CREATE TABLE tblPrincipalAffiliations (
  principalID INTEGER NOT NULL REFERENCES tblPrincipal(prinID),
  affiliationID INTEGER NOT NULL REFERENCES tblPrincipal(prinID),
  "index" INTEGER NOT NULL,
  updatedBy INTEGER NOT NULL,
  PRIMARY KEY (principalID, "index", affiliationID))`,
	`CREATE TABLE tblPrincipalMembers (
  prinID INTEGER NOT NULL REFERENCES tblPrincipal(prinID),
  memberADPath TEXT NOT NULL,
  PRIMARY KEY (prinID, memberADPath))`,
	`CREATE TABLE tblPrincipalMeta (
  prinID INTEGER NOT NULL PRIMARY KEY REFERENCES tblPrincipal(prinID),
  prinAffiliationsDirty INTEGER NOT NULL,
  prinAttributesDirty INTEGER NOT NULL,
  prinDeleted INTEGER NOT NULL,
  tryCount INTEGER NULL,
  lastTry TEXT NULL,
  nextTry TEXT NULL)`,
	`CREATE TABLE tblSiopWhiteList (
  siopID TEXT NOT NULL PRIMARY KEY,
  siopName TEXT NOT NULL,
  siopUrl TEXT NOT NULL)`,
	`CREATE TABLE tblNode (
  nodeID INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  nodeGuid TEXT NOT NULL UNIQUE,
  parentID INTEGER NULL REFERENCES tblNode(nodeID),
  nodeType INTEGER NOT NULL CHECK (nodeType IN (0,1)),
  nodeName TEXT NOT NULL,
  nodeDesc TEXT NOT NULL,
  invite INTEGER NULL,
  logged INTEGER NULL,
  filePost INTEGER NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  behavior INTEGER NOT NULL REFERENCES tblEnumValue(valueID),
  visibility INTEGER NOT NULL REFERENCES tblEnumValue(valueID),
  siopID TEXT NULL REFERENCES tblSiopWhiteList(siopID),
  nodeAddedBy INTEGER NOT NULL,
  nodeAddedOn INTEGER NOT NULL,
  nodeUpdatedBy INTEGER NOT NULL,
  nodeUpdatedOn INTEGER NOT NULL,
  purgedOn TEXT NULL)`,
	`CREATE INDEX ixNodeParent ON tblNode(parentID)`,
	`CREATE TABLE tblRoleType (
  rtypeID INTEGER NOT NULL PRIMARY KEY,
  rtypeDesc TEXT NOT NULL,
  rtypeAllowedPermSet INTEGER NOT NULL)`,
	`CREATE TABLE tblPrincipalRole (
  prinRoleNodeID INTEGER NOT NULL REFERENCES tblNode(nodeID),
  prinRolePrinID INTEGER NOT NULL REFERENCES tblPrincipal(prinID),
  prinRoleTypeID INTEGER NOT NULL REFERENCES tblRoleType(rtypeID),
  prinRoleUpdatedBy INTEGER NOT NULL,
  PRIMARY KEY (prinRoleNodeID, prinRolePrinID, prinRoleTypeID))`,
	`CREATE TABLE tblScopePrincipal (
  scopeNodeID INTEGER NOT NULL REFERENCES tblNode(nodeID),
  scopePrinID INTEGER NOT NULL REFERENCES tblPrincipal(prinID),
  scopeIsDenied INTEGER NOT NULL CHECK (scopeIsDenied IN (0,1)),
  scopeUpdatedBy INTEGER NOT NULL,
  PRIMARY KEY (scopeNodeID, scopePrinID))`,
	`CREATE TABLE tblChat (
  channelId INTEGER NOT NULL,
  chatId INTEGER NOT NULL,
  chatDate INTEGER NOT NULL,
  userId INTEGER NOT NULL,
  isAlert INTEGER NOT NULL CHECK (isAlert IN (0,1)),
  content TEXT NOT NULL,
  rtf TEXT NULL,
  PRIMARY KEY (channelId, chatId)) WITHOUT ROWID`,
	`CREATE TABLE tblLastChatId (
  nodeID INTEGER NOT NULL PRIMARY KEY REFERENCES tblNode(nodeID),
  lastChatID INTEGER NOT NULL)`,
	`CREATE TABLE tblPrincipalInvites (
  prinID INTEGER NOT NULL REFERENCES tblPrincipal(prinID),
  invID INTEGER NOT NULL,
  nodeID INTEGER NOT NULL REFERENCES tblNode(nodeID),
  createdOn TEXT NOT NULL,
  PRIMARY KEY (prinID, nodeID))`,
	`CREATE TABLE tblLastInviteId (
  prinID INTEGER NOT NULL PRIMARY KEY REFERENCES tblPrincipal(prinID),
  lastInviteID INTEGER NOT NULL)`,
	`CREATE TABLE tblPreference (
  prefLabel TEXT NOT NULL,
  prefSeqID INTEGER NOT NULL,
  prefContent TEXT NULL,
  lastModifiedBy INTEGER NOT NULL,
  PRIMARY KEY (prefLabel, prefSeqID))`,
	`CREATE TABLE tblFileToken (
  fileToken TEXT NOT NULL PRIMARY KEY,
  fileTokenUserID INTEGER NOT NULL,
  fileTokenChannelID TEXT NOT NULL REFERENCES tblNode(nodeGuid),
  fileTokenExpireDate TEXT NOT NULL,
  fileTokenComplianceFileUrl TEXT NULL,
  fileTokenComplianceThumbnailUrl TEXT NULL,
  fileTokenComplianceTime TEXT NULL,
  fileTokenComplianceIsUpload INTEGER NULL,
  fileTokenCompliancePinned INTEGER NOT NULL)`,
	`CREATE TABLE tblServerIdentity (
  serverID INTEGER NOT NULL PRIMARY KEY,
  serverAddress TEXT NOT NULL,
  serverLastPingTime TEXT NULL)`,
	`CREATE TABLE tblActivePeers (
  aplServerID INTEGER NOT NULL REFERENCES tblServerIdentity(serverID),
  aplPeerID INTEGER NOT NULL REFERENCES tblServerIdentity(serverID),
  PRIMARY KEY (aplServerID, aplPeerID))`,
	`CREATE TABLE tblAdminLock (
  lockExpiresTime TEXT NOT NULL,
  lockServerID INTEGER NOT NULL,
  lockActorID INTEGER NOT NULL)`,
	`CREATE TABLE tblSystemRevision (
  sysRevision INTEGER NOT NULL)`,
	`CREATE TABLE tblConfig (
  configLabel TEXT NOT NULL PRIMARY KEY,
  configContent TEXT NULL,
  configPoolID TEXT NOT NULL)`,
	`CREATE TABLE tblADCookie (
  prinGuid TEXT NOT NULL PRIMARY KEY,
  prinDCHost TEXT NULL,
  adcContent BLOB NULL,
  lastUpdated TEXT NULL,
  lockedUntil TEXT NULL)`,
	`CREATE TABLE tblADUpdates (
  prinGuid TEXT NOT NULL,
  prinADPath TEXT NOT NULL,
  prinAttributesChanged INTEGER NOT NULL,
  prinMembersChanged INTEGER NOT NULL,
  prinAffiliationsChanged INTEGER NOT NULL,
  prinDeleted INTEGER NOT NULL,
  lastUpdated TEXT NOT NULL)`,
	`CREATE TABLE tblPrincipalMemberDifference (
  prinGuid TEXT NOT NULL,
  memberADPath TEXT NULL,
  memberRemoved INTEGER NOT NULL,
  PRIMARY KEY (prinGuid, memberADPath))`,
	`CREATE TABLE tblSkippedAffiliations (
  prinID INTEGER NOT NULL,
  affDescription TEXT NOT NULL,
  updatedBy INTEGER NOT NULL,
  PRIMARY KEY (prinID, affDescription))`,
}

// Role type rows seeded into a new embedded database. The IDs are pcmig's own
// choice for new databases: nothing reads them by number, every lookup goes by
// rtypeDesc. The permission sets use the documented bit positions [I]:
// 2 manage, 4 create child nodes, 7 join, 8 chat, 10 read history, 11 see,
// 12 chat in an auditorium, 13 bypass visibility.
var seedRoleTypes = []struct {
	id   int32
	desc string
	perm int64
}{
	{1, "Member", 1<<7 | 1<<8 | 1<<10 | 1<<11},
	{2, "Manager", 1<<2 | 1<<11 | 1<<13},
	{3, "Voiced", 1 << 12},
	{4, "Creator", 1<<4 | 1<<11},
}

// sqliteStatic holds the documented static rows.
var sqliteStatic = []string{
	`INSERT INTO tblEnumAttribute VALUES (1,'Visibility'),(2,'Behavior')`,
	`INSERT INTO tblEnumValue VALUES (2,1,'private'),(3,1,'scope'),(4,2,'normal'),(5,2,'auditorium'),(6,1,'open')`,
	`INSERT INTO tblPrincipalType VALUES
  (1,'Any',0,0),(2,'AnyUser',0,1),(3,'AnyGroup',0,0),(4,'SystemUser',1,0),
  (5,'User',0,1),(8,'DC',0,0),(9,'Group',0,0),(10,'Folder',0,0)`,
	`INSERT INTO tblSystemRevision VALUES (0)`,
}
