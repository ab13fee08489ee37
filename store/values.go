package store

import (
	"database/sql"
	"fmt"

	"github.com/pcmig/pcmig/pchat"
)

func quoteAny(v any) string { return fmt.Sprintf("%q", fmt.Sprint(v)) }

// scanGUID reads a GUID column (text in both dialects after guid()) into its
// canonical form.
func canonGUID(col, v string) (string, error) {
	g, err := pchat.CanonicalGUID(v)
	if err != nil {
		return "", fmt.Errorf("%s: %w", col, err)
	}
	return g, nil
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
