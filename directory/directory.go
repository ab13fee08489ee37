// Package directory reads, edits and writes the user directory CSV that
// Windows PowerShell writes with
//
//	Get-CsUser | Select-Object SipAddress,UserPrincipalName,RegistrarPool,Enabled |
//	    Export-Csv users.csv -Encoding UTF8
//
// The dialect: an optional first line "#TYPE Selected.Microsoft.Rtc...."
// (absent with -NoTypeInformation and in PowerShell 7), a header row of
// quoted column names, every field quoted with embedded quotes doubled
// (fields may hold commas and line breaks), UTF-8 with or without a byte
// order mark, UTF-16 (recognised without one by its NUL bytes) or UTF-32
// with a byte order mark (-Encoding UTF32), CRLF or
// LF line endings. Columns may
// come in any order and extra columns are kept; SipAddress and
// RegistrarPool are required, UserPrincipalName and Enabled are optional. The delimiter
// is a comma, or the semicolon or tab that Export-Csv -UseCulture or
// -Delimiter may have used, detected from the header.
//
// # Reading
//
//	dir, problems, err := directory.Read(f)
//
// err is reserved for files that cannot be used at all: undecodable text, or
// a header without the required columns. Every broken row is reported as a
// Problem with its line number (missing, malformed or over-long SIP
// address, missing or malformed pool, duplicate SIP address, wrong field
// count, bad quoting, a row over 64 KiB, an Enabled neither True nor False
// in any case, an empty one included, and a SIP address with a '?' in a
// file of plain ASCII without a byte order mark: Windows PowerShell 5.1's
// Export-Csv writes ASCII by default, with a '?' for each character ASCII
// lacks, so such an address is not the user's; Lossy lists those rows'
// lines, and user.load refuses such a file). A row is one problem, its
// reasons joined by "; ". Broken rows are left out of Users
// but kept, byte for byte, by Write. Neither errors nor problems quote the
// file (it may not be a directory at all): they say what was expected and
// on which line; a Problem's SipAddress is set only when it is well formed.
//
// Reading keeps one copy of the text and refers to it: memory is about
// twice the file (a 1,000,000-row, 90 MB file allocates about 230 MB).
// Tiny rows cost more than their bytes, so a file is refused by line when
// it passes 2,000,000 rows, 16,000,000 fields or 200,000 rows that are not
// users, and a run of blank lines is one row: a hostile file costs at most
// some hundreds of megabytes besides its text. A row whose fields are all
// empty (",,", which Excel keeps where cells were cleared; Export-Csv
// never writes one) holds no user and is a blank line, not a problem.
//
// # Disabled users
//
// Get-CsUser's Enabled property is False for a user disabled with
// Set-CsUser -Enabled $False, which keeps the account, its SIP address and
// its home pool (Disable-CsUser instead removes them, and Get-CsUser no
// longer returns the user). Such a row is a valid user with Disabled set,
// when the file has an Enabled column. Enabled is a boolean, which
// Export-Csv writes as True or False: any other value is a Problem, since
// it does not say whether the user is disabled.
//
// # Querying and editing
//
// Users, Select, ByPool (FQDNs compared without regard to case) and Lookup
// return copies. Move rehomes users in memory; it changes nothing unless
// every SIP address is known.
//
// # Writing
//
// Write and Bytes produce the same dialect as the input: the #TYPE line,
// byte order mark, line endings, delimiter, column order and extra columns
// are kept, and rows that were not changed are written exactly as read, so
// an unedited directory is written back byte for byte. atomicfile.Write
// replaces a file so that readers see the old or the new version, never a
// mix. Generate writes a new directory in the Windows PowerShell form, for
// lab estates.
package directory

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/fqdn"
)

// Column names of the Get-CsUser export.
const (
	ColumnSipAddress        = "SipAddress"
	ColumnUserPrincipalName = "UserPrincipalName"
	ColumnRegistrarPool     = "RegistrarPool"
	// ColumnEnabled is optional: "False" marks a user disabled with
	// Set-CsUser -Enabled $False.
	ColumnEnabled = "Enabled"
)

// ExportCommand is the PowerShell that writes the user directory pcmig
// reads, as the docs and messages give it. Enabled is optional to pcmig but
// asked for: without it a user suspended with Set-CsUser -Enabled $False
// cannot be told from an active one.
const ExportCommand = "Get-CsUser | Select-Object SipAddress,UserPrincipalName,RegistrarPool,Enabled | Export-Csv users.csv -Encoding UTF8"

