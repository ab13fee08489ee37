package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// archiveTaken checks that inspect, a dry run and an import into the
// lab estate's target all take a hand-built archive.
func archiveTaken(t *testing.T, est, archive string) (inspect string) {
	t.Helper()
	inspect, _ = mustRun(t, exitOK, "inspect", archive)
	target := filepath.Join(est, "target-2019.db")
	mustRun(t, exitPending, "import", "--db", "sqlite:"+target, "--file", archive, "--dry-run")
	mustRun(t, exitOK, "import", "--db", "sqlite:"+target, "--file", archive)
	return inspect
}

// archiveRefused checks that inspect, a dry run and an import into the
// lab estate's target each refuse a hand-built archive with an error
// holding want, and that the estate is left as it was.
func archiveRefused(t *testing.T, est, archive string, want ...string) {
	t.Helper()
	before := hashTree(t, est)
	target := filepath.Join(est, "target-2019.db")
	for _, args := range [][]string{
		{"inspect", archive},
		{"import", "--db", "sqlite:" + target, "--file", archive, "--dry-run"},
		{"import", "--db", "sqlite:" + target, "--file", archive},
	} {
		stdout, stderr, code := runCmd(t, args...)
		if code != exitError {
			t.Errorf("pcmig %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args[:len(args)-1], " "), code, exitError, stdout, stderr)
			continue
		}
		mustContain(t, args[0]+": stderr", stderr, want...)
	}
	if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
		t.Errorf("the refused archive changed the estate (-before +after):\n%s", diff)
	}
}

// TestManifestByteOrderMark: Windows Notepad saves a manifest edited
// there as UTF-8 with a byte order mark, which RFC 8259 §8.1 lets a
// parser ignore; the manifest carries no checksum of itself. Such an
// archive is taken as it was before the edit. Saved as "Unicode"
// (UTF-16) it is refused saying so, and a part (whose bytes the
// manifest's sha256 covers) with a mark says what the mark is. All three
// were refused with "line 1, column 1: expected a value".
func TestManifestByteOrderMark(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	good := exportArchive(t, est)
	want, _ := mustRun(t, exitOK, "inspect", good)
	bom := editArchive(t, good, func(name string, b []byte) []byte {
		if name == "manifest.json" {
			return append([]byte("\ufeff"), b...)
		}
		return b
	})
	got := archiveTaken(t, est, bom)
	size := regexp.MustCompile(`(?m)^Size: .*$`)
	if size.ReplaceAllString(want, "") != size.ReplaceAllString(got, "") {
		t.Errorf("inspect of the archive with a byte order mark differs:\n%s\nwant:\n%s", got, want)
	}

	utf16 := editArchive(t, good, func(name string, b []byte) []byte {
		if name != "manifest.json" {
			return b
		}
		out := []byte{0xff, 0xfe}
		for _, c := range string(b) {
			if c > 0xffff {
				t.Fatal("the manifest has a character outside the BMP")
			}
			out = append(out, byte(c), byte(c>>8))
		}
		return out
	})
	archiveRefused(t, est, utf16, "manifest.json is UTF-16 text", "save it as UTF-8")

	partBOM := editArchive(t, good, func(name string, b []byte) []byte {
		if name == "addins.jsonl" {
			return append([]byte("\ufeff"), b...)
		}
		return b
	})
	archiveRefused(t, est, partBOM, "archive part addins.jsonl: line 1: starts with a byte order mark (U+FEFF)")
}

