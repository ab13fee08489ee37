package estate

import (
	"context"
	"testing"

	"github.com/pcmig/pcmig/textenc"
)

// Windows editors save files with a byte order mark, and Notepad's
// "Unicode" is UTF-16: an estate saved either way loads like the plain one.
func TestLoadWindowsEncodings(t *testing.T) {
	const src = "return {\r\n  name = \"Contoso\", kind = \"lab\", site = \"Redmond\",\r\n" +
		"  source = { pool = \"pchat15.contoso.com\", db = \"sqlite:source.db\" },\r\n" +
		"  target = { pool = \"pchat19.contoso.com\", db = \"sqlite:target.db\" },\r\n}\r\n"
	for _, env := range []textenc.Envelope{
		{Enc: textenc.UTF8, BOM: true},
		{Enc: textenc.UTF16LE, BOM: true},
		{Enc: textenc.UTF16BE, BOM: true},
	} {
		t.Run(env.String(), func(t *testing.T) {
			e, err := Load(context.Background(), write(t, string(env.Encode([]byte(src)))))
			if err != nil {
				t.Fatalf("Load() error = %v", err)
			}
			if e.Name != "Contoso" || e.Target.Pool != "pchat19.contoso.com" {
				t.Errorf("Load() = name %q, target %q", e.Name, e.Target.Pool)
			}
		})
	}
}
