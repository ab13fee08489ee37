package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDoctorNamesControlCharacterURIs: a hand-built source whose
// principals' prinUri hold ESC and U+009B. The export refuses the pool
// at step 1, naming each (every import refuses such a principal); `pcmig
// doctor --role source` said nothing of them (exit 0), so the pre-flight
// passed. It now fails naming each by prinID with its URI escaped, never
// printing the character; a target is not checked for them.
func TestDoctorNamesControlCharacterURIs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLUser(25, `sip:b' || char(27) || '[2J@contoso.com`),
		handSQLUser(26, `sip:c' || char(155) || '@contoso.com`),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "R1"),
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'hello', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 1)`)
	stdout, stderr, code := runCmd(t, "doctor", "--db", src, "--role", "source")
	if code != exitError {
		t.Errorf("doctor --role source: exit %d, want %d:\n%s%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "doctor", stdout,
		`FAIL  principals`,
		`2 principals have a prinUri holding a control character, which no SIP address has: prinID 25 ("sip:b\x1b[2J@contoso.com": U+001B), prinID 26 ("sip:c\u009b@contoso.com": U+009B)`,
		"the export refuses the pool")
	if strings.ContainsAny(stdout+stderr, "\x1b\u009b") {
		t.Error("the doctor printed the control character itself")
	}
	// What the doctor names is what the export refuses.
	_, stderr = mustRun(t, exitError, "export", "--db", src, "--file", filepath.Join(dir, "a.zip"))
	mustContain(t, "export", stderr, `tblPrincipal prinID 25 ("sip:b\x1b[2J@contoso.com") has a prinUri holding a control character (U+001B)`,
		`tblPrincipal prinID 26 ("sip:c\u009b@contoso.com") has a prinUri holding a control character (U+009B)`)
	stdout, _, _ = runCmd(t, "doctor", "--db", src, "--role", "target")
	mustLack(t, "doctor --role target", stdout, "prinUri holding a control character")

	clean := handSQLPool(t, dir, "clean",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "R1"))
	stdout, _, _ = runCmd(t, "doctor", "--db", clean, "--role", "source")
	mustLack(t, "doctor of a clean source", stdout, "control character")
}
