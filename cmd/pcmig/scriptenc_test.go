package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// utf16File encodes text as UTF-16 with a byte order mark, as Windows
// PowerShell 5.1's > and Out-File (little endian) and Notepad's "Unicode"
// save it.
func utf16File(text string, bigEndian bool) string {
	units := utf16.Encode([]rune(text))
	b := []byte{0xFF, 0xFE}
	if bigEndian {
		b = []byte{0xFE, 0xFF}
	}
	for _, u := range units {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return string(b)
}

// TestRunScriptSavedAsUTF16 validates and runs a script, and a module it
// requires, saved as UTF-16 (little and big endian, with a byte order
// mark): both were refused as "a character that Lua does not allow". Text
// outside the Basic Multilingual Plane (surrogate pairs) comes through,
// and a runtime error on line 3 of a UTF-16 script and of a UTF-16 module
// reports line 3.
func TestRunScriptSavedAsUTF16(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		bigEndian bool
	}{{"le", false}, {"be", true}} {
		t.Run(tc.name, func(t *testing.T) {
			est := labEstate(t, "--messages", "50")
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, "lib"), 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, "lib", "helper.lua"),
				utf16File("return {\n  greeting = \"hello Zoë 日本語 🎉\",\n  fail = function() error(\"module boom\") end,\n}\n", tc.bigEndian))
			script := filepath.Join(dir, "s16.lua")
			writeFile(t, script, utf16File("local h = require(\"lib.helper\")\r\nstep(\"greet\", function() print(h.greeting) end)\r\n", tc.bigEndian))

			stdout, _ := mustRun(t, 0, "validate", script)
			mustContain(t, "validate", stdout, "s16.lua: ok")
			stdout, _ = mustRun(t, 0, "run", script, "--estate", filepath.Join(est, "estate.lua"), "--fresh")
			mustContain(t, "run", stdout, "hello Zoë 日本語 🎉\n")

			// Line numbers stay those of the file.
			bad := filepath.Join(dir, "bad16.lua")
			writeFile(t, bad, utf16File("local h = require(\"lib.helper\")\n-- the next line fails\nerror(\"script boom\")\n", tc.bigEndian))
			_, stderr, code := runCmd(t, "run", bad, "--estate", filepath.Join(est, "estate.lua"), "--fresh")
			if code != exitError {
				t.Errorf("run bad16.lua: exit %d, want %d", code, exitError)
			}
			mustContain(t, "run bad16.lua", stderr, "bad16.lua:3: script boom")

			mod := filepath.Join(dir, "mod16.lua")
			writeFile(t, mod, utf16File("local h = require(\"lib.helper\")\nh.fail()\n", tc.bigEndian))
			_, stderr, code = runCmd(t, "run", mod, "--estate", filepath.Join(est, "estate.lua"), "--fresh")
			if code != exitError {
				t.Errorf("run mod16.lua: exit %d, want %d", code, exitError)
			}
			mustContain(t, "run mod16.lua", stderr, filepath.Join("lib", "helper.lua")+":3: module boom")

			// A syntax error in a UTF-16 module names its line too.
			writeFile(t, filepath.Join(dir, "lib", "broken.lua"), utf16File("return {\n  x = 1,\n  y = = 2,\n}\n", tc.bigEndian))
			brk := filepath.Join(dir, "brk16.lua")
			writeFile(t, brk, utf16File("local b = require(\"lib.broken\")\n", tc.bigEndian))
			for _, cmd := range []string{"validate", "run"} {
				args := []string{cmd, brk}
				if cmd == "run" {
					args = append(args, "--estate", filepath.Join(est, "estate.lua"), "--fresh")
				}
				_, stderr, code = runCmd(t, args...)
				if code != exitError {
					t.Errorf("%s brk16.lua: exit %d, want %d", cmd, code, exitError)
				}
				mustContain(t, cmd+" brk16.lua", stderr, filepath.Join("lib", "broken.lua")+":3: syntax error")
			}
		})
	}
}

