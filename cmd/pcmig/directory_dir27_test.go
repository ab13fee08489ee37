package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// withEnabled rewrites the lab's users.csv (#TYPE line, header, rows that
// end with Get-CsUser's Enabled column, "True") with "False" in that column
// for the users whose SIP address is in off.
func withEnabled(t *testing.T, users string, off ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(string(readFile(t, users)), "\r\n"), "\n")
	if !strings.HasSuffix(strings.TrimRight(lines[1], "\r"), `,"Enabled"`) {
		t.Fatalf("the lab's users.csv header %q does not end with Enabled", lines[1])
	}
	var b strings.Builder
	for i, l := range lines {
		l = strings.TrimRight(l, "\r")
		for _, s := range off {
			if i > 1 && strings.HasPrefix(l, `"`+s+`"`) {
				if !strings.HasSuffix(l, `,"True"`) {
					t.Fatalf("users.csv line %d %q does not end with Enabled True", i+1, l)
				}
				l = strings.TrimSuffix(l, `,"True"`) + `,"False"`
			}
		}
		b.WriteString(l + "\r\n")
	}
	writeFile(t, users, b.String())
}

// labSIPs returns the SIP addresses of the lab's users.csv rows 3 and 4
// (users of the source registrar).
func labSIPs(t *testing.T, users string) (string, string) {
	t.Helper()
	lines := strings.Split(string(readFile(t, users)), "\n")
	return strings.Split(lines[2], `"`)[1], strings.Split(lines[3], `"`)[1]
}

// TestRunSaysDisabledUsersMove: users of the source registrar whose
// Get-CsUser Enabled is False (Set-CsUser -Enabled $False keeps them homed
// on the pool) were moved by step 7 without a word, in the dry run, the
// plan and the runbook alike, so an administrator could not tell that
// suspended accounts were part of the move, nor why. They are still moved
// (left on a pool that is then decommissioned, they could not sign in when
// enabled again), and the dry run, the plan and the runbook now say how
// many and which, and so does the doctor's "user directory" line. Failed
// before: no "disabled" anywhere in the output, the doctor or the runbook.
func TestRunSaysDisabledUsersMove(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	estFile := filepath.Join(dir, "estate.lua")
	users := filepath.Join(dir, "users.csv")
	a, b := labSIPs(t, users)
	withEnabled(t, users, a, b)

	stdout, _ := mustRun(t, 0, "doctor", "--estate", estFile)
	mustContain(t, "doctor", stdout, "57 homed on fe15.contoso.com (2 of them disabled, Enabled False: they move too)")
	stdout, stderr := mustRun(t, exitPending, "run", "--estate", estFile, "--dry-run")
	out := stdout + stderr
	mustContain(t, "dry run", out,
		"2 users to move are disabled (Enabled False: Set-CsUser -Enabled $False",
		a+", "+b+"; moved with the others",
		"57 users homed on fe15.contoso.com would move to fe19.contoso.com",
		"home 57 users on fe19.contoso.com, 2 of them disabled (Enabled False)")

	// A lab run moves them in the file too.
	mustRun(t, 0, "run", "--estate", estFile)
	got := string(readFile(t, users))
	for _, s := range []string{a, b} {
		moved := false
		for _, l := range strings.Split(got, "\n") {
			moved = moved || strings.HasPrefix(l, `"`+s+`"`) && strings.HasSuffix(l, `"fe19.contoso.com","False"`+"\r")
		}
		if !moved {
			t.Errorf("disabled user %s not moved in the lab's file:\n%s", s, got)
		}
	}

	// A real estate: the runbook says it above the batches that move them.
	dir = labEstate(t, "--messages", "50")
	estFile = filepath.Join(dir, "estate.lua")
	users = filepath.Join(dir, "users.csv")
	a, _ = labSIPs(t, users)
	withEnabled(t, users, a)
	editEstate(t, estFile, `kind = "lab"`, `kind = "real"`)
	mustRun(t, 0, "run", "--estate", estFile)
	rb := string(readFile(t, filepath.Join(dir, "runbook.ps1")))
	note := "# 1 user to move is disabled (Enabled False: Set-CsUser -Enabled $False, which keeps the account homed on its pool): " + a
	i, j := strings.Index(rb, note), strings.Index(rb, "Move-PcmigUserBatch -Report")
	if i < 0 || j < 0 || i > j || !strings.Contains(rb[i:], "if Move-CsUser refuses one, the move report says so") {
		t.Errorf("runbook: no note of the disabled user before the moves (note at %d, moves at %d)", i, j)
	}
	if !strings.Contains(rb[j:], "'"+a+"'") {
		t.Errorf("runbook does not move the disabled user %s", a)
	}
}

