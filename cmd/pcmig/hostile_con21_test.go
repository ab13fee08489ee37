package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// hostileDirName is a folder name worded as pcmig's own console lines: a
// line feed, then "EQUAL: fake", then a carriage return.
const hostileDirName = "est\nEQUAL: fake\r"

// TestConsoleOfHostilePathsEndToEnd: the paths pcmig prints itself (the
// estate's files, its databases and file stores, the archive, --report,
// --plan, a lab's folder) come from the command line and the file system
// and may hold line breaks; each is shown on one line, its line breaks as
// \n and \r. Before, "Plan: ", "Report: ", the doctor's database heading
// and checks, the export's and import's summaries, inventory's heading
// and lab init's lines printed them raw, and "EQUAL: fake" started a
// console line.
func TestConsoleOfHostilePathsEndToEnd(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), hostileDirName)
	copyDir(t, labEstate(t, "--messages", "100"), dir)
	estFile := filepath.Join(dir, "estate.lua")
	src, tgt := "sqlite:"+filepath.Join(dir, "source-2015.db"), "sqlite:"+filepath.Join(dir, "target-2019.db")
	zip := filepath.Join(dir, "x.zip")
	for _, args := range [][]string{
		{"doctor", "--estate", estFile},
		{"doctor", "--db", src},
		{"run", "--estate", estFile, "--dry-run", "--plan", filepath.Join(dir, "plan.json")},
		{"export", "--db", src, "--file", zip, "--report", filepath.Join(dir, "export.json")},
		{"import", "--db", tgt, "--file", zip, "--dry-run", "--report", filepath.Join(dir, "import.json")},
		{"inventory", "--db", src, "--file-store", filepath.Join(dir, "filestore-2015")},
		{"run", "--estate", estFile, "--report", filepath.Join(dir, "run.html"), "--plan", filepath.Join(dir, "plan.json")},
		{"verify", "--estate", estFile, "--report", filepath.Join(dir, "verify.json")},
		{"lab", "init", filepath.Join(dir, "lab"), "--messages", "10"},
	} {
		stdout, stderr, code := runCmd(t, args...)
		what := strings.Join(args[:2], " ")
		if code != 0 && code != exitPending {
			t.Errorf("pcmig %s: exit %d\n%s%s", what, code, stdout, stderr)
		}
		checkConsoleLines(t, what, stdout+stderr)
		if !strings.Contains(stdout+stderr, `est\nEQUAL: fake\r`) {
			t.Errorf("pcmig %s: the path is not shown escaped:\n%s%s", what, stdout, stderr)
		}
	}
	for _, f := range []string{"plan.json", "export.json", "import.json", "run.html", "verify.json", "lab/estate.lua"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s was not written: %v", f, err)
		}
	}
}

// realEstateFile turns a lab estate into a real one (its old share looked
// up at run time, the new one given) and applies edit to the estate
// file's text.
func realEstateFile(t *testing.T, est string, edit func(string) string) string {
	t.Helper()
	estFile := filepath.Join(est, "estate.lua")
	s := string(readFile(t, estFile))
	s = strings.Replace(s, `kind = "lab"`, `kind = "real"`, 1)
	s = strings.Replace(s, `file_store = "filestore-2015",`, "", 1)
	s = strings.Replace(s, `file_store = "filestore-2019",`, `file_store = [[\\fs19.contoso.com\pchat]],`, 1)
	if edit != nil {
		e := edit(s)
		if e == s {
			t.Fatal("the edit changed nothing")
		}
		s = e
	}
	writeFile(t, estFile, s)
	return estFile
}