// TestRunScriptInvalidUTF16 validates and runs scripts, and a script that
// requires a module, whose byte order mark says UTF-16 but whose bytes are
// not UTF-16 (an odd length, an unpaired surrogate): each command fails
// naming the file and the problem, without quoting the file, and the run
// leaves no journal behind.
func TestRunScriptInvalidUTF16(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "50")
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	text := "local password = \"hunter2\"\nprint(password)\n"
	odd := utf16File(text, false) + "\n"
	// A high surrogate followed by "a", after "print(1)\n" (9 code units):
	// at byte 2 + 18 = 20 of the file.
	lone := utf16File("print(1)\n", false) + "\x00\xD8a\x00" + utf16File(text, false)[2:]
	files := map[string]string{
		"odd.lua":       odd,
		"oddbe.lua":     utf16File(text, true) + "\n",
		"lone.lua":      lone,
		"main.lua":      "local c = require(\"lib.creds\")\nprint(c)\n",
		"lib/creds.lua": odd,
	}
	for name, content := range files {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), content)
	}
	tests := []struct{ file, want string }{
		{"odd.lua", "odd.lua: the file starts with a UTF-16LE byte order mark but has an odd number of bytes"},
		{"oddbe.lua", "oddbe.lua: the file starts with a UTF-16BE byte order mark but has an odd number of bytes"},
		{"lone.lua", "lone.lua: the file starts with a UTF-16LE byte order mark but holds an unpaired surrogate at byte 20"},
		{"main.lua", filepath.Join("lib", "creds.lua") + ": the file starts with a UTF-16LE byte order mark but has an odd number of bytes"},
	}
	for i, tc := range tests {
		if i == len(tests)-1 {
			// The scripts themselves are refused before the run starts: no
			// journal. (A module is read when require runs, like a module
			// with a syntax error.)
			noJournal(t, est)
		}
		script := filepath.Join(dir, tc.file)
		for _, cmd := range []string{"validate", "run"} {
			args := []string{cmd, script}
			if cmd == "run" {
				args = append(args, "--estate", filepath.Join(est, "estate.lua"), "--fresh")
			}
			stdout, stderr, code := runCmd(t, args...)
			if code != exitError {
				t.Errorf("%s %s: exit %d, want %d", cmd, tc.file, code, exitError)
			}
			mustContain(t, cmd+" "+tc.file, stderr, tc.want)
			if strings.Contains(stdout+stderr, "hunter2") || strings.Contains(stdout+stderr, "password") {
				t.Errorf("%s %s quotes the file:\n%s%s", cmd, tc.file, stdout, stderr)
			}
		}
	}
}

// noJournal fails the test if the estate's state folder holds a run journal.
func noJournal(t *testing.T, est string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(est, ".pcmig"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), "journal") {
			t.Errorf("a refused script left %s in the state folder", e.Name())
		}
	}
}

// TestRunScriptWithoutAUsableMark: UTF-16 without a byte order mark,
// UTF-32 (whose little-endian mark starts like UTF-16's), and UTF-16
// after a UTF-8 mark are refused by name, not as a Lua syntax error at
// column 1, and without quoting the file.
func TestRunScriptWithoutAUsableMark(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	text := "local password = \"hunter2\"\nprint(password)\n"
	le := utf16File(text, false)[2:]
	be := utf16File(text, true)[2:]
	var u32 strings.Builder
	u32.WriteString("\xFF\xFE\x00\x00")
	for _, r := range text {
		u32.WriteString(string([]byte{byte(r), byte(r >> 8), byte(r >> 16), 0}))
	}
	files := map[string]string{
		"le.lua":     le,
		"be.lua":     be,
		"u32.lua":    u32.String(),
		"u8then.lua": "\xEF\xBB\xBF" + le,
	}
	for name, content := range files {
		script := filepath.Join(dir, name)
		writeFile(t, script, content)
		_, stderr, code := runCmd(t, "validate", script)
		if code != exitError {
			t.Errorf("validate %s: exit %d, want %d", name, code, exitError)
		}
		mustContain(t, "validate "+name, stderr, name+": the file holds NUL bytes", "UTF-16 or UTF-32", "save it again as UTF-8")
		if strings.Contains(stderr, "hunter2") || strings.Contains(stderr, "password") {
			t.Errorf("validate %s quotes the file:\n%s", name, stderr)
		}
	}
}
