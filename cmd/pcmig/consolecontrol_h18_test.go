package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestConsoleEscapesControlCharactersOfNames: a hand-built pool whose room
// is named with terminal escape sequences (retitle the window, clear the
// screen) and whose category name holds a right-to-left override. pcmig
// prints both names, unquoted, in the inventory's tables and the import's
// warnings: the console shows their control characters escaped, never
// raw, and JSON output still carries the real names.
func TestConsoleEscapesControlCharactersOfNames(t *testing.T) {
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		`INSERT INTO tblNode VALUES (100, 'BBBBBBBB-0000-4000-8000-000000000100', 1, 1, 'Cat' || char(8238) || 'gpj.exe', '', 1, 1, 1, 0, 4, 6, NULL, 1,
  637503303671230000, 1, 637503303671230000, NULL)`,
		`INSERT INTO tblNode VALUES (1000, 'BBBBBBBB-0000-4000-8000-000000001000', 100, 0, 'Room' || char(27) || ']0;pwned' || char(7) || char(27) || '[2J', '',
  NULL, NULL, NULL, 0, 4, 6, NULL, 1, 637503303671230000, 1, 637503303671230000, NULL)`,
		// Member of a room whose category allows nobody: the import warns, naming the room.
		`INSERT INTO tblPrincipalRole VALUES (1000, 10, 1, 1)`,
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'hello' || char(27) || '[31m', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 1)`)
	tgt := handSQLPool(t, dir, "target")
	arc := filepath.Join(dir, "a.zip")

	var all strings.Builder
	for _, args := range [][]string{
		{"inventory", "--db", src},
		{"export", "--db", src, "--file", arc},
		{"inspect", arc},
		{"import", "--db", tgt, "--file", arc},
	} {
		stdout, stderr := mustRun(t, 0, args...)
		all.WriteString(stdout + stderr)
	}
	out := all.String()
	if strings.ContainsAny(out, "\x1b\x07\u202e") {
		t.Errorf("the console got raw control characters of the names:\n%q", out)
	}
	for _, want := range []string{`Room\u001B]0;pwned\u0007\u001B[2J`, `Cat\u202Egpj.exe`} {
		if !strings.Contains(out, want) {
			t.Errorf("the console does not show %s:\n%s", want, out)
		}
	}

	// JSON keeps the real name: \u001B is a JSON escape of the character.
	js, _ := mustRun(t, 0, "inventory", "--db", src, "--json")
	var inv struct {
		Categories []struct {
			Name  string `json:"name"`
			Rooms []struct {
				Name string `json:"name"`
			} `json:"rooms"`
		} `json:"categories"`
	}
	decodeJSON(t, []byte(js), &inv)
	if len(inv.Categories) != 1 || inv.Categories[0].Name != "Cat\u202egpj.exe" || len(inv.Categories[0].Rooms) != 1 ||
		inv.Categories[0].Rooms[0].Name != "Room\x1b]0;pwned\x07\x1b[2J" {
		t.Errorf("inventory --json categories = %+v, want the real names", inv.Categories)
	}
}
