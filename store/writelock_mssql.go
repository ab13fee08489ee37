package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"unicode/utf8"
)

// applockResource is the sp_getapplock resource of pcmig's writer lock.
// Application locks belong to the current database, so each mgc database
// has its own.
const applockResource = "pcmig writer"

// applockSQL takes the writer lock for the session, without waiting, and
// records the holder (parameter 1, at most 128 bytes) in CONTEXT_INFO. It
// returns sp_getapplock's result: 0 granted, -1 held by another session.
const applockSQL = `DECLARE @result int;
EXEC @result = sp_getapplock @Resource = N'` + applockResource + `', @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = 0;
IF @result >= 0
BEGIN
  DECLARE @holder varbinary(128) = CONVERT(varbinary(128), @p1);
  SET CONTEXT_INFO @holder;
END;
SELECT @result;`

// applockHolderSQL finds the session that holds the writer lock and the
// holder it recorded. It needs VIEW SERVER STATE (or VIEW DATABASE STATE);
// without it pcmig says that the lock is held, not by whom.
const applockHolderSQL = `SELECT TOP (1) s.host_name, s.host_process_id, s.program_name, s.login_time, s.context_info
FROM sys.dm_tran_locks AS l JOIN sys.dm_exec_sessions AS s ON s.session_id = l.request_session_id
WHERE l.resource_type = N'APPLICATION' AND l.resource_database_id = DB_ID()
  AND l.request_owner_type = N'SESSION' AND l.request_status = N'GRANT'
  AND l.resource_description LIKE N'%[[]` + applockResource + `]%' AND s.session_id <> @@SPID`

// lockServer takes the writer lock of a SQL Server store on a connection
// pinned for the store's life; closing that connection releases it.
func (s *Store) lockServer(ctx context.Context) error {
	if s.dialect.name() != "sqlserver" || !s.cfg.writer() {
		return nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("%s: writer lock: %w", s.Describe(), err)
	}
	var result int
	if err := conn.QueryRowContext(ctx, applockSQL, holderBytes(newHolder(ctx, s.cfg.Now()))).Scan(&result); err != nil {
		return errors.Join(fmt.Errorf("%s: writer lock (sp_getapplock): %w", s.Describe(), err), conn.Close())
	}
	if result < 0 {
		le := &LockedError{DB: s.Describe()}
		le.Holder, le.Why = s.applockHolder(ctx, conn)
		return errors.Join(le, conn.Close())
	}
	s.lockConn, s.unlock = conn, conn.Close
	return nil
}

// applockHolder reads who holds the writer lock.
func (s *Store) applockHolder(ctx context.Context, conn *sql.Conn) (*Holder, string) {
	var host, program sql.NullString
	var pid sql.NullInt64
	var login sql.NullTime
	var info []byte
	err := conn.QueryRowContext(ctx, applockHolderSQL).Scan(&host, &pid, &program, &login, &info)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, "it was released a moment ago, or pcmig may not see other sessions (VIEW SERVER STATE)"
	case err != nil:
		return nil, "pcmig may not see other sessions: grant VIEW SERVER STATE to see who"
	}
	if h := decodeHolder(info); h != nil {
		return h, ""
	}
	h := &Holder{Command: program.String, PID: int(pid.Int64), Host: host.String, Since: login.Time}
	return h, ""
}

// holderBytes is the holder record for CONTEXT_INFO: JSON cut to 128
// bytes at a character boundary (the command first gives way, then the
// user).
func holderBytes(h Holder) []byte {
	b := encodeHolder(h)
	for _, f := range []*string{&h.Command, &h.User} {
		for len(b) > 128 && *f != "" {
			_, size := utf8.DecodeLastRuneInString(*f)
			*f = (*f)[:len(*f)-size]
			b = encodeHolder(h)
		}
	}
	return b
}

// ErrLockLost is wrapped by the error a write returns once the writer lock
// the store took at Open is no longer held.
var ErrLockLost = errors.New("pcmig's writer lock on this database was lost")

// applockModeSQL asks which mode of the writer lock the session holds:
// "Exclusive" while it holds it, "NoLock" once it has lost it.
const applockModeSQL = `SELECT APPLOCK_MODE('public', N'` + applockResource + `', 'Session')`

// lockLostAdvice ends the refusal of a write whose writer lock was lost.
const lockLostAdvice = "another pcmig may be writing to it now, so this process writes nothing more: make sure no other pcmig writes to this database, then run again (a resumed run continues where this one stopped)"

// checkWriterLock makes sure, before a write transaction, that the session
// that took the SQL Server writer lock still holds it: one round trip on
// that session's connection. A session that has ended (a network failure,
// a killed session, a failover) has released the lock, and another pcmig
// may have taken it since; the store then refuses this and every later
// write. A store without a server lock has nothing to check.
func (s *Store) checkWriterLock(ctx context.Context) error {
	if s.lockLost != nil {
		return s.lockLost
	}
	if s.lockConn == nil {
		return nil
	}
	var mode sql.NullString
	err := s.lockConn.QueryRowContext(ctx, applockModeSQL).Scan(&mode)
	switch {
	case err != nil && ctx.Err() != nil:
		return err // cancelled: the lock is not known to be lost
	case err != nil:
		s.lockLost = fmt.Errorf("%s: %w: the session that held it no longer answers (%s); %s",
			s.Describe(), ErrLockLost, s.cfg.Redact(err.Error()), lockLostAdvice)
	case mode.String != "Exclusive":
		held := mode.String
		if !mode.Valid {
			held = "NULL"
		}
		s.lockLost = fmt.Errorf("%s: %w: the session that took it no longer holds it (APPLOCK_MODE is %s); %s",
			s.Describe(), ErrLockLost, held, lockLostAdvice)
	}
	return s.lockLost
}
