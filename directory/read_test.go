package directory

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadDialects(t *testing.T) {
	noType := strings.SplitN(ps51, "\n", 2)[1]
	shift := func(us []User, by int) []User {
		out := append([]User(nil), us...)
		for i := range out {
			out[i].Line += by
		}
		return out
	}
	tests := []struct {
		name    string
		in      string
		want    []User
		columns []string
	}{
		{"PowerShell 5.1 with BOM and CRLF", bom + lf2crlf(ps51), ps51Users, nil},
		{"LF, no BOM", ps51, ps51Users, nil},
		{"PowerShell 7: no #TYPE line", noType, shift(ps51Users, -1), nil},
		{"no final line ending", strings.TrimSuffix(lf2crlf(ps51), "\r\n"), ps51Users, nil},
		{"blank lines kept", ps51 + "\n\r\n", ps51Users, nil},
		{"UTF-16LE", string(envelope{Enc: encUTF16LE, BOM: true}.Encode([]byte(lf2crlf(ps51)))), ps51Users, nil},
		{
			"columns reordered, extra column, semicolons",
			"\"RegistrarPool\";\"Department\";\"sipaddress\"\n\"fe19.contoso.com\";\"R&D; Ünïcødé 日本語\";\"sip:dora@contoso.com\"\n",
			[]User{{SipAddress: "sip:dora@contoso.com", RegistrarPool: "fe19.contoso.com", Extra: map[string]string{"Department": "R&D; Ünïcødé 日本語"}, Line: 2}},
			[]string{"RegistrarPool", "Department", "sipaddress"},
		},
		{
			"quotes, commas and line breaks in fields",
			"\"SipAddress\",\"Note\",\"RegistrarPool\"\r\n\"sip:eve@contoso.com\",\"said \"\"hi\"\", then left,\r\nfor good\",\"fe15.contoso.com\"\r\n\"sip:fay@contoso.com\",,fe15.contoso.com\r\n",
			[]User{
				{SipAddress: "sip:eve@contoso.com", RegistrarPool: "fe15.contoso.com", Extra: map[string]string{"Note": "said \"hi\", then left,\r\nfor good"}, Line: 2},
				{SipAddress: "sip:fay@contoso.com", RegistrarPool: "fe15.contoso.com", Extra: map[string]string{"Note": ""}, Line: 4},
			},
			nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, problems := mustParse(t, tt.in)
			if len(problems) != 0 {
				t.Errorf("problems = %v, want none", problems)
			}
			if diff := cmp.Diff(tt.want, d.Users()); diff != "" {
				t.Errorf("Users() mismatch (-want +got):\n%s", diff)
			}
			if tt.columns != nil {
				if diff := cmp.Diff(tt.columns, d.Columns()); diff != "" {
					t.Errorf("Columns() mismatch (-want +got):\n%s", diff)
				}
			}
			if got := string(d.Bytes()); got != tt.in {
				t.Errorf("Bytes() = %q, want the input %q", got, tt.in)
			}
		})
	}
}

