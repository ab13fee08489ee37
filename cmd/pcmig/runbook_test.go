package main

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"encoding/xml"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Hostile names for the runbook: PowerShell quotes (ASCII and typographic),
// variables, subexpressions, backticks and non-ASCII characters.
const (
	hostileSite     = "Red'mond $env:USERNAME ‘x’ `n Ünïcødé"
	hostileCategory = "Ops ‘Q’ $(Get-Date) `x & \"Ü\""
	hostileUser     = "sip:o'brien$x`ü’@contoso.com" // as much as a SIP address may hold
)

// realEstate turns a lab estate into a "real" one with hostile names: the
// site (estate and topology), a category of the source pool and a user in
// the directory homed on the 2015 pool.
func realEstate(t *testing.T) string {
	t.Helper()
	est := labEstate(t, "--messages", "500")
	edit := func(name string, fn func(string) string) {
		p := filepath.Join(est, name)
		old := string(readFile(t, p))
		s := fn(old)
		if s == old {
			t.Fatalf("editing %s changed nothing", name)
		}
		writeFile(t, p, s)
	}
	edit("estate.lua", func(s string) string {
		s = strings.Replace(s, `kind = "lab"`, `kind = "real"`, 1)
		// The old pool's share is looked up at run time; the new one's is given.
		s = strings.Replace(s, `file_store = "filestore-2015",`, "", 1)
		s = strings.Replace(s, `file_store = "filestore-2019",`, `file_store = [[\\fs19.contoso.com\pchat]],`, 1)
		return strings.Replace(s, `site = "Redmond"`, "site = "+strconv.Quote(hostileSite), 1)
	})
	edit("topology.xml", func(s string) string {
		var b bytes.Buffer
		xml.EscapeText(&b, []byte(hostileSite))
		return strings.Replace(s, "<Name>Redmond</Name>", "<Name>"+b.String()+"</Name>", 1)
	})
	edit("users.csv", func(s string) string {
		return s + `"` + hostileUser + `","obrien@contoso.com","fe15.contoso.com","True"` + "\r\n"
	})
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: filepath.Join(est, "source-2015.db")}).EscapedPath()}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.ExecContext(t.Context(), `UPDATE tblNode SET nodeName = ?
		WHERE nodeID = (SELECT MIN(nodeID) FROM tblNode WHERE nodeType = 1 AND nodeID <> parentID)`, hostileCategory)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("rename a category: %d rows", n)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return est
}

var generatedRE = regexp.MustCompile(`Generated: \S+ by pcmig \S+`)

// progressRE is the first line of a section's progress guard.
var progressRE = regexp.MustCompile(`^if \(Test-PcmigStepDone \d+\) \{$`)