// TestEstateRefusesPoolsThatAreNotHostNames: a pool or registrar of the
// estate that is not a host name (a line break and terminal escape, a
// PowerShell quote and command, an em dash PowerShell reads as "-", a
// right-to-left override) is refused when the estate is loaded, naming the
// field and its line, never the value, before anything is written. Before,
// a real run exported and imported, then stopped at step 7 ("target pool
// ... is not an FQDN", the value quoted) with the import done.
func TestEstateRefusesPoolsThatAreNotHostNames(t *testing.T) {
	t.Parallel()
	base := labEstate(t, "--messages", "100")
	for _, tc := range []struct{ field, old, value string }{
		{"target.registrar", `registrar = "fe19.contoso.com"`, "fe19.contoso.com\n\x1b[31mEQUAL: fake"},
		{"source.registrar", `registrar = "fe15.contoso.com"`, "fe15.contoso.com'; Remove-Item -Recurse C:\\; '"},
		{"target.pool", `pool = "pchat19.contoso.com"`, "pchat19.contoso.com \u2014Force"},
		{"source.pool", `pool = "pchat15.contoso.com"`, "pchat15.contoso.com\u202e$(calc)"},
	} {
		t.Run(tc.field, func(t *testing.T) {
			est := filepath.Join(t.TempDir(), "estate")
			copyDir(t, base, est)
			estFile := realEstateFile(t, est, func(s string) string {
				return strings.Replace(s, tc.old, strings.SplitN(tc.old, "=", 2)[0]+"= "+luaQuote(tc.value), 1)
			})
			before := hashTree(t, est)
			for _, args := range [][]string{
				{"run", "--estate", estFile, "--runbook", filepath.Join(est, "rb.ps1")},
				{"run", "--estate", estFile, "--dry-run"},
				{"doctor", "--estate", estFile},
			} {
				stdout, stderr, code := runCmd(t, args...)
				what := strings.Join(args[:2], " ")
				if code == 0 || code == exitPending {
					t.Errorf("%s: exit %d, want a refusal\n%s%s", what, code, stdout, stderr)
				}
				mustContain(t, what, stderr, tc.field+": want a host name")
				if strings.Contains(stdout, "Step 1") || strings.Contains(stdout+stderr, "Remove-Item") || strings.Contains(stdout+stderr, "calc") {
					t.Errorf("%s: ran, or quoted the value:\n%s%s", what, stdout, stderr)
				}
				checkConsoleLines(t, what, stdout+stderr)
			}
			if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
				t.Errorf("a refused estate changed files (-before +after):\n%s", diff)
			}
		})
	}
}

// luaQuote is s as a Lua string literal in decimal escapes for every byte
// outside printable ASCII and for quotes and backslashes.
func luaQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			fmt.Fprintf(&b, "\\%d", c)
			continue
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
	return b.String()
}

// hostileValue holds HTML and script, a terminal escape and an OSC 8
// hyperlink, a bell, a C1 CSI and a right-to-left override.
const hostileValue = "</script><img src=x onerror=alert(1)>\x1b]8;;javascript:alert(1)\x07\u009b2J\u202e"

// rawControl reports the first character of s that no output may hold
// raw: C0 controls other than tab, line feed and carriage return, DEL,
// C1 controls and the bidirectional formatting characters.
func rawControl(s string) (rune, bool) {
	for _, r := range s {
		switch {
		case r == '\t', r == '\n', r == '\r':
		case r < 0x20, r >= 0x7f && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
			return r, true
		}
	}
	return 0, false
}

