package store_test

// Real-server test of the locks EnsurePrincipals holds (sql22). Like the
// rest of mssql_conformance_test.go it runs only when PCMIG_TEST_MSSQL_DSN
// names a scratch database (test/mssql/run.sh); it has not been run on the
// machines pcmig is developed on.

import (
	"context"
	"errors"
	"testing"

	"github.com/pcmig/pcmig/store"
)

// TestPrincipalKeysHoldLocksSQLServer: between EnsurePrincipals' read of
// every principal's GUID and URI and its insert of those it found missing,
// another session cannot insert a principal: its INSERT waits for pcmig's
// transaction (here it gives up after its own 2 s LOCK_TIMEOUT, error
// 1222). Without the read's UPDLOCK, HOLDLOCK the insert went through, and
// pcmig would have inserted that principal a second time.
func TestPrincipalKeysHoldLocksSQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	ctx := context.Background()
	s := openFreshSQLServer(t, dsn, dsn, store.CreateSQLServerSchema)
	defer s.Close()
	db, cfg := adminDB(t, dsn)
	defer db.Close()
	other, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(cfg.Redact(err.Error()))
	}
	defer other.Close()
	var insertErr error
	err = store.AfterPrincipalKeys(ctx, s, func() error {
		_, insertErr = other.ExecContext(ctx, `SET LOCK_TIMEOUT 2000;
INSERT INTO tblPrincipal (prinID, prinGuid, prinUri, prinTypeID, prinAddedOn, prinUpdatedOn, prinVerifiedOn)
VALUES (900001, NEWID(), N'sip:race@contoso.com', 5, 0, 0, '2020-01-01')`)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var num interface{ SQLErrorNumber() int32 }
	if !errors.As(insertErr, &num) || num.SQLErrorNumber() != 1222 {
		msg := "nil"
		if insertErr != nil {
			msg = cfg.Redact(insertErr.Error())
		}
		t.Errorf("another session's insert into tblPrincipal while pcmig held the principals' keys: %s; want it blocked (error 1222 after its 2 s lock timeout)", msg)
	}
}
