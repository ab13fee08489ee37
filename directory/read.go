package directory

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/pcmig/pcmig/fqdn"
	"github.com/pcmig/pcmig/numtext"
)

// Bounds on what a directory row may hold. A SIP address becomes a
// principal's prinUri (nvarchar(256)); a pool is a DNS name (253
// characters). A longer row is not a Get-CsUser export: it is reported and
// skipped, never kept in memory as fields.
const (
	maxSIP    = 256
	maxRecord = 64 << 10
)

// Bounds on a whole directory. Each row and field costs memory far beyond
// its bytes (a row 32 bytes, a field 16, a problem 40 and more), so a file
// of tiny rows within the read limit could cost gigabytes. A real export
// of the largest deployment (a million users, 60 columns of all Get-CsUser
// properties for 150,000) stays well inside them.
const (
	maxRows     = 2_000_000
	maxFields   = 16_000_000
	maxProblems = 200_000 // rows that are not valid users
)

// limits are the bounds parse applies; tests use small ones.
type limits struct{ rows, fields, problems int }

// Read reads a user directory CSV; see the package documentation for the
// dialect. The problems list every row that is not a valid user, in file
// order. The error is non-nil only when the input cannot be used at all:
// it cannot be read or decoded, it has no header row, or the header lacks
// the SipAddress or RegistrarPool column or repeats a column. Neither
// errors nor problems quote the file: they say what was expected and on
// which line.
func Read(r io.Reader) (*Directory, []Problem, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("directory: read: %w", err)
	}
	return Parse(data)
}

// Parse is Read for a directory already in memory. It allocates about
// twice the size of data: a copy of the text, which every field and row
// refers to, and an index of the rows.
func Parse(data []byte) (*Directory, []Problem, error) {
	return parse(data, limits{rows: maxRows, fields: maxFields, problems: maxProblems})
}

