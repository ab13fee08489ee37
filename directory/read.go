package directory

import (
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Read reads a user directory CSV; see the package documentation for the
// dialect. The problems list every row that is not a valid user, in file
// order. The error is non-nil only when the input cannot be used at all:
// it cannot be read or decoded, it has no header row, or the header lacks
// the SipAddress or RegistrarPool column or repeats a column.
func Read(r io.Reader) (*Directory, []Problem, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("directory: read: %w", err)
	}
	return Parse(data)
}

// Parse is Read for a directory already in memory.
func Parse(data []byte) (*Directory, []Problem, error) {
	body, env, err := decodeText(data)
	if err != nil {
		return nil, nil, fmt.Errorf("directory: %w", err)
	}
	text := string(body)
	d := &Directory{env: env, upnCol: -1, bySIP: map[string]*row{}}
	pos, line := 0, 1
	if len(text) >= 5 && strings.EqualFold(text[:5], "#TYPE") {
		pos, line = lineEnd(text, 0), 2
	}
	if pos >= len(text) || text[pos] == '\n' || strings.HasPrefix(text[pos:], "\r\n") {
		return nil, nil, fmt.Errorf("directory: line %d: no header row", line)
	}
	d.delim = detectDelim(text[pos:lineEnd(text, pos)])
	hdr := d.scan(text, pos)
	if hdr.err != "" {
		return nil, nil, fmt.Errorf("directory: line %d: header row: %s", line, hdr.err)
	}
	if err := d.setColumns(hdr.fields); err != nil {
		return nil, nil, fmt.Errorf("directory: line %d: %w", line, err)
	}
	d.prefix = text[:hdr.end]
	line += strings.Count(text[pos:hdr.end], "\n")
	for pos = hdr.end; pos < len(text); {
		rec := d.scan(text, pos)
		r := &row{raw: text[pos:rec.end], eol: rec.eol, line: line}
		switch {
		case rec.blank:
		case rec.err != "":
			d.report(r, "", "%s", rec.err)
		default:
			r.fields = rec.fields
			d.check(r)
		}
		d.rows = append(d.rows, r)
		line += strings.Count(r.raw, "\n")
		pos = rec.end
	}
	return d, d.Problems(), nil
}

// setColumns maps the header's column names.
func (d *Directory) setColumns(names []string) error {
	d.sipCol, d.poolCol = -1, -1
	seen := map[string]bool{}
	for i, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			return fmt.Errorf("header column %d has no name", i+1)
		}
		if seen[strings.ToLower(n)] {
			return fmt.Errorf("header repeats column %q", n)
		}
		seen[strings.ToLower(n)] = true
		d.columns = append(d.columns, n)
		switch {
		case strings.EqualFold(n, ColumnSipAddress):
			d.sipCol = i
		case strings.EqualFold(n, ColumnUserPrincipalName):
			d.upnCol = i
		case strings.EqualFold(n, ColumnRegistrarPool):
			d.poolCol = i
		}
	}
	var missing []string
	if d.sipCol < 0 {
		missing = append(missing, ColumnSipAddress)
	}
	if d.poolCol < 0 {
		missing = append(missing, ColumnRegistrarPool)
	}
	if len(missing) > 0 {
		return fmt.Errorf("header has no %s column (columns: %s); export with "+
			"Get-CsUser | Select-Object SipAddress,UserPrincipalName,RegistrarPool | Export-Csv",
			strings.Join(missing, " or "), strings.Join(d.columns, ", "))
	}
	return nil
}

// report records a problem for a row and marks it invalid.
func (d *Directory) report(r *row, sip, format string, args ...any) {
	r.valid = false
	d.problems = append(d.problems, Problem{Line: r.line, SipAddress: sip, Message: fmt.Sprintf(format, args...)})
}

// check validates a parsed row and indexes it by SIP address.
func (d *Directory) check(r *row) {
	sip := ""
	if d.sipCol < len(r.fields) {
		sip = r.fields[d.sipCol]
	}
	r.valid = true
	if len(r.fields) != len(d.columns) {
		d.report(r, sip, "row has %d fields, the header has %d", len(r.fields), len(d.columns))
		d.index(r, sip)
		return
	}
	pool := r.fields[d.poolCol]
	switch {
	case sip == "":
		d.report(r, sip, "missing SIP address")
	case !validSIP(sip):
		d.report(r, sip, "malformed SIP address %q (want sip:user@domain)", sip)
	}
	switch {
	case pool == "":
		d.report(r, sip, "missing registrar pool (the user is not homed on a pool)")
	case !validFQDN(pool):
		d.report(r, sip, "malformed registrar pool %q (want a pool FQDN)", pool)
	}
	if first := d.bySIP[sipKey(sip)]; r.valid && first != nil && first.valid {
		d.report(r, sip, "duplicate SIP address %q (first on line %d)", sip, first.line)
		return
	}
	d.index(r, sip)
}

