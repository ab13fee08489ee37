package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestImportRefusesUnknownAddedBy: a hand-built archive whose room or
// category added_by/updated_by names a principal neither in the archive
// nor in the target is refused before anything is written, naming the
// object, the field and the GUID, as a member or a message's poster that
// is unknown is. It was imported with the system user credited in its
// place, without a word (0 warnings).
func TestImportRefusedUnknownAddedBy(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	good := exportArchive(t, dir)
	const unknown = "0badc0de-0000-4000-8000-00000000beef"
	for _, c := range []struct{ part, field string }{
		{"rooms.jsonl", "added_by"},
		{"categories.jsonl", "updated_by"},
	} {
		body := string(zipEntry(t, good, c.part))
		m := regexp.MustCompile(`"` + c.field + `":"[0-9a-f-]{36}"`).FindString(body)
		if m == "" {
			t.Fatalf("%s has no %s with a GUID", c.part, c.field)
		}
		bad := rezip(t, good, c.part, m, `"`+c.field+`":"`+unknown+`"`)
		target := filepath.Join(dir, "target-2019.db")
		before := hashTree(t, dir)["target-2019.db"]
		for _, dry := range []bool{true, false} {
			args := []string{"import", "--db", "sqlite:" + target, "--file", bad}
			if dry {
				args = append(args, "--dry-run")
			}
			stdout, stderr, code := runCmd(t, args...)
			if code != exitError {
				t.Errorf("%s %s (dry run %v): exit %d, want %d\n%s%s", c.part, c.field, dry, code, exitError, stdout, stderr)
			}
			out := stdout + stderr
			if !strings.Contains(out, c.field+" refers to principal "+unknown+", which is neither in the archive nor in the target") {
				t.Errorf("%s %s (dry run %v): the unknown principal is not named:\n%s", c.part, c.field, dry, out)
			}
		}
		if after := hashTree(t, dir)["target-2019.db"]; after != before {
			t.Errorf("%s %s: the target changed", c.part, c.field)
		}
	}
}
