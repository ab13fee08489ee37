package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestScriptNamesThePoolCannotHold: room.create made a room named "   "
// (which SQL Server compares as the empty name, and which every import of
// the pool then refuses) and rooms and categories whose names hold a
// control character (room.create, category.create, category.update's
// new_name: "R\n2", "A\0B", "Eng\tX"), all without a word; a script's bug
// that clients show as nothing. Each is now refused as validation, naming
// the name escaped and the character, and nothing is written.
func TestScriptNamesThePoolCannotHold(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	estFile := filepath.Join(est, "estate.lua")
	mustRun(t, 0, "run", "--estate", estFile)
	target := filepath.Join(est, "target-2019.db")
	nodes := queryInt(t, openDB(t, target), "SELECT COUNT(*) FROM tblNode")
	script := writeScript(t, t.TempDir(), "names.lua", `local room = require("room")
local category = require("category")
step("names", function()
  print("spaces", pcall(room.create, "target", { name = "   ", category = "Engineering" }))
  print("newline", pcall(room.create, "target", { name = "R\n2", category = "Engineering" }))
  print("nul", pcall(category.create, "target", { name = "A\0B" }))
  print("tab", pcall(category.update, "target", "Engineering", { new_name = "Eng\tX" }))
  print("plain", (pcall(room.create, "target", { name = "Plain Room", category = "Engineering" })))
end)
`)
	stdout, _ := mustRun(t, 0, "run", script, "--estate", estFile, "--fresh")
	for _, want := range []string{
		"spaces\tfalse\t" + script + `:4: room.create: validation: room name "   " is only spaces, which SQL Server compares as an empty name: give the room a name`,
		"newline\tfalse\t" + script + `:5: room.create: validation: room name "R\n2" holds a control character (U+000A), which clients show as nothing and SQL Server's collations may ignore: remove it`,
		"nul\tfalse\t" + script + `:6: category.create: validation: category name "A\x00B" holds a control character (U+0000)`,
		"tab\tfalse\t" + script + `:7: category.update: validation: category name "Eng\tX" holds a control character (U+0009)`,
		"plain\ttrue",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks\n%s\n%s", want, stdout)
		}
	}
	db := openDB(t, target)
	if n := queryInt(t, db, "SELECT COUNT(*) FROM tblNode"); n != nodes+1 {
		t.Errorf("the target holds %d nodes, want %d (the earlier ones and Plain Room)", n, nodes+1)
	}
	if n := queryInt(t, db, "SELECT COUNT(*) FROM tblNode WHERE nodeName = 'Engineering'"); n != 1 {
		t.Errorf("category Engineering was renamed (%d rows hold its name)", n)
	}
}
