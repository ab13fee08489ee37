package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/numtext"
)

// A principal's name, display name, company, e-mail, AD path and UPN are
// nullable (tblPrincipal). An archive holds each as a string that is
// absent or "" when NULL (docs/archive-format.md), so an empty string a
// source holds (not NULL) arrives as NULL in the principals the import
// creates. The export and the doctor name such principals.

// principalTextColumns are the nullable text columns of tblPrincipal an
// archive carries, in table order.
var principalTextColumns = []string{"prinName", "prinDisplayName", "prinCompanyName", "prinEmail", "prinADPath", "prinADUserPrincipalName"}

// emptyPrincipalTextsSQL lists the candidates; SQL Server compares blanks
// equal to an empty string, so they are filtered again in Go.
var emptyPrincipalTextsSQL = `SELECT prinID, ` + strings.Join(principalTextColumns, ", ") + ` FROM tblPrincipal WHERE ` +
	strings.Join(principalTextColumns, " = '' OR ") + ` = '' ORDER BY prinID`

// PrincipalEmpty is a principal that holds "" (not NULL) in Columns.
type PrincipalEmpty struct {
	PrinID  int32
	Columns []string
}

// Describe is "prinID 12: prinName, prinEmail".
func (p PrincipalEmpty) Describe() string {
	return fmt.Sprintf("prinID %d: %s", p.PrinID, strings.Join(p.Columns, ", "))
}

// PrincipalEmptyTexts lists the principals holding an empty string in a
// nullable text column, in prinID order.
func (s *Store) PrincipalEmptyTexts(ctx context.Context) ([]PrincipalEmpty, error) {
	out, err := principalEmptyTexts(ctx, s.q())
	return out, s.wrap("read tblPrincipal", err)
}

func principalEmptyTexts(ctx context.Context, q querier) ([]PrincipalEmpty, error) {
	rows, err := q.QueryContext(ctx, emptyPrincipalTextsSQL)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PrincipalEmpty
	vals := make([]sql.NullString, len(principalTextColumns))
	for rows.Next() {
		var id int32
		dest := []any{&id}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("%s", withoutValues(err.Error()))
		}
		p := PrincipalEmpty{PrinID: id}
		for i, v := range vals {
			if v.Valid && v.String == "" {
				p.Columns = append(p.Columns, principalTextColumns[i])
			}
		}
		if len(p.Columns) > 0 {
			out = append(out, p)
		}
	}
	return out, rows.Err()
}

// EmptyTextsSummary is the export's and the doctor's sentence for ps (at
// most 10 named, then how many more).
func EmptyTextsSummary(ps []PrincipalEmpty) string {
	shown := make([]string, 0, 10)
	for i, p := range ps {
		if i == 10 {
			break
		}
		shown = append(shown, p.Describe())
	}
	return fmt.Sprintf("%s an empty string (not NULL) in a nullable text column: %s", numtext.Count(len(ps), "principal holds", "principals hold"), numtext.Listed(shown, len(ps), "; "))
}

// principalEmptyTexts is the doctor's line for a source.
func (d *doctorRun) principalEmptyTexts(ctx context.Context) {
	if d.opts.Role != RoleSource {
		return
	}
	ps, err := principalEmptyTexts(ctx, d.s.q())
	if err != nil {
		d.failed("principal texts", err)
		return
	}
	if len(ps) == 0 {
		return
	}
	d.add(DoctorWarn, "principal texts", EmptyTextsSummary(ps),
		"an archive holds an empty text as none (docs/archive-format.md): the principals the import creates get NULL there (the export says so)")
}
