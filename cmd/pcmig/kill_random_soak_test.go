//go:build soak

package main

import (
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestRunKilledAtRandomPointsResumes kills "pcmig run --resume" with
// SIGKILL at random moments, twenty times over, then lets it finish: every
// room of the target holds exactly the source's messages (none lost, none
// doubled), through the writer lock, the run lock and hot journals left by
// the kills. It takes a minute or two:
//
//	go test -tags soak -run RandomPoints ./cmd/pcmig
func TestRunKilledAtRandomPointsResumes(t *testing.T) {
	est := labEstate(t, "--messages", "20000")
	estFile := filepath.Join(est, "estate.lua")
	perRoom := func(path string) map[string]int64 {
		db := openDB(t, path)
		defer db.Close()
		rows, err := db.Query(`SELECT n.nodeGuid, COUNT(c.chatId) FROM tblNode n LEFT JOIN tblChat c ON c.channelId = n.nodeID WHERE n.nodeType = 0 GROUP BY n.nodeGuid`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]int64{}
		var total int64
		for rows.Next() {
			var guid string
			var n int64
			if err := rows.Scan(&guid, &n); err != nil {
				t.Fatal(err)
			}
			total += n
			out[guid] = n
		}
		out["total"] = total
		return out
	}
	want := perRoom(filepath.Join(est, "source-2015.db"))
	kills := 0
	for i := 0; i < 20; i++ {
		c := startChild(t, "run", "--estate", estFile, "--resume")
		time.Sleep(time.Duration(100+rand.IntN(900)) * time.Millisecond)
		if c.cmd.Process.Kill() == nil {
			kills++
		}
		c.finish(t)
	}
	stdout, stderr, code := runChild(t, "run", "--estate", estFile, "--resume")
	if code != 0 {
		t.Fatalf("the last resume: exit %d\n%s\n%s", code, stdout, stderr)
	}
	got := perRoom(filepath.Join(est, "target-2019.db"))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after %d kills, messages per room (-source +target):\n%s", kills, diff)
	}
	t.Logf("%d kills, %d messages in source and target", kills, got["total"])
}
