package directory

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Windows PowerShell 5.1's Export-Csv writes ASCII unless given -Encoding,
// and writes a '?' for every character ASCII lacks: sip:jörg@ and sip:järg@
// both become sip:j?rg@. Such a row is not a user pcmig can move (Move-CsUser
// finds no sip:j?rg@) nor tell apart: it is a problem that says how to
// export again. A '?' in a file that is not plain ASCII (a byte order mark,
// or other non-ASCII text beside it) is the address as it is.
func TestReadLossyASCIIExport(t *testing.T) {
	lossy := lf2crlf(ps51) +
		"\"sip:j?rg@contoso.com\",\"j?rg@contoso.com\",\"fe15.contoso.com\"\r\n" +
		"\"sip:j?rg@contoso.com\",\"j?rg@contoso.com\",\"fe15.contoso.com\"\r\n" +
		"\"sip:ann@m?nchen.de\",\"\",\"fe15.contoso.com\"\r\n"
	d, problems := mustParse(t, lossy)
	const msg = "SIP address has a '?' where the export lost a character: Windows PowerShell 5.1's Export-Csv writes ASCII, " +
		"with a '?' for every other character, unless given -Encoding; export again with -Encoding UTF8"
	want := []Problem{
		{Line: 6, SipAddress: "sip:j?rg@contoso.com", Pool: "fe15.contoso.com", Message: msg},
		{Line: 7, SipAddress: "sip:j?rg@contoso.com", Pool: "fe15.contoso.com", Message: msg},
		{Line: 8, Pool: "fe15.contoso.com", Message: msg}, // sip:ann@münchen.de: not a well-formed address either
	}
	if diff := cmp.Diff(want, problems); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(ps51Users, d.Users()); diff != "" {
		t.Errorf("Users() mismatch (-want +got):\n%s", diff)
	}
	if string(d.Bytes()) != lossy {
		t.Errorf("Bytes() differs from the input: rows with problems must be kept")
	}

	one := "\"sip:wh?@contoso.com\",\"\",\"fe15.contoso.com\"\r\n"
	for name, in := range map[string]string{
		"UTF-8 with BOM":      bom + lf2crlf(ps51) + one,
		"non-ASCII elsewhere": lf2crlf(ps51) + one + "\"sip:jörg@contoso.com\",\"\",\"fe15.contoso.com\"\r\n",
		"UTF-16LE":            string(envelope{Enc: encUTF16LE, BOM: true}.Encode([]byte(lf2crlf(ps51) + one))),
	} {
		d, problems := mustParse(t, in)
		if _, ok := d.Lookup("sip:wh?@contoso.com"); !ok || len(problems) != 0 {
			t.Errorf("%s: sip:wh?@ found %v, problems %v; want a user and no problem", name, ok, problems)
		}
	}
}

// Export-Csv -Encoding UTF7 writes no byte order mark and encodes '"' and
// '#' (+ACI- and +ACM-): the #TYPE line and the header are not recognised.
// The error says it is UTF-7, not that the columns are missing.
func TestReadUTF7(t *testing.T) {
	for name, in := range map[string]string{
		"with #TYPE": "+ACM-TYPE Selected.Microsoft.Rtc.Management.ADConnect.Schema.OCSADUser\r\n" +
			"+ACI-SipAddress+ACI-,+ACI-UserPrincipalName+ACI-,+ACI-RegistrarPool+ACI-\r\n",
		"-NoTypeInformation": "+ACI-SipAddress+ACI-,+ACI-RegistrarPool+ACI-\r\n+ACI-sip:ann+AEA-contoso.com+ACI-,+ACI-fe15.contoso.com+ACI-\r\n",
	} {
		_, _, err := Parse([]byte(in))
		const want = "directory: line 1: the file is UTF-7 (Export-Csv -Encoding UTF7), which pcmig does not read: export again with -Encoding UTF8"
		if err == nil || err.Error() != want {
			t.Errorf("%s: Parse() error = %v, want %q", name, err, want)
		}
	}
}

// Export-Csv -Delimiter '|' (or a culture whose list separator is neither a
// comma nor a semicolon) gives a header of one column: the error says which
// delimiters pcmig reads, not only that the columns are missing.
func TestReadOtherDelimiter(t *testing.T) {
	in := TypeLine + "\r\n\"SipAddress\"|\"UserPrincipalName\"|\"RegistrarPool\"\r\n\"sip:ann@contoso.com\"|\"\"|\"fe15.contoso.com\"\r\n"
	_, _, err := Parse([]byte(in))
	const want = "directory: line 2: the header row is one column with no comma, semicolon or tab: " +
		"export with Export-Csv's default delimiter (a comma), -Delimiter ';' or -Delimiter \"`t\""
	if err == nil || err.Error() != want {
		t.Errorf("Parse() error = %v, want %q", err, want)
	}
}

// Excel's "CSV (Macintosh)" ends lines with CR alone: the error says so,
// rather than that a quote or a column is wrong.
func TestReadCROnlyLineEndings(t *testing.T) {
	for name, in := range map[string]string{
		"quoted":   "\"SipAddress\",\"RegistrarPool\"\r\"sip:ann@contoso.com\",\"fe15.contoso.com\"\r",
		"unquoted": "SipAddress,RegistrarPool\rsip:ann@contoso.com,fe15.contoso.com\r",
		"#TYPE":    TypeLine + "\r\"SipAddress\",\"RegistrarPool\"\r",
	} {
		_, _, err := Parse([]byte(in))
		const want = "directory: line 1: the lines end with a carriage return alone (a Macintosh CSV): " +
			"save the file with Windows (CRLF) or LF line endings, or export it again with Export-Csv"
		if err == nil || err.Error() != want {
			t.Errorf("%s: Parse() error = %v, want %q", name, err, want)
		}
	}
}