// TypeLine is the first line Windows PowerShell's Export-Csv writes for the
// selected Get-CsUser properties unless -NoTypeInformation is given.
const TypeLine = "#TYPE Selected.Microsoft.Rtc.Management.ADConnect.Schema.OCSADUser"

// ErrUnknownUser is wrapped by Move when a SIP address is not a valid row of
// the directory.
var ErrUnknownUser = errors.New("unknown user")

// User is one valid row of the directory.
type User struct {
	SipAddress        string `json:"sipAddress"`        // sip:user@domain
	UserPrincipalName string `json:"userPrincipalName"` // "" when the column is absent
	RegistrarPool     string `json:"registrarPool"`     // home pool FQDN
	// Disabled is true when the Enabled column says False: the account is
	// kept, homed on its pool, but cannot sign in until it is enabled again.
	Disabled bool `json:"disabled,omitempty"`
	// Extra holds the other columns by header name; nil when there are none.
	Extra map[string]string `json:"extra,omitempty"`
	// Line is the line of the file the row starts on (0 for a generated user).
	Line int `json:"line"`
}

// Problem is a row that could not be read as a user.
type Problem struct {
	Line       int    `json:"line"`                 // line the row starts on
	SipAddress string `json:"sipAddress,omitempty"` // as written, when the row has one
	// Pool is the row's registrar pool when it is well formed and the
	// row's user is found through no other row: a user of that pool whom
	// no move reaches. "" for a duplicate SIP address.
	Pool    string `json:"pool,omitempty"`
	Message string `json:"message"`
}

// String formats the problem as a report line, e.g.
// `line 7: duplicate SIP address "sip:ann@contoso.com" (first on line 3)`.
func (p Problem) String() string { return fmt.Sprintf("line %d: %s", p.Line, p.Message) }

// Directory is a user directory read by Read. Its methods are not safe for
// concurrent use with Move.
type Directory struct {
	env       envelope
	text      string // the decoded file; rows and fields refer to it
	prefixEnd int    // end of the "#TYPE ..." line and header row in text
	columns   []string
	sipCol    int
	upnCol    int // -1 when absent
	poolCol   int
	enCol     int // Enabled; -1 when absent
	delim     byte
	ascii     bool // no byte order mark and only ASCII bytes: perhaps 5.1's lossy default
	rows      []row
	fields    []string         // the fields of every row, row after row
	bySIP     map[string]int32 // lower-case SIP address to its first row
	problems  []Problem
	lossy     []int // lines of rows whose SIP address lost characters to '?'
}

// row is one record of the file, or a blank line: text[start:end], line
// ending included, with the fields d.fields[first:first+n].
type row struct {
	start, end int
	line       int32
	first, n   int32
	valid      bool
	dirty      bool
	blank      bool // a run of empty lines
}

func (d *Directory) rowFields(r *row) []string { return d.fields[r.first : r.first+r.n] }

// Columns returns the header's column names in file order.
func (d *Directory) Columns() []string { return append([]string(nil), d.columns...) }

// Problems returns the problems Read reported.
func (d *Directory) Problems() []Problem { return append([]Problem(nil), d.problems...) }

// Encoding names the encoding the file was read in ("UTF-8 with BOM").
func (d *Directory) Encoding() string { return d.env.String() }

// HasEnabled reports whether the file has an Enabled column, without which
// no user reads as disabled.
func (d *Directory) HasEnabled() bool { return d.enCol >= 0 }

// Lossy returns the lines of the rows whose SIP address has a '?' in a
// file of plain ASCII without a byte order mark: Windows PowerShell 5.1's
// Export-Csv without -Encoding, which wrote a '?' for each character ASCII
// lacks. Such a user can be neither found nor moved, and the file says
// nothing of who it was.
func (d *Directory) Lossy() []int { return append([]int(nil), d.lossy...) }

// LeftBehind returns the lines of the rows that are not valid users but
// name pool (without regard to case) as their registrar pool, and whose
// user is found through no other row: users of that pool whom no move
// reaches.
func (d *Directory) LeftBehind(pool string) []int {
	pool = strings.TrimSpace(pool)
	var lines []int
	for _, p := range d.problems {
		if p.Pool != "" && strings.EqualFold(p.Pool, pool) {
			lines = append(lines, p.Line)
		}
	}
	return lines
}

