package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestLowerCaseRFC3339TimesRead: docs/archive-format.md says times are RFC
// 3339 strings, and RFC 3339 §5.6 (NOTE) allows the T and Z in lower
// case. A hand-built archive whose manifest created and a principal's
// verified_on are written so is inspected and imported (dry run and for
// real) as the same instants. Both were refused ("created: expected a
// time ...").
func TestLowerCaseRFC3339TimesRead(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "20")
	good := exportArchive(t, dir)
	lower := func(s string) string { return strings.NewReplacer("T", "t", "Z", "z").Replace(s) }
	man := string(zipEntry(t, good, "manifest.json"))
	created := regexp.MustCompile(`"created": "[^"]+"`).FindString(man)
	prins := string(zipEntry(t, good, "principals.jsonl"))
	verified := regexp.MustCompile(`"verified_on":"[0-9-]+T[0-9:.]+Z"`).FindString(prins)
	if created == "" || verified == "" {
		t.Fatalf("no created (%q) or verified_on (%q) to change", created, verified)
	}
	edited := rezip(t, rezip(t, good, "principals.jsonl", verified, `"verified_on":`+lower(verified[len(`"verified_on":`):])), "manifest.json", created, `"created": `+lower(created[len(`"created": `):]))
	if strings.Contains(string(zipEntry(t, edited, "manifest.json")), created) {
		t.Fatal("the manifest was not edited")
	}
	want, _ := mustRun(t, exitOK, "inspect", good)
	got, _ := mustRun(t, exitOK, "inspect", edited)
	// The same but for its compressed size (zipped again).
	size := regexp.MustCompile(`(?m)^Size: .*$`)
	if size.ReplaceAllString(want, "") != size.ReplaceAllString(got, "") {
		t.Errorf("inspect of the archive with lower-case times differs:\n%s\nwant:\n%s", got, want)
	}
	target := filepath.Join(dir, "target-2019.db")
	mustRun(t, exitPending, "import", "--db", "sqlite:"+target, "--file", edited, "--dry-run")
	mustRun(t, exitOK, "import", "--db", "sqlite:"+target, "--file", edited)
}
