package main

import (
	"database/sql"
	"encoding/json"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOutOfRangeValuesAreNeverDroppedOrFatal plants messages a real pool
// should not hold but a damaged or hostile one may: a date of -1 and of the
// largest tick value, and a chat ID of the smallest int64. inventory
// survives them, export carries every row (none silently dropped), and
// import refuses the dates before writing anything, naming them.
func TestOutOfRangeValuesAreNeverDroppedOrFatal(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	src := filepath.Join(est, "source-2015.db")
	db := openDBWrite(t, src)
	total := queryInt(t, db, `SELECT COUNT(*) FROM tblChat`)
	for _, stmt := range []string{
		`UPDATE tblChat SET chatDate = -1 WHERE (channelId, chatId) = (SELECT channelId, MIN(chatId) FROM tblChat)`,
		`UPDATE tblChat SET chatDate = 9223372036854775807 WHERE (channelId, chatId) = (SELECT channelId, MAX(chatId) FROM tblChat)`,
		`UPDATE tblChat SET chatId = -9223372036854775808 WHERE (channelId, chatId) = (SELECT MAX(channelId), 2 FROM tblChat WHERE chatId = 2)`,
	} {
		res, err := db.Exec(stmt)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("%s: %d rows", stmt, n)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	for _, args := range [][]string{{"--json"}, {}} {
		out, _ := mustRun(t, 0, append([]string{"inventory", "--db", "sqlite:" + src}, args...)...)
		if len(args) > 0 {
			var v map[string]any
			decodeJSON(t, []byte(out), &v)
		}
	}

	zip := filepath.Join(t.TempDir(), "pchat.zip")
	out, _ := mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", zip)
	want := " " + itoa(total) + " messages"
	mustContain(t, "export", out, want, "dated -1, outside the .NET DateTime range")
	out, _ = mustRun(t, 0, "inspect", zip, "--json")
	var summary struct {
		Counts struct {
			Messages string `json:"messages"`
		} `json:"counts"`
	}
	decodeJSON(t, []byte(out), &summary)
	if got := summary.Counts.Messages; got != itoa(total) {
		t.Errorf("the archive holds %s messages, the pool %d:\n%s", got, total, out)
	}

	target := filepath.Join(est, "target-2019.db")
	before := hashTree(t, est)
	for _, mode := range [][]string{{"--dry-run"}, {}} {
		_, stderr, code := runCmd(t, append([]string{"import", "--db", "sqlite:" + target, "--file", zip}, mode...)...)
		if code != exitError {
			t.Errorf("import %v of out-of-range dates: exit %d, want %d\n%s", mode, code, exitError, stderr)
		}
	}
	out, _, _ = runCmd(t, "import", "--db", "sqlite:"+target, "--file", zip)
	mustContain(t, "import", out, "date -1", "date 9223372036854775807", "outside", "0001-01-01")
	if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
		t.Errorf("the refused import changed the estate (-before +after):\n%s", diff)
	}
	if strings.Count(out, "date ") > 10 {
		t.Errorf("the problems list every message:\n%s", out)
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// openDBWrite opens an embedded database for writing with database/sql,
// without pcmig's store, to plant what pcmig would not write.
func openDBWrite(t *testing.T, path string) *sql.DB {
	t.Helper()
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath(), RawQuery: "_pragma=busy_timeout(10000)"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
