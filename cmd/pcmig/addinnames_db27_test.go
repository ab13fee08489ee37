package main

import (
	"path/filepath"
	"testing"
)

// TestDoctorNamesAddinsHeldTwice: a hand-built source holding add-ins
// "Poll" and "poll" (two names to a case-sensitive pool, one to this
// database and to a case-insensitive target). Add-in names are unique in
// a pool (documented), and every import refuses such an archive ('the
// target holds them as one name'). Before, `pcmig doctor --role source`
// said 'names' OK (it compared categories and rooms only), so the
// pre-flight passed and the migration stopped at step 2, after the export.
// Now the names line fails naming the add-ins; a target warns.
func TestDoctorNamesAddinsHeldTwice(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		`INSERT INTO tblSiopWhiteList VALUES ('ABCDEF01-0000-4000-8000-000000000001', 'Poll', 'https://a.contoso.com/'),
		  ('ABCDEF02-0000-4000-8000-000000000002', 'poll', 'https://b.contoso.com/'), ('ABCDEF03-0000-4000-8000-000000000003', 'Vote', 'https://c.contoso.com/')`,
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "Lobby"),
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'hello', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 1)`)
	stdout, _, code := runCmd(t, "doctor", "--db", src, "--role", "source")
	if code == 0 {
		t.Errorf("doctor --role source: exit 0, want a FAIL:\n%s", stdout)
	}
	mustContain(t, "doctor", stdout,
		`FAIL  names           2 add-ins share 1 name (add-in names are unique in a pool): "Poll", "poll"`,
		"Set-CsPersistentChatAddin")
	mustLack(t, "doctor", stdout, `"Vote"`)
	// What the doctor names is what the import refuses.
	arc := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", src, "--file", arc)
	out, stderr := mustRun(t, exitError, "import", "--db", handSQLPool(t, dir, "target"), "--file", arc)
	mustContain(t, "import", out+stderr, `add-in "Poll" and add-in "poll": the target holds them as one name`)
	stdout, _, _ = runCmd(t, "doctor", "--db", src, "--role", "target")
	mustContain(t, "doctor --role target", stdout, `WARN  names           2 add-ins share 1 name`)
}
