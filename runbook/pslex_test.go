package runbook

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// psLexed is a script split the way PowerShell's tokenizer splits it, for
// the parts that matter to quoting: single-quoted string literals (decoded),
// line comments, and everything else.
type psLexed struct {
	literals []string
	comments []string
	code     string // the script with literals and comments removed
}

func isSingleQuote(r rune) bool { return strings.ContainsRune("'\u2018\u2019\u201A\u201B", r) }

// lexPS is a tiny PowerShell tokenizer. A single-quoted string opens with
// any of the five single-quote characters; inside it a quote character
// followed by another quote character stands for the second one, and a
// lone quote character ends it (Tokenizer.ScanStringLiteral). A line
// comment runs from # to CR or LF. Constructs the runbook never writes
// (double-quoted strings, here-strings, block comments) are errors, so they
// cannot slip in unnoticed.
func lexPS(src string) (psLexed, error) {
	var out psLexed
	var code strings.Builder
	rs := []rune(src)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '#':
			j := i
			for j < len(rs) && rs[j] != '\r' && rs[j] != '\n' {
				j++
			}
			out.comments = append(out.comments, string(rs[i:j]))
			i = j - 1
		case isSingleQuote(r):
			var lit strings.Builder
			j := i + 1
			for {
				if j >= len(rs) {
					return out, errors.New("unterminated single-quoted string")
				}
				if isSingleQuote(rs[j]) {
					if j+1 >= len(rs) || !isSingleQuote(rs[j+1]) {
						break
					}
					j++
				}
				lit.WriteRune(rs[j])
				j++
			}
			out.literals = append(out.literals, lit.String())
			code.WriteString("<lit>")
			i = j
		case r == '"' || r == '\u201C' || r == '\u201D' || r == '\u201E':
			return out, errors.New("double-quoted string")
		case r == '<' && i+1 < len(rs) && rs[i+1] == '#':
			return out, errors.New("block comment")
		case r == '@' && i+1 < len(rs) && (isSingleQuote(rs[i+1]) || rs[i+1] == '"'):
			return out, errors.New("here-string")
		default:
			code.WriteRune(r)
		}
	}
	out.code = code.String()
	return out, nil
}

func TestLexPS(t *testing.T) {
	tests := []struct {
		src     string
		want    []string
		wantErr bool
	}{
		{`Set-X -A 'it''s' # it's a comment`, []string{"it's"}, false},
		{"'\u2018\u2018x\u2019\u2019'", []string{"\u2018x\u2019"}, false},
		{"\u2019mixed'\u2019closing\u2018", []string{"mixed\u2019closing"}, false},
		{"'a'\u2019", nil, true}, // the quote after 'a' is doubled, so the string never ends
		{"'$(Remove-Item C:\\) `n'", []string{"$(Remove-Item C:\\) `n"}, false},
		{"'multi\r\nline'", []string{"multi\r\nline"}, false},
		{`"double"`, nil, true},
		{"<# block #>", nil, true},
		{"@'\nhere\n'@", nil, true},
	}
	for _, tt := range tests {
		got, err := lexPS(tt.src)
		if (err != nil) != tt.wantErr {
			t.Errorf("lexPS(%q) error = %v, want error %v", tt.src, err, tt.wantErr)
			continue
		}
		if diff := cmp.Diff(tt.want, got.literals); err == nil && diff != "" {
			t.Errorf("lexPS(%q) literals mismatch (-want +got):\n%s", tt.src, diff)
		}
	}
}

// hostileValues are names that try every way out of a literal or comment.
var hostileValues = []string{
	"O'Brien's $(Remove-Item C:\\) `\"team`\"",
	"\u2018typographic\u2019 \u201Alow\u201B quotes''\u2019\u2018",
	"'", "''", "\u2019", "trailing quote'", "'leading",
	"line\nbreak; Remove-Item C:\\ -Recurse",
	"cr\rlf\r\n# not a comment",
	"sep\u2028line\u2029para\u0085nel\vvt\ffeed",
	"Ünïcødé 日本語 \U0001F600",
	"bidi \u202Eevil\u202C zero\u200Bwidth",
	"$env:USERPROFILE ${x} @{a=1} @(1) `$ `` ` ",
	"bom\uFEFFmark tab\there",
	"dashes \u2013en \u2014em \u2015bar -Force --% ;",
	"\u201Csmart\u201D \u201Edouble\u201C \"ascii\" ends with typographic\u2019",
	"here-string\n'@\n@'\n\u2019@",
	"",
}

