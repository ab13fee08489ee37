CREATE TABLE tblEnumAttribute (
  attributeID smallint NOT NULL PRIMARY KEY,
  attributeName nvarchar(256) NOT NULL)
GO
CREATE TABLE tblEnumValue (
  valueID smallint NOT NULL PRIMARY KEY,
  attributeID smallint NOT NULL REFERENCES tblEnumAttribute(attributeID),
  attributeValue nvarchar(256) NOT NULL)
GO
CREATE TABLE tblPrincipalType (
  ptypeID smallint NOT NULL PRIMARY KEY,
  ptypeDesc nvarchar(256) NOT NULL,
  ptypeIsSystemUser bit NOT NULL,
  ptypeIsUser bit NOT NULL)
GO
CREATE TABLE tblPrincipal (
  prinID int IDENTITY(1,1) NOT NULL PRIMARY KEY,
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
  prinVerifiedOn datetime NOT NULL)
GO
CREATE TABLE tblPrincipalAffiliations (
  principalID int NOT NULL REFERENCES tblPrincipal(prinID),
  affiliationID int NOT NULL REFERENCES tblPrincipal(prinID),
  [index] int NOT NULL,
  updatedBy int NOT NULL,
  PRIMARY KEY (principalID, [index], affiliationID))
GO
CREATE TABLE tblPrincipalMembers (
  prinID int NOT NULL REFERENCES tblPrincipal(prinID),
  memberADPath nvarchar(384) NOT NULL,
  PRIMARY KEY (prinID, memberADPath))
GO
CREATE TABLE tblPrincipalMeta (
  prinID int NOT NULL PRIMARY KEY REFERENCES tblPrincipal(prinID),
  prinAffiliationsDirty bit NOT NULL,
  prinAttributesDirty bit NOT NULL,
  prinDeleted bit NOT NULL,
  tryCount int NULL,
  lastTry datetime NULL,
  nextTry datetime NULL)
GO
CREATE TABLE tblSiopWhiteList (
  siopID uniqueidentifier NOT NULL PRIMARY KEY,
  siopName nvarchar(50) NOT NULL,
  siopUrl nvarchar(255) NOT NULL)
GO
CREATE TABLE tblNode (
  nodeID int IDENTITY(1,1) NOT NULL PRIMARY KEY,
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
  purgedOn datetime NULL)
GO
CREATE TABLE tblRoleType (
  rtypeID int NOT NULL PRIMARY KEY,
  rtypeDesc nvarchar(256) NOT NULL,
  rtypeAllowedPermSet bigint NOT NULL)
GO
CREATE TABLE tblPrincipalRole (
  prinRoleNodeID int NOT NULL REFERENCES tblNode(nodeID),
  prinRolePrinID int NOT NULL REFERENCES tblPrincipal(prinID),
  prinRoleTypeID int NOT NULL REFERENCES tblRoleType(rtypeID),
  prinRoleUpdatedBy int NOT NULL,
  PRIMARY KEY (prinRoleNodeID, prinRolePrinID, prinRoleTypeID))
GO
CREATE TABLE tblScopePrincipal (
  scopeNodeID int NOT NULL REFERENCES tblNode(nodeID),
  scopePrinID int NOT NULL REFERENCES tblPrincipal(prinID),
  scopeIsDenied bit NOT NULL,
  scopeUpdatedBy int NOT NULL,
  PRIMARY KEY (scopeNodeID, scopePrinID))
GO
CREATE TABLE tblChat (
  channelId int NOT NULL,
  chatId bigint NOT NULL,
  chatDate bigint NOT NULL,
  userId int NOT NULL,
  isAlert bit NOT NULL,
  content nvarchar(max) NOT NULL,
  rtf varchar(max) NULL,
  PRIMARY KEY (channelId, chatId))
GO
CREATE TABLE tblLastChatId (
  nodeID int NOT NULL REFERENCES tblNode(nodeID),
  lastChatID bigint NOT NULL,
  PRIMARY KEY (nodeID, lastChatID))
GO
CREATE TABLE tblPrincipalInvites (
  prinID int NOT NULL REFERENCES tblPrincipal(prinID),
  invID int NOT NULL,
  nodeID int NOT NULL REFERENCES tblNode(nodeID),
  createdOn datetime NOT NULL,
  PRIMARY KEY (prinID, nodeID))
GO
CREATE TABLE tblLastInviteId (
  prinID int NOT NULL PRIMARY KEY REFERENCES tblPrincipal(prinID),
  lastInviteID int NOT NULL)
GO
CREATE TABLE tblPreference (
  prefLabel nvarchar(255) NOT NULL,
  prefSeqID int NOT NULL,
  prefContent nvarchar(max) NULL,
  lastModifiedBy int NOT NULL,
  PRIMARY KEY (prefLabel, prefSeqID))
