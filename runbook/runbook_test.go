package runbook

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

// must fails the test on an adder's error.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var testHeader = Header{
	Estate:    "Contoso lab",
	Tool:      "pcmig 0.1.0-test",
	Generated: time.Date(2026, 3, 1, 13, 0, 0, 0, time.FixedZone("CET", 3600)),
}

func fullRunbook(t *testing.T) *Runbook {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	rb := New(testHeader)
	rb.Comment("Plan: contoso.plan.json\nSteps 1 and 2 use the cmdlet route instead of pcmig's SQL import.")
	rb.AddSection(1, "Export Persistent Chat data from the 2015 pool")
	must(t, rb.ExportData(Export{
		DBInstance: `sql15.contoso.com\pchat`, DBName: "mgc", FileName: `D:\pcmig\pchat15.zip`,
		Level: "all", Scopes: []string{"Sales", "Support"}, StartDate: &start,
	}))
	rb.AddSection(2, "Import into the 2019 pool")
	must(t, rb.ImportData(`sql19.contoso.com\pchat`, `D:\pcmig\pchat15.zip`))
	rb.AddSection(3, "Switch the site's default Persistent Chat pool")
	must(t, rb.SetSiteDefaultPool("site:Redmond", "pchat19.contoso.com"))
	rb.AddSection(4, "Check for duplicate categories")
	rb.AddSection(5, "Move users from the 2015 pool to the 2019 pool")
	must(t, rb.MoveUsers("fe19.contoso.com", []string{
		"sip:ann@contoso.com", "sip:bob@contoso.com", "sip:cem@contoso.com", "sip:dan@contoso.com", "sip:eve@contoso.com",
	}, 2, `D:\pcmig\reports`))
	rb.Comment("Users homed elsewhere are not moved.")
	must(t, rb.MoveUsers("fe19.contoso.com", nil, 0, ""))
	rb.AddSection(6, "Add creators to the imported categories")
	must(t, rb.AddCategoryCreators("pchat19.contoso.com", "Sales", []string{"sip:ann@contoso.com", "sip:bob@contoso.com"}))
	must(t, rb.AddCategoryCreators("pchat19.contoso.com", "Support", nil))
	return rb
}

func TestFullRunbook(t *testing.T) {
	out := fullRunbook(t).Bytes()
	golden(t, "full.ps1", out)
	checkScript(t, out)
	if !bytes.Contains(out, []byte("# Nothing to do in this step.\r\n")) {
		t.Errorf("the empty step 4 does not say so")
	}
}

// checkScript checks what every runbook must satisfy.
func checkScript(t *testing.T, out []byte) psLexed {
	t.Helper()
	if !bytes.HasPrefix(out, []byte("\xEF\xBB\xBF# ===")) {
		t.Errorf("the script does not start with a UTF-8 BOM and the header block")
	}
	lexed, err := lexPS(strings.TrimPrefix(string(out), "\uFEFF"))
	if err != nil {
		t.Fatalf("lexPS: %v", err)
	}
	if n, crlf := strings.Count(lexed.code, "\n"), strings.Count(lexed.code, "\r\n"); n != crlf || n < 20 {
		t.Errorf("%d of %d line endings outside literals are CRLF, want all", crlf, n)
	}
	for _, bad := range []string{"-Force", "Invoke-Expression", "iex "} {
		if strings.Contains(lexed.code, bad) {
			t.Errorf("the script's code contains %q", bad)
		}
	}
	for _, want := range []string{"#Requires -Version 3.0", "# REVIEW EVERY COMMAND", "Skype for Business Server Management Shell", "Estate:", "Generated:"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("the script lacks %q", want)
		}
	}
	if !strings.Contains(lexed.code, "$ErrorActionPreference = <lit>") {
		t.Errorf("the script does not set $ErrorActionPreference")
	}
	for _, c := range lexed.comments {
		if strings.ContainsAny(c, "\v\f\u0085\u2028\u2029\u202E") {
			t.Errorf("comment %q holds a line separator or bidi control", c)
		}
	}
	return lexed
}

// fixedLiterals are the literals of the script's own code.
var fixedLiterals = map[string]bool{
	"Stop": true, "Moved": true, "": true, "Failed": true, "{0}: {1}": true, "o": true,
	"{0} moved, {1} already there, {2} failed; report: {3}": true, "Runbook finished.": true,
	"Already": true, progressFile: true, progressUnwritable: true, progressUnrecorded: true, "Creators": true, "^sip:": true, "no category {0}": true,
	"Get-CsPersistentChatCategory shows no Creators property for {0}: add the creators by hand": true,
	"{0}: its {1} creator(s) are there already":                                                 true,
	"{0}: {1} creator(s) added, {2} there already":                                              true,
	"{0} user move(s) failed, so this step is not recorded as finished: fix the cause and run the script again (users already on the target are not moved again).": true,
}

// runbookID matches the runbook's ID literal.
var runbookID = regexp.MustCompile(`^[0-9a-f]{16}$`)

