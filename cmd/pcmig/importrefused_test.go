package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestImportRefusedByLivePoolSaysNothingWritten: an import that the target's
// live heartbeats refuse at its first write says that nothing was written
// and why, not "Stopped before the end: 0 of N" (which reads as an import
// that began writing); the JSON report says so too, the HTML report's
// status is REFUSED, and the target is unchanged.
func TestImportRefusedByLivePoolSaysNothingWritten(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "300")
	zipPath := filepath.Join(t.TempDir(), "a.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+filepath.Join(dir, "source-2015.db"), "--file", zipPath)
	target := filepath.Join(dir, "target-2019.db")
	labtest.ExecSQLite(t, target, `DELETE FROM tblServerIdentity`,
		`INSERT INTO tblServerIdentity VALUES (4, 'net.tcp://pchat19.contoso.com:8011/', '`+time.Now().UTC().Add(-time.Minute).Format("2006-01-02 15:04:05")+`')`)
	before := hashTree(t, dir)
	out := t.TempDir()
	for _, rep := range []string{"import.json", "import.html"} {
		stdout, stderr, code := runCmd(t, "import", "--db", "sqlite:"+target, "--file", zipPath, "--report", filepath.Join(out, rep))
		if code != exitError {
			t.Errorf("exit %d, want %d", code, exitError)
		}
		mustContain(t, "stdout", stdout, "Nothing imported into ", "refused before anything was written",
			"Persistent Chat servers are active", "net.tcp://pchat19.contoso.com:8011/", "The plan was: ")
		if strings.Contains(stdout, "Stopped before the end") || strings.Contains(stdout, "so far") {
			t.Errorf("the refused import reads as one that began writing:\n%s", stdout)
		}
		mustContain(t, "stderr", stderr, "Persistent Chat servers are active")
	}
	var res struct {
		Refused string `json:"refused"`
		Stopped bool   `json:"stopped"`
	}
	b, err := os.ReadFile(filepath.Join(out, "import.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if res.Stopped || !strings.Contains(res.Refused, "Persistent Chat servers are active") {
		t.Errorf("JSON report: stopped %v, refused %q", res.Stopped, res.Refused)
	}
	html, err := os.ReadFile(filepath.Join(out, "import.html"))
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "HTML report", string(html), "REFUSED", "nothing was written")
	if strings.Contains(string(html), ">DONE<") {
		t.Errorf("the HTML report of a refused import says DONE")
	}
	after := hashTree(t, dir)
	if before["target-2019.db"] != after["target-2019.db"] {
		t.Errorf("the refused import changed the target")
	}
}
