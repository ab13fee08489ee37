package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The tests of this file plant a secret-looking value in a damaged input
// and check that nothing pcmig says or writes about the damage quotes it:
// file contents never appear in errors (developers' guide).

const planted = "hunter2"

// noPlanted fails when the output or a file pcmig wrote under the given
// folders (but not the damaged input itself) holds the planted value.
func noPlanted(t *testing.T, output string, input string, dirs ...string) {
	t.Helper()
	if strings.Contains(output, planted) {
		t.Errorf("output quotes the damaged file:\n%s", output)
	}
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || path == input || filepath.Ext(path) == ".db" {
				return nil
			}
			if b, err := os.ReadFile(path); err == nil && strings.Contains(string(b), planted) {
				t.Errorf("%s quotes the damaged file", path)
			}
			return nil
		})
	}
}

// TestDamagedPoolSettingsNotQuoted: a lab estate's pool-settings.json that
// is not the JSON pcmig writes stops pool.carry_settings with an io error
// that says where and what was expected, in the output, the report and the
// journal, and never with the file's bytes or values.
func TestDamagedPoolSettingsNotQuoted(t *testing.T) {
	t.Parallel()
	est := labEstate(t)
	estFile := filepath.Join(est, "estate.lua")
	script := filepath.Join(est, "carry.lua")
	writeFile(t, script, "local pool = require('pool')\nstep('carry', function() pool.carry_settings('source', 'target') end)\n")
	settings := filepath.Join(est, "pool-settings.json")
	for _, tt := range []struct{ name, content, want, secret string }{
		{"not JSON", "{\n  \"persistent_chat_endpoints\": hunter2\n}\n", "line 2, column 32: expected a value", "'h'"},
		{"a string for a number", "{\"persistent_chat_configuration\": [\n {\"identity\": \"global\", \"default_chat_history\": \"hunter2\"}]}",
			"line 2: persistent_chat_configuration.default_chat_history: expected a whole number", "Go struct"},
		{"a number out of range", "{\"persistent_chat_configuration\": [{\"max_file_size_kb\": 1e99}], \"x\": \"hunter2\"}",
			"line 1: persistent_chat_configuration.max_file_size_kb: expected a whole number", "1e99"},
		{"a NUL byte", "{\"persistent_chat_endpoints\": []\x00 \"hunter2\"}", "line 1, column 33: expected ',' or '}'", `\x00`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			writeFile(t, settings, tt.content)
			out := t.TempDir()
			stdout, stderr, code := runCmd(t, "run", "--estate", estFile, "--fresh", "--report", filepath.Join(out, "report.json"), script)
			if code == 0 {
				t.Fatalf("run with a damaged pool-settings.json: exit 0\n%s", stdout)
			}
			mustContain(t, "run output", stdout+stderr, "pool settings", tt.want)
			if strings.Contains(stdout+stderr, "invalid character") || strings.Contains(stdout+stderr, tt.secret) {
				t.Errorf("output quotes encoding/json's text:\n%s", stdout+stderr)
			}
			noPlanted(t, stdout+stderr, settings, est, out)
			if got := string(readFile(t, settings)); got != tt.content {
				t.Errorf("pool-settings.json was rewritten: %q", got)
			}
		})
	}
}