func parse(data []byte, lim limits) (*Directory, []Problem, error) {
	body, env, err := decodeText(data)
	if err != nil {
		return nil, nil, fmt.Errorf("directory: %w", err)
	}
	text := string(body)
	d := &Directory{env: env, upnCol: -1, enCol: -1, ascii: !env.BOM && env.Enc == encUTF8 && isASCII(body)}
	if d.ascii && (strings.HasPrefix(text, "+ACM-") || strings.HasPrefix(text, "+ACI-")) {
		// UTF-7 (no byte order mark) spells the #TYPE line's '#' and the
		// header's first quote so.
		return nil, nil, errors.New("directory: line 1: the file is UTF-7 (Export-Csv -Encoding UTF7), which pcmig does not read: export again with -Encoding UTF8")
	}
	if first := text[:lineEnd(text, 0)]; strings.IndexByte(strings.TrimSuffix(first, "\r\n"), '\r') >= 0 {
		// Column names and the #TYPE line hold no line breaks.
		return nil, nil, errors.New("directory: line 1: the lines end with a carriage return alone (a Macintosh CSV): " +
			"save the file with Windows (CRLF) or LF line endings, or export it again with Export-Csv")
	}
	pos, line := 0, 1
	if len(text) >= 5 && strings.EqualFold(text[:5], "#TYPE") {
		pos, line = lineEnd(text, 0), 2
	}
	if pos >= len(text) || text[pos] == '\n' || strings.HasPrefix(text[pos:], "\r\n") {
		return nil, nil, fmt.Errorf("directory: line %d: no header row", line)
	}
	hdrLine := text[pos:lineEnd(text, pos)]
	delim, ok := detectDelim(hdrLine)
	if !ok && !strings.ContainsAny(hdrLine, ",;\t") && strings.Contains(strings.ToLower(hdrLine), "sipaddress") {
		// The columns are there, run together by another delimiter.
		return nil, nil, fmt.Errorf("directory: line %d: the header row is one column with no comma, semicolon or tab: "+
			"export with Export-Csv's default delimiter (a comma), -Delimiter ';' or -Delimiter \"`t\"", line)
	}
	d.delim = delim
	hdr := d.scan(text, pos)
	switch {
	case hdr.err != "":
		return nil, nil, fmt.Errorf("directory: line %d: header row: %s", line, hdr.err)
	case hdr.long:
		return nil, nil, fmt.Errorf("directory: line %d: header row: longer than %d bytes", line, maxRecord)
	}
	if err := d.setColumns(d.fields[hdr.first:]); err != nil {
		return nil, nil, fmt.Errorf("directory: line %d: %w", line, err)
	}
	d.fields = d.fields[:0]
	d.text = text
	d.prefixEnd = hdr.end
	line += strings.Count(text[pos:hdr.end], "\n")

	// Size the indexes once for rows of a real export (about 90 bytes);
	// line counts are not trusted, blank lines cost nothing.
	est := min(len(text)/80+16, lim.rows+1)
	d.rows = make([]row, 0, est)
	d.fields = make([]string, 0, est*len(d.columns))
	d.bySIP = make(map[string]int32, est)
	records, bad := 0, 0
	for pos = hdr.end; pos < len(text); {
		rec := d.scan(text, pos)
		if !rec.blank && rec.err == "" && d.allEmpty(rec.first) {
			// ",,": a row Excel keeps when its cells are cleared. It
			// holds no user, so no user is missed: it is a blank line.
			d.fields = d.fields[:rec.first]
			rec.blank = true
		}
		if n := len(d.rows); rec.blank && n > 0 && d.rows[n-1].n == 0 && d.rows[n-1].blank {
			// A run of blank lines is one row, kept as it is.
			d.rows[n-1].end = rec.end
			line += strings.Count(text[pos:rec.end], "\n")
			pos = rec.end
			continue
		}
		r := row{start: pos, end: rec.end, line: int32(line), first: int32(rec.first), n: int32(len(d.fields) - rec.first), blank: rec.blank}
		d.rows = append(d.rows, r)
		i := int32(len(d.rows) - 1)
		if !rec.blank {
			records++
			switch {
			case records > lim.rows:
				return nil, nil, fmt.Errorf("directory: line %d: more than %s rows; a user directory has far fewer", line, numtext.Thousands(lim.rows))
			case len(d.fields) > lim.fields:
				return nil, nil, fmt.Errorf("directory: line %d: more than %s fields; a user directory has far fewer", line, numtext.Thousands(lim.fields))
			}
		}
		switch {
		case rec.blank:
		case rec.err != "":
			d.fields = d.fields[:rec.first]
			d.rows[i].n = 0
			d.report(i, "", "%s", rec.err)
		default:
			d.check(i)
		}
		if !rec.blank && !d.rows[i].valid {
			if bad++; bad > lim.problems {
				return nil, nil, fmt.Errorf("directory: line %d: more than %s rows are not valid users: is this a user directory (Get-CsUser | Export-Csv)?",
					line, numtext.Thousands(lim.problems))
			}
		}
		line += strings.Count(text[pos:rec.end], "\n")
		pos = rec.end
	}
	return d, d.Problems(), nil
}

// allEmpty reports whether the fields from first on are all empty: a row of
// delimiters only (or of "" fields).
func (d *Directory) allEmpty(first int) bool {
	for _, f := range d.fields[first:] {
		if f != "" {
			return false
		}
	}
	return true
}

// setColumns maps the header's column names.
func (d *Directory) setColumns(names []string) error {
	d.sipCol, d.poolCol = -1, -1
	seen := map[string]int{}
	for i, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			return fmt.Errorf("header column %d has no name", i+1)
		}
		if first, ok := seen[strings.ToLower(n)]; ok {
			return fmt.Errorf("header column %d repeats the name of column %d", i+1, first+1)
		}
		seen[strings.ToLower(n)] = i
		d.columns = append(d.columns, n)
		switch {
		case strings.EqualFold(n, ColumnSipAddress):
			d.sipCol = i
		case strings.EqualFold(n, ColumnUserPrincipalName):
			d.upnCol = i
		case strings.EqualFold(n, ColumnRegistrarPool):
			d.poolCol = i
		case strings.EqualFold(n, ColumnEnabled):
			d.enCol = i
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
		cols := "columns"
		if len(d.columns) == 1 {
			cols = "column"
		}
		return fmt.Errorf("header has no %s column (it has %d other %s); export with "+
			ExportCommand,
			strings.Join(missing, " or "), len(d.columns), cols)
	}
	return nil
}