// tagWithHandler is an HTML tag with an event handler attribute.
var tagWithHandler = regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=`)

// TestHostileDatabaseValuesEndToEnd: a source pool whose category and
// room names and descriptions, add-in name and URL, a principal's display
// name and an uploaded file's name hold HTML and script, terminal escapes,
// C1 controls and a bidi override goes through the run, verify, export,
// import, inventory, doctor and inspect, with HTML and JSON reports and a
// plan: no console line and no report holds such a character raw, no
// HTML report holds markup or a javascript: link from the values, every
// JSON file is valid and still holds the values (escaped). Before, the
// HTML reports held the raw ESC and BEL (a browser shows nothing for
// them; the file in a terminal acts on them) and the JSON reports the raw
// U+009B (CSI) and U+202E.
func TestHostileDatabaseValuesEndToEnd(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	db := openDBWrite(t, filepath.Join(est, "source-2015.db"))
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE tblNode SET nodeName = 'Eng' || ?, nodeDesc = '<script>alert(1)</script>' || char(10) || 'EQUAL: fake' WHERE nodeName = 'Engineering'`, []any{hostileValue}},
		{`UPDATE tblNode SET nodeName = 'Mob' || ?, nodeDesc = ? WHERE nodeName = 'Mobile App'`, []any{hostileValue, "desc" + hostileValue}},
		{`UPDATE tblSiopWhiteList SET siopName = ?, siopUrl = 'javascript:alert(1)' WHERE siopName = 'Contoso Wiki'`, []any{"W<img onerror=x>\x1b[2J\u009b\u202e"}},
		{`UPDATE tblPrincipal SET prinDisplayName = ? WHERE prinID = (SELECT MIN(prinID) FROM tblPrincipal WHERE prinUri LIKE 'sip:%')`, []any{"Disp" + hostileValue}},
		{`UPDATE tblChat SET content = ? WHERE (channelId, chatId) = (SELECT channelId, chatId FROM tblChat WHERE content LIKE 'ma-filelink:%' ORDER BY channelId, chatId LIMIT 1)`,
			[]any{"ma-filelink:///fs01.contoso.com/pchat/x/y/<img src=x onerror=alert(1)>\x1b[2J\u009b.pdf"}},
	} {
		res, err := db.Exec(q.sql, q.args...)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("%s: %d rows", q.sql, n)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	estFile := filepath.Join(est, "estate.lua")
	src, tgt := "sqlite:"+filepath.Join(est, "source-2015.db"), "sqlite:"+filepath.Join(est, "target-2019.db")
	out := t.TempDir()
	at := func(name string) string { return filepath.Join(out, name) }
	for _, args := range [][]string{
		{"run", "--estate", estFile, "--dry-run", "--plan", at("plan.json"), "--log-level", "debug"},
		{"run", "--estate", estFile, "--report", at("run.html"), "--log-level", "debug"},
		{"run", "--estate", estFile, "--report", at("run.json")},
		{"verify", "--estate", estFile, "--report", at("verify.html")},
		{"verify", "--estate", estFile, "--report", at("verify.json"), "--json"},
		{"export", "--db", src, "--file", at("x.zip"), "--report", at("export.html")},
		{"export", "--db", src, "--file", at("y.zip"), "--report", at("export.json")},
		{"import", "--db", tgt, "--file", at("x.zip"), "--dry-run", "--report", at("import.html")},
		{"import", "--db", tgt, "--file", at("x.zip"), "--dry-run", "--report", at("import.json")},
		{"inventory", "--db", src, "--file-store", filepath.Join(est, "filestore-2015")},
		{"inventory", "--db", src, "--json"},
		{"doctor", "--estate", estFile},
		{"doctor", "--estate", estFile, "--json"},
		{"inspect", at("x.zip")},
		{"inspect", at("x.zip"), "--json"},
	} {
		stdout, stderr, code := runCmd(t, args...)
		what := strings.Join(args, " ")
		if code != 0 && code != exitPending {
			t.Errorf("pcmig %s: exit %d\n%s%s", what, code, stdout, stderr)
		}
		checkConsoleLines(t, what, stdout+stderr)
		if r, ok := rawControl(stdout + stderr); ok {
			t.Errorf("pcmig %s: the console got U+%04X raw", what, r)
		}
	}
	for _, name := range []string{"plan.json", "run.html", "run.json", "verify.html", "verify.json", "export.html", "export.json", "import.html", "import.json"} {
		b := readFile(t, at(name))
		s := string(b)
		if r, ok := rawControl(s); ok {
			i := strings.IndexRune(s, r)
			t.Errorf("%s holds U+%04X raw: %q", name, r, s[max(0, i-60):min(len(s), i+20)])
		}
		if strings.HasSuffix(name, ".json") {
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Errorf("%s is not JSON: %v", name, err)
			}
			if name != "plan.json" && !strings.Contains(s, "Mob") {
				t.Errorf("%s lost the room's name", name)
			}
			continue
		}
		low := strings.ToLower(s)
		for _, bad := range []string{"<img", "<script", "</script", "href=\"javascript:"} {
			if strings.Contains(low, bad) {
				t.Errorf("%s holds %q from a value", name, bad)
			}
		}
		if m := tagWithHandler.FindString(s); m != "" {
			t.Errorf("%s holds a tag with an event handler: %q", name, m)
		}
		if !strings.Contains(s, "[U+001B]") || !strings.Contains(s, "[U+202E]") {
			t.Errorf("%s does not show the hidden characters as codes", name)
		}
	}
}