// TestDamagedEstateNotQuoted: an estate file whose table holds a value pcmig
// cannot use is refused naming the line of the estate file (not of any
// JSON pcmig makes of it), the field and what was expected, never the
// value.
func TestDamagedEstateNotQuoted(t *testing.T) {
	t.Parallel()
	const head = "return {\n  name = \"lab\",\n  source = { pool = \"a.contoso.com\", db = \"sqlite:a.db\" },\n" // lines 1-3
	const tail = "  target = { pool = \"b.contoso.com\", db = \"sqlite:b.db\" },\n}\n"
	for _, tt := range []struct{ name, fields, want, secret string }{
		{"a string for a number", "  kind = \"lab\",\n  move_batch = \"hunter2\",\n", "line 5: move_batch: expected a whole number, found a string", "Go struct"},
		{"a number out of range", "  kind = \"lab\",\n  move_batch = 1e99,\n", "line 5: move_batch: expected a whole number", "1e+99"},
		{"a number with a fraction", "  kind = \"lab\",\n\n  move_batch = 4.25,\n", "line 6: move_batch: expected a whole number", "4.25"},
		{"an unknown kind", "  kind = \"hunter2\",\n", "line 4: kind: want \"lab\" or \"real\"", ""},
		{"an unknown on_conflict", "  kind = \"lab\",\n  on_conflict = \"hunter2\",\n", "line 5: on_conflict: want merge, skip, rename or fail", ""},
		{"a string for true or false", "  kind = \"lab\",\n  sources = {\n    { pool = \"c.contoso.com\", db = { instance = \"sql\", database = \"mgc\",\n      trust_server_certificate = \"hunter2\" } },\n  },\n",
			"line 7: sources[1].db.trust_server_certificate: expected true or false, found a string", "DSN string"},
		{"a number for a string", "  kind = \"lab\",\n  sources = { { pool = \"c.contoso.com\", db = \"sqlite:c.db\" },\n    { pool = \"d.contoso.com\", db = \"sqlite:d.db\", archive = 31337 } },\n",
			"line 6: sources[2].archive: expected a string, found a number", "31337"},
		{"a key that is not a string", "  kind = \"lab\",\n  export = { scope = { [31337] = \"x\", y = \"z\" } },\n", "line 5: export.scope: a table that mixes list items and named keys", "31337"},
		{"a number that is not finite", "  kind = \"lab\",\n  notes = { 0/0 },\n", "line 5: a field pcmig does not read: a number that is not finite", "NaN"},
		{"a list of strings", "  kind = \"lab\",\n  creators = {\n    Eng = \"hunter2\",\n  },\n", "line 6: creators: an entry: expected a list", ""},
		{"a table for a list", "  kind = \"lab\",\n  export = { scope = { hunter2 = \"x\" } },\n", "line 5: export.scope: expected a list, found a table of named fields", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			estFile := filepath.Join(dir, "estate.lua")
			writeFile(t, estFile, head+tt.fields+tail)
			stdout, stderr, code := runCmd(t, "run", "--estate", estFile)
			if code == 0 {
				t.Fatalf("run with a damaged estate: exit 0\n%s", stdout)
			}
			mustContain(t, "run output", stdout+stderr, "estate "+estFile+": "+tt.want)
			said := strings.ReplaceAll(stdout+stderr, dir, "DIR") // a temporary name may hold the digits
			if strings.Contains(said, "json") || tt.secret != "" && strings.Contains(said, tt.secret) {
				t.Errorf("output quotes the estate or encoding/json:\n%s", stdout+stderr)
			}
			noPlanted(t, stdout+stderr, estFile, dir)
		})
	}
}

// rezip writes a copy of the archive good with one entry's body replaced
// by edit's result (the first occurrence of old by new). A part edited
// keeps a manifest that matches it (bytes and sha256), so that the reader
// gets as far as its records.
func rezip(t *testing.T, good, entry, old, new string) string {
	t.Helper()
	names, bodies := zipEntries(t, good)
	body, ok := bodies[entry]
	if !ok || !bytes.Contains(body, []byte(old)) {
		t.Fatalf("%s of the archive has no %q", entry, old)
	}
	edited := bytes.Replace(body, []byte(old), []byte(new), 1)
	bodies[entry] = edited
	if entry != "manifest.json" {
		sum := sha256.Sum256(body)
		newSum := sha256.Sum256(edited)
		m := bytes.Replace(bodies["manifest.json"], []byte(hex.EncodeToString(sum[:])), []byte(hex.EncodeToString(newSum[:])), 1)
		m = bytes.Replace(m, []byte(`"bytes": "`+strconv.Itoa(len(body))+`"`), []byte(`"bytes": "`+strconv.Itoa(len(edited))+`"`), 1)
		bodies["manifest.json"] = m
	}
	p := filepath.Join(t.TempDir(), "damaged.zip")
	writeZipOf(t, p, names, bodies)
	return p
}

