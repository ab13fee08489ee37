package store

import (
	"context"
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
	// columns lists the column names of a table (none if it does not exist).
	columns(ctx context.Context, q querier, table string) ([]string, error)
	// top returns "SELECT <list> <rest>" limited to n rows; rest must end
	// with its ORDER BY clause.
	top(list, rest string, n int) string
	// insertMessages appends a batch of rows to tblChat; chat IDs are already
	// assigned.
	insertMessages(ctx context.Context, q querier, msgs []pchat.Message) error
	// datetime encodes a value for a datetime column.
	datetime(t time.Time) any
	// ident quotes an identifier that is a reserved word ("index").
	ident(name string) string
	// identityTables reports which of the tables with store-assigned IDs
	// (idColumns) declare that column as an IDENTITY.
	identityTables(ctx context.Context, q querier) (map[string]bool, error)
	// explicitID wraps an INSERT that gives an explicit value to the
	// IDENTITY column of table.
	explicitID(table, insert string) string
}

// idColumns are the ID columns the store assigns (MAX + 1) itself; real
// mgc databases may declare them IDENTITY.
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
// time, which the SQL Server dialect writes as that instant.
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

func (e *valueError) Error() string { return "unreadable " + e.kind + " value " + quoteAny(e.v) }
