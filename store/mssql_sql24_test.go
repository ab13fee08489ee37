package store

// SQL Server path review (sql24), on the recording driver.

import (
	"context"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/pchat"
)

// TestSQLServerAddinReadLockedForTheWrite: EnsureAddin reads the white list
// to decide whether the add-in exists, then inserts it. Under READ
// COMMITTED a plain read keeps no lock once it has read a row, so another
// session (an administrator's New-CsPersistentChatAddin, a script) could
// add an add-in of that name between the read and pcmig's insert, and the
// pool would hold two add-ins of one name (siopName has no unique key in
// the documented schema), rooms pointing at either. The read takes update
// range locks held to the end of the write, as the principals' read does
// (51bc823).
func TestSQLServerAddinReadLockedForTheWrite(t *testing.T) {
	s, rec := openServer(t, &fakeServer{})
	if _, _, err := s.EnsureAddin(context.Background(), pchat.Addin{Name: "Wiki", URL: "https://wiki"}); err != nil {
		t.Fatal(err)
	}
	inTx, reads := false, 0
	for _, c := range rec.Calls() {
		switch c.Op {
		case "begin":
			inTx = true
		case "commit", "rollback":
			inTx = false
		}
		if !strings.Contains(c.Query, "siopName FROM tblSiopWhiteList") {
			continue
		}
		reads++
		if !inTx {
			t.Errorf("the add-ins are read outside the write's transaction:\n%s", c.Query)
		}
		if !strings.Contains(c.Query, "FROM tblSiopWhiteList WITH (UPDLOCK, HOLDLOCK)") {
			t.Errorf("the add-ins are read without locks held to the end of the write:\n%s", c.Query)
		}
	}
	if reads != 1 {
		t.Errorf("add-ins read %d times; want once", reads)
	}
}