func TestReadProblems(t *testing.T) {
	in := lf2crlf(`"SipAddress","UserPrincipalName","RegistrarPool"
"sip:ann@contoso.com","ann@contoso.com","fe15.contoso.com"
"","nobody@contoso.com","fe15.contoso.com"
"ann@contoso.com","ann2@contoso.com","fe15.contoso.com"
"sip:bob@contoso.com","bob@contoso.com",""
"sip:cem@contoso.com","cem@contoso.com","fe 15"
"SIP:ANN@contoso.com","ann3@contoso.com","fe19.contoso.com"
"sip:dan@contoso.com","dan@contoso.com"
"sip:eve@contoso.com"x,"eve@contoso.com","fe15.contoso.com"
sip:f"ay@contoso.com,"fay@contoso.com","fe15.contoso.com"
"sip:gus@contoso.com","gus@contoso.com","fe15.contoso.com
"sip:hal@contoso.com","hal@contoso.com","fe19.contoso.com"
"sip:bob@contoso.com","bob@contoso.com","fe19.contoso.com"
`)
	d, problems := mustParse(t, in)
	want := []Problem{
		{Line: 3, Pool: "fe15.contoso.com", Message: "missing SIP address"},
		{Line: 4, Pool: "fe15.contoso.com", Message: "malformed SIP address (want sip:user@domain)"},
		{Line: 5, SipAddress: "sip:bob@contoso.com", Message: "missing registrar pool (the user is not homed on a pool)"},
		{Line: 6, SipAddress: "sip:cem@contoso.com", Message: "malformed registrar pool (want a pool FQDN)"},
		{Line: 7, SipAddress: "SIP:ANN@contoso.com", Message: "duplicate SIP address (first on line 2)"},
		{Line: 8, SipAddress: "sip:dan@contoso.com", Message: "row has 2 fields, the header has 3"},
		{Line: 9, Message: "a closing quote must be followed by a delimiter or the end of the line"},
		{Line: 10, Message: "quote inside an unquoted field"},
		{Line: 11, Message: "unterminated quoted field"},
	}
	if diff := cmp.Diff(want, problems); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}
	var sips []string
	for _, u := range d.Users() {
		sips = append(sips, u.SipAddress)
	}
	// bob's second row is valid: his first row had no pool.
	if diff := cmp.Diff([]string{"sip:ann@contoso.com", "sip:hal@contoso.com", "sip:bob@contoso.com"}, sips); diff != "" {
		t.Errorf("Users() mismatch (-want +got):\n%s", diff)
	}
	if string(d.Bytes()) != in {
		t.Errorf("Bytes() differs from the input: broken rows must be kept")
	}
	if got := problems[0].String(); got != "line 3: missing SIP address" {
		t.Errorf("Problem.String() = %q", got)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "directory: line 1: no header row"},
		{"only #TYPE", TypeLine + "\r\n", "directory: line 2: no header row"},
		{"blank header", TypeLine + "\n\n\"sip:a@b.c\"\n", "directory: line 2: no header row"},
		{"missing pool column", `"SipAddress","UserPrincipalName"` + "\n", "directory: line 1: header has no RegistrarPool column (it has 2 other columns)"},
		{"missing both", `"Name"` + "\n", "header has no SipAddress or RegistrarPool column (it has 1 other column)"},
		{"repeated column", `"SipAddress","RegistrarPool","sipaddress"` + "\n", "header column 3 repeats the name of column 1"},
		{"empty column name", `"SipAddress",,"RegistrarPool"` + "\n", "header column 2 has no name"},
		{"broken header", `"SipAddress,"RegistrarPool"` + "\n", "directory: line 1: header row: "},
		{"Windows-1252", ps51 + "\"sip:j\xF6rg@contoso.com\",\"\",\"fe15.contoso.com\"\n", "directory: line 6: byte 0xF6 is not UTF-8"},
		{"invalid UTF-8 after BOM", bom + "\xff", "is not UTF-8"},
		{"odd UTF-16", "\xFF\xFE\"\x00S", "odd number of bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Parse([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse() error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestRead(t *testing.T) {
	d, problems, err := Read(strings.NewReader(ps51))
	if err != nil || len(problems) != 0 {
		t.Fatalf("Read() = %v, %v", problems, err)
	}
	if diff := cmp.Diff(ps51Users, d.Users()); diff != "" {
		t.Errorf("Users() mismatch (-want +got):\n%s", diff)
	}
}

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func mustParse(t *testing.T, data string) (*Directory, []Problem) {
	t.Helper()
	d, problems, err := Parse([]byte(data))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return d, problems
}

// lf2crlf converts LF line endings to CRLF.
func lf2crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

const bom = "\xEF\xBB\xBF"

// ps51 is a directory as Windows PowerShell 5.1 writes it with
// Export-Csv -Encoding UTF8, in LF form.
const ps51 = TypeLine + `
"SipAddress","UserPrincipalName","RegistrarPool"
"sip:ann@contoso.com","ann@contoso.com","fe15.contoso.com"
"sip:bob@contoso.com","bob@contoso.com","fe15.contoso.com"
"sip:cem@contoso.com","cem@contoso.com","FE19.contoso.com"
`

var ps51Users = []User{
	{SipAddress: "sip:ann@contoso.com", UserPrincipalName: "ann@contoso.com", RegistrarPool: "fe15.contoso.com", Line: 3},
	{SipAddress: "sip:bob@contoso.com", UserPrincipalName: "bob@contoso.com", RegistrarPool: "fe15.contoso.com", Line: 4},
	{SipAddress: "sip:cem@contoso.com", UserPrincipalName: "cem@contoso.com", RegistrarPool: "FE19.contoso.com", Line: 5},
}