// report records a problem for a row and marks it invalid. sip is given
// only when it is a well-formed address.
//
// A row is one problem: a second reason for the same row (no SIP address
// and no pool) is joined to its message, so that counts of problems are
// counts of rows.
func (d *Directory) report(i int32, sip, format string, args ...any) {
	r := &d.rows[i]
	msg := format // most messages are constant: no copy per row
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	if n := len(d.problems); !r.valid && n > 0 && d.problems[n-1].Line == int(r.line) {
		d.problems[n-1].Message += "; " + msg
		return
	}
	r.valid = false
	d.problems = append(d.problems, Problem{Line: int(r.line), SipAddress: sip, Message: msg})
}

// check validates a parsed row and indexes it by SIP address.
func (d *Directory) check(i int32) {
	r := &d.rows[i]
	fields := d.rowFields(r)
	sip := ""
	if d.sipCol < len(fields) {
		sip = fields[d.sipCol]
	}
	good := "" // sip, when it may be quoted in a problem
	sipOK := len(sip) <= maxSIP && validSIP(sip)
	if sipOK {
		good = sip
	}
	r.valid = true
	switch {
	case len(sip) > maxSIP:
		d.report(i, good, "SIP address longer than %d characters", maxSIP)
		return
	case r.end-r.start > maxRecord:
		d.report(i, good, "row is longer than %d bytes", maxRecord)
		return
	case len(fields) != len(d.columns):
		d.report(i, good, "row has %s, the header has %d", numtext.Count(len(fields), "field", "fields"), len(d.columns))
		d.index(i, sip)
		return
	}
	pool := fields[d.poolCol]
	switch {
	case sip == "":
		d.report(i, good, "missing SIP address")
	case d.ascii && strings.IndexByte(sip, '?') >= 0:
		d.lossy = append(d.lossy, int(r.line))
		d.report(i, good, "SIP address has a '?' where the export lost a character: Windows PowerShell 5.1's "+
			"Export-Csv writes ASCII, with a '?' for every other character, unless given -Encoding; export again with -Encoding UTF8")
	case !sipOK:
		d.report(i, good, "malformed SIP address (want sip:user@domain)")
	}
	switch {
	case pool == "":
		d.report(i, good, "missing registrar pool (the user is not homed on a pool)")
	case !fqdn.Valid(pool):
		d.report(i, good, "malformed registrar pool (want a pool FQDN)")
	}
	if first, ok := d.bySIP[sipKey(sip)]; r.valid && ok && d.rows[first].valid {
		d.report(i, good, "duplicate SIP address (first on line %d)", d.rows[first].line)
		return
	}
	if d.enCol >= 0 {
		// Get-CsUser's Enabled is a boolean, which Export-Csv writes as
		// True or False (Excel saves them as TRUE and FALSE). Anything else
		// does not say whether the user is disabled; the value is not
		// quoted, like the rest of the file.
		switch v := strings.TrimSpace(fields[d.enCol]); {
		case strings.EqualFold(v, "True"), strings.EqualFold(v, "False"):
		case v == "":
			d.report(i, good, "%s column is empty (want True or False, as Export-Csv writes Get-CsUser's Enabled): "+
				"export the directory again, or set it to True or False", ColumnEnabled)
		default:
			d.report(i, good, "%s column is neither True nor False (as Export-Csv writes Get-CsUser's Enabled): "+
				"export the directory again, or set it to True or False", ColumnEnabled)
		}
	}
	if n := len(d.problems); !r.valid && n > 0 && d.problems[n-1].Line == int(r.line) && fqdn.Valid(pool) {
		d.problems[n-1].Pool = pool
	}
	d.index(i, sip)
}

// index makes a row findable by SIP address unless a valid row already is.
func (d *Directory) index(i int32, sip string) {
	if sip == "" || len(sip) > maxSIP {
		return
	}
	k := sipKey(sip)
	if first, ok := d.bySIP[k]; !ok || !d.rows[first].valid && d.rows[i].valid {
		d.bySIP[k] = i
	}
}

