package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestInspectRefusesARoomInACategoryTheArchiveLacks: an archive whose
// room names a category that categories.jsonl does not hold, under any
// comparison of names, is refused by every import before writing ("its
// category ... is not in the archive"), whatever the target. `pcmig
// inspect` took it (exit 0, "Archive verified"); it now refuses it with
// the import's words. A room whose category differs from one of the
// archive's only in case, accents or trailing spaces is not refused: a
// target whose names compare so finds it.
func TestInspectRefusesARoomInACategoryTheArchiveLacks(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	good := exportArchive(t, est)
	target := filepath.Join(est, "target-2019.db")
	m := regexp.MustCompile(`"name":"([^"\\]+)","description":"[^"\\]*","category":"([^"\\]+)"`).FindStringSubmatch(string(zipEntry(t, good, "rooms.jsonl")))
	if m == nil {
		t.Fatal("rooms.jsonl has no room with a name and a category")
	}
	room, cat := m[1], m[2]
	edit := func(c string) string {
		return editArchive(t, good, func(name string, b []byte) []byte {
			if name == "rooms.jsonl" {
				return []byte(strings.Replace(string(b), m[0], strings.Replace(m[0], `"category":"`+cat+`"`, `"category":"`+c+`"`, 1), 1))
			}
			return b
		})
	}
	lost := edit("No Such Category")
	want := `room ` + room + `: its category "No Such Category" is not in the archive`
	stdout, stderr := mustRun(t, exitError, "import", "--db", "sqlite:"+target, "--file", lost, "--dry-run")
	mustContain(t, "import", stdout+stderr, want)
	for _, args := range [][]string{{"inspect", lost}, {"inspect", "--json", lost}} {
		stdout, stderr := mustRun(t, exitError, args...)
		mustContain(t, strings.Join(args, " ")+": stderr", stderr, "pcmig: "+want+"\n", "every import of this archive refuses it for 1 error, before writing, whatever its target")
		if strings.Contains(stdout, "Archive verified") || strings.Contains(stdout, "{") {
			t.Errorf("%s: printed a summary of a refused archive:\n%s", strings.Join(args, " "), stdout)
		}
	}
	// Another case and a trailing space: the lab's target (embedded,
	// case-insensitive) finds the category, and so does inspect.
	loose := edit(strings.ToUpper(cat) + " ")
	mustRun(t, exitPending, "import", "--db", "sqlite:"+target, "--file", loose, "--dry-run")
	mustRun(t, exitOK, "inspect", loose)
}
