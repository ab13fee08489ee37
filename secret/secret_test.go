package secret

import (
	"bytes"
	"strings"
	"testing"
)

func TestScrubberMasksEveryForm(t *testing.T) {
	s := New("p&ss wörd\"1", "", "ab")
	s.Add("other-secret")
	for _, text := range []string{
		`plain p&ss wörd"1 here`,
		`url p%26ss+w%C3%B6rd%221 and p&ss%20w%C3%B6rd%221`,
		`json "p\u0026ss wörd\"1"`,
		`html p&amp;ss wörd&#34;1`,
		`other-secret`,
	} {
		got := s.String(text)
		if strings.Contains(got, "ss w") || strings.Contains(got, "other-secret") || !strings.Contains(got, Mask) {
			t.Errorf("String(%q) = %q", text, got)
		}
		if b := s.Bytes([]byte(text)); string(b) != got {
			t.Errorf("Bytes(%q) = %q, String %q", text, b, got)
		}
	}
	if got := s.String("ab cd"); got != "ab cd" {
		t.Errorf("a two-letter value was treated as a secret: %q", got)
	}
	var buf bytes.Buffer
	w := s.Writer(&buf)
	if n, err := w.Write([]byte("x other-secret y")); err != nil || n != 16 || buf.String() != "x xxxxx y" {
		t.Errorf("Writer: %d, %v, %q", n, err, buf.String())
	}
	var none *Scrubber
	none.Add("x-secret")
	if none.String("x-secret") != "x-secret" || string(none.Bytes([]byte("a"))) != "a" {
		t.Error("a nil Scrubber changed text")
	}
}

// TestScrubberMasksWrittenForms: the forms pcmig's own writers give a
// secret: html/template's (+ as &#43;), JSON without HTML escaping (the
// reports and plans) and Go's %q.
func TestScrubberMasksWrittenForms(t *testing.T) {
	s := New(`Ab<c"d+1`)
	for _, text := range []string{
		`html Ab&lt;c&#34;d&#43;1`,
		`json "Ab<c\"d+1"`,
		`json "Ab\u003cc\"d+1"`,
		`quoted "Ab<c\"d+1"`,
	} {
		if got := s.String(text); strings.Contains(got, "d+1") || strings.Contains(got, "d&#43;1") || !strings.Contains(got, Mask) {
			t.Errorf("String(%q) = %q", text, got)
		}
	}
}

// TestScrubberJSONMasksStringValuesOnly: JSON stays JSON whatever the
// password: string values are masked (in any escaping), keys, numbers,
// literals, times, digests and GUIDs are not; text that is not JSON is
// masked as Bytes masks it.
func TestScrubberJSONMasksStringValuesOnly(t *testing.T) {
	s := New("2026", "true", `Ab<c"d1`, "beef")
	in := `{"2026": 2026, "ok": true, "t": "2026-12-01T06:13:03.5Z", "d": "sha256:` + strings.Repeat("beef", 16) + `",` +
		` "g": "beef2026-0000-4000-8000-00000000beef", "m": "failed with 2026 and Ab\u003cc\"d1 and Ab<c\"d1", "l": ["true", "TRUE!"]}`
	got := string(s.JSON([]byte(in)))
	want := `{"2026": 2026, "ok": true, "t": "2026-12-01T06:13:03.5Z", "d": "sha256:` + strings.Repeat("beef", 16) + `",` +
		` "g": "beef2026-0000-4000-8000-00000000beef", "m": "failed with xxxxx and xxxxx and xxxxx", "l": ["xxxxx", "xxxxx!"]}`
	if got != want {
		t.Errorf("JSON:\n got %s\nwant %s", got, want)
	}
	if got := string(s.JSON([]byte("not json: 2026 true"))); got != "not json: xxxxx xxxxx" {
		t.Errorf("JSON of text that is not JSON: %q", got)
	}
	var buf bytes.Buffer
	w := s.Writer(&buf)
	w.Write([]byte(`{"a": true, "b": "true"}` + "\n"))
	w.Write([]byte("true 2026\n"))
	if want := `{"a": true, "b": "xxxxx"}` + "\nxxxxx xxxxx\n"; buf.String() != want {
		t.Errorf("Writer: %q, want %q", buf.String(), want)
	}
	var none *Scrubber
	if got := string(none.JSON([]byte(`"2026"`))); got != `"2026"` {
		t.Errorf("a nil Scrubber changed JSON: %q", got)
	}
}