// index makes a row findable by SIP address unless a valid row already is.
func (d *Directory) index(r *row, sip string) {
	if sip == "" {
		return
	}
	if first := d.bySIP[sipKey(sip)]; first == nil || !first.valid && r.valid {
		d.bySIP[sipKey(sip)] = r
	}
}

// record is one scanned CSV record.
type record struct {
	fields []string
	end    int    // offset just past the record and its line ending
	eol    string // the line ending: "\r\n", "\n" or "" at the end of input
	blank  bool   // an empty line
	err    string // why the record is broken; the record then ends with its line
}

// scan reads the record that starts at text[pos]. A broken record ends at
// the end of the line where the error was found, so that one stray quote
// costs one row, not the rest of the file.
func (d *Directory) scan(text string, pos int) record {
	switch rest := text[pos:]; {
	case strings.HasPrefix(rest, "\n"):
		return record{end: pos + 1, eol: "\n", blank: true}
	case strings.HasPrefix(rest, "\r\n"):
		return record{end: pos + 2, eol: "\r\n", blank: true}
	}
	broken := func(at int, msg string) record {
		end := lineEnd(text, at)
		return record{end: end, eol: eolBefore(text, end), err: msg}
	}
	var fields []string
	for i := pos; ; {
		if i < len(text) && text[i] == '"' {
			var b strings.Builder
			j := i + 1
			for {
				k := strings.IndexByte(text[j:], '"')
				if k < 0 {
					return broken(i, "unterminated quoted field")
				}
				b.WriteString(text[j : j+k])
				j += k + 1
				if j < len(text) && text[j] == '"' {
					b.WriteByte('"')
					j++
					continue
				}
				break
			}
			fields = append(fields, b.String())
			switch {
			case j == len(text):
				return record{fields: fields, end: j}
			case text[j] == d.delim:
				i = j + 1
				continue
			case text[j] == '\n':
				return record{fields: fields, end: j + 1, eol: "\n"}
			case strings.HasPrefix(text[j:], "\r\n"):
				return record{fields: fields, end: j + 2, eol: "\r\n"}
			}
			if strings.Contains(text[i:j], "\n") {
				// A quote that "closes" on a later line and is followed by
				// junk is almost always an opening quote that was never
				// closed: give up on the opening line only.
				return broken(i, "unterminated quoted field")
			}
			return broken(j, fmt.Sprintf("unexpected %q after a closing quote", text[j:j+1]))
		}
		j := i
		for j < len(text) && text[j] != d.delim && text[j] != '\n' {
			j++
		}
		f := text[i:j]
		if j < len(text) && text[j] == '\n' {
			f = strings.TrimSuffix(f, "\r")
		}
		if strings.Contains(f, `"`) {
			return broken(i, "quote inside an unquoted field")
		}
		fields = append(fields, f)
		switch {
		case j == len(text):
			return record{fields: fields, end: j}
		case text[j] == d.delim:
			i = j + 1
			continue
		}
		return record{fields: fields, end: j + 1, eol: eolBefore(text, j+1)}
	}
}

// lineEnd returns the offset just past the line ending of the line holding
// text[at], or len(text).
func lineEnd(text string, at int) int {
	if k := strings.IndexByte(text[at:], '\n'); k >= 0 {
		return at + k + 1
	}
	return len(text)
}

// eolBefore returns the line ending that ends just before end.
func eolBefore(text string, end int) string {
	switch {
	case strings.HasSuffix(text[:end], "\r\n"):
		return "\r\n"
	case strings.HasSuffix(text[:end], "\n"):
		return "\n"
	}
	return ""
}

// detectDelim returns the first comma, semicolon or tab outside quotes in
// the header line, or a comma.
func detectDelim(header string) byte {
	quoted := false
	for i := 0; i < len(header); i++ {
		switch c := header[i]; {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			return c
		}
	}
	return ','
}

// validSIP reports whether s is sip:user@domain.
func validSIP(s string) bool {
	if len(s) < 4 || !strings.EqualFold(s[:4], "sip:") {
		return false
	}
	user, domain, ok := strings.Cut(s[4:], "@")
	if !ok || user == "" || strings.ContainsFunc(user, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`"<>@;,`, r)
	}) {
		return false
	}
	return validFQDN(domain)
}

// validFQDN reports whether s is a DNS name of at least two labels of
// letters, digits and hyphens.
func validFQDN(s string) bool {
	labels := strings.Split(s, ".")
	if len(s) > 253 || len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, c := range []byte(l) {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
