package store_test

// Real-server test of the locks EnsurePrincipals holds (sql22). Like the
// rest of mssql_conformance_test.go it runs only when PCMIG_TEST_MSSQL_DSN
// names a scratch database (test/mssql/run.sh); it has not been run on the
// machines pcmig is developed on.

import (
	"context"
	"database/sql"
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

// TestCollationKeysAgreeWithServerSQLServer: for the collations whose case
// rules differ on I (Turkish and Azeri Latin, and the SQL collations on the
// Turkish code page, whose locale their name does not give) and two
// ordinary ones, the collation pcmig makes of the server's CodePage,
// ComparisonStyle and LCID finds two names equal exactly when the server's
// = does. This is what settles whether SQL_Latin1_General_CP1254_CI_AS
// compares nvarchar names by Turkish rules.
func TestCollationKeysAgreeWithServerSQLServer(t *testing.T) {
	dsn := mssqlDSN(t)
	ctx := context.Background()
	db, cfg := adminDB(t, dsn)
	defer db.Close()
	pairs := [][2]string{{"ISTANBUL", "istanbul"}, {"ISTANBUL", "ıstanbul"}, {"İzmir", "izmir"}, {"İzmir", "Izmir"},
		{"Sales", "SALES"}, {"sip:IRIS@contoso.com", "sip:iris@contoso.com"},
		// sql29: trailing spaces and width. pcmig's key drops trailing U+0020
		// before it folds width, so a trailing ideographic space (U+3000, the
		// wide space) keeps two names apart that a width-insensitive
		// collation, padding the shorter with spaces, may find equal.
		{"Room", "Room "}, {"Room", "Ｒｏｏｍ"}, {"Room", "Room\u3000"}, {"Room", "Room\u00a0"},
		// Format characters (Cf) that Windows collations may weigh as
		// nothing: pcmig's key keeps them, so it would create "Sales" + U+200B
		// beside a "Sales" the server finds equal.
		{"Sales", "Sales\u200b"}, {"Sales", "Sa\u00adles"}, {"Sales", "\ufeffSales"}}
	for _, name := range []string{"SQL_Latin1_General_CP1254_CI_AS", "SQL_Latin1_General_CP1254_CS_AS", "Turkish_CI_AS",
		"Turkish_100_CI_AI", "Azeri_Latin_100_CI_AS", "Latin1_General_CI_AS", "SQL_Latin1_General_CP1_CI_AS", "Japanese_CI_AS", "Latin1_General_CI_AS_WS", "Latin1_General_100_CI_AS"} {
		var cp, style, lcid sql.NullInt64
		if err := db.QueryRowContext(ctx, `SELECT CONVERT(int, COLLATIONPROPERTY(@p1, 'CodePage')),
  CONVERT(int, COLLATIONPROPERTY(@p1, 'ComparisonStyle')), CONVERT(int, COLLATIONPROPERTY(@p1, 'LCID'))`, name).Scan(&cp, &style, &lcid); err != nil {
			t.Fatalf("%s: %s", name, cfg.Redact(err.Error()))
		}
		if !lcid.Valid {
			t.Errorf("%s: the server reports no LCID for it", name)
			continue
		}
		c := store.ServerCollation(name, &cp.Int64, &style.Int64, &lcid.Int64)
		for _, p := range pairs {
			var same int
			// name is one of the constants above, never input.
			if err := db.QueryRowContext(ctx, `SELECT CASE WHEN @p1 = @p2 COLLATE `+name+` THEN 1 ELSE 0 END`, p[0], p[1]).Scan(&same); err != nil {
				t.Fatalf("%s: %s", name, cfg.Redact(err.Error()))
			}
			if got := c.Equal(p[0], p[1]); got != (same == 1) {
				t.Errorf("%s (LCID %d): pcmig finds %q and %q equal: %v; the server: %v", name, lcid.Int64, p[0], p[1], got, same == 1)
			}
		}
	}
}
