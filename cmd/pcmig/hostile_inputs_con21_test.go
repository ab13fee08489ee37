package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestHostileTopologyAndDirectoryEndToEnd: a real estate whose topology
// document (a SQL host's cluster FQDN, a machine's FQDN, a pool's display
// name) and user directory (SIP addresses holding every quote PowerShell
// knows, $, backtick and the dashes it reads as "-", zero-width and bidi
// characters; a line break, terminal escapes and a C1 CSI; a UPN with an
// escape and a line break; a registrar pool with a bidi override) hold
// hostile values goes through topology show, the doctor, a dry run and a
// run with their runbooks and reports, and verify: no console line and no
// report holds such a character raw or starts with a value's text; in
// the runbook the users the directory holds validly are single-quoted
// literals that decode to themselves, those with hidden characters under
// a NOTE, and the rows it refuses are in no line.
func TestHostileTopologyAndDirectoryEndToEnd(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "100")
	estFile := realEstateFile(t, est, nil)
	topo := filepath.Join(est, "topology.xml")
	s := string(readFile(t, topo))
	for _, r := range [][2]string{
		{`Fqdn="sql15.contoso.com"`, `Fqdn="sql15.contoso.com&#10;EQUAL: fake&#13;&#x9B;2J&#x202E;&lt;/script&gt;’$(calc)"`},
		{`<Machine OrdinalInCluster="1" Fqdn="fe15.contoso.com"`, `<Machine OrdinalInCluster="1" Fqdn="fe15&#10;EQUAL: fake&#x85;&#x2066;.contoso.com"`},
		{`DisplayName="Persistent Chat 2019"`, `DisplayName="PC &lt;img src=x onerror=alert(1)&gt;&#10;EQUAL: fake&#x9B;&#x202E;"`},
	} {
		if !strings.Contains(s, r[0]) {
			t.Fatalf("the lab topology has no %s", r[0])
		}
		s = strings.Replace(s, r[0], r[1], 1)
	}
	writeFile(t, topo, s)

	valid := []string{
		"sip:o'b‘r’i‚e‛n$x`ü@contoso.com",
		"sip:dash—en–bar―@contoso.com",
		"sip:zw\u200brlo\u202e@contoso.com",
		"sip:upn.hostile@contoso.com",
	}
	refused := []string{
		"sip:nl\nEQUAL: fake@contoso.com",
		"sip:esc\x1b]8;;http://evil\x07x@contoso.com",
		"sip:c1\u009b2J@contoso.com",
		"sip:reg.hostile@contoso.com",
	}
	users := filepath.Join(est, "users.csv")
	var b strings.Builder
	b.Write(readFile(t, users))
	row := func(sip, upn, pool string) {
		b.WriteString(`"` + strings.ReplaceAll(sip, `"`, `""`) + `","` + upn + `","` + pool + `","True"` + "\r\n")
	}
	for _, sip := range append(slices.Clone(valid[:3]), refused[:3]...) {
		row(sip, "u@contoso.com", "fe15.contoso.com")
	}
	row(valid[3], "u\x1b[31m\nEQUAL: fake@contoso.com", "fe15.contoso.com")
	row(refused[3], "reg@contoso.com", "fe15.contoso.com\u202e")
	writeFile(t, users, b.String())

	out := t.TempDir()
	at := func(name string) string { return filepath.Join(out, name) }
	for _, args := range [][]string{
		{"topology", "show", "--file", topo},
		{"topology", "show", "--file", topo, "--json"},
		{"doctor", "--estate", estFile},
		{"run", "--estate", estFile, "--dry-run", "--runbook", at("dry.ps1"), "--plan", at("plan.json"), "--log-level", "debug"},
		{"run", "--estate", estFile, "--runbook", at("run.ps1"), "--report", at("run.html"), "--log-level", "debug"},
		{"verify", "--estate", estFile, "--report", at("verify.json")},
	} {
		stdout, stderr, code := runCmd(t, args...)
		what := strings.Join(args[:2], " ")
		if code != 0 && code != exitPending {
			t.Errorf("pcmig %s: exit %d\n%s%s", what, code, stdout, stderr)
		}
		checkConsoleLines(t, what, stdout+stderr)
		if r, ok := rawControl(stdout + stderr); ok {
			t.Errorf("pcmig %s: the console got U+%04X raw", what, r)
		}
		if args[len(args)-1] == "--json" {
			var v any
			if err := json.Unmarshal([]byte(stdout), &v); err != nil {
				t.Errorf("pcmig %s --json: %v", what, err)
			}
		}
	}
	for _, name := range []string{"plan.json", "run.html", "verify.json"} {
		if r, ok := rawControl(string(readFile(t, at(name)))); ok {
			t.Errorf("%s holds U+%04X raw", name, r)
		}
	}
	for _, name := range []string{"dry.ps1", "run.ps1"} {
		rb := string(readFile(t, at(name)))
		got := runbookCommands(t, rb)
		moved := got.Moves["fe19.contoso.com"]
		for _, sip := range valid {
			if !slices.Contains(moved, sip) {
				t.Errorf("%s: %q is not a literal of the user moves", name, sip)
			}
		}
		lines := strings.Split(rb, "\r\n")
		for i, l := range lines {
			for _, bad := range refused {
				if strings.Contains(l, strings.SplitN(bad, "@", 2)[0][4:]) {
					t.Errorf("%s: a refused user is in the runbook: %q", name, l)
				}
			}
			if strings.Contains(l, "EQUAL: fake") || strings.Contains(l, "<img") {
				t.Errorf("%s: a topology value reached the runbook: %q", name, l)
			}
			if r, ok := rawControl(l); ok {
				if lits := psLiterals(t, l); len(lits) != 1 || strings.TrimSpace(l) != "'"+lits[0]+"'" ||
					i == 0 || !strings.Contains(lines[i-1], "# NOTE: a value below contains") {
					t.Errorf("%s: U+%04X outside a literal under a NOTE: %q", name, r, l)
				}
			}
		}
	}
	if _, err := os.Stat(filepath.Join(est, "runbook.ps1")); err == nil {
		t.Error("with --runbook the run also wrote the estate's runbook.ps1")
	}
}