func TestRealEstateWritesARunbook(t *testing.T) {
	t.Parallel()
	est := realEstate(t)
	estFile := filepath.Join(est, "estate.lua")
	out := t.TempDir()
	outside := func() map[string]string {
		h := hashTree(t, est)
		return map[string]string{"topology.xml": h["topology.xml"], "users.csv": h["users.csv"]}
	}
	before := outside()
	usersBefore := readFile(t, filepath.Join(est, "users.csv"))

	// A dry run writes the runbook too, and nothing else.
	all := hashTree(t, est)
	stdout, _ := mustRun(t, exitPending, "run", "--estate", estFile, "--dry-run", "--runbook", filepath.Join(out, "dry.ps1"))
	mustContain(t, "dry run", stdout, "Runbook: "+filepath.Join(out, "dry.ps1"))
	if diff := cmp.Diff(all, hashTree(t, est)); diff != "" {
		t.Errorf("the dry run changed the estate (-before +after):\n%s", diff)
	}

	stdout, _ = mustRun(t, 0, "run", "--estate", estFile, "--runbook", filepath.Join(out, "runbook.ps1"))
	mustContain(t, "run", stdout, "to switch pchat15.contoso.com -> pchat19.contoso.com by the runbook's Set-CsSite (whether it also needs a topology publish is not documented",
		"Runbook: "+filepath.Join(out, "runbook.ps1"))
	if diff := cmp.Diff(before, outside()); diff != "" {
		t.Errorf("a run of a real estate wrote the topology or the directory (-before +after):\n%s", diff)
	}
	if _, ok := hashTree(t, est)["runbook.ps1"]; ok {
		t.Error("with --runbook the run also wrote the estate's runbook.ps1")
	}

	rb := readFile(t, filepath.Join(out, "runbook.ps1"))
	norm := normRunbook(rb)
	golden(t, "real-estate.runbook.ps1", []byte(norm))
	if dry := normRunbook(readFile(t, filepath.Join(out, "dry.ps1"))); dry != norm {
		t.Errorf("dry-run runbook mismatch (-run +dry run):\n%s", cmp.Diff(norm, dry))
	}

	// The runbook's commands are exactly the changes the run did not make.
	got := runbookCommands(t, string(rb))
	var cats []string
	for _, c := range takeInventory(t, filepath.Join(est, "target-2019.db")).Categories {
		cats = append(cats, c.Name)
	}
	want := wantedCommands(t, usersBefore, cats)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("runbook commands mismatch (-want +got):\n%s", diff)
	}
	if !slices.Contains(cats, hostileCategory) {
		t.Errorf("target categories %q lack %q", cats, hostileCategory)
	}
	mustContain(t, "runbook", string(rb),
		`Set-CsSite -Identity 'site:Red''mond $env:USERNAME ‘‘x’’ `+"`"+`n Ünïcødé' -DefaultPersistentChatPool 'pchat19.contoso.com'`,
		`    'sip:o''brien$x`+"`"+`ü’’@contoso.com'`,
		`Add-PcmigCategoryCreators -Identity 'pchat19.contoso.com\Ops ‘‘Q’’ $(Get-Date) `+"`"+`x & "Ü"' -Creators @(`)
	if bytes.Contains(rb, []byte("-Force")) {
		t.Error("the runbook uses -Force")
	}
}

// commands are the cmdlets of a runbook, with their values decoded.
type commands struct {
	SiteDefaults [][2]string         // site identity, pool
	Moves        map[string][]string // target pool: SIP addresses
	Creators     map[string][]string // category identity: creators added
	// FileCopies and SettingsCarries are the pools (old, new) of the
	// file-copy and pool-settings sections; their lines are golden-tested
	// in package runbook.
	FileCopies, SettingsCarries [][2]string
}

