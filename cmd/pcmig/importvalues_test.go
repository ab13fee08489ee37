package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestImportNamesTheTargetRowsItCannotRead: a target whose tblPrincipal
// row holds text in prinDisabled (an embedded database keeps whatever a
// column is given) stops the import before anything is written, and the
// error names the row and points to the doctor; it said only 'Scan error
// on column index 9, name "prinDisabled"'. The value is not shown.
func TestImportNamesTheTargetRowsItCannotRead(t *testing.T) {
	t.Parallel()
	dir := labEstate(t)
	src, dst := filepath.Join(dir, "source-2015.db"), filepath.Join(dir, "target-2019.db")
	zipPath := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", zipPath)
	prin := queryInt(t, openDB(t, dst), "SELECT MIN(prinID) FROM tblPrincipal")
	labtest.ExecSQLite(t, dst, `UPDATE tblPrincipal SET prinDisabled = 'Hunter2Secret' WHERE prinID = (SELECT MIN(prinID) FROM tblPrincipal)`)
	_, stderr, code := runCmd(t, "import", "--db", "sqlite:"+dst, "--file", zipPath)
	if code != exitError {
		t.Errorf("exit %d, want %d", code, exitError)
	}
	mustContain(t, "stderr", stderr, "1 row holds a value not their column's documented type: tblPrincipal prinID "+itoa(prin)+": prinDisabled", "nothing was written", "pcmig doctor")
	if strings.Contains(stderr, "Hunter2Secret") {
		t.Errorf("the error shows the value:\n%s", stderr)
	}
	if n := queryInt(t, openDB(t, dst), "SELECT COUNT(*) FROM tblChat"); n != 0 {
		t.Errorf("the refused import wrote %d messages", n)
	}
}