// TestEscapedAndLeapSecondTimes: docs/archive-format.md §2 says readers
// accept every JSON escape, and "\u0074" is JSON's "t": an encoder may
// write any character of a time so. A principal's verified_on and the
// manifest's created written with escapes are read as the same instants
// (inspect shows what it showed; the import takes them). They were
// refused ("expected a time in RFC 3339 form"). A leap second (23:59:60,
// which RFC 3339 allows) is refused naming it: no SQL Server datetime
// holds one, and reading it as another second would change the data.
func TestEscapedAndLeapSecondTimes(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	good := exportArchive(t, est)
	want, _ := mustRun(t, exitOK, "inspect", good)
	verified := regexp.MustCompile(`"verified_on":"([0-9-]+)T([0-9:.]+)Z"`)
	created := regexp.MustCompile(`"created": "([0-9-]+)T([0-9:.]+)Z"`)
	escape := func(s string) string {
		return strings.NewReplacer("T", `\u0074`, "Z", `\u007a`, "2", `\u0032`).Replace(s)
	}
	escaped := editArchive(t, good, func(name string, b []byte) []byte {
		switch name {
		case "principals.jsonl":
			return verified.ReplaceAllFunc(b, func(m []byte) []byte { return []byte(`"verified_on":` + escape(string(m[len(`"verified_on":`):]))) })
		case "manifest.json":
			return created.ReplaceAllFunc(b, func(m []byte) []byte { return []byte(`"created": ` + escape(string(m[len(`"created": `):]))) })
		}
		return b
	})
	if strings.Contains(string(zipEntry(t, escaped, "manifest.json")), `"created": "2`) || verified.Match(zipEntry(t, escaped, "principals.jsonl")) {
		t.Fatal("the archive's times were not all escaped")
	}
	got := archiveTaken(t, est, escaped)
	size := regexp.MustCompile(`(?m)^Size: .*$`)
	if size.ReplaceAllString(want, "") != size.ReplaceAllString(got, "") {
		t.Errorf("inspect of the archive with escaped times differs:\n%s\nwant:\n%s", got, want)
	}

	leap := editArchive(t, good, func(name string, b []byte) []byte {
		if name == "principals.jsonl" {
			return verified.ReplaceAll(b, []byte(`"verified_on":"2016-12-31T23:59:60Z"`))
		}
		return b
	})
	archiveRefused(t, est, leap, "archive part principals.jsonl: line 1: ", "verified_on: a leap second (second 60)")
	leap = editArchive(t, good, func(name string, b []byte) []byte {
		if name == "manifest.json" {
			return created.ReplaceAll(b, []byte(`"created": "2016-12-31T23:59:60Z"`))
		}
		return b
	})
	archiveRefused(t, est, leap, "manifest.json: ", "created: a leap second (second 60)")
}

// TestWholeNumbersWithFractionOrExponent: the small integers (format,
// state, pool_id, policy_id) are JSON numbers (docs/archive-format.md §2),
// and JSON has one kind of number: an encoder whose numbers are doubles
// (PowerShell's, Python's) may write 1 as 1.0 or 1e0. Such an archive is
// taken as the one written with 1 (inspect shows the same; the import
// takes it and the principals get the same state and pool); a number
// that is not whole (1.5) is still refused. They were refused ("format is
// missing or not an integer", "state: expected a whole number").
func TestWholeNumbersWithFractionOrExponent(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	// The lab's principals have no pool_id: give them one.
	good := editArchive(t, exportArchive(t, est), func(name string, b []byte) []byte {
		if name == "principals.jsonl" {
			return []byte(strings.ReplaceAll(string(b), `"pool_id":null`, `"pool_id":7`))
		}
		return b
	})
	want, _ := mustRun(t, exitOK, "inspect", good)
	state := regexp.MustCompile(`"state":(\d)`)
	pool := regexp.MustCompile(`"pool_id":(\d+)`)
	doubles := editArchive(t, good, func(name string, b []byte) []byte {
		switch name {
		case "principals.jsonl":
			if !pool.Match(b) || !state.Match(b) {
				t.Fatal("no principal has a state and a pool_id to write as doubles")
			}
			return pool.ReplaceAll(state.ReplaceAll(b, []byte(`"state":${1}.0`)), []byte(`"pool_id":${1}e0`))
		case "manifest.json":
			return []byte(strings.Replace(string(b), `"format": 1,`, `"format": 1.0,`, 1))
		}
		return b
	})
	if !strings.Contains(string(zipEntry(t, doubles, "manifest.json")), `"format": 1.0,`) {
		t.Fatal("the manifest's format was not edited")
	}
	got := archiveTaken(t, est, doubles)
	size := regexp.MustCompile(`(?m)^Size: .*$`)
	if size.ReplaceAllString(want, "") != size.ReplaceAllString(got, "") {
		t.Errorf("inspect of the archive with 1.0 and 1e0 differs:\n%s\nwant:\n%s", got, want)
	}
	target := filepath.Join(est, "target-2019.db")
	q := `SELECT group_concat(prinDisabled || '/' || coalesce(prinPoolID, '-'), ',') FROM (SELECT prinDisabled, prinPoolID FROM tblPrincipal ORDER BY prinGuid)`
	imported := sqliteQuery(t, target, q)
	if !strings.Contains(imported, "/7") {
		t.Fatalf("no principal imported with pool 7: %s", imported)
	}
	other := filepath.Join(t.TempDir(), "target.db")
	writeFile(t, other, string(readFile(t, filepath.Join(labEstate(t, "--messages", "20"), "target-2019.db"))))
	mustRun(t, exitOK, "import", "--db", "sqlite:"+other, "--file", good)
	if want := sqliteQuery(t, other, q); imported != want {
		t.Errorf("principals' state/pool imported from 1.0 and 1e0:\n%s\nwant (from 0 and 1):\n%s", imported, want)
	}

	half := editArchive(t, good, func(name string, b []byte) []byte {
		if name == "principals.jsonl" {
			return state.ReplaceAll(b, []byte(`"state":${1}.5`))
		}
		return b
	})
	archiveRefused(t, est, half, "archive part principals.jsonl: line 1: ", "state: expected a whole number")
}