// TestDamagedArchiveNotQuoted: an archive whose manifest or records are
// not what pcmig writes is refused by inspect and import naming the part,
// the line and what was expected, never a value or key of the archive
// (nor encoding/json's quoting of it).
func TestDamagedArchiveNotQuoted(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "50")
	good := exportArchive(t, est)
	guid := regexp.MustCompile(`"guid":"([0-9a-f-]{36})"`)
	cat := guid.FindStringSubmatch(string(zipEntry(t, good, "categories.jsonl")))[1]
	dst := filepath.Join(est, "target-2019.db")
	const m = "manifest.json"
	for _, tt := range []struct{ name, entry, old, new, want string }{
		{"manifest not JSON", m, `"tool": "pcmig"`, `"tool": hunter2`, "manifest.json is not a JSON object: line 3, column 11: expected a value"},
		{"manifest level", m, `"level": "All"`, `"level": "hunter2"`, "manifest.json: level: want All, User"},
		{"manifest time", m, `"created": "`, `"created": "hunter2`, "manifest.json: line 10, column 14: created: expected a time"},
		{"manifest count", m, `"records": "69"`, `"records": "hunter2"`, "manifest.json: part 1: records: expected a whole number from -9223372036854775808 to 9223372036854775807 written as a string, found characters other than decimal digits"},
		{"manifest unknown key", m, `"counts": {`, `"counts": {"hunter2": "1",`, "manifest.json: line 11, column 14: counts: a key pcmig does not write"},
		{"manifest unknown top-level key", m, `"tool": "pcmig",`, `"tool": "pcmig", "hunter2": 1,`, "manifest.json: a field pcmig does not write"},
		{"manifest sha256", m, `"sha256": "`, `"sha256": "hunter2`, "manifest.json: part principals.jsonl: sha256 is not 64 lower-case hex digits"},
		{"manifest part name", m, `"name": "addins.jsonl"`, `"name": "hunter2.jsonl"`, "manifest.json: part 3: want \"addins.jsonl\" of kind \"addins\""},
		{"manifest counts", m, `"rooms": "24"`, `"rooms": "31337"`, "manifest.json: counts do not match the parts: rooms"},
		{"record of the wrong kind", "categories.jsonl", `"invitations":true`, `"invitations":"hunter2"`, "categories.jsonl: line 1: invitations: expected true or false, found a string"},
		{"record not JSON", "categories.jsonl", `"invitations":true`, `"invitations":hunter2`, "categories.jsonl: line 1: column 143: expected a value"},
		{"record string number", "categories.jsonl", `"added_on":"`, `"added_on":"hunter2`, "categories.jsonl: line 1: added_on: expected a whole number from -9223372036854775808 to 9223372036854775807 written as a string, found characters other than decimal digits"},
		{"record unknown key", "categories.jsonl", `{"guid"`, `{"hunter2":1,"guid"`, "categories.jsonl: line 1: a field pcmig does not write"},
		{"record GUID", "categories.jsonl", cat, "hunter2", "categories.jsonl: line 1: guid is not a canonical lower-case GUID"},
		{"record surrogate", "categories.jsonl", `"name":"`, `"name":"\ud83d`, "categories.jsonl: line 1: column 56: a lone UTF-16 surrogate escape in a string"},
		{"record enum", "rooms.jsonl", `"privacy":"`, `"privacy":"hunter2`, "rooms.jsonl: line 1: privacy: want Open, Closed or Secret"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bad := rezip(t, good, tt.entry, tt.old, tt.new)
			for _, args := range [][]string{
				{"inspect", bad},
				{"import", "--dry-run", "--db", "sqlite:" + dst, "--file", bad},
			} {
				stdout, stderr, code := runCmd(t, args...)
				if code != exitError {
					t.Errorf("pcmig %s: exit %d, want %d\n%s%s", args[0], code, exitError, stdout, stderr)
				}
				mustContain(t, "pcmig "+args[0]+" stderr", stderr, tt.want)
				// The archive's folder is a temporary one whose random
				// name may hold any digits (it once held 31337).
				said := strings.ReplaceAll(stdout+stderr, filepath.Dir(bad), "DIR")
				for _, s := range []string{"invalid character", "31337", "Go struct", "string tag", "unknown field", "d83d"} {
					if strings.Contains(said, s) {
						t.Errorf("pcmig %s quotes the archive or encoding/json (%q):\n%s", args[0], s, stderr)
					}
				}
				noPlanted(t, stdout+stderr, bad, filepath.Dir(bad))
			}
		})
	}
}

