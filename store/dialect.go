package store

import (
	"context"
	"fmt"
	"time"

	"github.com/pcmig/pcmig/pchat"
)

// dialect is what differs between SQL Server and the embedded SQLite store.
// Everything else is one SQL implementation shared by both.
type dialect interface {
	name() string
	// wrap adapts a connection or transaction (placeholder syntax).
	wrap(q querier) querier
	// guid returns an expression that reads a GUID column as text.
	guid(col string) string
	// guidIs returns a condition comparing a GUID column with one canonical
	// (lower-case) GUID parameter. SQL Server compares uniqueidentifiers,
	// which its indexes serve; SQLite folds the text's case.
	guidIs(col string) string
	// columnsSQL reads the column names of the table given as its one
	// parameter, in order (no row if it does not exist): tableColumns.
	columnsSQL() string
	// top returns "SELECT <list> <rest>" limited to n rows; rest must end
	// with its ORDER BY clause.
	top(list, rest string, n int) string
	// insertMessages appends a batch of rows of one room to tblChat; chat IDs
	// are already assigned. cols are tblChat's column names as the
	// catalogue spells them, in chatColumns order.
	insertMessages(ctx context.Context, q querier, cols []string, msgs []pchat.Message) error
	// insertSet writes a row set in one set-based operation and returns how
	// many rows it inserted, counted by the statement itself (never from
	// the driver's rows-affected, which SET NOCOUNT ON and triggers
	// falsify).
	insertSet(ctx context.Context, q querier, rs rowSet) (int64, error)
	// insertIdentity inserts a row set into a table whose ID column is an
	// IDENTITY, leaving the server to assign it, and returns the assigned
	// IDs keyed by the lower-case text of keyCol (a GUID column whose
	// values are unique in the set).
	insertIdentity(ctx context.Context, q querier, rs rowSet, idCol, keyCol string) (map[string]int32, error)
	// execCount runs an UPDATE or DELETE and returns how many rows it
	// changed. stmt marks with {out} where SQL Server's OUTPUT clause goes;
	// out is the column it outputs (INSERTED.x or DELETED.x, an int).
	execCount(ctx context.Context, q querier, stmt, out string, args ...any) (int64, error)
	// setLastChatIDs sets rooms' tblLastChatId rows, inserting those the
	// rooms lack, without relying on a rows-affected count.
	setLastChatIDs(ctx context.Context, q querier, lasts map[int32]int64) error
	// valuesTable is a FROM item of n one-column rows of parameters and
	// the expression naming its column.
	valuesTable(n int) (from, col string)
	// lockHint is the table hint that takes update range locks held to the
	// end of the transaction (UPDLOCK, HOLDLOCK), or "" where the
	// transaction itself serialises writers (SQLite).
	lockHint() string
	// datetime encodes a value for a datetime column.
	datetime(t time.Time) any
	// ident quotes an identifier that is a reserved word ("index").
	ident(name string) string
	// identityTables reports which of the tables with store-assigned IDs
	// (idColumns) declare that column as an IDENTITY.
	identityTables(ctx context.Context, q querier) (map[string]bool, error)
}

// idColumns are the ID columns the store assigns itself unless the
// database declares them IDENTITY (real mgc databases may).
var idColumns = []struct{ table, column string }{
	{"tblNode", "nodeID"},
	{"tblPrincipal", "prinID"},
}

// sqliteDateTime is the ISO-8601 UTC text form datetime columns take in the
// embedded store.
const sqliteDateTime = "2006-01-02T15:04:05.000Z"

// parseDateTime reads a datetime column from either dialect: SQL Server
// returns time.Time; SQLite returns ISO-8601 text (any of the common forms),
// or time.Time when the column was declared DATETIME. ok is false for NULL.
// SQL Server's first datetime instant (1753-01-01) is read as the zero
// time, which both dialects write as that instant (an embedded pool's
// text too).
func parseDateTime(v any) (t time.Time, ok bool, err error) {
	switch x := v.(type) {
	case nil:
		return time.Time{}, false, nil
	case time.Time:
		if x.Equal(sqlDateTimeMin) {
			return time.Time{}, true, nil
		}
		return x.UTC(), true, nil
	case []byte:
		return parseDateTime(string(x))
	case string:
		for _, layout := range []string{
			time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00",
			"2006-01-02 15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02",
		} {
			if t, err := time.Parse(layout, x); err == nil {
				if t.Equal(sqlDateTimeMin) {
					return time.Time{}, true, nil // as SQL Server's (above)
				}
				return t.UTC(), true, nil
			}
		}
		return time.Time{}, false, &valueError{"datetime", x}
	case int64:
		return time.Unix(x, 0).UTC(), true, nil
	}
	return time.Time{}, false, &valueError{"datetime", v}
}

type valueError struct {
	kind string
	v    any
}

// Error names the kind of value expected and the type found, never the
// value: database content stays out of errors.
func (e *valueError) Error() string {
	if _, ok := e.v.(string); ok {
		return "unreadable " + e.kind + " value (text that is not a " + e.kind + ")"
	}
	return fmt.Sprintf("unreadable %s value (a %T)", e.kind, e.v)
}

// column is one column of a row set: its name and the T-SQL type of its
// staging column on SQL Server.
type column struct{ name, tsql string }

// rowSet is rows for one table, written set-based by insertSet. Values are
// int64, bool (bit columns), string, time.Time or nil.
type rowSet struct {
	table string
	cols  []column
	// key names the columns that identify a row: a row whose key the table
	// already holds is skipped and not counted. Empty: every row is new.
	// Rows must not repeat a key (callers deduplicate).
	key  []string
	rows [][]any
}

// names lists the column names of a row set.
func (rs rowSet) names() []string {
	out := make([]string, len(rs.cols))
	for i, c := range rs.cols {
		out[i] = c.name
	}
	return out
}
