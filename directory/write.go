package directory

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Bytes returns the directory in the dialect it was read in. Rows that were
// not changed by Move are written exactly as read; changed rows are written
// with every field quoted, the original delimiter and the row's own line
// ending.
func (d *Directory) Bytes() []byte {
	b := bytes.NewBuffer(make([]byte, 0, len(d.text)+len(d.text)/64))
	b.WriteString(d.text[:d.prefixEnd])
	for i := range d.rows {
		r := &d.rows[i]
		raw := d.text[r.start:r.end]
		if !r.dirty {
			b.WriteString(raw)
			continue
		}
		writeRecord(b, d.rowFields(r), d.delim)
		b.WriteString(eolOf(raw))
	}
	return d.env.Encode(b.Bytes())
}

// Write writes Bytes to w.
func (d *Directory) Write(w io.Writer) error {
	if _, err := w.Write(d.Bytes()); err != nil {
		return fmt.Errorf("directory: write: %w", err)
	}
	return nil
}

// writeRecord writes fields the way Export-Csv does: each one quoted, with
// embedded quotes doubled.
func writeRecord(b *bytes.Buffer, fields []string, delim byte) {
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(delim)
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(f, `"`, `""`))
		b.WriteByte('"')
	}
}

// Generate writes users as Windows PowerShell 5.1 writes
// "Export-Csv -Encoding UTF8" (ExportCommand): a UTF-8 byte order mark, the
// #TYPE line, the columns SipAddress, UserPrincipalName, RegistrarPool and
// Enabled ("True", or "False" for a Disabled user) followed by the sorted
// names of all Extra columns, every field quoted, CRLF line endings.
func Generate(users []User) []byte {
	known := []string{ColumnSipAddress, ColumnUserPrincipalName, ColumnRegistrarPool, ColumnEnabled}
	var extra []string
	for _, u := range users {
		for k := range u.Extra {
			// An Enabled in a caller's Extra is not a second column:
			// the column is written once, from Disabled (a file read
			// back gives Enabled as Disabled only, never in Extra).
			if !slices.Contains(extra, k) && !slices.ContainsFunc(known, func(c string) bool { return strings.EqualFold(c, k) }) {
				extra = append(extra, k)
			}
		}
	}
	slices.Sort(extra)
	var b bytes.Buffer
	b.WriteString(TypeLine + "\r\n")
	writeRecord(&b, append(slices.Clone(known), extra...), ',')
	b.WriteString("\r\n")
	for _, u := range users {
		enabled := "True"
		if u.Disabled {
			enabled = "False"
		}
		fields := []string{u.SipAddress, u.UserPrincipalName, u.RegistrarPool, enabled}
		for _, k := range extra {
			fields = append(fields, u.Extra[k])
		}
		writeRecord(&b, fields, ',')
		b.WriteString("\r\n")
	}
	return envelope{Enc: encUTF8, BOM: true}.Encode(b.Bytes())
}
