package store

import "context"

// SessionOptions reads a store's SQL Server session settings twice, the
// second time on a pooled connection database/sql reset before reusing it:
// @@OPTIONS, @@LOCK_TIMEOUT and the isolation level (2 is READ
// COMMITTED), what sessionInitSQL sets (test/mssql).
func SessionOptions(ctx context.Context, s *Store) (opts, lockTimeout, isolation int64, err error) {
	for range 2 {
		err = s.db.QueryRowContext(ctx, `SELECT @@OPTIONS, @@LOCK_TIMEOUT, transaction_isolation_level
FROM sys.dm_exec_sessions WHERE session_id = @@SPID`).Scan(&opts, &lockTimeout, &isolation)
		if err != nil {
			return 0, 0, 0, err
		}
	}
	return opts, lockTimeout, isolation, nil
}
