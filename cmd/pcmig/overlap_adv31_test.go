package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
)

// TestOverlappedImportTalliedChecksAsSequential holds the overlapped
// import's confirmation (importer/overlap.go: overlap.same, which since
// 4462f2b compares only the problems of the three checks that depend on
// what the pre-pass tallies of the messages, plan.tallied) to the import
// that reads first, for archives whose messages differ from what the small
// parts claim only in what those checks see: who posted (the system user,
// a group, a user whose URI is not a sip: address, a principal only the
// target holds) and their text. Each is imported overlapped and
// sequentially, in both read modes: the same exit, stdout and stderr
// (progress aside), the same target (node IDs aside), or, refused, the
// target file as it was and no journal. Each case also says whether the
// overlapped import is confirmed: a case whose messages change what a
// check finds is not (the claims' plan found nothing of the messages), one
// whose messages change nothing is.
func TestOverlappedImportTalliedChecksAsSequential(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 30,000 messages many times")
	}
	arc, target := overlapArchive(t)
	last := fmt.Sprintf("messages/%06d.jsonl", overlapMessages/10000)
	lastPart := string(zipEntry(t, arc, last))
	line := lastPart[strings.LastIndex(lastPart[:len(lastPart)-1], "\n")+1:]
	user := regexp.MustCompile(`"user":"([0-9a-f-]{36})"`).FindStringSubmatch(line)[1]
	content := regexp.MustCompile(`"content":"[^"]`).FindString(line)
	rtf := regexp.MustCompile(`"rtf":"[^"]`).FindString(line)
	prins := string(zipEntry(t, arc, "principals.jsonl"))
	const system = "00000000-0000-0000-0000-000000000001"
	sysName := `{"guid":"` + system + `","uri":"ma-sys:system","type":"SystemUser","name":"System",`
	group := regexp.MustCompile(`"guid":"([0-9a-f-]{36})","uri":"[^"]*","type":"Group"`).FindStringSubmatch(prins)[1]
	poster := `{"guid":"` + user + `","uri":"sip:`
	if !strings.Contains(prins, sysName) || !strings.Contains(prins, poster) || content == "" || rtf == "" {
		t.Fatalf("the lab archive has no system user %s, no sip: principal %s or no content and RTF in its last message", system, user)
	}
	postedBy := func(a, guid string) string {
		return rezip(t, a, last, line, strings.Replace(line, `"user":"`+user+`"`, `"user":"`+guid+`"`, 1))
	}
	// The system user with an AD path: reportSystemUsers warns, naming its
	// messages (0 in the claims).
	sysAD := rezip(t, arc, "principals.jsonl", sysName, sysName+`"ad_path":"CN=System,DC=contoso,DC=com",`)
	// A principal only the target holds (the archive does not describe
	// it): its messages are credited to it, and a group is warned of.
	const targetUser, targetGroup = "7a7a7a7a-0000-4000-8000-000000000001", "7a7a7a7a-0000-4000-8000-000000000002"
	withPrincipals := copyTarget(t, target)
	db := openDBWrite(t, withPrincipals)
	for _, p := range []struct {
		id       int
		guid     string
		uri      string
		typ      int
		disabled int
	}{{9001, targetUser, "sip:only.target@contoso.com", 5, 0}, {9002, targetGroup, "ma-grp://contoso.com/" + targetGroup, 9, 0}} {
		if _, err := db.Exec(`INSERT INTO tblPrincipal (prinID, prinGuid, prinUri, prinName, prinDisabled, prinTypeID, prinAddedOn, prinUpdatedOn, prinVerifiedOn)
			VALUES (?, ?, ?, 'x', ?, ?, 635556672000000000, 635556672000000000, '2015-01-01T00:00:00.000Z')`, p.id, p.guid, p.uri, p.disabled, p.typ); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	// tblChat declared by hand with content nvarchar(N), N the archive's
	// longest content (in UTF-16 units): the store holds the import to it
	// (store/catalog.go), checkMessageText finds what exceeds it.
	longest := 0
	for k := 1; k <= overlapMessages/10000; k++ {
		for _, l := range strings.Split(strings.TrimSpace(string(zipEntry(t, arc, fmt.Sprintf("messages/%06d.jsonl", k)))), "\n") {
			var m struct{ Content string }
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatal(err)
			}
			longest = max(longest, len(utf16.Encode([]rune(m.Content))))
		}
	}
	shortContent := copyTarget(t, target)
	db = openDBWrite(t, shortContent)
	if _, err := db.Exec(`DROP TABLE tblChat`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf(`CREATE TABLE tblChat (channelId INTEGER NOT NULL, chatId INTEGER NOT NULL, chatDate INTEGER NOT NULL,
		userId INTEGER NOT NULL, isAlert INTEGER NOT NULL CHECK (isAlert IN (0,1)), content nvarchar(%d) NOT NULL, rtf TEXT NULL,
		PRIMARY KEY (channelId, chatId)) WITHOUT ROWID`, longest)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	cases := []struct {
		name, arc, target string
		confirmed         bool
	}{
		{"a message by the system user", postedBy(arc, system), target, true},
		{"the system user with an AD path, posting nothing", sysAD, target, true},
		{"the system user with an AD path posts", postedBy(sysAD, system), target, false},
		{"a message by a group", postedBy(arc, group), target, false},
		{"a user whose URI is not a sip: address", rezip(t, arc, "principals.jsonl", poster, `{"guid":"`+user+`","uri":"tel:`), target, false},
		{"a message by a user only the target holds", postedBy(arc, targetUser), withPrincipals, true},
		{"a message by a group only the target holds", postedBy(arc, targetGroup), withPrincipals, false},
		// An embedded target's text columns hold any UTF-8 (code page 65001).
		{"RTF and content with characters outside code page 1252", rezip(t, arc, last, line, strings.Replace(strings.Replace(line, rtf, rtf+"Ā", 1), content, content+"😀", 1)), target, true},
		// A target that declares tblChat.content's length holds the
		// archive's longest content, and not one longer.
		{"content the declared length holds", arc, shortContent, true},
		{"content longer than the declared length", rezip(t, arc, last, line, strings.Replace(line, content, content+strings.Repeat("x", longest), 1)), shortContent, false},
		// The archive's reader refuses it as damage (the pre-pass's error).
		{"text that is not UTF-8", rezip(t, arc, last, line, strings.Replace(line, content, content+"\xff", 1)), target, false},
	}
	h := &overlapHooks{}
	for _, mode := range readModes {
		for _, tt := range cases {
			t.Run(mode.name+"/"+tt.name, func(t *testing.T) {
				h.twice = !mode.once
				h.points = nil
				ov := importOnce(t, h, tt.arc, tt.target, false)
				if !slices.Contains(h.points, "hold") {
					t.Fatalf("the import passed %q, want the hold (overlapped)\n%s", h.points, ov.stderr)
				}
				if confirmed := slices.Contains(h.points, "committed"); confirmed != tt.confirmed {
					t.Errorf("the import passed %q: confirmed %v, want %v", h.points, confirmed, tt.confirmed)
				}
				h.points = nil
				seq := importOnce(t, h, tt.arc, tt.target, true)
				if len(h.points) != 0 {
					t.Fatalf("the sequential import passed %q", h.points)
				}
				ovRest, ovProgress := messageProgress(ov.stderr)
				seqRest, _ := messageProgress(seq.stderr)
				if ov.code != seq.code || ov.stdout != seq.stdout || ovRest != seqRest {
					t.Errorf("overlapped: exit %d, sequential: exit %d\n%s", ov.code, seq.code,
						cmp.Diff(seq.stdout+"\n"+seqRest, ov.stdout+"\n"+ovRest))
				}
				if seq.code == 0 {
					if diff := cmp.Diff(dumpByGUID(t, seq.target), dumpByGUID(t, ov.target)); diff != "" {
						t.Errorf("target differs (-sequential +overlapped):\n%s", diff)
					}
					if n := len(dumpByGUID(t, ov.target)["tblChat"]); n != overlapMessages {
						t.Errorf("the target holds %d messages, want %d", n, overlapMessages)
					}
				} else {
					if pending(ovProgress) != len(ovProgress) {
						t.Errorf("a refused import said messages were imported:\n%s", ov.stderr)
					}
					for _, r := range []importRun{ov, seq} {
						if !bytes.Equal(readFile(t, r.target), readFile(t, tt.target)) {
							t.Errorf("the target file changed")
						}
						if j := checkpointFiles(t, r.arc); len(j) != 0 {
							t.Errorf("journal written beside the refused archive: %q", j)
						}
					}
				}
				t.Logf("exit %d: %s%s", ov.code, strings.TrimSpace(ov.stdout), strings.TrimSpace(ovRest))
			})
		}
	}
}