func TestHostileRunbook(t *testing.T) {
	name := strings.Join(hostileValues[:len(hostileValues)-1], " | ")
	rb := New(Header{Estate: name, Tool: name, Generated: testHeader.Generated})
	rb.Comment(name)
	rb.AddSection(1, name)
	must(t, rb.SetSiteDefaultPool(name, "pchat19.contoso.com"))
	must(t, rb.AddCategoryCreators("pchat19.contoso.com", name, []string{"sip:o'brien@contoso.com", name}))
	must(t, rb.ExportData(Export{DBInstance: name, FileName: name, Scopes: []string{name, "\u2019"}}))
	must(t, rb.ImportData(name, name))
	must(t, rb.MoveUsers("fe19.contoso.com", []string{"sip:o'brien@contoso.com", name}, 1, name))
	out := rb.Bytes()
	golden(t, "hostile.ps1", out)
	lexed := checkScript(t, out)

	var got []string
	for _, l := range lexed.literals {
		if !fixedLiterals[l] && !runbookID.MatchString(l) {
			got = append(got, l)
		}
	}
	want := []string{
		name, "move-users-1-to-fe19.contoso.com.csv", // report path
		"Step 1: " + name,
		"Step 1 was finished by an earlier run of this runbook (pcmig-runbook-progress.csv): skipped.",
		"Step 1 skipped: the cmdlet route is off ($PcmigUseCmdletRoute at the top of the script).",
		"site:" + name, "pchat19.contoso.com", "site:" + name, // Set-CsSite, Get-CsSite
		`pchat19.contoso.com\` + name, "sip:o'brien@contoso.com", name, // creators
		name, name, name, "\u2019", // export: DBInstance, FileName, Scope
		name, name, // import
		"Batch 1 of 2: 1 user(s) to fe19.contoso.com", "fe19.contoso.com", "sip:o'brien@contoso.com",
		"Batch 2 of 2: 1 user(s) to fe19.contoso.com", "fe19.contoso.com", name,
		"Step 1: " + name, // Complete-PcmigStep
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("literals mismatch (-want +got):\n%s", diff)
	}
	for _, leak := range []string{"Remove-Item", "Ünïcødé", "O'Brien", "$(", "`", "evil", "not a comment"} {
		if strings.Contains(lexed.code, leak) {
			t.Errorf("hostile text %q reached the script's code", leak)
		}
	}
	if n := strings.Count(string(out), "# NOTE: a value below contains line breaks"); n < 8 {
		t.Errorf("%d warning notes, want one before each command with hidden characters", n)
	}
}

func TestEmptyRunbook(t *testing.T) {
	out := New(Header{}).Bytes()
	lexed := checkScript(t, out)
	for _, want := range []string{"# This runbook has no steps.", "(time not recorded) by pcmig"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("empty runbook lacks %q", want)
		}
	}
	if strings.Contains(lexed.code, "Move-PcmigUserBatch") {
		t.Errorf("empty runbook defines the move function")
	}
}

func TestAdderErrors(t *testing.T) {
	rb := New(testHeader)
	if err := rb.SetSiteDefaultPool("Redmond", "pchat19.contoso.com"); !errors.Is(err, ErrNoSection) {
		t.Errorf("adder before AddSection = %v, want ErrNoSection", err)
	}
	if err := rb.MoveUsers("fe19.contoso.com", []string{"sip:a@contoso.com"}, 1, ""); !errors.Is(err, ErrNoSection) {
		t.Errorf("MoveUsers before AddSection = %v, want ErrNoSection", err)
	}
	rb.AddSection(1, "Errors")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"site", rb.SetSiteDefaultPool(" site: ", "pchat19.contoso.com"), "empty site name"},
		{"site pool", rb.SetSiteDefaultPool("Redmond", "pchat19"), `pool "pchat19" is not an FQDN`},
		{"move target", rb.MoveUsers("fe 19", []string{"sip:a@contoso.com"}, 1, ""), `target pool "fe 19" is not an FQDN`},
		{"move empty sip", rb.MoveUsers("fe19.contoso.com", []string{"sip:a@contoso.com", " "}, 1, ""), "MoveUsers: entry 2 is empty"},
		{"creators pool", rb.AddCategoryCreators("pchat19.contoso.com\\x", "Sales", nil), "is not an FQDN"},
		{"creators category", rb.AddCategoryCreators("pchat19.contoso.com", "", nil), "empty category name"},
		{"export required", rb.ExportData(Export{DBInstance: "sql"}), "DBInstance and FileName are required"},
		{"export level", rb.ExportData(Export{DBInstance: "sql", FileName: "f.zip", Level: "Rooms"}), `level "Rooms" is not one of All, User, Category, RoomDirectory, Content`},
		{"export scope", rb.ExportData(Export{DBInstance: "sql", FileName: "f.zip", Scopes: []string{""}}), "ExportData scope: entry 1 is empty"},
		{"import required", rb.ImportData("", "f.zip"), "DBInstance and FileName are required"},
	}
	for _, tt := range tests {
		if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
			t.Errorf("%s: error = %v, want it to contain %q", tt.name, tt.err, tt.want)
		}
	}
	if out := rb.Bytes(); bytes.Contains(out, []byte("Move-PcmigUserBatch -Report")) || bytes.Contains(out, []byte("Set-CsSite")) {
		t.Errorf("failed adders added commands:\n%s", out)
	}
}
