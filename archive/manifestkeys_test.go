package archive

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// TestOpenRejectsNestedManifestKeys: the keys of counts and of each part
// are checked as the manifest's own (§8: unknown, duplicate, missing or
// wrongly null manifest keys are refused), and scope holds names. A part
// without records and bytes, with a second sha256 or null counts was
// taken as zeros or the last value.
func TestOpenRejectsNestedManifestKeys(t *testing.T) {
	addins := regexp.MustCompile(`\{"name":"addins.jsonl"[^}]*\}`)
	part := func(edit func(obj string) string) func(string) string {
		return func(s string) string {
			if !addins.MatchString(s) {
				t.Fatalf("no addins part in %s", s)
			}
			return addins.ReplaceAllStringFunc(s, edit)
		}
	}
	count := regexp.MustCompile(`"addins":"[0-9]+",`)
	counts := func(edit func(n string) string) func(string) string {
		return func(s string) string {
			if !count.MatchString(s) {
				t.Fatalf("no addins count in %s", s)
			}
			return count.ReplaceAllStringFunc(s, edit)
		}
	}
	tests := []struct {
		name, wantErr string
		edit          func(string) string
	}{
		{"counts key missing", `manifest.json: counts: field "addins" is missing`,
			counts(func(n string) string { return `` })},
		{"counts key null", `manifest.json: counts: field "addins" is null`,
			counts(func(n string) string { return `"addins":null,` })},
		{"counts key twice", `manifest.json: counts: field "addins" appears twice`,
			counts(func(n string) string { return n + n })},
		{"part key missing", `manifest.json: part 3: field "records" is missing`,
			part(func(obj string) string { return regexp.MustCompile(`"records":"[^"]*",`).ReplaceAllString(obj, ``) })},
		{"part key null", `manifest.json: part 3: field "records" is null`,
			part(func(obj string) string {
				return regexp.MustCompile(`"records":"[^"]*"`).ReplaceAllString(obj, `"records":null`)
			})},
		{"part key twice", `manifest.json: part 3: field "sha256" appears twice`,
			part(func(obj string) string {
				return strings.Replace(obj, `"kind":"addins",`, `"kind":"addins","sha256":"`+strings.Repeat("0", 64)+`",`, 1)
			})},
		{"part not an object", `manifest.json: part 3: not a JSON object`,
			part(func(string) string { return "null" })},
		{"scope name null", `manifest.json: scope: name 2 is empty`,
			func(s string) string { return strings.Replace(s, `"scope":[]`, `"scope":["Sales",null]`, 1) }},
		{"scope name empty", `manifest.json: scope: name 1 is empty`,
			func(s string) string { return strings.Replace(s, `"scope":[]`, `"scope":[""]`, 1) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Open(writeFile(t, rawManifest(t, tc.edit)))
			if err == nil {
				r.Close()
			}
			if !errorContains(err, tc.wantErr) || !errors.Is(err, ErrDamaged) {
				t.Fatalf("Open() error = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

// TestOpenRefusesAPasswordInSourceDatabase: the writer refuses a
// source_database holding a password (§3), and the reader did not: pcmig
// inspect, import reports and verify printed a hand-made archive's
// password.
func TestOpenRefusesAPasswordInSourceDatabase(t *testing.T) {
	for _, desc := range []string{"Server=sql01;Database=mgc;Password=s3cretpw", "sqlserver://sa:s3cretpw@sql01/pchat?database=mgc",
		"server=sql01; PWD = s3cretpw"} {
		data := editManifest(t, func(m *Manifest) { m.SourceDatabase = desc })
		r, err := Open(writeFile(t, data))
		if err == nil {
			r.Close()
		}
		if !errorContains(err, "manifest.json: source_database seems to hold a password") || strings.Contains(err.Error(), "s3cretpw") {
			t.Errorf("Open() of source_database %q: error = %v", desc, err)
		}
	}
}