GO
CREATE TABLE tblFileToken (
  fileToken nvarchar(50) NOT NULL PRIMARY KEY,
  fileTokenUserID int NOT NULL,
  fileTokenChannelID uniqueidentifier NOT NULL REFERENCES tblNode(nodeGuid),
  fileTokenExpireDate datetime NOT NULL,
  fileTokenComplianceFileUrl nvarchar(256) NULL,
  fileTokenComplianceThumbnailUrl nvarchar(256) NULL,
  fileTokenComplianceTime datetime2 NULL,
  fileTokenComplianceIsUpload bit NULL,
  fileTokenCompliancePinned bit NOT NULL)
GO
CREATE TABLE tblServerIdentity (
  serverID int NOT NULL PRIMARY KEY,
  serverAddress nvarchar(256) NOT NULL,
  serverLastPingTime datetime NULL)
GO
CREATE TABLE tblActivePeers (
  aplServerID int NOT NULL REFERENCES tblServerIdentity(serverID),
  aplPeerID int NOT NULL REFERENCES tblServerIdentity(serverID),
  PRIMARY KEY (aplServerID, aplPeerID))
GO
CREATE TABLE tblAdminLock (
  lockExpiresTime datetime NOT NULL,
  lockServerID int NOT NULL,
  lockActorID int NOT NULL)
GO
CREATE TABLE tblSystemRevision (
  sysRevision bigint NOT NULL)
GO
CREATE TABLE tblConfig (
  configLabel nvarchar(255) NOT NULL PRIMARY KEY,
  configContent nvarchar(max) NULL,
  configPoolID uniqueidentifier NOT NULL)
GO
CREATE TABLE tblADCookie (
  prinGuid uniqueidentifier NOT NULL PRIMARY KEY,
  prinDCHost nvarchar(255) NULL,
  adcContent image NULL,
  lastUpdated datetime NULL,
  lockedUntil datetime NULL)
GO
CREATE TABLE tblADUpdates (
  prinGuid uniqueidentifier NOT NULL,
  prinADPath nvarchar(384) NOT NULL,
  prinAttributesChanged bit NOT NULL,
  prinMembersChanged bit NOT NULL,
  prinAffiliationsChanged bit NOT NULL,
  prinDeleted bit NOT NULL,
  lastUpdated datetime NOT NULL)
GO
CREATE TABLE tblPrincipalMemberDifference (
  prinGuid uniqueidentifier NOT NULL,
  memberADPath nvarchar(256) NOT NULL,
  memberRemoved bit NOT NULL,
  PRIMARY KEY (prinGuid, memberADPath))
GO
CREATE TABLE tblSkippedAffiliations (
  prinID int NOT NULL,
  affDescription nvarchar(256) NOT NULL,
  updatedBy int NOT NULL,
  PRIMARY KEY (prinID, affDescription))
GO
CREATE INDEX ixPrincipalUri ON tblPrincipal(prinUri)
GO
CREATE INDEX ixNodeParent ON tblNode(parentID)
GO
INSERT INTO tblEnumAttribute VALUES (1, N'Visibility'), (2, N'Behavior')
GO
INSERT INTO tblEnumValue VALUES (2, 1, N'private'), (3, 1, N'scope'), (4, 2, N'normal'), (5, 2, N'auditorium'), (6, 1, N'open')
GO
INSERT INTO tblPrincipalType VALUES
  (1, N'Any', 0, 0), (2, N'AnyUser', 0, 1), (3, N'AnyGroup', 0, 0), (4, N'SystemUser', 1, 0),
  (5, N'User', 0, 1), (8, N'DC', 0, 0), (9, N'Group', 0, 0), (10, N'Folder', 0, 0)
GO
INSERT INTO tblSystemRevision VALUES (0)
GO
INSERT INTO tblRoleType VALUES (1, N'Member', 3456), (2, N'Manager', 10244), (3, N'Voiced', 4096), (4, N'Creator', 2064)
GO
SET IDENTITY_INSERT [tblPrincipal] ON;
INSERT INTO tblPrincipal (prinID, prinGuid, prinUri, prinName, prinDisabled,
prinTypeID, prinAddedOn, prinUpdatedOn, prinVerifiedOn) VALUES (1, '00000000-0000-0000-0000-000000000001', N'ma-sys:system', N'System', 0, 4, 635556672000000000, 635556672000000000, '2015-01-01T00:00:00');
SET IDENTITY_INSERT [tblPrincipal] OFF;
GO
SET IDENTITY_INSERT [tblNode] ON;
INSERT INTO tblNode (nodeID, nodeGuid, parentID, nodeType, nodeName, nodeDesc,
invite, logged, filePost, disabled, behavior, visibility, nodeAddedBy, nodeAddedOn, nodeUpdatedBy, nodeUpdatedOn)
VALUES (1, '00000000-0000-0000-0000-000000000100', 1, 1, N'Root', N'', 0, 1, 1, 0, 4, 6, 1, 635556672000000000, 1, 635556672000000000);
SET IDENTITY_INSERT [tblNode] OFF;
GO
