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
	"time"
)

// runbookScopeFiles reads the $ScopeFiles list of a runbook (one quoted
// path a line), with / between folders; ok is false when it has none.
func runbookScopeFiles(t *testing.T, book string) (files []string, ok bool) {
	t.Helper()
	text := string(readFile(t, book))
	i := strings.Index(text, "$ScopeFiles = @(")
	if i < 0 {
		return nil, strings.Contains(text, "$ScopeFiles = @()")
	}
	rest := text[i+len("$ScopeFiles = @("):]
	end := regexp.MustCompile(`\n\s*\)`).FindStringIndex(rest)
	if end == nil {
		t.Fatal("$ScopeFiles has no end")
	}
	body := rest[:end[0]]
	for _, l := range strings.Split(strings.TrimSpace(body), "\n") {
		l = strings.TrimSpace(l)
		if len(l) < 2 || l[0] != '\'' || l[len(l)-1] != '\'' {
			t.Fatalf("a line of $ScopeFiles is not a quoted path: %q", l)
		}
		files = append(files, strings.ReplaceAll(strings.ReplaceAll(l[1:len(l)-1], "''", "'"), `\`, "/"))
	}
	slices.Sort(files)
	return files, true
}

// TestRoutedRealEstateCopiesOnlyItsFiles: a real estate's runbook copied
// the whole source file share to every target with robocopy /E, while the
// lab copied only the files the scope's rooms link to: every routed pool
// got the other pools' uploaded files (pools exist for data residency),
// and the run only warned. Now the runbook lists the files the messages of
// the scope's rooms link to and copies those, with the never-overwrite
// check, robocopy /XC /XN /XO and the size check; an estate without a
// scope still copies the whole share.
func TestRoutedRealEstateCopiesOnlyItsFiles(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	useRoutes(t, dir, routesBoth)
	src := openDB(t, filepath.Join(dir, "source-2015.db"))
	for _, c := range []struct {
		estate string
		cats   []string
	}{
		{"emea.lua", []string{"Engineering", "Sales"}},
		{"amer.lua", []string{"Finance", "Support", "Människor & Kultur", "東京オフィス"}},
	} {
		est := filepath.Join(dir, c.estate)
		editEstate(t, est, `kind = "lab"`, `kind = "real"`)
		book := filepath.Join(dir, "dry-"+strings.TrimSuffix(c.estate, ".lua")+".ps1")
		stdout, stderr := mustRun(t, exitPending, "run", "--estate", est, "--dry-run", "--runbook", book)
		want := linkedFilesOf(t, src, c.cats...)
		if strings.Contains(stderr, "copies the whole file store") || strings.Contains(stdout, "the whole file store of") {
			t.Errorf("%s: the run still says the whole share is copied:\n%s\n%s", c.estate, stdout, stderr)
		}
		mustContain(t, c.estate, stdout, "real estate: the runbook copies the "+countWord(len(want), "uploaded file")+" linked from the rooms of the ")
		got, ok := runbookScopeFiles(t, book)
		if !ok {
			t.Fatalf("%s: the runbook lists no files of the scope", c.estate)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: the runbook copies %q, want the files of its rooms %q", c.estate, got, want)
		}
		text := string(readFile(t, book))
		if regexp.MustCompile(`(?m)^\s*& robocopy\.exe \$OldShare \$NewShare /E`).MatchString(text) {
			t.Errorf("%s: the runbook still copies the whole share", c.estate)
		}
		for _, line := range []string{
			"Test-PcmigFileStoreTarget -Source $OldShare -Target $NewShare -Record $CopyRecord -Only $ScopeFiles -Scoped",
			"Copy-PcmigScopeFiles -Source $OldShare -Target $NewShare -Only $ScopeFiles -Log $CopyLog",
			"Assert-PcmigFileStoreCopy -Source $OldShare -Target $NewShare -Only $ScopeFiles -Scoped",
			"& robocopy.exe $from $to $batch /Z /COPY:DAT /XC /XN /XO",
		} {
			if !strings.Contains(text, line) {
				t.Errorf("%s: the runbook lacks %q", c.estate, line)
			}
		}
	}
}

// countWord is "N word" or "N words".
func countWord(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// TestRoutedDoctorLooksAtTheScopesFiles: the doctor's "uploaded file
// names" line (pcmig doctor --estate, and the run's pre-flight) compared
// the whole source file store with the target's, though a scoped estate
// copies only its rooms' files: a file of the target under the name of
// another pool's file, with other content, failed the line and stopped
// the run before step 1, while the copy would never touch it. Now the line
// looks at the files the scope's rooms link to; the same file under one of
// the scope's own names still fails it.
func TestRoutedDoctorLooksAtTheScopesFiles(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	useRoutes(t, dir, routesBoth)
	src := openDB(t, filepath.Join(dir, "source-2015.db"))
	emea := filepath.Join(dir, "emea.lua")
	other := linkedFilesOf(t, src, "Finance", "Support", "Människor & Kultur", "東京オフィス")
	own := linkedFilesOf(t, src, "Engineering", "Sales")
	put := func(rel string) {
		p := filepath.Join(dir, "filestore-emea", filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, p, "another pool's upload, not the source's file\n")
	}
	put(other[0])
	stdout, _ := mustRun(t, 0, "doctor", "--estate", emea)
	if l := doctorLine(stdout, "uploaded file names"); !strings.HasPrefix(l, "OK") {
		t.Errorf("a target file under the name of another pool's file: %q", l)
	}
	mustRun(t, exitPending, "run", "--estate", emea, "--dry-run")

	put(own[0])
	stdout, _ = mustRun(t, 1, "doctor", "--estate", emea)
	if l := doctorLine(stdout, "uploaded file names"); !strings.HasPrefix(l, "FAIL") || !strings.Contains(l, own[0]) || strings.Contains(l, other[0]) {
		t.Errorf("a target file under the name of one of the scope's files: %q", l)
	}
}

// doctorLine is the line of a doctor report for the check, from its status.
func doctorLine(report, check string) string {
	for _, l := range strings.Split(report, "\n") {
		if len(l) > 6 && strings.HasPrefix(strings.TrimSpace(l[6:]), check) {
			return l
		}
	}
	return ""
}

// TestRoutedDoctorSizesTheScopesImport: the doctor's size of the import a
// target takes (pcmig doctor --estate, and the run's doctor.require with
// size_from) counted every message of the source, though a scoped estate
// imports its categories' rooms only: a SQL Server target with room for
// its share failed the size line. Now each routed estate counts its own
// rooms' messages: less than the whole source, and unlike the other's.
func TestRoutedDoctorSizesTheScopesImport(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	useRoutes(t, dir, routesBoth)
	adds := func(est string) string {
		t.Helper()
		stdout, _ := mustRun(t, 0, "doctor", "--estate", filepath.Join(dir, est))
		i := strings.LastIndex(stdout, "the import adds about ")
		if i < 0 {
			t.Fatalf("%s: no size of the import:\n%s", est, stdout)
		}
		rest := stdout[i:]
		return rest[:strings.IndexAny(rest, "\n(")]
	}
	script := filepath.Join(dir, "size.lua")
	writeFile(t, script, `local doctor = require("doctor")
for _, c in ipairs(doctor.check("target", { size_from = "source" }).checks) do
  if c.check == "size" then print(c.message) end
end
`)
	emea, amer := adds("emea.lua"), adds("amer.lua")
	inRun, _ := mustRun(t, 0, "run", script, "--estate", filepath.Join(dir, "emea.lua"))
	whole := filepath.Join(dir, "whole.lua")
	writeFile(t, whole, strings.Replace(string(readFile(t, filepath.Join(dir, "emea.lua"))), `  routes = "routes.lua",`, "", 1))
	all := adds("whole.lua")
	if emea == amer || emea == all || amer == all {
		t.Errorf("the import's size: emea %q, amer %q, the whole source %q: want three sizes", emea, amer, all)
	}
	mustContain(t, "doctor.check in a run", inRun, emea)
}

// endpointPool is the pool the lab's legacy endpoint (sip:ocschat) points
// at in pool-settings.json.
func endpointPool(t *testing.T, dir string) string {
	t.Helper()
	var ps struct {
		Endpoints []struct {
			SIP  string `json:"sip_address"`
			Pool string `json:"persistent_chat_pool_fqdn"`
		} `json:"persistent_chat_endpoints"`
	}
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "pool-settings.json")), &ps); err != nil {
		t.Fatal(err)
	}
	if len(ps.Endpoints) != 1 {
		t.Fatalf("pool-settings.json holds %d endpoints, want the lab's one", len(ps.Endpoints))
	}
	return ps.Endpoints[0].Pool
}

// TestRoutesSuccessorTakesTheEndpoints: of the estates of a routing, the
// legacy endpoint (sip:ocschat, one pool's at a time) moved to the target
// of whichever ran first: with the documented order (emea, which moves no
// user, first) legacy clients were sent to pchat19-emea, while the users
// and the site of the source's users went to pchat19. Now routes name the
// successor, the pool that takes the source's users and endpoints: emea's
// run leaves the endpoint (and says so), amer's moves it, whatever the
// order; in a real estate emea's runbook holds no endpoint move.
func TestRoutesSuccessorTakesTheEndpoints(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	useRoutes(t, dir, routesBoth)
	emea, amer := filepath.Join(dir, "emea.lua"), filepath.Join(dir, "amer.lua")
	stdout, _ := mustRun(t, 0, "run", "--estate", emea)
	mustContain(t, "emea run", stdout, "the successor, which takes the source's users and endpoints, is pchat19.contoso.com\n",
		"endpoint sip:ocschat@contoso.com: left (on pchat15.contoso.com: the estate of pchat19.contoso.com moves it)",
		"no user is moved (57 users are homed on fe15.contoso.com); the estate of pchat19.contoso.com, the successor in routes, moves them")
	if got := endpointPool(t, dir); got != "pchat15.contoso.com" {
		t.Errorf("after emea's run the endpoint points at %s, want it left on pchat15.contoso.com for the successor", got)
	}
	stdout, _ = mustRun(t, 0, "run", "--estate", amer)
	mustContain(t, "amer run", stdout, "is pchat19.contoso.com (this estate)", "endpoint sip:ocschat@contoso.com: moved")
	if got := endpointPool(t, dir); got != "pchat19.contoso.com" {
		t.Errorf("after both runs the endpoint points at %s, want the successor pchat19.contoso.com", got)
	}

	// A real estate's runbook: emea's carries the configurations and
	// moves no endpoint.
	real := routedLab(t)
	useRoutes(t, real, routesBoth)
	est := filepath.Join(real, "emea.lua")
	editEstate(t, est, `kind = "lab"`, `kind = "real"`)
	book := filepath.Join(real, "dry.ps1")
	stdout, _ = mustRun(t, exitPending, "run", "--estate", est, "--dry-run", "--runbook", book)
	mustContain(t, "real emea", stdout, "its endpoints are left for the runbook of pchat19.contoso.com, the successor in routes")
	text := string(readFile(t, book))
	if strings.Contains(text, "New-CsPersistentChatEndpoint -SipAddress") || strings.Contains(text, "Remove-CsPersistentChatEndpoint -Identity") {
		t.Error("emea's runbook moves the endpoints")
	}
	if !strings.Contains(text, "Set-CsPersistentChatConfiguration -Identity $NewScope") {
		t.Error("emea's runbook does not carry the configuration")
	}
}

// TestRoutesSuccessorRefusals: with routes, what an administrator gets
// wrong about the successor is refused before anything is written, in a
// dry run too: routes naming no successor, or one that is not a pool of
// the routing; an estate of another target that gives target.registrar
// (before, both estates moved "every user of the source's registrar": a
// lab's second found none left, a real estate's second runbook moved them
// all again, to its registrar); an estate naming a site that another pool
// of the routing is already the default of (its estate ran first: the
// second run switched the site again; the topology refuses a pool of
// another site unless allow_other_site, which the case sets).
func TestRoutesSuccessorRefusals(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, routes, estate, want string
		first                      string // an estate run before
	}{
		{name: "no successor", routes: strings.Replace(routesBoth, `  successor = "pchat19.contoso.com",`+"\n", "", 1),
			want: "routes.lua: routes: name the successor, the one target pool that takes the source pool's users and endpoints"},
		{name: "successor not routed", routes: strings.Replace(routesBoth, `successor = "pchat19.contoso.com"`, `successor = "pchat19-apac.contoso.com"`, 1),
			want: "routes.lua: line 4: routes: successor: not one of the routing's target pools"},
		{name: "successor not a string", routes: strings.Replace(routesBoth, `successor = "pchat19.contoso.com"`, `successor = { "pchat19.contoso.com" }`, 1),
			want: "routes.lua: line 4: routes: successor: want the FQDN of one target pool of the routing, as a string"},
		{name: "successor twice", routes: strings.Replace(routesBoth, `successor = "pchat19.contoso.com",`, `successor = "pchat19.contoso.com", Successor = "pchat19-emea.contoso.com",`, 1),
			want: "routes: successor is given twice (compared without case)"},
		{name: "registrar of another", routes: routesBoth,
			estate: `  routes = "routes.lua", target = { pool = "pchat19-emea.contoso.com", registrar = "fe19-emea.contoso.com", db = "sqlite:target-emea.db", file_store = "filestore-emea" },`,
			want:   "target.registrar: routes make pchat19.contoso.com the successor of pchat15.contoso.com, whose estate alone moves the source's users"},
		{name: "site of another pool", routes: routesBoth, first: "amer.lua",
			estate: `  routes = "routes.lua", site = "Redmond", allow_other_site = true,`,
			want:   "validation: site Redmond already defaults to pchat19.contoso.com, another target pool of this routing: a site has one default Persistent Chat pool"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := routedLab(t)
			useRoutes(t, dir, c.routes)
			est := filepath.Join(dir, "emea.lua")
			if c.first != "" {
				mustRun(t, 0, "run", "--estate", filepath.Join(dir, c.first))
			}
			if c.estate != "" {
				text := string(readFile(t, est))
				if strings.Contains(c.estate, "target = {") {
					text = regexp.MustCompile(`(?m)^  target = .*\n`).ReplaceAllString(text, "")
				}
				if strings.Contains(c.estate, "site =") {
					text = strings.Replace(text, `site = "London", `, "", 1)
				}
				writeFile(t, est, strings.Replace(text, `  routes = "routes.lua",`, c.estate, 1))
			}
			for _, dry := range []bool{true, false} {
				args := []string{"run", "--estate", est}
				if dry {
					args = append(args, "--dry-run")
				}
				_, stderr := mustRun(t, 1, args...)
				mustContain(t, c.name, stderr, c.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "archive", "emea.zip")); err == nil {
				t.Error("the refused run wrote its archive")
			}
			if n := queryInt(t, openDB(t, filepath.Join(dir, "target-emea.db")), `SELECT COUNT(*) FROM tblNode WHERE nodeID <> 1`); n != 0 {
				t.Errorf("the refused run wrote %d nodes into the target", n)
			}
		})
	}
}

// TestRoutesSuccessorWithoutRegistrarWarns: the successor's estate is the
// one that moves the source's users; without target.registrar it moves
// none and no other estate may, so the run warns (console and report), as
// a whole-pool estate does.
func TestRoutesSuccessorWithoutRegistrarWarns(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	useRoutes(t, dir, routesBoth)
	amer := filepath.Join(dir, "amer.lua")
	editEstate(t, amer, `registrar = "fe19.contoso.com", `, "")
	_, stderr := mustRun(t, exitPending, "run", "--estate", amer, "--dry-run")
	mustContain(t, "amer dry run", stderr, "routes make pchat19.contoso.com the successor, which moves the source's users, and no other estate may")
}

// TestRoutesFileMistakes: a routes file that errors, loops or gives one
// pool twice is refused before anything is written, the error naming the
// routes file as such (before, an error in evaluating it was worded
// "estate .../routes.lua", as if the routes file were the estate) and a
// pool given twice naming both lines (before, only one). A routes file
// with a byte order mark and CRLF line ends is read as any other.
func TestRoutesFileMistakes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, routes, want string }{
		{"error", `error("no routes today")` + "\n", "routes.lua: routes.lua:1: no routes today"},
		{"loop", "while true do end\n", "routes.lua: evaluating it did not finish in time (an endless loop?)"},
		{"pool twice", strings.Replace(routesBoth, `["pchat19.contoso.com"] = { "Finance"`, `["PCHAT19-EMEA.contoso.com."] = { "Finance"`, 1),
			"routes.lua: line 2: routes: one target pool is given twice, here and at line 3 (compared without case or a trailing dot)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := routedLab(t)
			p := useRoutes(t, dir, c.routes)
			_, stderr := mustRun(t, 1, "run", "--estate", filepath.Join(dir, "emea.lua"), "--dry-run")
			mustContain(t, c.name, stderr, "routes "+p+": ", c.want)
			if strings.Contains(stderr, "estate "+p) {
				t.Errorf("the routes file is called the estate: %s", stderr)
			}
		})
	}
	dir := routedLab(t)
	useRoutes(t, dir, "\ufeff"+strings.ReplaceAll(routesBoth, "\n", "\r\n"))
	stdout, _ := mustRun(t, exitPending, "run", "--estate", filepath.Join(dir, "emea.lua"), "--dry-run")
	mustContain(t, "BOM and CRLF", stdout, "routes: 2 of the 6 categories of pchat15.contoso.com go to pchat19-emea.contoso.com (this estate)")
}

// TestRoutedResumeRefusesAnotherSuccessor: emea's run killed after its
// settings step (the endpoint left on pchat15 for the successor pchat19);
// routes then edited to make pchat19-emea the successor. --resume went on:
// the finished settings step was not run again, so the endpoint stayed on
// the source pool, and pchat19's estate, no longer the successor, left it
// too. The successor is now part of what the run journal records.
func TestRoutedResumeRefusesAnotherSuccessor(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	routes := useRoutes(t, dir, routesBoth)
	emea := filepath.Join(dir, "emea.lua")
	c := startChild(t, "run", "--estate", emea)
	c.waitFor(t, "== Step 6/10: verify the categories in the target ==", time.Minute)
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	c.cmd.Wait()
	writeFile(t, routes, strings.Replace(routesBoth, `successor = "pchat19.contoso.com"`, `successor = "pchat19-emea.contoso.com"`, 1))
	_, stderr := mustRun(t, 1, "run", "--estate", emea, "--resume")
	mustContain(t, "resume", stderr, "the estate changed since the run that wrote the journal", "routes successor: was pchat19.contoso.com, now pchat19-emea.contoso.com")
}
