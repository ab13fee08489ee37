package verify_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/verify"
)

// busiestRoom is the name and node ID of the target room with the most
// messages.
func busiestRoom(t *testing.T, m *migration) (string, int64) {
	t.Helper()
	id := sqlInt(t, m.target, `SELECT channelId FROM tblChat GROUP BY channelId ORDER BY COUNT(*) DESC, channelId LIMIT 1`)
	return sqlString(t, m.target, `SELECT nodeName FROM tblNode WHERE nodeID = ?`, id), id
}

// oneDifference fails unless the verdict is DIFFERENT with exactly one
// difference matching re, and returns the submatches.
func oneDifference(t *testing.T, r *verify.Result, re string) []string {
	t.Helper()
	got := texts(r)
	if r.Verdict != verify.Different || len(got) != 1 {
		t.Fatalf("verdict %s with %d differences, want DIFFERENT with 1: %q", r.Verdict, len(got), got)
	}
	match := regexp.MustCompile(re).FindStringSubmatch(got[0])
	if match == nil {
		t.Fatalf("difference %q\nwant it to match %s", got[0], re)
	}
	return match
}

// Changes to one message behind pcmig's back: each is found and named for
// what it is, not only as "differs".
func TestHostileMessageChangesNamed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change string // SQL on the target; ?1 is the room, ?2 the chat ID of its 6th message
		want   string // the tail of the one difference
	}{
		{"one character of the content", `UPDATE tblChat SET content = content || 'x' WHERE channelId = ?1 AND chatId = ?2`,
			`: the message by sip:\S+ differs \(its content\)$`},
		{"one character of the RTF", `UPDATE tblChat SET rtf = COALESCE(rtf, '') || 'x' WHERE channelId = ?1 AND chatId = ?2`,
			`: the message by sip:\S+ differs \(its RTF\)$`},
		{"alert flag flipped", `UPDATE tblChat SET isAlert = 1 - isAlert WHERE channelId = ?1 AND chatId = ?2`,
			`: the message by sip:\S+ differs \(alert flag (no|yes) in the source, (yes|no) in the target\)$`},
		// One tick is 100 ns: the two times must not print alike.
		{"time one tick later", `UPDATE tblChat SET chatDate = chatDate + 1 WHERE channelId = ?1 AND chatId = ?2`,
			`^room .+; first difference at (\S+): the message by sip:\S+ differs \(time (\S+) in the target\)$`},
		{"two messages swapped", "", // below
			`: the source's messages by sip:\S+ \(\S+\) and by sip:\S+ \(\S+\) are in the other order in the target$`},
		{"the last message lost", `DELETE FROM tblChat WHERE channelId = ?1 AND chatId = (SELECT MAX(chatId) FROM tblChat WHERE channelId = ?1)`,
			`; first difference at \S+: the source's last message \(by sip:\S+\) is not in the target$`},
		{"the last three messages lost", `DELETE FROM tblChat WHERE channelId = ?1 AND chatId > (SELECT MAX(chatId) - 3 FROM tblChat WHERE channelId = ?1)`,
			`; first difference at \S+: the source's last 3 messages \(from the one by sip:\S+\) are not in the target$`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMigration(t)
			m.migrate(t)
			_, room := busiestRoom(t, m)
			sixth := sqlInt(t, m.target, `SELECT chatId FROM tblChat WHERE channelId = ? ORDER BY chatId LIMIT 1 OFFSET 5`, room)
			if strings.Contains(tc.name, "swapped") {
				// Swap two messages with different posters or content, so
				// that the swap changes the history.
				sqlExec(t, m.target, `UPDATE tblChat SET chatId = -chatId WHERE channelId = ?1 AND chatId IN (?2, ?2 + 1)`, room, sixth)
				sqlExec(t, m.target, `UPDATE tblChat SET chatId = CASE -chatId WHEN ?2 THEN ?2 + 1 ELSE ?2 END WHERE channelId = ?1 AND chatId < 0`, room, sixth)
			} else {
				sqlExec(t, m.target, tc.change, room, sixth)
			}
			match := oneDifference(t, m.verify(t, verify.Options{}), tc.want)
			if strings.Contains(tc.name, "tick") && match[1] == match[2] {
				t.Errorf("the source's time %s and the target's %s print alike", match[1], match[2])
			}
		})
	}
}

