package main

import (
	"archive/zip"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestChatIDsAsTheDocsSay: docs/facts.md and the README say that chat IDs
// are not carried (a room the import creates numbers its messages 1, 2,
// 3, ... in the source's order; a merged room's follow the target's last
// chat ID), so a source compliance record's cmplChatID does not name the
// target's message. Before, no doc said so (facts.md: "appends with dense
// IDs"; nothing on compliance). A hand-built source: room Gaps holds chat
// IDs 1, 2 and 5 (3 and 4 removed), room Dense 1, 2, 3, room Shared one
// message of chat ID 7; the target already holds Shared with 2 messages.
// The docs' claims are checked here against what the import writes.
func TestChatIDsAsTheDocsSay(t *testing.T) {
	t.Parallel()
	facts := string(readFile(t, filepath.Join("..", "..", "docs", "facts.md")))
	mustContain(t, "docs/facts.md", facts,
		"**chat IDs are not carried**",
		"A room the import creates numbers the archive's messages 1, 2, 3, … in the source's order; a merged room's follow the target room's last chat ID",
		"**pcmig reads and writes `mgc` only: it writes no compliance event, and the target's chat IDs and node IDs are not the source's**")
	readme := string(readFile(t, filepath.Join("..", "..", "README.md")))
	mustContain(t, "README.md", readme, "pcmig reads and writes `mgc` only, and chat IDs are not carried")

	dir := t.TempDir()
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		handSQLNode(1000, 100, false, "Gaps"),
		handSQLNode(1001, 100, false, "Dense"),
		handSQLNode(1002, 100, false, "Shared"),
		`INSERT INTO tblChat VALUES (1000, 1, 637503303671230000, 10, 0, 'g1', NULL), (1000, 2, 637503303671230001, 10, 0, 'g2', NULL),
		  (1000, 5, 637503303671230002, 10, 0, 'g5', NULL)`,
		`INSERT INTO tblChat VALUES (1001, 1, 637503303671230000, 10, 0, 'd1', NULL), (1001, 2, 637503303671230001, 10, 0, 'd2', NULL),
		  (1001, 3, 637503303671230002, 10, 0, 'd3', NULL)`,
		`INSERT INTO tblChat VALUES (1002, 7, 637503303671230005, 10, 0, 's7', NULL)`,
		`INSERT INTO tblLastChatId VALUES (1000, 5), (1001, 3), (1002, 7)`)
	tgt := handSQLPool(t, dir, "target",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(200, 1, true, "Cat"),
		handSQLNode(2000, 200, false, "Shared"),
		`INSERT INTO tblChat VALUES (2000, 1, 637503303671220000, 10, 0, 't1', NULL), (2000, 2, 637503303671220001, 10, 0, 't2', NULL)`,
		`INSERT INTO tblLastChatId VALUES (2000, 2)`)
	arc := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", src, "--file", arc)
	mustRun(t, 0, "import", "--db", tgt, "--file", arc)
	got := labtest.QuerySQLite(t, strings.TrimPrefix(tgt, "sqlite:"),
		`SELECT n.nodeName, c.chatId, c.content FROM tblChat c JOIN tblNode n ON n.nodeID = c.channelId ORDER BY n.nodeName, c.chatId`)
	var lines []string
	for _, r := range got {
		lines = append(lines, strings.Join(r, " "))
	}
	want := "Dense 1 d1|Dense 2 d2|Dense 3 d3|Gaps 1 g1|Gaps 2 g2|Gaps 3 g5|Shared 1 t1|Shared 2 t2|Shared 3 s7"
	if g := strings.Join(lines, "|"); g != want {
		t.Errorf("target's messages (room, chat ID, content):\n got %s\nwant %s", g, want)
	}
	// verify compares histories in order, not chat IDs: equal.
	stdout, _ := mustRun(t, 0, "verify", "--source", src, "--target", tgt, "--archive", arc)
	mustContain(t, "verify", stdout, "EQUAL")
	// The source's IDs stay in the archive, as the docs say.
	z, err := zip.OpenReader(arc)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	var msgs []byte
	for _, f := range z.File {
		if strings.HasPrefix(f.Name, "messages/") {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			msgs = append(msgs, b...)
		}
	}
	mustContain(t, "archive messages", string(msgs), `"chat_id":"5"`, `"chat_id":"7"`)
}