// TestScopeNamesEveryCategoryOnce: the export refuses a --scope name the
// pool has no category of and writes the names as given, so a name given
// twice (Sales, sales) is in the manifest twice: such an archive is
// taken. A manifest whose scope names a category the archive does not
// hold (categories.jsonl lost it, or the manifest was edited) is refused
// by the dry run and the import, naming it, before anything is written:
// it was imported without a word, bringing less than the scope says. A
// User archive holds no categories, whatever its scope: taken.
func TestScopeNamesEveryCategoryOnce(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	src := filepath.Join(est, "source-2015.db")
	cat := sqliteQuery(t, src, `SELECT nodeName FROM tblNode WHERE nodeID <> parentID AND nodeID IN (SELECT parentID FROM tblNode WHERE nodeID <> parentID) ORDER BY nodeName LIMIT 1`)
	twice := filepath.Join(t.TempDir(), "twice.zip")
	mustRun(t, exitOK, "export", "--db", "sqlite:"+src, "--file", twice, "--scope", cat, "--scope", strings.ToUpper(cat), "--scope", cat)
	man := string(zipEntry(t, twice, "manifest.json"))
	if strings.Count(strings.ToLower(man), strings.ToLower(`"`+cat+`"`)) != 3 {
		t.Fatalf("the manifest does not name the category three times:\n%s", man)
	}
	archiveTaken(t, est, twice)

	const lost = "Not In This Archive"
	addName := func(name string, b []byte) []byte {
		if name == "manifest.json" {
			return []byte(regexp.MustCompile(`"scope": \[`).ReplaceAllLiteralString(string(b), `"scope": ["`+lost+`", `))
		}
		return b
	}
	target := filepath.Join(est, "target-2019.db")
	before := hashTree(t, est)
	edited := editArchive(t, twice, addName)
	_, stderr := mustRun(t, exitError, "inspect", edited) // the import's check (arch28)
	mustContain(t, "inspect", stderr, `scope name "`+lost+`": the manifest's scope names it`)
	for _, args := range [][]string{{"--dry-run"}, nil} {
		stdout, stderr := mustRun(t, exitError, append([]string{"import", "--db", "sqlite:" + target, "--file", edited}, args...)...)
		mustContain(t, "output", stdout+stderr, `scope name "`+lost+`": the manifest's scope names it, but the archive holds no category of that name`, "nothing was written")
	}
	if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
		t.Errorf("the refused archive changed the estate (-before +after):\n%s", diff)
	}

	users := filepath.Join(t.TempDir(), "users.zip")
	mustRun(t, exitOK, "export", "--db", "sqlite:"+src, "--file", users, "--level", "User", "--scope", cat)
	archiveTaken(t, labEstate(t, "--messages", "20"), editArchive(t, users, addName))
}

