package main

import (
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// ps51Export is users.csv as Windows PowerShell 5.1 writes
//
//	Get-CsUser | Export-Csv users.csv
//
// with no -Encoding and no -NoTypeInformation: the #TYPE line of the whole
// object, every property a quoted column (Get-CsUser's order, here a
// subset), a multi-valued property as its type name, CRLF, and ASCII, with
// a '?' for every character ASCII lacks ("Jörg" becomes "J?rg"). The rows
// are the lab's users, each with the lab's SIP address and pool.
func ps51Export(t *testing.T, labUsers []byte, extra ...[3]string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("#TYPE Microsoft.Rtc.Management.ADConnect.Schema.OCSADUser\r\n")
	b.WriteString(`"SamAccountName","UserPrincipalName","DisplayName","Enabled","SipAddress","ProxyAddresses","RegistrarPool","Identity"` + "\r\n")
	row := func(upn, sip, pool string) {
		sam, _, _ := strings.Cut(upn, "@")
		b.WriteString(`"` + sam + `","` + upn + `","` + sam + `","True","` + sip + `",` +
			`"Microsoft.Rtc.Management.ADConnect.Collections.ProxyAddressCollection","` + pool + `","CN=` + sam + `,OU=Users,DC=contoso,DC=com"` + "\r\n")
	}
	lines := strings.Split(strings.TrimPrefix(string(labUsers), "\ufeff"), "\r\n")
	for _, l := range lines[2:] {
		if l == "" {
			continue
		}
		f := strings.Split(strings.Trim(l, `"`), `","`)
		row(f[1], f[0], f[2])
	}
	for _, e := range extra {
		row(e[0], e[1], e[2])
	}
	out := b.String()
	for _, r := range out {
		if r > 0x7f {
			t.Fatalf("the 5.1 export must be ASCII, has %q", r)
		}
	}
	return out
}

// TestRunRefusesLossyASCIIDirectory: a Windows PowerShell 5.1 export
// without -Encoding, in which two users' SIP addresses lost a character to
// '?', ran to EQUAL with exit 0: the rows were warnings, step 7 said "58
// users ... moved", and sip:jörg@ and sip:jürg@ stayed homed on the source
// registrar, to lose Persistent Chat when it goes. Such a file is now
// refused before step 1, saying how many rows lost characters, the first
// line, and how to export again; nothing is written.
func TestRunRefusesLossyASCIIDirectory(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	users := filepath.Join(dir, "users.csv")
	orig := readFile(t, users)
	lossy := ps51Export(t, orig,
		[3]string{"j?rg@contoso.com", "sip:j?rg@contoso.com", "fe15.contoso.com"},
		[3]string{"j?rg2@contoso.com", "sip:j?rg2@contoso.com", "fe15.contoso.com"})
	writeFile(t, users, lossy)
	first := strings.Count(lossy[:strings.Index(lossy, "sip:j?rg@")], "\n") + 1
	before := hashTree(t, dir, ".pcmig")
	stdout, stderr, code := runCmd(t, "run", "--estate", filepath.Join(dir, "estate.lua"))
	if code != exitError || strings.Contains(stdout, "== Step 1/") {
		t.Errorf("exit %d, want %d, before step 1\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "stderr", stderr, users+": 2 rows have a SIP address that lost characters to '?'",
		"the first on line "+strconv.Itoa(first), "-Encoding UTF8", "in PowerShell 7, -Encoding utf8BOM")
	if strings.Contains(stdout+stderr, "j?rg") {
		t.Errorf("the file's content is in the output:\n%s\n%s", stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "archive")); !os.IsNotExist(err) {
		t.Errorf("pcmig run wrote the archive folder (%v)", err)
	}
	if after := hashTree(t, dir, ".pcmig"); !maps.Equal(before, after) {
		t.Errorf("pcmig run changed the estate:\nbefore %v\nafter  %v", before, after)
	}

	// The same export without the lost characters is read: the lab's users
	// of the source registrar would move, as with the lab's own file.
	want := "57 users homed on fe15.contoso.com would move to fe19.contoso.com"
	writeFile(t, users, string(orig))
	stdout, _ = mustRun(t, exitPending, "run", "--estate", filepath.Join(dir, "estate.lua"), "--dry-run")
	mustContain(t, "lab's file", stdout, want)
	writeFile(t, users, ps51Export(t, orig))
	stdout, _ = mustRun(t, exitPending, "run", "--estate", filepath.Join(dir, "estate.lua"), "--dry-run")
	mustContain(t, "5.1 export", stdout, want)

	// The advice works from PowerShell 7 too: its -Encoding utf8BOM writes
	// a byte order mark, and a file with one is read as written, so an
	// address that really holds a '?' (RFC 3261 allows it in the user
	// part) is a user's, not a lost character.
	writeFile(t, users, "\ufeff"+lossy)
	stdout, _ = mustRun(t, exitPending, "run", "--estate", filepath.Join(dir, "estate.lua"), "--dry-run")
	mustContain(t, "utf8BOM export", stdout, "homed on fe15.contoso.com would move to fe19.contoso.com")
}

// TestDirectoryProblemsCountRows: a row of Get-CsUser with neither SIP
// address nor pool (a user never enabled for Skype for Business Server)
// counted as two rows with problems ("no row is a valid user (6 rows have
// problems ..." for three rows), and dir:problems() gave two entries for
// one row, though it lists rows. Each row is now one problem, its reasons
// joined.
func TestDirectoryProblemsCountRows(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	writeFile(t, filepath.Join(dir, "users.csv"), "\"SipAddress\",\"Enabled\",\"RegistrarPool\"\r\n"+
		"\"\",\"False\",\"\"\r\n\"\",\"False\",\"\"\r\n\"\",\"False\",\"\"\r\n")
	stdout, stderr, code := runCmd(t, "run", "--estate", filepath.Join(dir, "estate.lua"))
	if code != exitError {
		t.Errorf("exit %d, want %d\nstdout:\n%s", code, exitError, stdout)
	}
	mustContain(t, "stderr", stderr, "users.csv: no row is a valid user (3 rows have problems; the first: line 2: missing SIP address; missing registrar pool")

	script := filepath.Join(t.TempDir(), "problems.lua")
	writeFile(t, script, `step("count", function()
  local dir = require("user").load()
  print("problems " .. #dir:problems() .. " users " .. #dir:users())
end)
`)
	writeFile(t, filepath.Join(dir, "users.csv"), "\"SipAddress\",\"Enabled\",\"RegistrarPool\"\r\n"+
		"\"sip:ann@contoso.com\",\"True\",\"fe15.contoso.com\"\r\n\"\",\"False\",\"\"\r\n\"\",\"False\",\"\"\r\n")
	stdout, stderr = mustRun(t, 0, "run", script, "--estate", filepath.Join(dir, "estate.lua"), "--dry-run")
	mustContain(t, "stdout", stdout, "problems 2 users 1")
	if strings.Contains(stderr, "3 rows") {
		t.Errorf("two rows with problems counted as more:\n%s", stderr)
	}
}

// TestRunNamesUsersLeftBehind: a row of the source registrar's users that
// is not a valid user (here a SIP address with a space, as a hand-edited
// export may hold) was warned about once per row, and step 7 then said
// "57 users homed on fe15.contoso.com moved" as if that were all of them:
// the run ended EQUAL, exit 0, with that user still on the old pool. Step
// 7 now says how many rows of the source registrar it could not move and
// the first one's line. A duplicate row (its user moved through the
// first) is not counted.
func TestRunNamesUsersLeftBehind(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	users := filepath.Join(dir, "users.csv")
	orig := string(readFile(t, users))
	firstSIP := strings.Split(strings.Split(orig, "\r\n")[2], `"`)[1]
	bad := orig + "\"sip:bad user@contoso.com\",\"bad.user@contoso.com\",\"FE15.contoso.com\",\"True\"\r\n" +
		"\"" + strings.ToUpper(firstSIP) + "\",\"dup@contoso.com\",\"fe15.contoso.com\",\"True\"\r\n"
	writeFile(t, users, bad)
	line := strings.Count(orig, "\n") + 1
	stdout, stderr := mustRun(t, exitPending, "run", "--estate", filepath.Join(dir, "estate.lua"), "--dry-run")
	mustContain(t, "dry run", stdout+stderr, "1 user homed on fe15.contoso.com is not moved: its row has problems (line "+strconv.Itoa(line)+")")
	if strings.Contains(stdout+stderr, "bad user") {
		t.Errorf("the file's content is in the output:\n%s\n%s", stdout, stderr)
	}
}

// TestDoctorReadsTheDirectory: pcmig doctor --estate passed (0 FAIL, exit
// 0) an estate whose users.csv pcmig run refuses before step 1 - a
// Windows PowerShell 5.1 export that lost characters to '?', or one
// without the RegistrarPool column - so the pre-flight an administrator
// runs the day before said ready. The target's report now has a "user
// directory" line: FAIL for those, WARN for rows that are not valid users,
// OK with the count otherwise; never the file's text.
func TestDoctorReadsTheDirectory(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	estFile := filepath.Join(dir, "estate.lua")
	users := filepath.Join(dir, "users.csv")
	orig := readFile(t, users)
	stdout, _ := mustRun(t, 0, "doctor", "--estate", estFile)
	mustContain(t, "doctor", stdout, "OK    user directory  user directory "+users+" can be read (UTF-8 with BOM): 57 users, 57 homed on fe15.contoso.com")

	writeFile(t, users, ps51Export(t, orig, [3]string{"j?rg@contoso.com", "sip:j?rg@contoso.com", "fe15.contoso.com"}))
	stdout, _ = mustRun(t, exitError, "doctor", "--estate", estFile)
	mustContain(t, "doctor", stdout, "FAIL  user directory  "+users+": 1 row has a SIP address that lost characters to '?'")

	writeFile(t, users, "\"SipAddress\",\"UserPrincipalName\"\r\n\"sip:ann@contoso.com\",\"ann@contoso.com\"\r\n")
	stdout, _ = mustRun(t, exitError, "doctor", "--estate", estFile)
	mustContain(t, "doctor", stdout, "FAIL  user directory  "+users+": directory: line 1: header has no RegistrarPool column")

	writeFile(t, users, string(orig)+"\"sip:bad user@contoso.com\",\"b@contoso.com\",\"fe15.contoso.com\",\"True\"\r\n")
	stdout, _ = mustRun(t, 0, "doctor", "--estate", estFile)
	mustContain(t, "doctor", stdout, "WARN  user directory  "+users+": 1 row is not a valid user (the first: line 60: malformed SIP address")
	if strings.Contains(stdout, "bad user") || strings.Contains(stdout, "j?rg") {
		t.Errorf("the file's content is in the output:\n%s", stdout)
	}
}