// TestOverlappedImportWriteFailsAsSequential: a write that the target
// refuses (a trigger of the target's aborts the insert of the last
// message), under the hold when the import reads once, breaks the hold (store/hold.go: no savepoint undoes
// it alone); the import rolls the hold back and runs as the sequential
// one, which commits the parts before and stops at the same write: the
// same exit, words and target as PCMIG_IMPORT_SEQUENTIAL=1, never the
// hold's own error. Without the trigger, an import run again brings the
// rest, to the same target in both.
func TestOverlappedImportWriteFailsAsSequential(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 30,000 messages four times")
	}
	arc, target := overlapArchive(t)
	last := fmt.Sprintf("messages/%06d.jsonl", overlapMessages/10000)
	lastPart := string(zipEntry(t, arc, last))
	line := lastPart[strings.LastIndex(lastPart[:len(lastPart)-1], "\n")+1:]
	content := regexp.MustCompile(`"content":"`).FindString(line)
	boom := rezip(t, arc, last, line, strings.Replace(line, content, content+"BOOM ", 1))
	trigger := copyTarget(t, target)
	db := openDBWrite(t, trigger)
	if _, err := db.Exec(`CREATE TRIGGER boom BEFORE INSERT ON tblChat WHEN NEW.content LIKE 'BOOM %' BEGIN SELECT RAISE(ABORT, 'boom'); END`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	h := &overlapHooks{}
	for _, mode := range readModes {
		t.Run(mode.name, func(t *testing.T) {
			h.twice, h.points = !mode.once, nil
			ov := importOnce(t, h, boom, trigger, false)
			// Read once, the failing write is under the hold; with a
			// pre-pass beside, usually after the hold's commit (the
			// pre-pass ends first), where it stops as every import does.
			if !slices.Contains(h.points, "hold") || mode.once && slices.Contains(h.points, "saved") {
				t.Errorf("the import passed %q, want the hold (and, read once, no save)", h.points)
			}
			seq := importOnce(t, h, boom, trigger, true)
			ovRest, _ := messageProgress(ov.stderr)
			seqRest, _ := messageProgress(seq.stderr)
			if seq.code == 0 || ov.code != seq.code || ov.stdout != seq.stdout || ovRest != seqRest {
				t.Errorf("overlapped: exit %d, sequential: exit %d (want the same failure)\n%s", ov.code, seq.code,
					cmp.Diff(seq.stdout+"\n"+seqRest, ov.stdout+"\n"+ovRest))
			}
			mustContain(t, "the failed import", ovRest, "boom")
			if strings.Contains(ov.stderr, "under the hold") {
				t.Errorf("the hold's own error reached the console:\n%s", ov.stderr)
			}
			if diff := cmp.Diff(dumpByGUID(t, seq.target), dumpByGUID(t, ov.target)); diff != "" {
				t.Errorf("target differs (-sequential +overlapped):\n%s", diff)
			}
			for _, r := range []importRun{ov, seq} {
				db := openDBWrite(t, r.target)
				if _, err := db.Exec(`DROP TRIGGER boom`); err != nil {
					t.Fatal(err)
				}
				db.Close()
				if _, stderr, code := runHooked(t, nil, nil, "import", "--db", "sqlite:"+r.target, "--file", r.arc); code != 0 {
					t.Fatalf("import again without the trigger: exit %d\n%s", code, stderr)
				}
			}
			got := dumpByGUID(t, ov.target)
			if diff := cmp.Diff(dumpByGUID(t, seq.target), got); diff != "" {
				t.Errorf("after the import again, target differs (-sequential +overlapped):\n%s", diff)
			}
			if n := len(got["tblChat"]); n != overlapMessages {
				t.Errorf("the target holds %d messages, want %d", n, overlapMessages)
			}
		})
	}
}
