package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"strings"
	"testing"
	"time"
)

// newFake makes a SQL Server store on the recording driver with the given
// catalogue (and the fake pool's other answers), without its open-time
// checks.
func newFake(t *testing.T, cat fakeCatalog) *Store {
	t.Helper()
	pool := fakePool(cat.identity)
	db, _ := openRecorder(t, func(q string, args []driver.NamedValue) [][]driver.Value {
		if rows, ok := cat.answer(q, args); ok {
			return rows
		}
		return pool(q, args)
	})
	return newStore(Config{Instance: "fake", Now: time.Now, HeartbeatWindow: time.Minute}, db, mssqlDialect{})
}

// loadFake runs a SQL Server store's open-time checks against a fake
// catalogue and returns the error.
func loadFake(t *testing.T, cat fakeCatalog) error {
	t.Helper()
	return newFake(t, cat).load(context.Background())
}

// TestSchemaCheckExactNames: a column whose name differs only in case is
// the documented column in a case-insensitive database (every statement
// resolves it) and is missing in a case-sensitive one (every statement
// would fail with "Invalid column name").
func TestSchemaCheckExactNames(t *testing.T) {
	rename := map[string]string{"tblNode.nodeName": "NodeName", "tblChat.rtf": "RTF"}
	if err := loadFake(t, fakeCatalog{rename: rename}); err != nil {
		t.Errorf("case-insensitive database with NodeName and RTF: %v", err)
	}
	err := loadFake(t, fakeCatalog{dbCollation: "Latin1_General_CS_AS", rename: rename})
	if !errors.Is(err, ErrNotPersistentChat) {
		t.Fatalf("case-sensitive database with NodeName: err = %v, want ErrNotPersistentChat", err)
	}
	for _, want := range []string{"tblNode.nodeName", "tblChat.rtf"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if err := loadFake(t, fakeCatalog{dbCollation: "Latin1_General_CS_AS"}); err != nil {
		t.Errorf("case-sensitive database with the documented names: %v", err)
	}
}

// TestSchemaCheckMissing names every missing table and column at once.
func TestSchemaCheckMissing(t *testing.T) {
	err := loadFake(t, fakeCatalog{drop: map[string]bool{"tblLastChatId": true, "tblNode.nodeDesc": true}})
	if !errors.Is(err, ErrNotPersistentChat) {
		t.Fatalf("err = %v, want ErrNotPersistentChat", err)
	}
	for _, want := range []string{"missing tables tblLastChatId", "missing columns tblNode.nodeDesc"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// TestCatalogResolvesLikeStatements: the catalogue reads the tables that
// pcmig's unqualified statements use (OBJECT_ID of a one-part name: the
// login's default schema, then dbo), never a same-named table of another
// schema, and reads all of them in one query.
func TestCatalogResolvesLikeStatements(t *testing.T) {
	q := catalogSQL()
	for _, want := range []string{"JOIN sys.tables t ON t.object_id = OBJECT_ID(v.doc)", "(N'tblNode')", "(N'tblChat')", "(N'tblPrincipalAffiliations')"} {
		if !strings.Contains(q, want) {
			t.Errorf("catalogue query lacks %q:\n%s", want, q)
		}
	}
	if strings.Contains(q, "INFORMATION_SCHEMA") {
		t.Errorf("catalogue query reads INFORMATION_SCHEMA, which lists every schema's tables:\n%s", q)
	}
}

// TestOptionalTablesResolveLikeStatements: a tblConfig that exists only in
// another schema is not this database's: the pool ID is empty, instead of
// a query against a table the statements cannot see.
func TestOptionalTablesResolveLikeStatements(t *testing.T) {
	cat := fakeCatalog{elsewhere: map[string]bool{"tblConfig": true}}
	s := openFake(t, cat)
	if id, err := s.PoolID(context.Background()); err != nil || id != "" {
		t.Errorf("PoolID() = %q, %v; want \"\" (tblConfig is in another schema)", id, err)
	}
}

// TestSchemaCheckTurkishNames: a Turkish collation compares identifiers by
// Turkish case rules, so a column the database spells IsAlert is not the
// isAlert pcmig's statements name (I is the capital of ı, not of i): every
// statement naming it would fail with "Invalid column name". NODENAME is
// nodeName there (no i). The store took IsAlert for isAlert.
func TestSchemaCheckTurkishNames(t *testing.T) {
	err := loadFake(t, fakeCatalog{dbCollation: "Turkish_CI_AS", rename: map[string]string{"tblChat.isAlert": "IsAlert"}})
	if !errors.Is(err, ErrNotPersistentChat) || !strings.Contains(err.Error(), "tblChat.isAlert") {
		t.Errorf("Turkish_CI_AS database with IsAlert: err = %v, want ErrNotPersistentChat naming tblChat.isAlert", err)
	}
	if err := loadFake(t, fakeCatalog{dbCollation: "Turkish_CI_AS", rename: map[string]string{"tblNode.nodeName": "NODENAME"}}); err != nil {
		t.Errorf("Turkish_CI_AS database with NODENAME: %v", err)
	}
}
