package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestEstateDBStringCheckedWhenLoaded: a database written as a string that
// is neither sqlite:PATH nor sqlserver://... (an ADO.NET connection string
// pasted from elsewhere, with its password; a sqlserver: without the
// slashes) was found only by the doctor's pre-flight, whose error named
// neither the estate file nor the field nor its line ("database:
// unrecognised database ..."), and by verify in yet other words. It is now
// refused when the estate is loaded, naming the file, the line and the
// field, never the text.
func TestEstateDBStringCheckedWhenLoaded(t *testing.T) {
	t.Parallel()
	const target = `db = "sqlite:target-2019.db",`
	for _, tt := range []struct{ name, db string }{
		{"ADO.NET", `db = "Server=sql19.contoso.com\\rtc;Database=mgc;User Id=sa;Password=Hunter2;",`},
		{"no slashes", `db = "sqlserver:sa:Hunter2@sql19.contoso.com",`},
		{"empty sqlite path", `db = "sqlite:",`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			est := labEstate(t, "--messages", "50")
			estFile := filepath.Join(est, "estate.lua")
			editEstate(t, estFile, target, tt.db)
			for _, args := range [][]string{{"run", "--estate", estFile, "--dry-run"}, {"verify", "--estate", estFile}, {"doctor", "--estate", estFile}} {
				stdout, stderr, code := runCmd(t, args...)
				if code != exitError {
					t.Errorf("pcmig %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", args[0], code, exitError, stdout, stderr)
				}
				mustContain(t, "stderr", stderr, "estate "+estFile+": line 39: target.db: ", "want sqlite:PATH, sqlserver://")
				if strings.Contains(stdout+stderr, "Hunter2") || strings.Contains(stdout, "Step 1/") {
					t.Errorf("pcmig %s quotes the value or ran:\n%s\n%s", args[0], stdout, stderr)
				}
			}
		})
	}
}