// TestControlCharactersInNamesAndURIs: a principal's uri holding a
// control character (U+0000, U+001B, U+009B) is refused by the dry run and
// the import before anything is written, naming the principal (escaped)
// and what to do: no SIP address has one, user.load refuses one, and SQL
// Server's collations ignore most control characters when comparing, so
// the uri would name someone else. A category, room or add-in name holding
// one is imported as it is (the source pool holds it; pcmig shows it
// escaped), with a warning naming it: clients show nothing in its place.
// Both were imported without a word. Descriptions carry any character
// exactly, as docs/archive-format.md §2 says.
func TestControlCharactersInNamesAndURIs(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	good := exportArchive(t, est)
	firstValue := func(part, key string) string {
		m := regexp.MustCompile(`"` + key + `":"([^"\\]+)"`).FindStringSubmatch(string(zipEntry(t, good, part)))
		if m == nil {
			t.Fatalf("%s has no %s", part, key)
		}
		return m[1]
	}
	// head is a name's first character, tail the rest.
	head := func(s string) string { _, n := utf8.DecodeRuneInString(s); return s[:n] }
	tail := func(s string) string { return s[len(head(s)):] }
	// The value old of key in part (and its references in rooms.jsonl,
	// under ref) gets esc after its first letter.
	insert := func(part, key, ref, old, esc string) func(string, []byte) []byte {
		return func(name string, b []byte) []byte {
			switch name {
			case part:
				return []byte(strings.ReplaceAll(string(b), `"`+key+`":"`+old+`"`, `"`+key+`":"`+head(old)+esc+tail(old)+`"`))
			case "rooms.jsonl":
				if ref != "" {
					return []byte(strings.ReplaceAll(string(b), `"`+ref+`":"`+old+`"`, `"`+ref+`":"`+head(old)+esc+tail(old)+`"`))
				}
			}
			return b
		}
	}
	target := filepath.Join(est, "target-2019.db")
	uri := firstValue("principals.jsonl", "uri")
	for _, esc := range []string{`\u0000`, `\u001b[2J`, `\u009b`} {
		edited := editArchive(t, good, insert("principals.jsonl", "uri", "", uri, esc))
		_, stderr := mustRun(t, exitError, "inspect", edited) // the import's check (arch28)
		mustContain(t, esc+": inspect", stderr, "its uri holds a control character (U+00")
		before := hashTree(t, est)
		for _, args := range [][]string{{"--dry-run"}, nil} {
			stdout, stderr := mustRun(t, exitError, append([]string{"import", "--db", "sqlite:" + target, "--file", edited}, args...)...)
			mustContain(t, esc+": output", stdout+stderr, "its uri holds a control character (U+00", "which no SIP address has", "export again", "nothing was written")
			if strings.ContainsAny(stdout+stderr, "\x00\x1b\u009b") {
				t.Errorf("%s: the output holds the control character itself", esc)
			}
		}
		if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
			t.Errorf("%s: the refused archive changed the estate (-before +after):\n%s", esc, diff)
		}
	}

	room, cat, addin := firstValue("rooms.jsonl", "name"), firstValue("categories.jsonl", "name"), firstValue("addins.jsonl", "name")
	names := editArchive(t, good, func(name string, b []byte) []byte {
		b = insert("rooms.jsonl", "name", "", room, `\u0000`)(name, b)
		b = insert("categories.jsonl", "name", "category", cat, `\u001b[2J`)(name, b)
		b = insert("addins.jsonl", "name", "addin", addin, `\u009b`)(name, b)
		if name == "rooms.jsonl" {
			b = []byte(strings.Replace(string(b), `"description":"`, `"description":"\u0000\u001b[31m`, 1))
		}
		return b
	})
	mustRun(t, exitOK, "inspect", names)
	stdout, stderr := mustRun(t, exitOK, "import", "--db", "sqlite:"+target, "--file", names)
	mustContain(t, "output", stdout+stderr,
		`warning: room "`+head(room)+`\x00`+tail(room)+`": its name holds a control character (U+0000); imported as it is`,
		`warning: category "`+head(cat)+`\x1b[2J`+tail(cat)+`": its name holds a control character (U+001B); imported as it is`,
		`warning: add-in "`+head(addin)+`\u009b`+tail(addin)+`": its name holds a control character (U+009B); imported as it is`)
	for q, want := range map[string]string{
		`SELECT count(*) FROM tblNode WHERE hex(CAST(nodeName AS BLOB)) = hex('` + head(room) + `' || char(0) || '` + tail(room) + `')`:              "1",
		`SELECT count(*) FROM tblNode WHERE hex(CAST(nodeName AS BLOB)) = hex('` + head(cat) + `' || char(27) || '[2J` + tail(cat) + `')`:            "1",
		`SELECT count(*) FROM tblSiopWhiteList WHERE hex(CAST(siopName AS BLOB)) = hex('` + head(addin) + `' || char(155) || '` + tail(addin) + `')`: "1",
		`SELECT count(*) FROM tblNode WHERE hex(substr(CAST(nodeDesc AS BLOB), 1, 4)) = '001B5B33'`:                                                  "1",
	} {
		if got := sqliteQuery(t, target, q); got != want {
			t.Errorf("%s: %s, want %s", q, got, want)
		}
	}
}