// zipEntry is one entry of a zip file.
func zipEntry(t *testing.T, path, name string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDamagedTopologyNotQuoted: a topology document that is not
// well-formed XML, or not a topology document at all, is refused naming the
// line and what is wrong, never the names, text or declaration of the file
// (encoding/xml quotes them).
func TestDamagedTopologyNotQuoted(t *testing.T) {
	t.Parallel()
	const ns = `xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008"`
	dir := t.TempDir()
	for i, tt := range []struct{ content, want string }{
		{"<Topology " + ns + ">\n<Sites></hunter2>\n</Topology>", "malformed XML: line 2: an end tag does not match the element it closes"},
		{"<Topology " + ns + ">\n<Sites>&hunter2;</Sites></Topology>", "malformed XML: line 2: an unknown character entity"},
		{"<Topology " + ns + "/>\n\n</hunter2>", "malformed XML: line 3: an end tag without its start tag"},
		{"<Topology " + ns + ">\n<Sites></Sites hunter2></Topology>", "malformed XML: line 2: an end tag holds more than the element's name"},
		{"<Topology " + ns + ">\n<Sites hunter2></Sites></Topology>", "malformed XML: line 2: an attribute without '='"},
		{"<Topology " + ns + ">\n<Sites a=hunter2></Sites></Topology>", "malformed XML: line 2: an attribute value without quotes"},
		{"<Topology " + ns + ">\n<Sites>hunter2", "malformed XML: line 2: the file ends inside an element"},
		{`<?xml version="1.0" encoding="hunter2"?><Topology ` + ns + "/>", "the XML declaration names an encoding pcmig does not read"},
		{`<?xml version="hunter2"?><Topology ` + ns + "/>", "malformed XML: the XML declaration names a version other than 1.0"},
		{"<hunter2><Sites/></hunter2>", "the root element is not <Topology xmlns=\"urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008\">"},
		{`<Topology xmlns="urn:hunter2"/>`, "the root element <Topology> is in another namespace"},
	} {
		sub := filepath.Join(dir, strconv.Itoa(i))
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(sub, "topology.xml")
		writeFile(t, path, tt.content)
		stdout, stderr, code := runCmd(t, "topology", "show", "--file", path)
		if code != exitError {
			t.Errorf("topology show %q: exit %d, want %d", tt.content, code, exitError)
		}
		mustContain(t, "stderr", stderr, "pcmig: topology: ", tt.want)
		if strings.Contains(stdout+stderr, "XML syntax error") {
			t.Errorf("topology show %q quotes encoding/xml:\n%s", tt.content, stderr)
		}
		noPlanted(t, stdout+stderr, path, sub)
	}
}

// zipEntries reads every entry of a zip file: their names in order, and
// their bodies by name.
func zipEntries(t *testing.T, path string) (names []string, bodies map[string][]byte) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	bodies = map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		bodies[f.Name], names = b, append(names, f.Name)
	}
	return names, bodies
}

// writeZipOf writes a zip of the entries names, in that order, with
// their bodies.
func writeZipOf(t *testing.T, path string, names []string, bodies map[string][]byte) {
	t.Helper()
	var entries []string
	for _, name := range names {
		entries = append(entries, name, string(bodies[name]))
	}
	writeZip(t, path, entries...)
}

// writeZip writes a zip of the given entries (name, body pairs).
func writeZip(t *testing.T, path string, entries ...string) {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := 0; i+1 < len(entries); i += 2 {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: entries[i], Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(entries[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, b.String())
}

// TestZipEntryNamesNotQuoted: a zip given as an archive whose entry names
// pcmig refuses (any zip: they are checked before its manifest) is refused
// naming the entry by its place in the zip, never by its name.
func TestZipEntryNamesNotQuoted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for i, tt := range []struct {
		entries []string
		want    string
	}{
		{[]string{"ok.txt", "", "hunter2/../../x", ""}, "zip entry 2 escapes the archive"},
		{[]string{"C:hunter2", ""}, "zip entry 1 has a drive letter"},
		{[]string{`dir\hunter2`, ""}, "zip entry 1 contains a backslash"},
		{[]string{"/hunter2", ""}, "zip entry 1 is an absolute path"},
		{[]string{"ab:hunter2", ""}, "zip entry 1 contains a colon"},
		{[]string{"hunter2//x", ""}, "zip entry 1 is not a clean file path"},
		{[]string{"a\x00hunter2", ""}, "zip entry 1 contains a NUL byte"},
		{[]string{"hunter2.txt", "a", "hunter2.txt", "b"}, "zip entry 2 has the name of an earlier entry"},
	} {
		sub := filepath.Join(dir, strconv.Itoa(i))
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(sub, "a.zip")
		writeZip(t, path, tt.entries...)
		stdout, stderr, code := runCmd(t, "inspect", path)
		if code != exitError {
			t.Errorf("inspect of entries %q: exit %d, want %d", tt.entries, code, exitError)
		}
		mustContain(t, "inspect stderr", stderr, tt.want)
		noPlanted(t, stdout+stderr, path, sub)
	}

	// An entry a pcmig archive does not list.
	est := labEstate(t, "--messages", "50")
	good := exportArchive(t, est)
	names, bodies := zipEntries(t, good)
	bodies["hunter2.txt"] = []byte("x")
	path := filepath.Join(dir, "extra.zip")
	writeZipOf(t, path, append(names, "hunter2.txt"), bodies)
	stdout, stderr, code := runCmd(t, "inspect", path)
	if code != exitError {
		t.Errorf("inspect of an archive with an extra entry: exit %d, want %d", code, exitError)
	}
	mustContain(t, "inspect stderr", stderr, "zip entry "+strconv.Itoa(len(names)+1)+" is not listed in the manifest")
	if strings.Contains(stdout+stderr, planted) {
		t.Errorf("inspect quotes the zip's entry name:\n%s", stderr)
	}
}
