package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestVerifyCountLineSaysWhenContentDiffers: after a migration, one
// message's text is changed in the target. verify's verdict is DIFFERENT,
// and its count line no longer says "500 of 500 messages arrived" as if
// all were intact: the messages are present, and the history of one room
// differs; the JSON's totals say the same (rooms_history_differs).
func TestVerifyCountLineSaysWhenContentDiffers(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "500")
	est := filepath.Join(dir, "estate.lua")
	mustRun(t, 0, "run", "--estate", est)
	stdout, _ := mustRun(t, 0, "verify", "--estate", est)
	mustContain(t, "verify", stdout, "500 of 500 messages present (target of source).")
	labtest.ExecSQLite(t, filepath.Join(dir, "target-2019.db"),
		`UPDATE tblChat SET content = content || ' (edited)' WHERE channelId = (SELECT MIN(channelId) FROM tblChat) AND chatId = (SELECT MIN(chatId) FROM tblChat WHERE channelId = (SELECT MIN(channelId) FROM tblChat))`)
	stdout, _, code := runCmd(t, "verify", "--estate", est)
	if code != exitDifferent {
		t.Fatalf("verify: exit %d, want %d\n%s", code, exitDifferent, stdout)
	}
	mustContain(t, "verify", stdout, "500 of 500 messages present (target of source); 1 room has a different history (see the differences)", "DIFFERENT: 1 difference ")
	if strings.Contains(stdout, "arrived") {
		t.Errorf("verify says the messages arrived:\n%s", stdout)
	}
	stdout, _, _ = runCmd(t, "verify", "--estate", est, "--json")
	var res struct {
		Totals struct {
			Differs int `json:"rooms_history_differs"`
		} `json:"totals"`
	}
	decodeJSON(t, []byte(stdout), &res)
	if res.Totals.Differs != 1 {
		t.Errorf("verify --json: totals.rooms_history_differs = %d, want 1", res.Totals.Differs)
	}
}
