SELECT CONVERT(nvarchar(128), SERVERPROPERTY('ProductVersion')), CONVERT(nvarchar(128), SERVERPROPERTY('Edition')),
  DB_NAME(), SUSER_SNAME(), USER_NAME()
GO
SELECT CONVERT(nvarchar(128), DATABASEPROPERTYEX(DB_NAME(), 'Collation')),
  CONVERT(int, COLLATIONPROPERTY(CONVERT(nvarchar(128), DATABASEPROPERTYEX(DB_NAME(), 'Collation')), 'CodePage')),
  CONVERT(int, COLLATIONPROPERTY(CONVERT(nvarchar(128), DATABASEPROPERTYEX(DB_NAME(), 'Collation')), 'ComparisonStyle')),
  CONVERT(int, COLLATIONPROPERTY(CONVERT(nvarchar(128), DATABASEPROPERTYEX(DB_NAME(), 'Collation')), 'LCID')),
  SCHEMA_NAME()
GO
SELECT v.doc, SCHEMA_NAME(t.schema_id), t.name, c.name, TYPE_NAME(c.system_type_id), c.max_length, c.collation_name,
  CONVERT(int, COLLATIONPROPERTY(c.collation_name, 'CodePage')), CONVERT(int, COLLATIONPROPERTY(c.collation_name, 'ComparisonStyle')),
  CONVERT(int, COLLATIONPROPERTY(c.collation_name, 'LCID')), c.is_identity, c.is_nullable, CONVERT(bit, CASE WHEN c.default_object_id = 0 THEN 0 ELSE 1 END), c.is_computed
