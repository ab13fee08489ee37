package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestInspectSaysWhatTheImportRefuses: an archive whose principal uri
// holds a control character, or whose manifest scope names a category
// the archive does not hold, is refused by every import before writing,
// whatever the target. `pcmig inspect` took both (exit 0, "Archive
// verified"), as it took one whose principal verified_on is outside SQL
// Server's datetime range or whose room is named with spaces only; it now
// refuses them with the import's own words (one check,
// shared), each problem on a line, and exit 1, without printing the
// control character itself.
func TestInspectSaysWhatTheImportRefuses(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	good := exportArchive(t, est)
	target := filepath.Join(est, "target-2019.db")
	uri := regexp.MustCompile(`"uri":"([^"\\]+)"`).FindStringSubmatch(string(zipEntry(t, good, "principals.jsonl")))
	if uri == nil {
		t.Fatal("principals.jsonl has no uri")
	}
	badURI := editArchive(t, good, func(name string, b []byte) []byte {
		if name == "principals.jsonl" {
			return []byte(strings.Replace(string(b), `"uri":"`+uri[1]+`"`, `"uri":"`+uri[1][:4]+`\u001b[2J`+uri[1][4:]+`"`, 1))
		}
		return b
	})
	src := filepath.Join(est, "source-2015.db")
	cat := sqliteQuery(t, src, `SELECT nodeName FROM tblNode WHERE nodeID <> parentID AND nodeID IN (SELECT parentID FROM tblNode WHERE nodeID <> parentID) ORDER BY nodeName LIMIT 1`)
	scoped := filepath.Join(t.TempDir(), "scoped.zip")
	mustRun(t, exitOK, "export", "--db", "sqlite:"+src, "--file", scoped, "--scope", cat)
	badScope := editArchive(t, scoped, func(name string, b []byte) []byte {
		if name == "manifest.json" {
			return []byte(regexp.MustCompile(`"scope": \[`).ReplaceAllLiteralString(string(b), `"scope": ["Lost Category", `))
		}
		return b
	})
	oldVerified := editArchive(t, good, func(name string, b []byte) []byte {
		if name == "principals.jsonl" {
			re := regexp.MustCompile(`"verified_on":"[^"]+"`)
			i := re.FindIndex(b)
			if i == nil {
				t.Fatal("principals.jsonl has no verified_on")
			}
			return []byte(string(b[:i[0]]) + `"verified_on":"1700-01-01T00:00:00Z"` + string(b[i[1]:]))
		}
		return b
	})
	room := regexp.MustCompile(`"name":"([^"\\]+)"`).FindStringSubmatch(string(zipEntry(t, good, "rooms.jsonl")))
	if room == nil {
		t.Fatal("rooms.jsonl has no name")
	}
	blankRoom := editArchive(t, good, func(name string, b []byte) []byte {
		if name == "rooms.jsonl" {
			return []byte(strings.Replace(string(b), `"name":"`+room[1]+`"`, `"name":"   "`, 1))
		}
		return b
	})
	for _, c := range []struct{ archive, want string }{
		{badURI, `its uri holds a control character (U+001B)`},
		{badScope, `scope name "Lost Category": the manifest's scope names it, but the archive holds no category of that name`},
		{oldVerified, `verified_on 1700-01-01T00:00:00Z outside the SQL Server datetime range`},
		{blankRoom, `room "   ": its name is only spaces`},
	} {
		// The import's line for the problem, without its "error: ".
		stdout, stderr := mustRun(t, exitError, "import", "--db", "sqlite:"+target, "--file", c.archive, "--dry-run")
		var line string
		for _, l := range strings.Split(stdout+stderr, "\n") {
			if strings.Contains(l, c.want) {
				line = l[strings.Index(l, ": ")+2:]
			}
		}
		if line == "" {
			t.Fatalf("the import does not say %q:\n%s%s", c.want, stdout, stderr)
		}
		for _, args := range [][]string{{"inspect", c.archive}, {"inspect", "--json", c.archive}} {
			stdout, stderr := mustRun(t, exitError, args...)
			mustContain(t, strings.Join(args, " ")+": stderr", stderr, "pcmig: "+line+"\n", "every import of this archive refuses it for 1 error, before writing, whatever its target")
			if strings.Contains(stdout, "Archive verified") || strings.Contains(stdout, "{") {
				t.Errorf("%s: printed a summary of a refused archive:\n%s", strings.Join(args, " "), stdout)
			}
			if strings.ContainsRune(stdout+stderr, 0x1b) {
				t.Errorf("%s: the output holds the control character itself", strings.Join(args, " "))
			}
		}
	}
}