// record is one scanned CSV record; its fields are d.fields[first:].
type record struct {
	first int
	end   int    // offset just past the record and its line ending
	blank bool   // an empty line
	long  bool   // longer than maxRecord: the fields past the bound are not kept
	err   string // why the record is broken; the record then ends with its line
}

// scan reads the record that starts at text[pos], appending its fields to
// d.fields. Fields refer to text; only a quoted field with doubled quotes
// is copied. A broken record ends at the end of the line where the error
// was found, so that one stray quote costs one row, not the rest of the
// file. Fields that start past maxRecord bytes are scanned but not kept
// (the record is marked long), so that a row of a million delimiters does
// not cost a million fields.
func (d *Directory) scan(text string, pos int) record {
	first := len(d.fields)
	long := false
	keep := func(i int, f string) {
		if i-pos > maxRecord {
			long = true
			return
		}
		d.fields = append(d.fields, f)
	}
	switch rest := text[pos:]; {
	case strings.HasPrefix(rest, "\n"):
		return record{first: first, end: pos + 1, blank: true}
	case strings.HasPrefix(rest, "\r\n"):
		return record{first: first, end: pos + 2, blank: true}
	}
	broken := func(at int, msg string) record {
		return record{first: first, end: lineEnd(text, at), err: msg}
	}
	for i := pos; ; {
		if i < len(text) && text[i] == '"' {
			f, j, ok := quoted(text, i)
			if !ok {
				return broken(i, "unterminated quoted field")
			}
			keep(i, f)
			switch {
			case j == len(text):
				return record{first: first, end: j, long: long}
			case text[j] == d.delim:
				i = j + 1
				continue
			case text[j] == '\n':
				return record{first: first, end: j + 1, long: long}
			case strings.HasPrefix(text[j:], "\r\n"):
				return record{first: first, end: j + 2, long: long}
			}
			if strings.IndexByte(text[i:j], '\n') >= 0 {
				// A quote that "closes" on a later line and is followed by
				// junk is almost always an opening quote that was never
				// closed: give up on the opening line only.
				return broken(i, "unterminated quoted field")
			}
			return broken(j, "a closing quote must be followed by a delimiter or the end of the line")
		}
		j := i
		for j < len(text) && text[j] != d.delim && text[j] != '\n' {
			j++
		}
		f := text[i:j]
		if j < len(text) && text[j] == '\n' {
			f = strings.TrimSuffix(f, "\r")
		}
		if strings.IndexByte(f, '"') >= 0 {
			return broken(i, "quote inside an unquoted field")
		}
		keep(i, f)
		switch {
		case j == len(text):
			return record{first: first, end: j, long: long}
		case text[j] == d.delim:
			i = j + 1
			continue
		}
		return record{first: first, end: j + 1, long: long}
	}
}

// quoted reads the quoted field that starts at text[i] (a quote) and
// returns it unquoted and the offset just past its closing quote.
func quoted(text string, i int) (field string, end int, ok bool) {
	j := i + 1
	k := strings.IndexByte(text[j:], '"')
	if k < 0 {
		return "", 0, false
	}
	if j+k+1 >= len(text) || text[j+k+1] != '"' {
		return text[j : j+k], j + k + 1, true // no doubled quotes: no copy
	}
	var b strings.Builder
	for {
		k := strings.IndexByte(text[j:], '"')
		if k < 0 {
			return "", 0, false
		}
		b.WriteString(text[j : j+k])
		j += k + 1
		if j < len(text) && text[j] == '"' {
			b.WriteByte('"')
			j++
			continue
		}
		return b.String(), j, true
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

// eolOf returns the line ending a record's raw text ends with.
func eolOf(raw string) string {
	switch {
	case strings.HasSuffix(raw, "\r\n"):
		return "\r\n"
	case strings.HasSuffix(raw, "\n"):
		return "\n"
	}
	return ""
}

// detectDelim returns the first comma, semicolon or tab outside quotes in
// the header line; ok is false when there is none.
func detectDelim(header string) (delim byte, ok bool) {
	quoted := false
	for i := 0; i < len(header); i++ {
		switch c := header[i]; {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			return c, true
		}
	}
	return ',', false
}

// isASCII reports whether b holds only 7-bit bytes.
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
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
	return fqdn.Valid(domain)
}
