package directory

import (
	"runtime"
	"strings"
	"testing"
)

// allocs returns what f allocated.
func allocs(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

const header3 = "\"SipAddress\",\"UserPrincipalName\",\"RegistrarPool\"\n"

// Tiny rows cost far more than their bytes: 16 MiB of blank lines held
// 2.1 GB (a row and three preallocated fields a line), 16 MiB of "x,,"
// lines 1.6 GB and 30 s (a problem each; ",," lines are now blank ones), so a directory within the
// 256 MiB read limit could exhaust memory. A run of blank lines is one
// row; more than 200,000 rows that are not users, 2,000,000 rows or
// 16,000,000 fields is not a user directory, and is refused by line.
func TestReadTinyRowsAreBounded(t *testing.T) {
	blank := header3 + "\"sip:ann@contoso.com\",\"\",\"fe15.contoso.com\"\n" + strings.Repeat("\n", 8<<20) +
		"\"sip:bob@contoso.com\",\"\",\"fe15.contoso.com\"\r\n\r\n\n"
	var d *Directory
	var problems []Problem
	var err error
	if a := allocs(func() { d, problems, err = Parse([]byte(blank)) }); a > uint64(4*len(blank)) {
		t.Errorf("Parse of %d bytes of mostly blank lines allocated %d bytes, want at most 4 times the file", len(blank), a)
	}
	if err != nil || len(problems) != 0 {
		t.Fatalf("Parse() = %v, %v", problems, err)
	}
	if u, ok := d.Lookup("sip:bob@contoso.com"); !ok || u.Line != 8<<20+3 {
		t.Errorf("Lookup(bob) = %+v, %v; want line %d", u, ok, 8<<20+3)
	}
	if _, err := d.Move([]string{"sip:bob@contoso.com"}, "fe19.contoso.com"); err != nil {
		t.Fatal(err)
	}
	if got, want := string(d.Bytes()), strings.Replace(blank, "\"sip:bob@contoso.com\",\"\",\"fe15.contoso.com\"", "\"sip:bob@contoso.com\",\"\",\"fe19.contoso.com\"", 1); got != want {
		t.Errorf("Bytes() after a move does not keep the blank lines")
	}

	// Past the bound, more broken rows cost nothing more.
	broken := header3 + strings.Repeat("x,,\n", maxProblems+1)
	once := allocs(func() { _, _, err = Parse([]byte(broken)) })
	twice := allocs(func() { _, _, _ = Parse([]byte(broken + strings.Repeat("x,,\n", maxProblems))) })
	if twice > once+once/2 {
		t.Errorf("Parse of twice the broken rows allocated %d bytes, once %d: want about the same", twice, once)
	}
	if want := "directory: line 200002: more than 200,000 rows are not valid users: is this a user directory (Get-CsUser | Export-Csv)?"; err == nil || err.Error() != want {
		t.Errorf("Parse(broken rows) error = %v, want %q", err, want)
	}

	small := limits{rows: 3, fields: 100, problems: 10}
	rows := header3 + strings.Repeat("\"sip:ann@contoso.com\",\"\",\"fe15.contoso.com\"\n", 4)
	if _, _, err := parse([]byte(rows), small); err == nil || err.Error() != "directory: line 5: more than 3 rows; a user directory has far fewer" {
		t.Errorf("parse(4 rows, at most 3) error = %v", err)
	}
	small.rows, small.fields = 100, 10
	if _, _, err := parse([]byte(rows), small); err == nil || err.Error() != "directory: line 5: more than 10 fields; a user directory has far fewer" {
		t.Errorf("parse(12 fields, at most 10) error = %v", err)
	}
}
