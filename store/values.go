package store

import (
	"database/sql"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/pchat"
)

// canonGUID reads a GUID column (text in both dialects after guid()) into
// its canonical form. The error names the column, never the value:
// database content stays out of errors.
func canonGUID(col, v string) (string, error) {
	g, err := pchat.CanonicalGUID(v)
	if err != nil {
		return "", fmt.Errorf("%s: not a GUID (8-4-4-4-12 hexadecimal digits)", col)
	}
	return g, nil
}

// withoutValues takes out of a database/sql or driver conversion error the
// value it quotes: `converting driver.Value type string ("...") to a
// int16: invalid syntax` keeps its column (named by the Scan error around
// it) and types, and `couldn't convert "..." into type bool` says "a
// value". A column of the wrong type (SQLite stores what it is given)
// must not put database content in an error.
func withoutValues(msg string) string {
	const conv = "converting driver.Value type "
	if i := strings.Index(msg, conv); i >= 0 {
		rest := msg[i+len(conv):]
		open, end := strings.Index(rest, " ("), strings.LastIndex(rest, ") to a ")
		if open >= 0 && end > open {
			msg = msg[:i+len(conv)] + rest[:open] + rest[end+1:]
		}
	}
	const cannot, into = "couldn't convert ", " into type "
	if i := strings.Index(msg, cannot); i >= 0 {
		if j := strings.LastIndex(msg, into); j > i {
			msg = msg[:i+len(cannot)] + "a value" + msg[j:]
		}
	}
	return msg
}

func ptrInt32(n sql.NullInt32) *int32 {
	if !n.Valid {
		return nil
	}
	v := n.Int32
	return &v
}

func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}