// TestRealEstateRefusesAShareRobocopyWouldSplit: a real estate's file
// store holding a double quote (or another character Windows allows in no
// path) is refused when the estate is loaded, naming the field, before
// anything is written. Before, the runbook passed it to robocopy.exe, and
// Windows PowerShell 5.1 passes a native argument's double quotes
// unescaped: '\\fs15.contoso.com\pchat" "C:\Windows" /MIR "x y' reaches
// robocopy as four arguments and mirrors the share into C:\Windows.
func TestRealEstateRefusesAShareRobocopyWouldSplit(t *testing.T) {
	t.Parallel()
	base := labEstate(t, "--messages", "100")
	for _, tc := range []struct{ field, share string }{
		{"source.file_store", `\\fs15.contoso.com\pchat" "C:\Windows" /MIR "x y`},
		{"target.file_store", "\\\\fs19.contoso.com\\pchat\n\x1b[2J"},
	} {
		t.Run(tc.field, func(t *testing.T) {
			est := filepath.Join(t.TempDir(), "estate")
			copyDir(t, base, est)
			estFile := realEstateFile(t, est, func(s string) string {
				if tc.field == "source.file_store" {
					return strings.Replace(s, `registrar = "fe15.contoso.com",`, `registrar = "fe15.contoso.com", file_store = `+luaQuote(tc.share)+`,`, 1)
				}
				return strings.Replace(s, `file_store = [[\\fs19.contoso.com\pchat]],`, `file_store = `+luaQuote(tc.share)+`,`, 1)
			})
			before := hashTree(t, est)
			for _, args := range [][]string{
				{"run", "--estate", estFile, "--runbook", filepath.Join(est, "rb.ps1")},
				{"run", "--estate", estFile, "--dry-run", "--runbook", filepath.Join(est, "dry.ps1")},
			} {
				stdout, stderr, code := runCmd(t, args...)
				what := strings.Join(args, " ")
				if code == 0 || code == exitPending {
					t.Errorf("%s: exit %d, want a refusal\n%s%s", what, code, stdout, stderr)
				}
				mustContain(t, what, stderr, tc.field+` holds a character Windows allows in no path (" < > | * or a control character)`)
				if strings.Contains(stdout+stderr, "MIR") || strings.Contains(stdout, "Step 1") {
					t.Errorf("%s: ran, or quoted the share:\n%s%s", what, stdout, stderr)
				}
				checkConsoleLines(t, what, stdout+stderr)
			}
			if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
				t.Errorf("a refused estate changed files (-before +after):\n%s", diff)
			}
		})
	}
}

