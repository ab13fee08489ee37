package directory

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEmptyRowsAreBlank: a row of empty fields (",,", as Excel leaves a
// row whose cells were cleared) was a problem, "missing SIP address;
// missing registrar pool", and counted as a user left behind by nobody.
// It holds no user: it is now a blank line, kept by Bytes as it was, and a
// run of them costs one row.
func TestEmptyRowsAreBlank(t *testing.T) {
	in := header3 + "\"sip:ann@contoso.com\",\"\",\"fe15.contoso.com\"\n,,\r\n\"\",\"\",\"\"\n,,\n" +
		"\"sip:bob@contoso.com\",\"\",\"fe15.contoso.com\"\n,\n"
	d, problems, err := Parse([]byte(in))
	if err != nil || len(problems) != 0 {
		t.Fatalf("Parse() = %v, %v; want no problems", problems, err)
	}
	if u, ok := d.Lookup("sip:bob@contoso.com"); !ok || u.Line != 6 {
		t.Errorf("Lookup(bob) = %+v, %v; want line 6", u, ok)
	}
	if got := len(d.rows); got != 4 {
		t.Errorf("%d rows, want 4 (ann, one run of empty rows, bob, an empty row)", got)
	}
	if _, err := d.Move([]string{"sip:bob@contoso.com"}, "fe19.contoso.com"); err != nil {
		t.Fatal(err)
	}
	if got, want := string(d.Bytes()), strings.Replace(in, `"fe15.contoso.com"`+"\n,\n", `"fe19.contoso.com"`+"\n,\n", 1); got != want {
		t.Errorf("Bytes() mismatch (-want +got):\n%s", cmp.Diff(want, got))
	}
	// A row with a field is still a problem.
	_, problems, _ = Parse([]byte(header3 + "\"sip:ann@contoso.com\",\"\",\"fe15.contoso.com\"\n,x,\n"))
	if want := []Problem{{Line: 3, Message: "missing SIP address; missing registrar pool (the user is not homed on a pool)"}}; !cmp.Equal(problems, want) {
		t.Errorf("problems mismatch (-want +got):\n%s", cmp.Diff(want, problems))
	}
}

// TestDisabledAndLeftBehind: Get-CsUser's Enabled column ("False" for a
// user disabled with Set-CsUser -Enabled $False) was read as an extra
// column only; User.Disabled now says it. LeftBehind lists the problem
// rows of a pool's users, not a duplicate's.
func TestDisabledAndLeftBehind(t *testing.T) {
	in := "\"SipAddress\",\"Enabled\",\"RegistrarPool\"\n" +
		"\"sip:ann@contoso.com\",\"True\",\"fe15.contoso.com\"\n" +
		"\"sip:bob@contoso.com\",\"False\",\"fe15.contoso.com\"\n" +
		"\"sip:bad user@contoso.com\",\"True\",\"FE15.contoso.com\"\n" +
		"\"sip:ANN@contoso.com\",\"True\",\"fe15.contoso.com\"\n" +
		"\"sip:cy@contoso.com\",\"false\",\"fe16.contoso.com\"\n"
	d, _, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range d.Users() {
		if u.Disabled {
			got = append(got, u.SipAddress)
		}
	}
	if want := []string{"sip:bob@contoso.com", "sip:cy@contoso.com"}; !cmp.Equal(got, want) {
		t.Errorf("disabled users mismatch (-want +got):\n%s", cmp.Diff(want, got))
	}
	if got := d.LeftBehind(" fe15.CONTOSO.com"); !cmp.Equal(got, []int{4}) {
		t.Errorf("LeftBehind(fe15) = %v, want [4]", got)
	}
	if got := d.LeftBehind("fe16.contoso.com"); got != nil {
		t.Errorf("LeftBehind(fe16) = %v, want none", got)
	}
}

// TestANSIAdviceNamesExcel: a directory edited in Excel and saved as "CSV
// (Comma delimited)" (Windows-1252 on a western Windows, unquoted fields,
// the #TYPE line padded with delimiters) was refused with "export the CSV
// with -Encoding UTF8" only, advice for a file that was never exported
// that way; the refusal now names the Excel format to save in too.
func TestANSIAdviceNamesExcel(t *testing.T) {
	excel := TypeLine + ";;\r\nSipAddress;UserPrincipalName;RegistrarPool\r\n" +
		"sip:ann@contoso.com;ann@contoso.com;fe15.contoso.com\r\nsip:j\xF6rg@contoso.com;j\xF6rg@contoso.com;fe15.contoso.com\r\n"
	_, _, err := Parse([]byte(excel))
	want := "directory: line 4: byte 0xF6 is not UTF-8 (an ANSI code page: Export-Csv -Encoding Default or OEM, " +
		"or Excel's \"CSV (Comma delimited)\"): export the CSV again with -Encoding UTF8, or save it from Excel as \"CSV UTF-8 (Comma delimited)\""
	if err == nil || err.Error() != want {
		t.Errorf("Parse(Excel ANSI) error = %v\nwant %s", err, want)
	}
	// Saved as "CSV UTF-8", the same file is read.
	d, problems, err := Parse([]byte("\ufeff" + strings.ReplaceAll(excel, "\xF6", "ö")))
	if err != nil || len(problems) != 0 || d.Valid() != 2 {
		t.Errorf("Parse(Excel UTF-8) = %v, %v, %d users; want 2 users", problems, err, d.Valid())
	}
}
