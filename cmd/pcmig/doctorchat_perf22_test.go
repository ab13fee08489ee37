package main

import (
	"strings"
	"testing"
)

// TestDoctorMessageFindingsTogether: the doctor reads tblChat once for
// three findings (a message row whose integer columns are not their
// documented type, messages of a room that no longer exists, messages of
// posters not in tblPrincipal). A hand-built pool holds all three at once,
// overlapping: a message of the removed room 999 by the removed poster
// 4242, a message by 4242 in the room that holds the row with isAlert 7
// (itself by 4242), and one by another removed poster, 4243. Each line
// names exactly its own rows and counts, in order, as a source and as a
// target; the message lines and the values line come out as they did when
// each check read the table on its own.
func TestDoctorMessageFindingsTogether(t *testing.T) {
	dir := t.TempDir()
	src := valuesPool(t, dir,
		handSQLNode(1001, 100, false, "R2"),
		`INSERT INTO tblChat VALUES (999, 1, 637503303671230000, 10, 0, 'left behind', NULL)`,
		`INSERT INTO tblChat VALUES (999, 2, 637503303671230000, 4242, 0, 'left behind too', NULL)`,
		`INSERT INTO tblChat VALUES (1000, 3, 637503303671230000, 4242, 7, 'odd alert', NULL)`,
		`INSERT INTO tblChat VALUES (1000, 4, 637503303671230000, 4242, 1, 'gone poster', NULL)`,
		`INSERT INTO tblChat VALUES (1001, 1, 637503303671230000, 4243, 0, 'another gone poster', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1001, 1)`,
		`UPDATE tblLastChatId SET lastChatID = 4 WHERE nodeID = 1000`)
	for _, c := range []struct{ role, posters string }{
		{"source", "FAIL  tblChat         4 messages were posted by 2 prinIDs not in tblPrincipal: 4242 (3 messages), 4243 (1 message)"},
		{"target", "WARN  tblChat         4 messages were posted by 2 prinIDs not in tblPrincipal: 4242 (3 messages), 4243 (1 message)"},
	} {
		stdout, _ := mustRun(t, exitError, "doctor", "--db", src, "--role", c.role)
		var got []string
		for _, line := range strings.Split(stdout, "\n") {
			if strings.HasPrefix(line[min(len(line), 6):], "values ") || strings.HasPrefix(line[min(len(line), 6):], "tblChat ") {
				got = append(got, line)
			}
		}
		want := []string{
			"FAIL  values          1 row holds values that are not their column's documented type (the embedded store keeps whatever it is given; values that are not integers are not shown): tblChat channelId 1000 chatId 3: isAlert 7 is not 0 or 1 (bit)",
			c.posters,
			"WARN  tblChat         2 messages belong to 1 room that no longer exists: 999 (2 messages)",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("doctor --role %s: the values and tblChat lines are\n%s\nwant\n%s\nwhole output:\n%s", c.role, strings.Join(got, "\n"), strings.Join(want, "\n"), stdout)
		}
	}
}

// TestDoctorRoleEntriesWithoutPrincipalCounted: on an embedded database
// the role and allowed/denied entries' prinIDs are looked up in the
// principal IDs the doctor reads for the messages. A removed principal
// named by two role grants and an allowed entry, and another by one grant,
// beside an entry of a principal that exists: one line with each prinID's
// count over both tables.
func TestDoctorRoleEntriesWithoutPrincipalCounted(t *testing.T) {
	dir := t.TempDir()
	src := valuesPool(t, dir,
		`INSERT INTO tblPrincipalRole VALUES (1000, 4242, 17, 1)`,
		`INSERT INTO tblPrincipalRole VALUES (1000, 4242, 3, 1)`,
		`INSERT INTO tblScopePrincipal VALUES (1000, 4242, 0, 1)`,
		`INSERT INTO tblPrincipalRole VALUES (100, 4243, 3, 1)`,
		`INSERT INTO tblPrincipalRole VALUES (1000, 10, 17, 1)`,
		`INSERT INTO tblScopePrincipal VALUES (1000, 10, 0, 1)`)
	stdout, _ := mustRun(t, exitOK, "doctor", "--db", src, "--role", "target")
	mustContain(t, "doctor", stdout, "WARN  role entries    4 role or allowed/denied entries name 2 prinIDs not in tblPrincipal: 4242 (3 entries), 4243 (1 entry)\n")
}