// wantedCommands are the commands the bundled script must write for the
// real estate: the site's default pool, every user of the 2015 pool and
// the estate's administrator as a creator of every category.
func wantedCommands(t *testing.T, usersCSV []byte, categories []string) commands {
	t.Helper()
	data := bytes.TrimPrefix(usersCSV, []byte("\uFEFF"))
	if i := bytes.IndexByte(data, '\n'); bytes.HasPrefix(data, []byte("#TYPE")) && i >= 0 {
		data = data[i+1:]
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := commands{
		SiteDefaults:    [][2]string{{"site:" + hostileSite, "pchat19.contoso.com"}},
		FileCopies:      [][2]string{{"pchat15.contoso.com", "pchat19.contoso.com"}},
		SettingsCarries: [][2]string{{"pchat15.contoso.com", "pchat19.contoso.com"}},
		Moves:           map[string][]string{},
		Creators:        map[string][]string{},
	}
	for _, r := range rows[1:] {
		if r[2] == "fe15.contoso.com" {
			want.Moves["fe19.contoso.com"] = append(want.Moves["fe19.contoso.com"], r[0])
		}
	}
	for _, c := range categories {
		want.Creators[`pchat19.contoso.com\`+c] = []string{"sip:pcadmin@contoso.com"}
	}
	return want
}

// runbookCommands reads the commands of the runbook's step sections and
// fails on any line that is not one of the known commands.
func runbookCommands(t *testing.T, rb string) commands {
	t.Helper()
	got := commands{Moves: map[string][]string{}, Creators: map[string][]string{}}
	lines := strings.Split(strings.TrimPrefix(rb, "\uFEFF"), "\r\n")
	start := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "# ----") })
	if start < 0 {
		t.Fatal("the runbook has no step sections")
	}
	var list []string
	var done func([]string) // set while reading a @( ... ) list
	section := ""
	var pools [2]string
	for _, raw := range lines[start:] {
		l := strings.TrimLeft(raw, " ")
		if l == "" || strings.HasPrefix(l, "#") {
			continue // comments may hold anything
		}
		lits := psLiterals(t, l)
		if strings.HasPrefix(raw, "Write-Host 'Step ") && len(lits) == 1 {
			_, section, _ = strings.Cut(lits[0], ": ")
			continue
		}
		// Each section runs inside its progress guard (runbook package).
		if done == nil && (progressRE.MatchString(l) || l == "} else {" || l == "}" || l == "$PcmigMoveFailures = 0" ||
			l == "if ($PcmigMoveFailures -eq 0) {" || strings.HasPrefix(l, "Complete-PcmigStep ") ||
			strings.HasPrefix(l, "Write-Warning (") && strings.HasSuffix(l, "-f $PcmigMoveFailures)") ||
			strings.HasPrefix(l, "Write-Host 'Step ") && strings.HasSuffix(l, "): skipped.'")) {
			continue
		}
		switch section {
		case "copy the uploaded files", "carry the pool's own settings over":
			// Blocks of fixed code: the pools they name are what varies.
			switch {
			case strings.HasPrefix(l, "$OldShare = Resolve-PcmigFileStore -PoolFqdn ") && len(lits) == 1,
				strings.HasPrefix(l, "$OldPool = ") && len(lits) == 1:
				pools[0] = lits[0]
			case strings.HasPrefix(l, "$NewShare = ") && len(lits) == 1:
				pools[1] = "pchat19.contoso.com"
				if lits[0] != `\\fs19.contoso.com\pchat` {
					t.Errorf("the new pool's share is %q, not the estate's", lits[0])
				}
			case strings.HasPrefix(l, "$NewPool = ") && len(lits) == 1:
				pools[1] = lits[0]
			case strings.HasPrefix(l, "Assert-PcmigFileStoreCopy "):
				got.FileCopies = append(got.FileCopies, pools)
			case strings.HasPrefix(l, "Write-Host ('Pool settings carried over"):
				got.SettingsCarries = append(got.SettingsCarries, pools)
			}
			continue
		}
		switch {
		case done != nil && l == ")":
			done(list)
			list, done = nil, nil
		case done != nil && len(lits) == 1 && strings.HasPrefix(l, "'"):
			list = append(list, lits[0])
		case done == nil && strings.HasPrefix(l, "Write-Host "):
		case done == nil && strings.HasPrefix(l, "Get-CsSite -Identity "),
			done == nil && l == "Get-CsSite | Format-Table Identity, DefaultPersistentChatPool -AutoSize":
		case done == nil && strings.HasPrefix(l, "Set-CsSite ") && len(lits) == 2:
			got.SiteDefaults = append(got.SiteDefaults, [2]string{lits[0], lits[1]})
		case done == nil && strings.HasPrefix(l, "Move-PcmigUserBatch ") && strings.HasSuffix(l, "@(") && len(lits) == 1:
			target := lits[0]
			done = func(sips []string) { got.Moves[target] = append(got.Moves[target], sips...) }
		case done == nil && strings.HasPrefix(l, "Add-PcmigCategoryCreators -Identity ") && strings.HasSuffix(l, " -Creators @(") && len(lits) == 1:
			cat := lits[0]
			done = func(sips []string) { got.Creators[cat] = append(got.Creators[cat], sips...) }
		default:
			t.Errorf("unexpected runbook line %q", l)
		}
	}
	if done != nil {
		t.Error("the runbook ends inside a list")
	}
	return got
}

// psLiterals decodes the single-quoted PowerShell literals of a line. In
// such a literal nothing expands; a quote character (' or one of the
// typographic ‘ ’ ‚ ‛, which PowerShell treats alike) is written twice.
func psLiterals(t *testing.T, line string) []string {
	t.Helper()
	isQuote := func(r rune) bool { return strings.ContainsRune("'‘’‚‛", r) }
	var out []string
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		if !isQuote(rs[i]) {
			continue
		}
		var b strings.Builder
		closed := false
		for i++; i < len(rs); i++ {
			if isQuote(rs[i]) {
				if i+1 < len(rs) && isQuote(rs[i+1]) {
					b.WriteRune(rs[i])
					i++
					continue
				}
				closed = true
				break
			}
			b.WriteRune(rs[i])
		}
		if !closed {
			t.Errorf("unterminated literal in %q", line)
		}
		out = append(out, b.String())
	}
	return out
}
