package main

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestConsoleOfHostileNamesEndToEnd: a pool whose category and room names
// hold line breaks, a carriage return, terminal escape sequences and a
// right-to-left override, worded as pcmig's own lines, goes through the
// whole procedure's dry run and real run: no console line starts with
// the names' text, none holds a raw control character, and the names show
// escaped. Before, the dry run's action list ("import.create category",
// "creator.add") printed the names' line breaks raw.
func TestConsoleOfHostileNamesEndToEnd(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	db := openDBWrite(t, filepath.Join(est, "source-2015.db"))
	for _, q := range []string{
		`UPDATE tblNode SET nodeName = 'Eng' || char(10) || 'EQUAL: fake' || char(13) || 'WARN cr' || char(27) || '[2J' || char(8238) || 'RLO' WHERE nodeName = 'Engineering'`,
		`UPDATE tblNode SET nodeName = 'Brand' || char(10) || 'INFO fake' || char(27) || ']0;t' || char(7) WHERE nodeName = 'Brand & Design'`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	estFile := filepath.Join(est, "estate.lua")
	for _, args := range [][]string{
		{"run", "--estate", estFile, "--dry-run"},
		{"run", "--estate", estFile},
		{"verify", "--estate", estFile},
		{"doctor", "--estate", estFile},
		{"inventory", "--db", "sqlite:" + filepath.Join(est, "target-2019.db")},
	} {
		stdout, stderr, _ := runCmd(t, args...)
		out := stdout + stderr
		what := strings.Join(args[:2], " ")
		checkConsoleLines(t, what, out)
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimLeft(line, " "), "INFO fake") || strings.HasPrefix(line, "EQUAL: fake") {
				t.Errorf("%s: a name started a console line: %q", what, line)
			}
			if strings.ContainsAny(line, "\x00\x07\x1b\u202e") || !utf8.ValidString(line) {
				t.Errorf("%s: a raw control character: %q", what, line)
			}
		}
	}
}

// TestConsoleEscapesInvalidUTF8: what is not UTF-8 reaches the console as
// \xNN, one escape a byte (a raw 0x9B is CSI on a terminal that takes
// 8-bit controls; other bytes show as mojibake): here a script prints a
// name in Latin-1 and a lone C1 byte. A character split across two
// writes arrives whole. Before, the bytes passed raw.
func TestConsoleEscapesInvalidUTF8(t *testing.T) {
	t.Parallel()
	est := labEstate(t)
	script := filepath.Join(t.TempDir(), "p.lua")
	writeFile(t, script, `print("Caf\233 \155" .. "2J")`+"\n")
	stdout, stderr := mustRun(t, 0, "run", script, "--estate", filepath.Join(est, "estate.lua"))
	if !utf8.ValidString(stdout + stderr) {
		t.Errorf("the console got bytes that are not UTF-8:\n%q", stdout+stderr)
	}
	mustContain(t, "print", stdout, `Caf\xE9 \x9B2J`+"\n")

	var b strings.Builder
	w := consoleWriter(&b)
	for _, p := range []string{"a \xe2\x82", "\xac b \xe2", "\x82"} {
		if n, err := w.Write([]byte(p)); n != len(p) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", p, n, err)
		}
	}
	flushConsole(w)
	if want := `a € b \xE2\x82`; b.String() != want {
		t.Errorf("split writes: %q, want %q", b.String(), want)
	}
}
