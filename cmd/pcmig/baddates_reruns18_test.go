package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestExportCountsTheBadDatesItDoesNotName: an export names the first
// five messages dated outside the .NET DateTime range and counts the
// rest, in the singular for one: six such messages give "1 more message
// is dated ...". Before, it wrote "1 more messages are dated ...".
func TestExportCountsTheBadDatesItDoesNotName(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	src := filepath.Join(est, "source-2015.db")
	for _, c := range []struct {
		bad  int
		want string
	}{
		{6, "1 more message is dated outside the .NET DateTime range"},
		{8, "3 more messages are dated outside the .NET DateTime range"},
	} {
		db := openDBWrite(t, src)
		if _, err := db.Exec(`UPDATE tblChat SET chatDate = -1 WHERE (channelId, chatId) IN (SELECT channelId, chatId FROM tblChat ORDER BY channelId, chatId LIMIT ?)`, c.bad); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		zip := filepath.Join(t.TempDir(), "pchat.zip")
		out, stderr := mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", zip)
		mustContain(t, "export", out+stderr, c.want)
		if n := strings.Count(out+stderr, "is dated -1, outside"); n != 5 {
			t.Errorf("%d bad dates: the export names %d, want 5", c.bad, n)
		}
	}
}