FROM (VALUES (N'tblChat'), (N'tblConfig'), (N'tblEnumAttribute'), (N'tblEnumValue'), (N'tblFileToken'), (N'tblLastChatId'), (N'tblNode'), (N'tblPrincipal'), (N'tblPrincipalAffiliations'), (N'tblPrincipalInvites'), (N'tblPrincipalRole'), (N'tblPrincipalType'), (N'tblRoleType'), (N'tblScopePrincipal'), (N'tblServerIdentity'), (N'tblSiopWhiteList'), (N'tblSystemRevision')) AS v(doc)
JOIN sys.tables t ON t.object_id = OBJECT_ID(v.doc)
JOIN sys.columns c ON c.object_id = t.object_id
ORDER BY v.doc, c.column_id
GO
SELECT v.doc, tr.name, tr.is_disabled
FROM (VALUES (N'tblChat'), (N'tblConfig'), (N'tblEnumAttribute'), (N'tblEnumValue'), (N'tblFileToken'), (N'tblLastChatId'), (N'tblNode'), (N'tblPrincipal'), (N'tblPrincipalAffiliations'), (N'tblPrincipalInvites'), (N'tblPrincipalRole'), (N'tblPrincipalType'), (N'tblRoleType'), (N'tblScopePrincipal'), (N'tblServerIdentity'), (N'tblSiopWhiteList'), (N'tblSystemRevision')) AS v(doc)
JOIN sys.triggers tr ON tr.parent_id = OBJECT_ID(v.doc)
ORDER BY v.doc, tr.name
GO
SELECT v.doc, HAS_PERMS_BY_NAME(QUOTENAME(SCHEMA_NAME(t.schema_id)) + N'.' + QUOTENAME(t.name), N'OBJECT', N'SELECT'), HAS_PERMS_BY_NAME(QUOTENAME(SCHEMA_NAME(t.schema_id)) + N'.' + QUOTENAME(t.name), N'OBJECT', N'INSERT'), HAS_PERMS_BY_NAME(QUOTENAME(SCHEMA_NAME(t.schema_id)) + N'.' + QUOTENAME(t.name), N'OBJECT', N'UPDATE'), HAS_PERMS_BY_NAME(QUOTENAME(SCHEMA_NAME(t.schema_id)) + N'.' + QUOTENAME(t.name), N'OBJECT', N'DELETE')
FROM (VALUES (N'tblChat'), (N'tblConfig'), (N'tblEnumAttribute'), (N'tblEnumValue'), (N'tblFileToken'), (N'tblLastChatId'), (N'tblNode'), (N'tblPrincipal'), (N'tblPrincipalAffiliations'), (N'tblPrincipalInvites'), (N'tblPrincipalRole'), (N'tblPrincipalType'), (N'tblRoleType'), (N'tblScopePrincipal'), (N'tblServerIdentity'), (N'tblSiopWhiteList'), (N'tblSystemRevision')) AS v(doc)
JOIN sys.tables t ON t.object_id = OBJECT_ID(v.doc)
ORDER BY v.doc
GO
SELECT rtypeID, rtypeDesc FROM tblRoleType
GO
SELECT v.valueID, a.attributeName, v.attributeValue
FROM tblEnumValue v JOIN tblEnumAttribute a ON a.attributeID = v.attributeID
GO
SELECT MIN(nodeID) FROM tblNode WHERE parentID = nodeID AND (nodeID = 1 OR NOT EXISTS (SELECT 1 FROM tblNode WHERE nodeID = 1 AND parentID = 1))
GO
SELECT ptypeID, ptypeDesc FROM tblPrincipalType
GO
SELECT TOP (10) x.*, COUNT_BIG(*) OVER () AS n FROM (SELECT [nodeID] AS k, CASE WHEN [nodeName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDF) + N']%' THEN CASE WHEN [nodeName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][^' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [nodeName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N']' OR [nodeName] COLLATE Latin1_General_BIN2 LIKE N'%[^' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [nodeName] COLLATE Latin1_General_BIN2 LIKE N'[' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' THEN 1 ELSE 0 END ELSE 0 END AS b0, CASE WHEN [nodeDesc] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDF) + N']%' THEN CASE WHEN [nodeDesc] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][^' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [nodeDesc] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N']' OR [nodeDesc] COLLATE Latin1_General_BIN2 LIKE N'%[^' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [nodeDesc] COLLATE Latin1_General_BIN2 LIKE N'[' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' THEN 1 ELSE 0 END ELSE 0 END AS b1 FROM [tblNode]) AS x WHERE x.b0 = 1 OR x.b1 = 1 ORDER BY x.k
GO
SELECT TOP (10) x.*, COUNT_BIG(*) OVER () AS n FROM (SELECT [prinID] AS k, CASE WHEN [prinUri] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDF) + N']%' THEN CASE WHEN [prinUri] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][^' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [prinUri] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N']' OR [prinUri] COLLATE Latin1_General_BIN2 LIKE N'%[^' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [prinUri] COLLATE Latin1_General_BIN2 LIKE N'[' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' THEN 1 ELSE 0 END ELSE 0 END AS b0, CASE WHEN [prinName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDF) + N']%' THEN CASE WHEN [prinName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][^' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [prinName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N']' OR [prinName] COLLATE Latin1_General_BIN2 LIKE N'%[^' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [prinName] COLLATE Latin1_General_BIN2 LIKE N'[' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' THEN 1 ELSE 0 END ELSE 0 END AS b1, CASE WHEN [prinDisplayName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDF) + N']%' THEN CASE WHEN [prinDisplayName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][^' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [prinDisplayName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N']' OR [prinDisplayName] COLLATE Latin1_General_BIN2 LIKE N'%[^' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [prinDisplayName] COLLATE Latin1_General_BIN2 LIKE N'[' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' THEN 1 ELSE 0 END ELSE 0 END AS b2, CASE WHEN [prinCompanyName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDF) + N']%' THEN CASE WHEN [prinCompanyName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][^' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [prinCompanyName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N']' OR [prinCompanyName] COLLATE Latin1_General_BIN2 LIKE N'%[^' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [prinCompanyName] COLLATE Latin1_General_BIN2 LIKE N'[' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' THEN 1 ELSE 0 END ELSE 0 END AS b3, CASE WHEN [prinEmail] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDF) + N']%' THEN CASE WHEN [prinEmail] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][^' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [prinEmail] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N']' OR [prinEmail] COLLATE Latin1_General_BIN2 LIKE N'%[^' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [prinEmail] COLLATE Latin1_General_BIN2 LIKE N'[' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' THEN 1 ELSE 0 END ELSE 0 END AS b4, CASE WHEN [prinADPath] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDF) + N']%' THEN CASE WHEN [prinADPath] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][^' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [prinADPath] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N']' OR [prinADPath] COLLATE Latin1_General_BIN2 LIKE N'%[^' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [prinADPath] COLLATE Latin1_General_BIN2 LIKE N'[' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' THEN 1 ELSE 0 END ELSE 0 END AS b5, CASE WHEN [prinADUserPrincipalName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDF) + N']%' THEN CASE WHEN [prinADUserPrincipalName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][^' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [prinADUserPrincipalName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N']' OR [prinADUserPrincipalName] COLLATE Latin1_General_BIN2 LIKE N'%[^' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [prinADUserPrincipalName] COLLATE Latin1_General_BIN2 LIKE N'[' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' THEN 1 ELSE 0 END ELSE 0 END AS b6 FROM [tblPrincipal]) AS x WHERE x.b0 = 1 OR x.b1 = 1 OR x.b2 = 1 OR x.b3 = 1 OR x.b4 = 1 OR x.b5 = 1 OR x.b6 = 1 ORDER BY x.k
GO
SELECT TOP (10) x.*, COUNT_BIG(*) OVER () AS n FROM (SELECT CONVERT(nvarchar(36), [siopID]) AS k, CASE WHEN [siopName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDF) + N']%' THEN CASE WHEN [siopName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][^' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [siopName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N']' OR [siopName] COLLATE Latin1_General_BIN2 LIKE N'%[^' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [siopName] COLLATE Latin1_General_BIN2 LIKE N'[' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' THEN 1 ELSE 0 END ELSE 0 END AS b0, CASE WHEN [siopUrl] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDF) + N']%' THEN CASE WHEN [siopUrl] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][^' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [siopUrl] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N']' OR [siopUrl] COLLATE Latin1_General_BIN2 LIKE N'%[^' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [siopUrl] COLLATE Latin1_General_BIN2 LIKE N'[' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' THEN 1 ELSE 0 END ELSE 0 END AS b1 FROM [tblSiopWhiteList]) AS x WHERE x.b0 = 1 OR x.b1 = 1 ORDER BY x.k
GO
SELECT y.channelId, y.chatId, y.chatDate, y.badDate, y.bad0, y.nDates, y.nTexts FROM (
  SELECT x.*, SUM(CONVERT(bigint, x.badDate)) OVER () AS nDates, SUM(CONVERT(bigint, x.badText)) OVER () AS nTexts,
    ROW_NUMBER() OVER (PARTITION BY x.badDate ORDER BY x.channelId, x.chatId) AS rnDate,
    ROW_NUMBER() OVER (PARTITION BY x.badText ORDER BY x.channelId, x.chatId) AS rnText
  FROM (SELECT f.*, 0 | f.bad0 AS badText
    FROM (SELECT c.[channelId] AS channelId,
      c.[chatId] AS chatId,
      c.[chatDate] AS chatDate,
      CASE WHEN c.[chatDate] < 0 OR c.[chatDate] > 3155378975999999999 THEN 1 ELSE 0 END AS badDate,
      CASE WHEN c.[content] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDF) + N']%' THEN CASE WHEN c.[content] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][^' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR c.[content] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N']' OR c.[content] COLLATE Latin1_General_BIN2 LIKE N'%[^' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR c.[content] COLLATE Latin1_General_BIN2 LIKE N'[' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' THEN 1 ELSE 0 END ELSE 0 END AS bad0
      FROM [tblChat] AS c) AS f) AS x
  WHERE x.badDate = 1 OR x.badText = 1) AS y
WHERE (y.badDate = 1 AND y.rnDate <= 10) OR (y.badText = 1 AND y.rnText <= 10)
ORDER BY y.channelId, y.chatId
GO
SELECT nodeID, nodeName, visibility, behavior FROM tblNode WHERE nodeType = 0 AND (visibility NOT IN (2, 3, 6) OR behavior NOT IN (4, 5)) ORDER BY nodeID
GO
SELECT CONVERT(nvarchar(36), configPoolID) FROM tblConfig
GO
SELECT n.nodeID, CASE WHEN n.nodeType = 0 THEN 0 ELSE 1 END, n.nodeName, p.nodeName
FROM tblNode n LEFT JOIN tblNode p ON p.nodeID = n.parentID WHERE n.nodeID <> n.parentID ORDER BY n.nodeID
GO
SELECT siopName FROM tblSiopWhiteList ORDER BY siopName
GO
SELECT n.nodeID, n.nodeName, n.parentID, p.nodeID, CASE WHEN p.nodeType = 0 THEN 0 ELSE 1 END, p.nodeName
FROM tblNode n LEFT JOIN tblNode p ON p.nodeID = n.parentID
WHERE n.nodeType = 1 AND n.nodeID <> @p1 AND (n.parentID IS NULL OR n.parentID <> @p2) ORDER BY n.nodeID
GO
SELECT nodeID, COUNT(*) FROM tblLastChatId GROUP BY nodeID HAVING COUNT(*) > 1 ORDER BY nodeID
GO
SELECT l.nodeID, COUNT(*) FROM tblLastChatId l WHERE NOT EXISTS (SELECT 1 FROM tblNode n WHERE n.nodeID = l.nodeID) GROUP BY l.nodeID ORDER BY l.nodeID
GO
SELECT nodeID, mx - lc FROM (
  SELECT l.nodeID, l.lc, (SELECT MAX(c.chatId) FROM tblChat c WHERE c.channelId = l.nodeID) AS mx
  FROM (SELECT nodeID, MAX(lastChatID) AS lc FROM tblLastChatId GROUP BY nodeID) l) x
WHERE mx > lc ORDER BY nodeID
GO
SELECT nodeID, mx FROM (
  SELECT n.nodeID, (SELECT MAX(c.chatId) FROM tblChat c WHERE c.channelId = n.nodeID) AS mx
  FROM tblNode n WHERE n.nodeType = 0 AND NOT EXISTS (SELECT 1 FROM tblLastChatId l WHERE l.nodeID = n.nodeID)) x
WHERE mx IS NOT NULL ORDER BY nodeID
GO
SELECT x.channelId, x.userId, COUNT_BIG(*), x.roomGone, x.posterGone FROM (
  SELECT c.channelId, c.userId,
    CASE WHEN EXISTS (SELECT 1 FROM tblNode n WHERE n.nodeID = c.channelId) THEN 0 ELSE 1 END AS roomGone,
    CASE WHEN EXISTS (SELECT 1 FROM tblPrincipal p WHERE p.prinID = c.userId) THEN 0 ELSE 1 END AS posterGone
  FROM tblChat c) AS x
WHERE x.roomGone = 1 OR x.posterGone = 1
GROUP BY x.channelId, x.userId, x.roomGone, x.posterGone
GO
SELECT c.channelId, COUNT_BIG(*) FROM tblChat c WHERE c.channelId IN (SELECT n.nodeID FROM tblNode n WHERE n.nodeType = 1)
GROUP BY c.channelId ORDER BY c.channelId
GO
SELECT x.prin, COUNT(*) FROM (SELECT prinRolePrinID AS prin FROM tblPrincipalRole
  UNION ALL SELECT scopePrinID FROM tblScopePrincipal) AS x
WHERE NOT EXISTS (SELECT 1 FROM tblPrincipal p WHERE p.prinID = x.prin) GROUP BY x.prin ORDER BY x.prin
GO
SELECT g.prinRoleNodeID, COUNT(*) FROM tblPrincipalRole g WHERE NOT EXISTS (SELECT 1 FROM tblNode n WHERE n.nodeID = g.prinRoleNodeID) GROUP BY g.prinRoleNodeID ORDER BY g.prinRoleNodeID
GO
SELECT e.scopeNodeID, COUNT(*) FROM tblScopePrincipal e WHERE NOT EXISTS (SELECT 1 FROM tblNode n WHERE n.nodeID = e.scopeNodeID) GROUP BY e.scopeNodeID ORDER BY e.scopeNodeID
GO
SELECT prinID, prinDisabled FROM tblPrincipal WHERE prinDisabled NOT IN (0, 1, 2) ORDER BY prinID
GO
SELECT serverID, serverAddress, serverLastPingTime,
CASE WHEN serverLastPingTime > DATEADD(second, -600, GETDATE()) AND serverLastPingTime < DATEADD(second, 600, GETDATE()) THEN 1 ELSE 0 END,
CASE WHEN serverLastPingTime > DATEADD(second, -600, GETUTCDATE()) AND serverLastPingTime < DATEADD(second, 600, GETUTCDATE()) THEN 1 ELSE 0 END
FROM tblServerIdentity
GO
SELECT COUNT(*) FROM tblServerIdentity
GO
SELECT type, SUM(CAST(size AS bigint)) * 8192, SUM(CAST(FILEPROPERTY(name, 'SpaceUsed') AS bigint)) * 8192,
  SUM(CASE WHEN growth = 0 THEN 0 ELSE 1 END), SUM(CASE WHEN max_size = -1 THEN 1 ELSE 0 END),
  SUM(CAST(CASE WHEN max_size = -1 THEN 0 ELSE max_size END AS bigint)) * 8192
FROM sys.database_files WHERE type IN (0, 1) GROUP BY type ORDER BY type
GO
SELECT recovery_model_desc, log_reuse_wait_desc FROM sys.databases WHERE database_id = DB_ID()
GO
