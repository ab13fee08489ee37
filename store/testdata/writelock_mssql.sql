DECLARE @result int;
EXEC @result = sp_getapplock @Resource = N'pcmig writer', @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = 0;
IF @result >= 0
BEGIN
  DECLARE @holder varbinary(128) = CONVERT(varbinary(128), @p1);
  SET CONTEXT_INFO @holder;
END;
SELECT @result;
