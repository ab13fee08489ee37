package archive

import (
	"strings"
	"testing"
)

// matchString, the Writer's in-place check of a text, accepts exactly the
// JSON strings parseString decodes, and only with the text they decode to.
func TestMatchStringIsParseString(t *testing.T) {
	lines := []string{
		`""`, `"plain"`, `"tab\tnew\nline\r\"quoted\" back\\slash\/"`, `"\u0000\u001f\u00e9\u2028\u2029"`,
		`"\ud83d\ude00 and é, 日本"`, "\"raw \u00e9 UTF-8 \U0001F600\"", `"\b\f"`, `"\u00E9 upper hex"`,
		// Refused by parseString, so by matchString whatever the text.
		`"unterminated`, "\"raw \x01 control\"", `"lone \ud800 surrogate"`, `"lone \udc00 low"`,
		`"bad \x escape"`, `"short \u12"`, "\"invalid \xff byte\"", `"\ud800\u0041"`, `no quote`, `"ends in \`,
	}
	for _, line := range lines {
		got, end, ok := parseString(nil, []byte(line+`,"next":1`), 0)
		wants := []string{"", "x", line}
		if ok {
			s := string(got)
			wants = append(wants, s, s+"x", "x"+s)
			if len(s) > 0 {
				wants = append(wants, s[:len(s)-1], s[1:], strings.ToUpper(s)+"\x00")
			}
		}
		for _, want := range wants {
			j, mok := matchString([]byte(line+`,"next":1`), 0, want)
			if wantOK := ok && string(got) == want; mok != wantOK || (mok && j != end) {
				t.Errorf("matchString(%q, %q) = %d, %v; parseString gives %q, %d, %v", line, want, j, mok, got, end, ok)
			}
		}
	}
}

// FuzzMatchString: for any line and text, matchString agrees with
// parseString followed by a comparison.
func FuzzMatchString(f *testing.F) {
	f.Add([]byte(`"a\"b\u00e9"`), "a\"bé")
	f.Add([]byte(`"\ud83d\ude00"`), "\U0001F600")
	f.Fuzz(func(t *testing.T, line []byte, want string) {
		got, end, ok := parseString(nil, line, 0)
		j, mok := matchString(line, 0, want)
		if wantOK := ok && string(got) == want; mok != wantOK || (mok && j != end) {
			t.Errorf("matchString(%q, %q) = %d, %v; parseString gives %q, %d, %v", line, want, j, mok, got, end, ok)
		}
		if ok {
			if j, mok := matchString(line, 0, string(got)); !mok || j != end {
				t.Errorf("matchString(%q, its own text %q) = %d, %v", line, got, j, mok)
			}
		}
	})
}