// quoteOnlyValues round-trip through Quote too; they stay out of the
// golden runbooks, which would otherwise become binary files for git.
var quoteOnlyValues = []string{"nul\x00byte", "\x00", "'\x00'"}

func TestQuoteRoundTrip(t *testing.T) {
	for _, v := range append(slices.Clone(hostileValues), quoteOnlyValues...) {
		q := Quote(v)
		got, err := lexPS("Set-X " + q + " -Y 1")
		if err != nil {
			t.Errorf("lexPS(Quote(%q)) = %v", v, err)
			continue
		}
		if diff := cmp.Diff([]string{v}, got.literals); diff != "" {
			t.Errorf("Quote(%q) = %s decodes differently (-want +got):\n%s", v, q, diff)
		}
		if got.code != "Set-X <lit> -Y 1" {
			t.Errorf("Quote(%q) leaked into code: %q", v, got.code)
		}
	}
}

func FuzzQuote(f *testing.F) {
	for _, v := range append(slices.Clone(hostileValues), quoteOnlyValues...) {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got, err := lexPS("X " + Quote(v) + " Y")
		if err != nil {
			t.Fatalf("lexPS(Quote(%q)): %v", v, err)
		}
		if len(got.literals) != 1 || got.literals[0] != string([]rune(v)) || got.code != "X <lit> Y" {
			t.Fatalf("Quote(%q) lexes to %q, code %q", v, got.literals, got.code)
		}
		c := CommentText(v)
		if strings.ContainsAny(c, "\r\n\v\f\u0085\u2028\u2029") {
			t.Fatalf("CommentText(%q) = %q keeps a line break", v, c)
		}
	})
}

// A value that is not valid UTF-8 (a name read from a file in another
// encoding) cannot be written into a UTF-8 script: the bytes would turn
// into U+FFFD and the command would name something else. Quote cannot
// round-trip it, so every adder that quotes a value refuses it, naming the
// argument, and adds nothing.
func TestInvalidUTF8IsRefused(t *testing.T) {
	bad := "Caf\xe9" // Windows-1252 é
	got, err := lexPS("X " + Quote(bad) + " Y")
	if err != nil || len(got.literals) != 1 || got.literals[0] == bad {
		t.Fatalf("Quote(%q) round-trips (%q, %v): the refusal below is not needed", bad, got.literals, err)
	}
	rb := New(testHeader)
	rb.AddSection(1, "x")
	start := string(rb.Bytes())
	tests := []struct {
		name string
		err  error
	}{
		{"site", rb.SetSiteDefaultPool(bad, "pchat19.contoso.com")},
		{"move sip", rb.MoveUsers("fe19.contoso.com", []string{"sip:a@contoso.com", "sip:" + bad + "@contoso.com"}, 1, "")},
		{"move report folder", rb.MoveUsers("fe19.contoso.com", []string{"sip:a@contoso.com"}, 1, bad)},
		{"creators category", rb.AddCategoryCreators("pchat19.contoso.com", bad, []string{"sip:a@contoso.com"})},
		{"creators sip", rb.AddCategoryCreators("pchat19.contoso.com", "Sales", []string{bad})},
		{"export file", rb.ExportData(Export{DBInstance: "sql15.contoso.com", FileName: bad})},
		{"export scope", rb.ExportData(Export{DBInstance: "sql15.contoso.com", FileName: "f.zip", Scopes: []string{bad}})},
		{"import", rb.ImportData(`sql19.contoso.com\rtc`, bad)},
		{"files share", rb.CopyFileStore("pchat15.contoso.com", "pchat19.contoso.com", bad, "", "")},
		{"files log folder", rb.CopyFileStore("pchat15.contoso.com", "pchat19.contoso.com", "", "", bad)},
		{"settings report folder", rb.CarryPoolSettings("pchat15.contoso.com", "pchat19.contoso.com", bad)},
	}
	for _, tt := range tests {
		if tt.err == nil || !strings.Contains(tt.err.Error(), "not valid UTF-8") {
			t.Errorf("%s: error %v, want one saying the value is not valid UTF-8", tt.name, tt.err)
		} else if strings.Contains(tt.err.Error(), bad) {
			t.Errorf("%s: the error %q repeats the invalid bytes", tt.name, tt.err)
		}
	}
	if got := string(rb.Bytes()); got != start {
		t.Errorf("refused calls added lines:\n%s", got)
	}
	if n := len(rb.Since(0)); n != 1 {
		t.Errorf("%d calls recorded, want the section only", n)
	}
}
