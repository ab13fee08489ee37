package main

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestImportRefusesAColumnItCannotFill: a target whose tblChat has a column
// the documented schema does not have, NOT NULL and without a default,
// refuses every row pcmig inserts there. `pcmig import`, which does not run
// the doctor, refuses before it writes anything (structure included), in a
// dry run too, naming the table and the column.
func TestImportRefusesAColumnItCannotFill(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	src := filepath.Join(est, "source-2015.db")
	target := filepath.Join(est, "target-2019.db")
	zip := filepath.Join(t.TempDir(), "pchat.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", zip)

	db := openDBWrite(t, target)
	for _, stmt := range []string{
		`ALTER TABLE tblChat RENAME TO tblChatOld`,
		`CREATE TABLE tblChat (channelId int NOT NULL, chatId bigint NOT NULL, userId int NOT NULL, chatDate bigint NOT NULL,
		  rtf varchar(8000) NULL, content ntext NOT NULL, isAlert bit NOT NULL, chatTenant int NOT NULL,
		  PRIMARY KEY (channelId, chatId))`,
		`INSERT INTO tblChat (channelId, chatId, userId, chatDate, rtf, content, isAlert, chatTenant)
		   SELECT channelId, chatId, userId, chatDate, rtf, content, isAlert, 0 FROM tblChatOld`,
		`DROP TABLE tblChatOld`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	before := hashTree(t, est)
	for _, mode := range [][]string{{"--dry-run"}, {}} {
		out, stderr, code := runCmd(t, append([]string{"import", "--db", "sqlite:" + target, "--file", zip}, mode...)...)
		if code != exitError {
			t.Errorf("import %v: exit %d, want %d\n%s%s", mode, code, exitError, out, stderr)
		}
		mustContain(t, "import", out+stderr, "tblChat.chatTenant", "NOT NULL without a default")
	}
	if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
		t.Errorf("the refused import changed the estate (-before +after):\n%s", diff)
	}
}