// TestEstateTextsAndPoolSettingsPrintedOnOneLine: the bundled script
// prints the estate's site and the lab's pool settings (a compliance
// output folder, an endpoint's SIP address) as they are. A site holding
// a line break or a control character is refused when the estate is
// loaded (so is the estate's name), naming the field and its line; the
// pool settings' values are shown on one line. Before, "site Red" was
// followed by a console line "EQUAL: fake..." and the settings step
// printed "EQUAL: fake, RunInterval ..." and "EQUAL: fake@contoso.com:
// move ..." as lines of their own.
func TestEstateTextsAndPoolSettingsPrintedOnOneLine(t *testing.T) {
	t.Parallel()
	base := labEstate(t, "--messages", "100")
	for _, tc := range []struct{ field, old, value string }{
		{"site", `site = "Redmond"`, `Red\nEQUAL: fake\r\194\155` + "2J"},
		{"name", `name = "Contoso lab"`, `Contoso \27]0;pwned\7lab`},
	} {
		est := filepath.Join(t.TempDir(), "estate")
		copyDir(t, base, est)
		estFile := filepath.Join(est, "estate.lua")
		editEstate(t, estFile, tc.old, strings.SplitN(tc.old, "=", 2)[0]+`= "`+tc.value+`"`)
		before := hashTree(t, est)
		for _, args := range [][]string{{"run", "--estate", estFile}, {"run", "--estate", estFile, "--dry-run"}} {
			stdout, stderr, code := runCmd(t, args...)
			if code == 0 || code == exitPending {
				t.Errorf("%s %s: exit %d, want a refusal\n%s%s", tc.field, strings.Join(args, " "), code, stdout, stderr)
			}
			mustContain(t, tc.field, stderr, tc.field+": holds a line break, a control character or a bidirectional control")
			checkConsoleLines(t, tc.field, stdout+stderr)
			if strings.Contains(stdout+stderr, "pwned") || strings.Contains(stdout, "Step 1") {
				t.Errorf("%s: ran, or quoted the value:\n%s%s", tc.field, stdout, stderr)
			}
		}
		if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
			t.Errorf("%s: a refused estate changed files (-before +after):\n%s", tc.field, diff)
		}
	}

	est := filepath.Join(t.TempDir(), "estate")
	copyDir(t, base, est)
	ps := filepath.Join(est, "pool-settings.json")
	s := string(readFile(t, ps))
	for _, r := range [][2]string{
		{`"\\\\fs01.contoso.com\\compliance"`, `"\\\\fs01\nEQUAL: fake\r"`},
		{`"sip:ocschat@contoso.com"`, `"sip:oc\nEQUAL: fake@contoso.com"`},
	} {
		if !strings.Contains(s, r[0]) {
			t.Fatalf("the lab's pool settings have no %s:\n%s", r[0], s)
		}
		s = strings.Replace(s, r[0], r[1], 1)
	}
	writeFile(t, ps, s)
	stdout, stderr := mustRun(t, 0, "run", "--estate", filepath.Join(est, "estate.lua"))
	checkConsoleLines(t, "pool settings", stdout+stderr)
	mustContain(t, "pool settings", stdout, `AdapterOutputDirectory \\fs01\nEQUAL: fake\r, RunInterval`, `endpoint sip:oc\nEQUAL: fake@contoso.com: move`)
}

// TestZeroWidthCharactersShownEndToEnd: a category named "Sa<U+200B>les"
// and a room named "<U+FEFF>Mobile App<U+2060>" read as "Sales" and
// "Mobile App" wherever the characters pass unseen. The console shows
// them as \u200B, \uFEFF and \u2060 and the HTML report as [U+200B]; the
// zero-width joiner of an emoji sequence is kept. Before, both passed raw.
func TestZeroWidthCharactersShownEndToEnd(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "100")
	db := openDBWrite(t, filepath.Join(est, "source-2015.db"))
	for _, q := range []string{
		"UPDATE tblNode SET nodeName = 'Sa\u200bles' WHERE nodeName = 'Sales'",
		"UPDATE tblNode SET nodeName = '\ufeffMobile App\u2060' WHERE nodeName = 'Mobile App'",
		"UPDATE tblNode SET nodeName = 'Ops \U0001F469\u200d\U0001F4BB' WHERE nodeName = 'Ops On-Call'",
	} {
		if res, err := db.Exec(q); err != nil {
			t.Fatal(err)
		} else if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("%s: %d rows", q, n)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	estFile := filepath.Join(est, "estate.lua")
	report := filepath.Join(t.TempDir(), "run.html")
	for _, args := range [][]string{
		{"run", "--estate", estFile, "--dry-run"},
		{"run", "--estate", estFile, "--report", report},
		{"inventory", "--db", "sqlite:" + filepath.Join(est, "target-2019.db")},
	} {
		stdout, stderr, code := runCmd(t, args...)
		what := strings.Join(args[:2], " ")
		if code != 0 && code != exitPending {
			t.Errorf("%s: exit %d\n%s%s", what, code, stdout, stderr)
		}
		if strings.ContainsAny(stdout+stderr, "\u200b\ufeff\u2060") {
			t.Errorf("%s: a zero-width character reached the console raw", what)
		}
		if !slices.Contains(args, "--report") { // the real run prints no names
			mustContain(t, what, stdout+stderr, `Sa\u200Bles`, `\uFEFFMobile App\u2060`, "Ops \U0001F469\u200d\U0001F4BB")
		}
	}
	html := string(readFile(t, report))
	if strings.ContainsAny(html, "\u200b\ufeff\u2060") {
		t.Error("a zero-width character is raw in the HTML report")
	}
	mustContain(t, "HTML report", html, "Sa[U+200B]les", "[U+FEFF]Mobile App[U+2060]", "Ops \U0001F469\u200d\U0001F4BB")
}
