package directory

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// utf32 encodes s as UTF-32 with a byte order mark, as Windows PowerShell
// 5.1's Export-Csv -Encoding UTF32 (little endian) and PowerShell 7's
// -Encoding bigendianutf32 write it.
func utf32(s string, bigEndian bool) string {
	var b []byte
	for _, r := range "\uFEFF" + s {
		if bigEndian {
			b = append(b, byte(r>>24), byte(r>>16), byte(r>>8), byte(r))
		} else {
			b = append(b, byte(r), byte(r>>8), byte(r>>16), byte(r>>24))
		}
	}
	return string(b)
}

// Export-Csv -Encoding UTF32 is one of Windows PowerShell 5.1's documented
// encodings (with a byte order mark, FF FE 00 00, whose first two bytes are
// UTF-16LE's). It is read, and an unedited directory is written back byte
// for byte; a damaged UTF-32 file is refused naming the problem.
func TestReadUTF32(t *testing.T) {
	text := lf2crlf(ps51) + "\"sip:jörg@contoso.com\",\"\",\"fe15.contoso.com\"\r\n"
	want := append(append([]User(nil), ps51Users...), User{SipAddress: "sip:jörg@contoso.com", RegistrarPool: "fe15.contoso.com", Line: 6})
	for _, be := range []bool{false, true} {
		in := utf32(text, be)
		d, problems, err := Parse([]byte(in))
		if err != nil || len(problems) != 0 {
			t.Fatalf("big endian %v: Parse() = %v, %v; want no error or problem", be, problems, err)
		}
		if diff := cmp.Diff(want, d.Users()); diff != "" {
			t.Errorf("big endian %v: Users() mismatch (-want +got):\n%s", be, diff)
		}
		if got := string(d.Bytes()); got != in {
			t.Errorf("big endian %v: Bytes() differs from the input", be)
		}
		if _, err := d.Move([]string{"sip:jörg@contoso.com"}, "fe19.contoso.com"); err != nil {
			t.Fatal(err)
		}
		again, _, err := Parse(d.Bytes())
		if err != nil {
			t.Fatalf("big endian %v: edited directory: %v", be, err)
		}
		if u, _ := again.Lookup("sip:jörg@contoso.com"); u.RegistrarPool != "fe19.contoso.com" || again.env != d.env {
			t.Errorf("big endian %v: edited directory reads back as %+v in %v, want fe19 in %v", be, u, again.env, d.env)
		}
	}
	for _, tt := range []struct{ name, in, want string }{
		{"cut short", utf32(text, false)[:41], "directory: the file starts with a UTF-32LE byte order mark but its length is not a multiple of 4 bytes"},
		{"beyond Unicode", utf32(ps51, false) + "\x00\x00\x11\x00", "directory: invalid UTF-32: a value that is not a Unicode character at byte "},
		{"surrogate", utf32(ps51, true) + "\x00\x00\xD8\x00", "directory: invalid UTF-32: a value that is not a Unicode character at byte "},
	} {
		if _, _, err := Parse([]byte(tt.in)); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: Parse() error = %v, want one starting with %q", tt.name, err, tt.want)
		}
	}
}
