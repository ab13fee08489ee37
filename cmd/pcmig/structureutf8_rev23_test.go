package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportNamesTheRowOfAStructureTextThatIsNotUTF8: a hand-built
// embedded source whose principal name, or room description, is not valid
// UTF-8 (SQLite keeps any bytes). The export refuses the pool, rightly, as
// it does a message's text (b5b2e81), but said only 'add principal
// "0000000a-...": name: not valid UTF-8': the principal by GUID, nothing on
// what was written or what to do. Now it names the row by table and key,
// says that no archive is written and what to do, as a message's refusal
// does.
func TestExportNamesTheRowOfAStructureTextThatIsNotUTF8(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, update, row string }{
		{"principal", `UPDATE tblPrincipal SET prinName = CAST(X'61EDA08062' AS TEXT) WHERE prinID = 10`, "tblPrincipal prinID 10: "},
		{"room", `UPDATE tblNode SET nodeDesc = CAST(X'61EDA08062' AS TEXT) WHERE nodeID = 1000`, "tblNode nodeID 1000: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			src := handSQLPool(t, dir, "source",
				handSQLUser(10, "sip:a@contoso.com"),
				handSQLNode(100, 1, true, "Cat"),
				handSQLNode(1000, 100, false, "Lobby"),
				`INSERT INTO tblScopePrincipal VALUES (100, 10, 0, 1)`,
				tc.update)
			arc := filepath.Join(dir, "a.zip")
			stdout, stderr, code := runCmd(t, "export", "--db", src, "--file", arc)
			out := stdout + stderr
			if code != exitError {
				t.Fatalf("export: exit %d, want %d:\n%s", code, exitError, out)
			}
			mustContain(t, "export", out, tc.row, "not valid UTF-8", "writes no archive", "pcmig doctor --role source")
			if _, err := os.Stat(arc); !os.IsNotExist(err) {
				t.Errorf("the refused export left %s (%v)", arc, err)
			}
			if strings.Contains(out, "\xed") {
				t.Errorf("the error quotes the text's bytes:\n%q", out)
			}
		})
	}
}
