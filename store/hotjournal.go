package store

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// recoverHotJournal rolls back what a writer that died in the middle of a
// transaction left in an embedded database, before a read-only open.
//
// A killed writer leaves NAME-journal behind; SQLite rolls it back on the
// next open, but only a read-write connection can, and a read-only one
// fails with SQLITE_READONLY_ROLLBACK ("attempt to write a readonly
// database (776)"): the doctor, inventory and exports could not read a
// database after a kill, and a resumed run stopped at its pre-flight. So
// when a journal is there, a read-write connection looks at the database
// first. SQLite rolls the journal back only when it is hot (no other
// connection holds a write lock): a journal of a live writer is left alone.
func recoverHotJournal(path string) error {
	if st, err := os.Stat(path + "-journal"); err != nil || st.Size() == 0 {
		return nil
	}
	db, err := sql.Open("sqlite", SQLiteURI(path, false))
	if err != nil {
		return fmt.Errorf("open %s to roll back an interrupted transaction: %w", path, err)
	}
	var n int
	err = db.QueryRow(`SELECT COUNT(*) FROM sqlite_master`).Scan(&n)
	if err := errors.Join(err, db.Close()); err != nil {
		return fmt.Errorf("roll back the interrupted transaction in %s: %w", path, err)
	}
	return nil
}
