SELECT TOP (10) x.*, COUNT_BIG(*) OVER () AS n FROM (SELECT CONVERT(nvarchar(36), [siopID]) AS k, CASE WHEN [siopName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDF) + N']%' THEN CASE WHEN [siopName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][^' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [siopName] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N']' OR [siopName] COLLATE Latin1_General_BIN2 LIKE N'%[^' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [siopName] COLLATE Latin1_General_BIN2 LIKE N'[' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' THEN 1 ELSE 0 END ELSE 0 END AS b0, CASE WHEN [siopUrl] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDF) + N']%' THEN CASE WHEN [siopUrl] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][^' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [siopUrl] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N']' OR [siopUrl] COLLATE Latin1_General_BIN2 LIKE N'%[^' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR [siopUrl] COLLATE Latin1_General_BIN2 LIKE N'[' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' THEN 1 ELSE 0 END ELSE 0 END AS b1 FROM [tblSiopWhiteList]) AS x WHERE x.b0 = 1 OR x.b1 = 1 ORDER BY x.k
GO
SELECT y.channelId, y.chatId, y.chatDate, y.badDate, y.bad0, y.bad1, y.nDates, y.nTexts FROM (
  SELECT x.*, SUM(CONVERT(bigint, x.badDate)) OVER () AS nDates, SUM(CONVERT(bigint, x.badText)) OVER () AS nTexts,
    ROW_NUMBER() OVER (PARTITION BY x.badDate ORDER BY x.channelId, x.chatId) AS rnDate,
    ROW_NUMBER() OVER (PARTITION BY x.badText ORDER BY x.channelId, x.chatId) AS rnText
  FROM (SELECT f.*, 0 | f.bad0 | f.bad1 AS badText
    FROM (SELECT c.[channelId] AS channelId,
      c.[chatId] AS chatId,
      c.[chatDate] AS chatDate,
      CASE WHEN c.[chatDate] < 0 OR c.[chatDate] > 3155378975999999999 THEN 1 ELSE 0 END AS badDate,
      CASE WHEN c.[content] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDF) + N']%' THEN CASE WHEN c.[content] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][^' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR c.[content] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N']' OR c.[content] COLLATE Latin1_General_BIN2 LIKE N'%[^' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR c.[content] COLLATE Latin1_General_BIN2 LIKE N'[' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' THEN 1 ELSE 0 END ELSE 0 END AS bad0,
      CASE WHEN c.[rtf] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDF) + N']%' THEN CASE WHEN c.[rtf] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][^' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR c.[rtf] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N']' OR c.[rtf] COLLATE Latin1_General_BIN2 LIKE N'%[^' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR c.[rtf] COLLATE Latin1_General_BIN2 LIKE N'[' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' THEN 1 ELSE 0 END ELSE 0 END AS bad1
      FROM [tblChat] AS c) AS f) AS x
  WHERE x.badDate = 1 OR x.badText = 1) AS y
WHERE (y.badDate = 1 AND y.rnDate <= 10) OR (y.badText = 1 AND y.rnText <= 10)
ORDER BY y.channelId, y.chatId
GO
SELECT y.channelId, y.chatId, y.chatDate, y.badDate, y.bad0, y.nDates, y.nTexts FROM (
  SELECT x.*, SUM(CONVERT(bigint, x.badDate)) OVER () AS nDates, SUM(CONVERT(bigint, x.badText)) OVER () AS nTexts,
    ROW_NUMBER() OVER (PARTITION BY x.badDate ORDER BY x.channelId, x.chatId) AS rnDate,
    ROW_NUMBER() OVER (PARTITION BY x.badText ORDER BY x.channelId, x.chatId) AS rnText
  FROM (SELECT f.*, 0 | f.bad0 AS badText
    FROM (SELECT c.[channelId] AS channelId,
      c.[chatId] AS chatId,
      NULL AS chatDate,
      0 AS badDate,
      CASE WHEN c.[content] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDF) + N']%' THEN CASE WHEN c.[content] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][^' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR c.[content] COLLATE Latin1_General_BIN2 LIKE N'%[' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N']' OR c.[content] COLLATE Latin1_General_BIN2 LIKE N'%[^' + CONVERT(nvarchar(3), 0x00D82D00FFDB) + N'][' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' OR c.[content] COLLATE Latin1_General_BIN2 LIKE N'[' + CONVERT(nvarchar(3), 0x00DC2D00FFDF) + N']%' THEN 1 ELSE 0 END ELSE 0 END AS bad0
      FROM [tblChat] AS c) AS f) AS x
  WHERE x.badDate = 1 OR x.badText = 1) AS y
WHERE (y.badDate = 1 AND y.rnDate <= 10) OR (y.badText = 1 AND y.rnText <= 10)
ORDER BY y.channelId, y.chatId
GO
SELECT y.channelId, y.chatId, y.chatDate, y.badDate, y.nDates, y.nTexts FROM (
  SELECT x.*, SUM(CONVERT(bigint, x.badDate)) OVER () AS nDates, SUM(CONVERT(bigint, x.badText)) OVER () AS nTexts,
    ROW_NUMBER() OVER (PARTITION BY x.badDate ORDER BY x.channelId, x.chatId) AS rnDate,
    ROW_NUMBER() OVER (PARTITION BY x.badText ORDER BY x.channelId, x.chatId) AS rnText
  FROM (SELECT f.*, 0 AS badText
    FROM (SELECT c.[channelId] AS channelId,
      c.[chatId] AS chatId,
      c.[chatDate] AS chatDate,
      CASE WHEN c.[chatDate] < 0 OR c.[chatDate] > 3155378975999999999 THEN 1 ELSE 0 END AS badDate
      FROM [tblChat] AS c) AS f) AS x
  WHERE x.badDate = 1 OR x.badText = 1) AS y
WHERE (y.badDate = 1 AND y.rnDate <= 10) OR (y.badText = 1 AND y.rnText <= 10)
ORDER BY y.channelId, y.chatId
