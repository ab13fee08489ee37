package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportOverAFileSaysWhatToDo: an export whose archive path names an
// existing file was refused, but with advice that did not work or was not
// there: export.run's file = "source-2015.db" (a database) said "file
// already exists (give overwrite = true to replace it)", which was then
// refused as not a pcmig archive; pcmig export --file over an archive or
// a database said "file already exists (overwrite not allowed)", naming
// no option. A file that is not a pcmig archive is now refused at once as
// such; an earlier archive is refused naming the option that replaces it.
// Nothing is written.
func TestExportOverAFileSaysWhatToDo(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	estFile := filepath.Join(est, "estate.lua")
	db := filepath.Join(est, "source-2015.db")
	target := filepath.Join(est, "target-2019.db")
	before := readFile(t, target)

	script := writeScript(t, t.TempDir(), "over.lua", `local export = require("export")
step("export", function()
  print("database", pcall(export.run, "source", { file = "target-2019.db" }))
end)
`)
	stdout, _ := mustRun(t, 0, "run", script, "--estate", estFile)
	mustContain(t, "export.run over a database", stdout,
		"archive "+target+": file already exists and is not a pcmig archive (it is an SQLite database); pcmig replaces only its own archives: give another file name")
	if strings.Contains(stdout, "overwrite = true") {
		t.Errorf("export.run over a database advises overwrite = true:\n%s", stdout)
	}

	_, stderr := mustRun(t, 1, "export", "--db", "sqlite:"+db, "--file", target)
	mustContain(t, "pcmig export --file over a database", stderr, "is not a pcmig archive (it is an SQLite database)")
	if strings.Contains(stderr, "--overwrite") || strings.Contains(stderr, "overwrite not allowed") {
		t.Errorf("pcmig export over a database advises overwriting:\n%s", stderr)
	}
	if !bytes.Equal(readFile(t, target), before) {
		t.Fatal("the target database changed")
	}

	zipPath := filepath.Join(est, "a.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+db, "--file", zipPath)
	_, stderr = mustRun(t, 1, "export", "--db", "sqlite:"+db, "--file", zipPath)
	mustContain(t, "pcmig export over its archive", stderr, "archive "+zipPath+": file already exists (a pcmig archive): pass --overwrite to replace it, or give another --file")
	mustRun(t, 0, "export", "--db", "sqlite:"+db, "--file", zipPath, "--overwrite")

	script2 := writeScript(t, t.TempDir(), "again.lua", `local export = require("export")
step("export", function()
  print("archive", pcall(export.run, "source", { file = "a.zip" }))
end)
`)
	stdout, _ = mustRun(t, 0, "run", script2, "--estate", estFile, "--fresh")
	mustContain(t, "export.run over an archive", stdout, "archive "+zipPath+": file already exists (a pcmig archive): give overwrite = true to replace it")
}
