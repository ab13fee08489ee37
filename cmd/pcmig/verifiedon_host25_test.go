package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestImportRefusesVerifiedOnOutsideDatetime: a principal's verified_on
// outside SQL Server's datetime range is refused before anything is
// written, as docs/archive-format.md says, and the error shows the time as
// the archive gave it: 9999-12-31T23:59:59.998Z was named
// "9999-12-31T23:59:59Z outside ... to 9999-12-31", which reads as inside
// the range.
func TestImportRefusesVerifiedOnOutsideDatetime(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "20")
	good := exportArchive(t, dir)
	body := string(zipEntry(t, good, "principals.jsonl"))
	m := regexp.MustCompile(`"verified_on":"[^"]*"`).FindString(body)
	if m == "" {
		t.Fatal("principals.jsonl has no verified_on")
	}
	target := filepath.Join(dir, "target-2019.db")
	for _, c := range []struct{ value, shown string }{
		{"9999-12-31T23:59:59.998Z", "verified_on 9999-12-31T23:59:59.998Z outside"},
		{"1752-12-31T23:59:59.9999999Z", "verified_on 1752-12-31T23:59:59.9999999Z outside"},
	} {
		bad := rezip(t, good, "principals.jsonl", m, `"verified_on":"`+c.value+`"`)
		before := hashTree(t, dir)["target-2019.db"]
		for _, dry := range []bool{true, false} {
			args := []string{"import", "--db", "sqlite:" + target, "--file", bad}
			if dry {
				args = append(args, "--dry-run")
			}
			stdout, stderr, code := runCmd(t, args...)
			if code != exitError {
				t.Errorf("%s (dry run %v): exit %d, want %d\n%s%s", c.value, dry, code, exitError, stdout, stderr)
			}
			if out := stdout + stderr; !strings.Contains(out, c.shown+" the SQL Server datetime range") {
				t.Errorf("%s (dry run %v): want %q in:\n%s", c.value, dry, c.shown, out)
			}
		}
		if hashTree(t, dir)["target-2019.db"] != before {
			t.Errorf("%s: the target changed", c.value)
		}
	}
}
