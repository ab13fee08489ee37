package runtime

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// secretSources are files that are not Lua, or Lua with a mistake, each
// holding the secret "hunter2" where the compiler stops (issue 10, item
// 8: file content never appears in an error). want is what the error must
// say: the line, and what went wrong.
var secretSources = []struct {
	name, src string
	want      []string
}{
	{"shadow file", "root:hunter2:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n", []string{":1: syntax error", "column"}},
	{"shadow hash", "x = 1\nhunter2:$6$hunter2$hunter2:19000\n", []string{":2: syntax error", "column"}},
	{"two names", "password hunter2\n", []string{":1: syntax error", "column"}},
	{"environment", "export PCMIG_DB_PASSWORD=hunter2\n", []string{":1: syntax error", "column"}},
	{"ini", "[client]\npassword=hunter2 x\n", []string{":1: syntax error", "column"}},
	{"unterminated string", "local password = \"hunter2\n", []string{":1: unterminated string"}},
	{"unterminated long string", "secret = [[hunter2\n", []string{"end of file"}},
	{"goto without label", "goto hunter2\n", []string{":1: no visible label"}},
	{"label twice", "::hunter2::\n::hunter2::\n", []string{":2: label", "already defined on line 1"}},
	{"goto into a local's scope", "goto skip\nlocal hunter2 = 1\n::skip::\nprint(hunter2)\n", []string{"jumps into the scope of"}},
}

// errorTexts returns the text of err and of every error it wraps.
func errorTexts(err error) []string {
	if err == nil {
		return nil
	}
	out := []string{err.Error()}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, c := range j.Unwrap() {
			out = append(out, errorTexts(c)...)
		}
		return out
	}
	return append(out, errorTexts(errors.Unwrap(err))...)
}

func mustNotQuote(t *testing.T, what string, err error, want []string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error", what)
	}
	for _, s := range errorTexts(err) {
		if strings.Contains(s, "hunter2") {
			t.Errorf("%s: an error quotes the file: %q", what, s)
		}
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: error %q does not say %q", what, err, w)
		}
	}
}

// TestSyntaxErrorsQuoteNoText compiles, validates, runs and requires each
// secret source: no error names the text the compiler stopped at.
func TestSyntaxErrorsQuoteNoText(t *testing.T) {
	for _, tc := range secretSources {
		t.Run(tc.name, func(t *testing.T) {
			mustNotQuote(t, "Compile", Compile("m.lua", []byte(tc.src)), tc.want)
			mustNotQuote(t, "Validate", Validate(Script{Name: "m.lua", Source: []byte(tc.src)}, Options{}), tc.want)
			r := runSource(t, context.Background(), tc.src, "", Options{})
			mustNotQuote(t, "Run", r.err, tc.want)
			var js bytes.Buffer
			if err := r.rep.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(js.String(), "hunter2") || strings.Contains(r.stderr+r.stdout, "hunter2") {
				t.Errorf("the run's report or output quotes the file:\n%s\n%s%s", js.String(), r.stdout, r.stderr)
			}

			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "secret.lua"), []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			const main = "local s = require('secret')\n"
			mustNotQuote(t, "Validate of a module", Validate(Script{Name: "m.lua", Source: []byte(main), Dir: dir}, Options{}), tc.want)
			r = runSource(t, context.Background(), main, dir, Options{})
			mustNotQuote(t, "require", r.err, tc.want)
		})
	}
}