// Users returns the valid rows in file order.
func (d *Directory) Users() []User { return d.Select(nil) }

// Valid is how many rows are valid users.
func (d *Directory) Valid() int {
	n := 0
	for i := range d.rows {
		if d.rows[i].valid {
			n++
		}
	}
	return n
}

// Select returns the valid rows for which keep returns true (all of them
// when keep is nil), in file order.
func (d *Directory) Select(keep func(User) bool) []User {
	var out []User
	for i := range d.rows {
		r := &d.rows[i]
		if !r.valid {
			continue
		}
		if u := d.user(r); keep == nil || keep(u) {
			out = append(out, u)
		}
	}
	return out
}

// ByPool returns the users homed on the pool, compared without regard to
// case.
func (d *Directory) ByPool(fqdn string) []User {
	fqdn = strings.TrimSpace(fqdn)
	var out []User
	for i := range d.rows {
		if r := &d.rows[i]; r.valid && strings.EqualFold(d.fields[int(r.first)+d.poolCol], fqdn) {
			out = append(out, d.user(r))
		}
	}
	return out
}

// Lookup finds a valid user by SIP address, with or without the "sip:"
// prefix and without regard to case.
func (d *Directory) Lookup(sip string) (User, bool) {
	i, ok := d.bySIP[sipKey(sip)]
	if !ok || !d.rows[i].valid {
		return User{}, false
	}
	return d.user(&d.rows[i]), true
}

func (d *Directory) user(r *row) User {
	f := d.rowFields(r)
	u := User{SipAddress: f[d.sipCol], RegistrarPool: f[d.poolCol], Line: int(r.line)}
	if d.upnCol >= 0 {
		u.UserPrincipalName = f[d.upnCol]
	}
	if d.enCol >= 0 {
		u.Disabled = strings.EqualFold(strings.TrimSpace(f[d.enCol]), "False")
	}
	for i, c := range d.columns {
		// Enabled is Disabled, not an extra column: a map per user (and a
		// Lua table per user in dir:users()) for it alone cost the 20,000
		// users of bench's large estate about 20 MiB of peak RSS.
		if i != d.sipCol && i != d.upnCol && i != d.poolCol && i != d.enCol {
			if u.Extra == nil {
				u.Extra = map[string]string{}
			}
			u.Extra[c] = f[i]
		}
	}
	return u
}

// sipKey normalises a SIP address for lookups.
func sipKey(sip string) string {
	s := strings.ToLower(strings.TrimSpace(sip))
	if !strings.HasPrefix(s, "sip:") {
		s = "sip:" + s
	}
	return s
}

// Move sets the registrar pool of the users with the given SIP addresses
// (with or without "sip:", any case) to target, in memory; Write saves it.
// It returns how many users changed pool. Unless target is a valid FQDN and
// every address belongs to a valid row, it changes nothing and returns an
// error (wrapping ErrUnknownUser for unknown addresses) that lists them all.
func (d *Directory) Move(sips []string, target string) (int, error) {
	target = strings.TrimSpace(target)
	if !fqdn.Valid(target) {
		return 0, fmt.Errorf("directory: target pool %q is not an FQDN", target)
	}
	var unknown, broken []string
	var rows []*row
	for _, s := range sips {
		i, ok := d.bySIP[sipKey(s)]
		switch {
		case !ok:
			unknown = append(unknown, fmt.Sprintf("%q", s))
		case !d.rows[i].valid:
			broken = append(broken, fmt.Sprintf("%q (line %d)", s, d.rows[i].line))
		default:
			rows = append(rows, &d.rows[i])
		}
	}
	if len(unknown) > 0 || len(broken) > 0 {
		var parts []string
		if len(unknown) > 0 {
			parts = append(parts, "not in the directory: "+strings.Join(unknown, ", "))
		}
		if len(broken) > 0 {
			parts = append(parts, "on rows with problems: "+strings.Join(broken, ", "))
		}
		return 0, fmt.Errorf("directory: %w: %s", ErrUnknownUser, strings.Join(parts, "; "))
	}
	moved := 0
	for _, r := range rows {
		if f := d.rowFields(r); !strings.EqualFold(f[d.poolCol], target) {
			f[d.poolCol] = target
			r.dirty = true
			moved++
		}
	}
	return moved, nil
}