// A room's add-in is the add-in's name and its URL: a URL changed in the
// target's tblSiopWhiteList is a difference of every room that uses it.
func TestAddinURLChanged(t *testing.T) {
	t.Parallel()
	m := newMigration(t)
	m.migrate(t)
	name := sqlString(t, m.target, `SELECT a.siopName FROM tblSiopWhiteList a JOIN tblNode n ON n.siopID = a.siopID GROUP BY a.siopName ORDER BY a.siopName LIMIT 1`)
	rooms := sqlInt(t, m.target, `SELECT COUNT(*) FROM tblNode n JOIN tblSiopWhiteList a ON a.siopID = n.siopID WHERE a.siopName = ?`, name)
	sqlExec(t, m.target, `UPDATE tblSiopWhiteList SET siopUrl = 'https://evil.example.com/addin' WHERE siopName = ?`, name)
	r := m.verify(t, verify.Options{})
	got := texts(r)
	if r.IsEqual() || int64(len(got)) != rooms {
		t.Fatalf("%d rooms use add-in %s, whose URL changed: %d differences %q", rooms, name, len(got), got)
	}
	re := regexp.MustCompile(`^room .+: add-in ` + regexp.QuoteMeta(name) + ` has URL "https://evil.example.com/addin" in the target, "\S+" in the source$`)
	for _, d := range got {
		if !re.MatchString(d) {
			t.Errorf("difference %q does not match %s", d, re)
		}
	}
}

