package directory

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// bigDirectory writes n users the way Export-Csv does, with a
// DisplayName column as real exports have.
func bigDirectory(n int) []byte {
	var b strings.Builder
	b.WriteString(bom + TypeLine + "\r\n\"SipAddress\",\"UserPrincipalName\",\"RegistrarPool\",\"DisplayName\"\r\n")
	for i := range n {
		fmt.Fprintf(&b, "\"sip:user%07d@contoso.com\",\"user%07d@contoso.com\",\"fe%02d.contoso.com\",\"User %d\"\r\n", i, i, i%7, i)
	}
	return []byte(b.String())
}

// Reading a directory allocates in proportion to the file: a whole
// deployment's directory (300,000 users) must load in about a second, and
// a 1,000,000-row file took 3.7 GB.
func TestReadMemoryInProportionToTheFile(t *testing.T) {
	data := bigDirectory(50_000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	d, problems, err := Parse(data)
	runtime.ReadMemStats(&after)
	if err != nil || len(problems) != 0 {
		t.Fatalf("Parse: %v, %v", problems, err)
	}
	if n := len(d.ByPool("fe03.contoso.com")); n != 7143 {
		t.Errorf("ByPool = %d users, want 7143", n)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	if limit := uint64(4 * len(data)); alloc > limit {
		t.Errorf("Parse of %d bytes allocated %d bytes, want at most %d (4 times the file)", len(data), alloc, limit)
	}
}

func BenchmarkRead300k(b *testing.B) {
	data := bigDirectory(300_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// Export-Csv -Encoding Unicode writes a byte order mark, but editors and
// other tools save UTF-16 without one: it is recognised by its NUL bytes,
// read, and written back without a mark.
func TestReadUTF16WithoutBOM(t *testing.T) {
	for _, env := range []envelope{{Enc: encUTF16LE}, {Enc: encUTF16BE}} {
		t.Run(env.String(), func(t *testing.T) {
			in := env.Encode([]byte(lf2crlf(ps51)))
			d, problems, err := Parse(in)
			if err != nil || len(problems) != 0 {
				t.Fatalf("Parse: %v, %v", problems, err)
			}
			if got := len(d.Users()); got != len(ps51Users) {
				t.Errorf("%d users, want %d", got, len(ps51Users))
			}
			if !bytes.Equal(d.Bytes(), in) {
				t.Errorf("Bytes() differs from the input")
			}
		})
	}
	// Odd lengths cannot be UTF-16: say what the file looks like.
	odd := append(envelope{Enc: encUTF16LE}.Encode([]byte(lf2crlf(ps51))), 'x')
	if _, _, err := Parse(odd); err == nil || !strings.Contains(err.Error(), "UTF-16 without a byte order mark") {
		t.Errorf("Parse(odd UTF-16) error = %v, want it to name UTF-16 without a byte order mark", err)
	}
}

// Fields and rows are bounded: a SIP address longer than a principal's
// prinUri (nvarchar(256)) is a problem of its line, and neither problems
// nor errors quote what the file holds.
func TestReadBoundsAndQuotesNothing(t *testing.T) {
	secret := "Sw0rdfish"
	huge := "sip:" + strings.Repeat("a", 50<<20) + "@contoso.com"
	in := ps51 + `"` + huge + `","x@contoso.com","fe15.contoso.com"` + "\n" +
		`"sip:` + secret + `@contoso.com","` + strings.Repeat(secret, 10000) + `","fe15.contoso.com"` + "\n" +
		`"sip:` + secret + `","","fe15.contoso.com"` + "\n" +
		`"sip:ann@contoso.com","","` + secret + `"` + "\n" +
		`"` + secret + `"` + secret + "\n"
	d, problems, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Problem{
		{Line: 6, Message: "SIP address longer than 256 characters"},
		{Line: 7, SipAddress: "sip:" + secret + "@contoso.com", Message: "row is longer than 65536 bytes"},
		{Line: 8, Pool: "fe15.contoso.com", Message: "malformed SIP address (want sip:user@domain)"},
		{Line: 9, SipAddress: "sip:ann@contoso.com", Message: "malformed registrar pool (want a pool FQDN)"},
		{Line: 10, Message: "a closing quote must be followed by a delimiter or the end of the line"},
	}
	if len(problems) != len(want) {
		t.Fatalf("problems = %v, want %v", problems, want)
	}
	for i := range want {
		if problems[i] != want[i] {
			t.Errorf("problem %d = %+v, want %+v", i, problems[i], want[i])
		}
	}
	if got := len(d.Users()); got != len(ps51Users) {
		t.Errorf("%d users, want %d", got, len(ps51Users))
	}
	for _, bad := range []string{
		"PCMIG_DB_PASSWORD=" + secret + "\x00HOME=/root\x00",
		`"` + secret + `","` + secret + "2\"\n",
		`"SipAddress","RegistrarPool","` + secret + `","` + secret + `"` + "\n",
		"root:" + secret + ":19000:0:99999:7:::\n",
	} {
		if _, _, err := Parse([]byte(bad)); err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("Parse(%q) error = %v, want an error that does not quote the file", bad, err)
		}
	}
}
