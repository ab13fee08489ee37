package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestExportRefusesControlCharacterURI: a principal whose prinUri holds a
// control character was exported without a word, and every import then
// refused the archive at step 2 (2e11dbb). The export refuses it now,
// naming the principal with the character escaped, and writes nothing.
func TestExportRefusesControlCharacterURI(t *testing.T) {
	dir := labEstate(t, "--messages", "20")
	src := filepath.Join(dir, "source-2015.db")
	labtest.ExecSQLite(t, src, `UPDATE tblPrincipal SET prinUri = 'sip:ali' || char(27) || 'ce@contoso.com' WHERE prinID = (SELECT MIN(prinID) FROM tblPrincipal WHERE prinUri LIKE 'sip:%')`)
	out := filepath.Join(t.TempDir(), "a.zip")
	_, stderr := mustRun(t, exitError, "export", "--db", "sqlite:"+src, "-f", out)
	mustContain(t, "stderr", stderr, `("sip:ali\x1bce@contoso.com") has a prinUri holding a control character (U+001B)`, "nothing was written")
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the export wrote %s (%v)", out, err)
	}
}