// journal rewrites the import journal of m through edit.
func journal(t *testing.T, m *migration, edit func(d map[string]any)) {
	t.Helper()
	paths, _ := filepath.Glob(m.archive + ".import-*.json")
	if len(paths) != 1 {
		t.Fatalf("import journals: %q", paths)
	}
	b, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	d := map[string]any{}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	delete(d, "checksum")
	edit(d)
	if b, err = json.Marshal(d); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(paths[0], sealImportJournal(b), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A hand-edited import journal is a hint, never the proof: message ranges
// that do not fit the target room are ignored (and said so), and outcomes
// that say "skipped" cannot hide a room the target does not have.
func TestHostileImportJournal(t *testing.T) {
	t.Parallel()
	rangeOf := func(room int64, set func(e map[string]any)) func(d map[string]any) {
		return func(d map[string]any) {
			for _, e := range d["rooms"].(map[string]any) {
				if e := e.(map[string]any); int64(e["target_id"].(float64)) == room {
					set(e)
				}
			}
		}
	}
	for _, tc := range []struct {
		name string
		edit func(room int64) func(d map[string]any)
	}{
		{"base beyond any chat ID", func(room int64) func(d map[string]any) {
			return rangeOf(room, func(e map[string]any) { e["base_last_chat_id"] = 9223372036854775000 })
		}},
		{"negative base", func(room int64) func(d map[string]any) {
			return rangeOf(room, func(e map[string]any) { e["base_last_chat_id"] = -100 })
		}},
		{"negative count", func(room int64) func(d map[string]any) {
			return rangeOf(room, func(e map[string]any) { e["messages"] = -5 })
		}},
		{"more messages than the room holds", func(room int64) func(d map[string]any) {
			return rangeOf(room, func(e map[string]any) { e["messages"] = 1 << 40 })
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMigration(t)
			m.migrate(t)
			name, room := busiestRoom(t, m)
			journal(t, m, tc.edit(room))
			r := m.verify(t, verify.Options{})
			wantEqual(t, r)
			if r.Totals.Target.Messages != 3000 {
				t.Errorf("compared %d target messages, want 3000", r.Totals.Target.Messages)
			}
			notes := strings.Join(r.Notes, "\n")
			if !strings.Contains(notes, "room "+name+": the import journal") || !strings.Contains(notes, "does not fit the target room") {
				t.Errorf("the notes do not say that the journal's range of room %s was ignored:\n%s", name, notes)
			}
		})
	}

	// Every outcome turned into "skip", and one room deleted from the
	// target: the journal cannot make the missing room an intended skip.
	t.Run("skip hides nothing", func(t *testing.T) {
		t.Parallel()
		m := newMigration(t)
		m.migrate(t)
		name, room := busiestRoom(t, m)
		journal(t, m, func(d map[string]any) {
			for _, o := range d["outcomes"].(map[string]any) {
				o.(map[string]any)["action"] = "skip"
			}
		})
		sqlExec(t, m.target, `DELETE FROM tblChat WHERE channelId = ?`, room)
		sqlExec(t, m.target, `DELETE FROM tblLastChatId WHERE nodeID = ?`, room)
		sqlExec(t, m.target, `DELETE FROM tblPrincipalRole WHERE prinRoleNodeID = ?`, room)
		sqlExec(t, m.target, `DELETE FROM tblNode WHERE nodeID = ?`, room)
		r := m.verify(t, verify.Options{})
		if r.IsEqual() {
			t.Fatalf("EQUAL after room %s was deleted, because the journal says everything was skipped; notes:\n%s", name, strings.Join(r.Notes, "\n"))
		}
		found := false
		for _, d := range texts(r) {
			found = found || strings.HasPrefix(d, "room "+name+": in the source, not in the target")
		}
		if !found {
			t.Errorf("no difference names room %s: %q", name, texts(r))
		}
	})
}

// One source given twice would be counted twice and still say EQUAL; the
// target given as a source would prove nothing. Both are refused.
func TestSourcesAreDistinctPools(t *testing.T) {
	t.Parallel()
	m := newMigration(t)
	m.migrate(t)
	src, tgt := open(t, m.source, true), open(t, m.target, true)
	for name, sources := range map[string][]verify.Source{
		"one source twice":  {{Label: "a", Store: src}, {Label: "b", Store: src}},
		"the target itself": {{Label: "a", Store: tgt}},
	} {
		if r, err := verify.Run(t.Context(), sources, tgt, verify.Options{}); err == nil {
			t.Errorf("%s: verdict %s, want an error", name, r.Verdict)
		}
	}
	cp := m.dir + "/copy.db"
	labtest.CopyFile(t, m.source, cp)
	if _, err := verify.Run(t.Context(), []verify.Source{{Label: "a", Store: src}, {Label: "b", Store: open(t, cp, true)}}, tgt, verify.Options{}); err == nil || !strings.Contains(err.Error(), "same pool") {
		t.Errorf("a source and its copy: err %v, want one saying they are the same pool", err)
	}
}

// An export scope matches category names as the source database does (its
// name key: case, trailing spaces): verify must take the same categories,
// not compare none and say EQUAL.
func TestScopeMatchedAsTheExportMatchedIt(t *testing.T) {
	t.Parallel()
	m := newMigration(t)
	sqlExec(t, m.source, `UPDATE tblNode SET nodeName = 'FINANCE  ' WHERE nodeName = 'Finance'`)
	m.export(t, exporter.Options{Scope: []string{"Finance"}})
	m.importArchive(t, importer.Options{})
	r := m.verify(t, verify.Options{})
	wantEqual(t, r)
	if r.Totals.Source.Categories != 1 || r.Totals.Source.Messages == 0 {
		t.Fatalf("compared %+v, want the one category the export took, with its messages", r.Totals.Source)
	}
	if r := m.verify(t, verify.Options{Scope: []string{"finance"}}); r.Totals.Source.Categories != 1 {
		t.Errorf("--scope finance compared %d categories, want 1", r.Totals.Source.Categories)
	}
	_, room := busiestRoom(t, m)
	sqlExec(t, m.target, `DELETE FROM tblChat WHERE channelId = ? AND chatId = (SELECT MIN(chatId) FROM tblChat WHERE channelId = ?)`, room, room)
	oneDifference(t, m.verify(t, verify.Options{}), `^room .+: [0-9,]+ messages in the source, [0-9,]+ in the target`)
}

// A room the export took that is still in the source but that verify did
// not compare (moved out of the exported category since) is a difference:
// EQUAL never stands on a room nobody looked at.
func TestEveryArchiveRoomAccountedFor(t *testing.T) {
	t.Parallel()
	m := newMigration(t)
	m.export(t, exporter.Options{Scope: []string{"Finance"}})
	m.importArchive(t, importer.Options{})
	room := sqlString(t, m.source, `SELECT MIN(r.nodeName) FROM tblNode r JOIN tblNode c ON c.nodeID = r.parentID WHERE c.nodeName = 'Finance'`)
	sqlExec(t, m.source, `UPDATE tblNode SET parentID = (SELECT nodeID FROM tblNode WHERE nodeName = 'Sales') WHERE nodeName = ?`, room)
	oneDifference(t, m.verify(t, verify.Options{}), `^room `+regexp.QuoteMeta(room)+`: in the archive \(category "Finance"\) and in the source \(category "Sales"\), but not compared`)
}

// sealImportJournal gives an edited import journal body (a JSON object
// without its checksum member) the checksum pcmig puts in front of it
// (importer's seal), as a test must to reach what it checks behind it.
func sealImportJournal(body []byte) []byte {
	sum := sha256.Sum256(body)
	return append([]byte(`{"checksum":"sha256:`+hex.EncodeToString(sum[:])+`",`), body[1:]...)
}