// TestDirectoryProblemsWarnedOnce: a row of users.csv that is not a valid
// user was warned of twice in a run (when user.load read the file, and
// again by migrate.lua's step 7 as "directory line N: ..."), and a row of
// empty fields (",,,", which Excel leaves where a row's cells were
// cleared; Export-Csv never writes one) was warned of as "missing SIP
// address; missing registrar pool", though it holds no user to miss. Each
// problem row is now warned of once, an empty row not at all, and the
// lab's file keeps it as it was.
func TestDirectoryProblemsWarnedOnce(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	estFile := filepath.Join(dir, "estate.lua")
	users := filepath.Join(dir, "users.csv")
	orig := string(readFile(t, users))
	writeFile(t, users, orig+"\"sip:bad user@contoso.com\",\"b@contoso.com\",\"fe15.contoso.com\",\"True\"\r\n,,,\r\n\"\",\"\",\"\",\"\"\r\n")
	stdout, stderr := mustRun(t, exitPending, "run", "--estate", estFile, "--dry-run")
	out := stdout + stderr
	if n := strings.Count(out, "malformed SIP address"); n != 1 {
		t.Errorf("the problem row is warned of %d times, want once:\n%s", n, out)
	}
	if strings.Contains(out, "missing SIP address") {
		t.Errorf("an empty row is warned of:\n%s", out)
	}
	mustContain(t, "dry run", out, "1 user homed on fe15.contoso.com is not moved: its row has problems (line 60)")

	stdout, _ = mustRun(t, 0, "doctor", "--estate", estFile)
	mustContain(t, "doctor", stdout, "1 row is not a valid user (the first: line 60")

	mustRun(t, 0, "run", "--estate", estFile)
	if got := string(readFile(t, users)); !strings.HasSuffix(got, "\"sip:bad user@contoso.com\",\"b@contoso.com\",\"fe15.contoso.com\",\"True\"\r\n,,,\r\n\"\",\"\",\"\",\"\"\r\n") {
		t.Errorf("the lab run did not keep the empty rows as they were:\n%s", got[max(0, len(got)-200):])
	}

}

// TestMultipoolNamesUsersLeftBehind: multipool.lua's user step warns of
// the source registrar's users whose rows have problems through
// dir:left_behind, as migrate.lua does, once per row.
func TestMultipoolNamesUsersLeftBehind(t *testing.T) {
	t.Parallel()
	est, _, _ := sharedSources(t)
	users := filepath.Join(filepath.Dir(est), "users.csv")
	orig := string(readFile(t, users))
	writeFile(t, users, orig+"\"sip:bad user@contoso.com\",\"b@contoso.com\",\"FE15.contoso.com\",\"True\"\r\n,,,\r\n")
	line := strings.Count(orig, "\n") + 1
	stdout, stderr := mustRun(t, exitPending, "run", "multipool", "--estate", est, "--dry-run")
	out := stdout + stderr
	mustContain(t, "multipool", out, "1 user homed on fe15.contoso.com is not moved: its row has problems (line "+strconv.Itoa(line)+")")
	if n := strings.Count(out, "malformed SIP address"); n != 1 {
		t.Errorf("the problem row is warned of %d times, want once:\n%s", n, out)
	}
}

// TestDirectoryWithoutUsersRefused: a users.csv holding the header row and
// then only empty rows (",,": a file whose rows were cleared in Excel) or
// nothing was read as a directory of no users: the doctor said OK ("0
// users") and step 7 "0 users homed on fe15.contoso.com would move",
// leaving every user on the old pool. Export-Csv writes no header for no
// users, so such a file was edited by hand; the doctor and the run now
// refuse it as they refuse a file of no valid users.
func TestDirectoryWithoutUsersRefused(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	estFile := filepath.Join(dir, "estate.lua")
	users := filepath.Join(dir, "users.csv")
	for _, body := range []string{"", ",,\r\n,,\r\n", "\r\n"} {
		writeFile(t, users, "\"SipAddress\",\"UserPrincipalName\",\"RegistrarPool\"\r\n"+body)
		stdout, _ := mustRun(t, exitError, "doctor", "--estate", estFile)
		mustContain(t, "doctor", stdout, "FAIL  user directory  "+users+": no user in it (a header row, then only blank or empty rows")
		stdout, stderr, code := runCmd(t, "run", "--estate", estFile, "--dry-run")
		if code != exitError || strings.Contains(stdout, "== Step 1/") {
			t.Errorf("run exit %d, want %d before step 1\n%s\n%s", code, exitError, stdout, stderr)
		}
		mustContain(t, "run", stderr, users+": no user in it")
	}
}
