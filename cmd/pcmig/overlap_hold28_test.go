package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/numtext"
)

// An import into an embedded target writes while it reads its archive,
// under one transaction that the read confirms (importer/overlap.go).
// These tests hold it to the import that reads first
// (PCMIG_IMPORT_SEQUENTIAL): the same target, and for an archive whose
// damage only the read's end finds, the same refusal over a target and
// journal left as they were.

const overlapMessages = 30000 // three parts of 10,000

// overlapArchive is a lab estate's archive of overlapMessages messages
// and a copy of its empty target.
func overlapArchive(t *testing.T) (arc, target string) {
	t.Helper()
	est := labEstate(t, "--messages", strconv.Itoa(overlapMessages))
	return exportArchive(t, est), filepath.Join(est, "target-2019.db")
}

// copyTarget copies an embedded target to a new folder.
func copyTarget(t *testing.T, target string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "target.db")
	writeFile(t, p, string(readFile(t, target)))
	return p
}

// copyArchive copies an archive to a new folder (its journal goes beside
// it).
func copyArchive(t *testing.T, arc string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pchat.zip")
	writeFile(t, p, string(readFile(t, arc)))
	return p
}

// readModes are the two ways an overlapped import reads its messages:
// once, the writes' read tallying them (importer.Hooks.ReadTwice false, up to
// 2,000,000 messages), or with a pre-pass beside the writes (larger
// archives).
var readModes = []struct {
	name string
	once bool
}{{"read once", true}, {"pre-pass beside", false}}

// overlapHooks are an in-process import's test hooks (importer.Hooks):
// points records the points of an overlapped import it passed, and twice
// has it read with a pre-pass beside its writes (readModes).
type overlapHooks struct {
	points []string
	twice  bool
}

func (h *overlapHooks) hooks() importer.Hooks {
	if h == nil {
		return importer.Hooks{}
	}
	return importer.Hooks{Point: func(p string) { h.points = append(h.points, p) }, ReadTwice: h.twice}
}

// runHooked is runCmdEnv with the imports' hooks h (nil: none).
func runHooked(t *testing.T, h *overlapHooks, vars map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = runApp(t.Context(), args, env{
		stdout: &out, stderr: &errOut,
		getenv:      func(k string) string { return vars[k] },
		importHooks: h.hooks(),
	})
	return out.String(), errOut.String(), code
}

// importBoth imports arc into a copy of target overlapped and into another
// sequentially, each with its own copy of the archive, and returns what
// each said and the targets.
type importRun struct {
	stdout, stderr string
	code           int
	target, arc    string
}

func importOnce(t *testing.T, h *overlapHooks, arc, target string, sequential bool) importRun {
	t.Helper()
	r := importRun{target: copyTarget(t, target), arc: copyArchive(t, arc)}
	vars := map[string]string{}
	if sequential {
		vars[sequentialImportEnv] = "1"
	}
	r.stdout, r.stderr, r.code = runHooked(t, h, vars, "import", "--db", "sqlite:"+r.target, "--file", r.arc)
	// The paths differ between the two: the rest must not.
	for _, s := range []*string{&r.stdout, &r.stderr} {
		*s = strings.ReplaceAll(*s, r.target, "TARGET")
		*s = strings.ReplaceAll(*s, r.arc, "ARCHIVE")
	}
	return r
}

// dumpByGUID is dumpDB with every node ID (tblNode's, and every column
// that refers to one) written as the node's GUID: the overlapped import
// numbers the rooms it creates in the order it guesses their messages
// come in, the sequential one in the order it read (importer/overlap.go),
// and node IDs are the database's own numbers for the same rooms.
func dumpByGUID(t *testing.T, path string) map[string][]string {
	t.Helper()
	db := openDB(t, path)
	defer db.Close()
	guid := map[int64]string{}
	rows, err := db.QueryContext(t.Context(), `SELECT nodeID, nodeGuid FROM tblNode`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var g string
		if err := rows.Scan(&id, &g); err != nil {
			t.Fatal(err)
		}
		guid[id] = g
	}
	rows.Close()
	nodeCols := map[string]bool{"nodeid": true, "parentid": true, "prinrolenodeid": true, "scopenodeid": true, "channelid": true, "filetokenchannelid": true}
	out := map[string][]string{}
	var tables []string
	if err := queryStrings(db, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`, &tables); err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		rows, err := db.QueryContext(t.Context(), `SELECT * FROM "`+table+`"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		lines := []string{}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				if n, ok := v.(int64); ok && nodeCols[strings.ToLower(cols[i])] && guid[n] != "" {
					v = "node " + guid[n]
				}
				fmt.Fprintf(&b, " %s=%#v", cols[i], v)
			}
			lines = append(lines, b.String())
		}
		rows.Close()
		slices.Sort(lines)
		out[table] = lines
	}
	return out
}

func queryStrings(db *sql.DB, query string, out *[]string) error {
	rows, err := db.Query(query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		*out = append(*out, s)
	}
	return rows.Err()
}

// TestOverlappedImportSameAsSequential: the import that writes while it
// reads (confirmed: it passed the hold, saved its journal and committed)
// writes the target the sequential import writes and says the same, and
// its journal resumes it: run again, it finds every message there.
func TestOverlappedImportSameAsSequential(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 30,000 messages twice")
	}
	arc, target := overlapArchive(t)
	for _, mode := range readModes {
		t.Run(mode.name, func(t *testing.T) {
			sameAsSequential(t, arc, target, mode.once)
		})
	}
}

func sameAsSequential(t *testing.T, arc, target string, once bool) {
	h := &overlapHooks{twice: !once}
	ov := importOnce(t, h, arc, target, false)
	if !once { // "read" only if the writes ended before the pre-pass
		h.points = slices.DeleteFunc(h.points, func(p string) bool { return p == "read" })
	}
	if want := confirmedPoints(once); !slices.Equal(h.points, want) {
		t.Fatalf("the import passed %q, want %q (overlapped and confirmed)\n%s%s", h.points, want, ov.stdout, ov.stderr)
	}
	h.points = nil
	seq := importOnce(t, h, arc, target, true)
	if len(h.points) != 0 {
		t.Fatalf("the sequential import passed %q", h.points)
	}
	if ov.code != 0 || seq.code != 0 {
		t.Fatalf("exit %d overlapped, %d sequential\n%s%s", ov.code, seq.code, ov.stderr, seq.stderr)
	}
	ovRest, ovProgress := messageProgress(ov.stderr)
	seqRest, seqProgress := messageProgress(seq.stderr)
	if diff := cmp.Diff(seq.stdout+seqRest, ov.stdout+ovRest); diff != "" {
		t.Errorf("output differs (-sequential +overlapped), progress aside:\n%s", diff)
	}
	// The overlapped import's progress says its messages are written and
	// not committed until the hold is committed, then that they are.
	if pending(seqProgress) > 0 {
		t.Errorf("the sequential import reported messages not yet committed:\n%s", seq.stderr)
	}
	last := fmt.Sprintf("import messages: %d of %d (100%%)", overlapMessages, overlapMessages)
	if n := pending(ovProgress); n == 0 || n == len(ovProgress) || ovProgress[len(ovProgress)-1] != last || committedBeforePending(ovProgress) {
		t.Errorf("the overlapped import's progress: want lines of messages not yet committed, then committed ones ending %q:\n%s", last, strings.Join(ovProgress, "\n"))
	}
	want, got := dumpByGUID(t, seq.target), dumpByGUID(t, ov.target)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("target differs (-sequential +overlapped):\n%s", diff)
	}
	if n := len(got["tblChat"]); n != overlapMessages {
		t.Errorf("the target holds %d messages, want %d", n, overlapMessages)
	}
	h.points = nil
	stdout, stderr, code := runHooked(t, h, nil, "import", "--db", "sqlite:"+ov.target, "--file", ov.arc)
	if code != 0 {
		t.Fatalf("import again: exit %d\n%s%s", code, stdout, stderr)
	}
	mustContain(t, "import again", stdout, fmt.Sprintf("0 messages (%d already there", overlapMessages))
	if len(h.points) != 0 {
		t.Errorf("an import with a journal of rooms overlapped (%q)", h.points)
	}
}

// confirmedPoints are the points (importer.Hooks.Point) of an import
// that wrote while it read and was confirmed: reading once, it confirms
// once every message was read; with a pre-pass beside (usually), at the
// first part written after the pre-pass ended.
func confirmedPoints(once bool) []string {
	if once {
		return []string{"hold", "read", "saved", "committed"}
	}
	return []string{"hold", "saved", "committed"}
}

// messageProgress splits the lines of an import's messages progress
// (the committed ones and importer.PendingPhase's) from the rest of its
// stderr.
func messageProgress(stderr string) (rest string, progress []string) {
	var b strings.Builder
	for _, line := range strings.SplitAfter(stderr, "\n") {
		if strings.HasPrefix(line, "import messages") {
			progress = append(progress, strings.TrimSuffix(line, "\n"))
		} else {
			b.WriteString(line)
		}
	}
	return b.String(), progress
}

// pending counts the lines of messages written and not yet committed.
func pending(progress []string) int {
	n := 0
	for _, line := range progress {
		if strings.HasPrefix(line, "import "+importer.PendingPhase+":") {
			n++
		}
	}
	return n
}

// committedBeforePending reports whether a line of committed messages
// comes before one of messages not yet committed.
func committedBeforePending(progress []string) bool {
	committed := false
	for _, line := range progress {
		if strings.HasPrefix(line, "import "+importer.PendingPhase+":") {
			if committed {
				return true
			}
		} else {
			committed = true
		}
	}
	return false
}

// rezipKeepSum is rezip without the manifest's update: the part's bytes
// no longer match its checksum.
func rezipKeepSum(t *testing.T, good, entry, old, new string) string {
	t.Helper()
	p := rezip(t, good, entry, old, new)
	body := zipEntry(t, good, entry)
	edited := zipEntry(t, p, entry)
	sum, newSum := sha256.Sum256(body), sha256.Sum256(edited)
	return rezip(t, p, "manifest.json", hex.EncodeToString(newSum[:]), hex.EncodeToString(sum[:]))
}

// TestOverlappedImportLateDamageRefusedAsBefore: an archive whose damage
// the read finds only in its last messages part, or at its end, is
// refused as the sequential import refuses it (same output, same exit),
// with the target and the journal as they were: nothing committed, no
// journal written.
func TestOverlappedImportLateDamageRefusedAsBefore(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 30,000 messages")
	}
	arc, target := overlapArchive(t)
	last := fmt.Sprintf("messages/%06d.jsonl", overlapMessages/10000)
	lastPart := string(zipEntry(t, arc, last))
	line := lastPart[strings.LastIndex(lastPart[:len(lastPart)-1], "\n")+1:]
	user := regexp.MustCompile(`"user":"([0-9a-f-]{36})"`).FindStringSubmatch(line)[1]
	chat := regexp.MustCompile(`"chat_id":"\d+"`).FindString(line)
	// Two rooms' claimed counts, one more and one fewer: the sum is the
	// manifest's, and only the read's end tells.
	rooms := string(zipEntry(t, arc, "rooms.jsonl"))
	var claims []string
	for _, m := range regexp.MustCompile(`"messages":"(\d+)"`).FindAllStringSubmatch(rooms, -1) {
		if n, _ := strconv.Atoi(m[1]); n > 1 {
			claims = append(claims, m[1])
		}
	}
	if len(claims) < 2 || claims[0] == claims[1] {
		t.Fatalf("want two rooms with different message counts, have %q", claims)
	}
	more, _ := strconv.Atoi(claims[0])
	fewer, _ := strconv.Atoi(claims[1])
	miscount := rezip(t, arc, "rooms.jsonl", `"messages":"`+claims[0]+`"`, `"messages":"`+strconv.Itoa(more+1)+`"`)
	miscount = rezip(t, miscount, "rooms.jsonl", `"messages":"`+claims[1]+`"`, `"messages":"`+strconv.Itoa(fewer-1)+`"`)
	cases := []struct{ name, arc string }{
		{"checksum of the last part", rezipKeepSum(t, arc, last, line, strings.Replace(line, "a", "b", 1))},
		{"bad JSON in the last part", rezip(t, arc, last, line, strings.Replace(line, chat+",", chat+",,", 1))},
		{"unknown poster in the last part", rezip(t, arc, last, line, strings.Replace(line, user, "0badf00d-0000-4000-8000-000000000000", 1))},
		{"a room's count", miscount},
	}
	h := &overlapHooks{}
	for _, mode := range readModes {
		for _, tt := range cases {
			t.Run(mode.name+"/"+tt.name, func(t *testing.T) {
				h.twice = !mode.once
				h.points = nil
				ov := importOnce(t, h, tt.arc, target, false)
				if !slices.Contains(h.points, "hold") || slices.Contains(h.points, "saved") {
					t.Errorf("the import passed %q, want the hold and no save", h.points)
				}
				seq := importOnce(t, h, tt.arc, target, true)
				if seq.code == 0 {
					t.Fatalf("the sequential import of the damaged archive passed:\n%s", seq.stdout)
				}
				// The same refusal; the overlapped import's progress
				// said only that messages were written, not committed.
				ovRest, ovProgress := messageProgress(ov.stderr)
				seqRest, seqProgress := messageProgress(seq.stderr)
				if ov.code != seq.code || ov.stdout != seq.stdout || ovRest != seqRest {
					t.Errorf("overlapped: exit %d, sequential: exit %d\n%s", ov.code, seq.code,
						cmp.Diff(seq.stdout+"\n"+seqRest, ov.stdout+"\n"+ovRest))
				}
				if len(seqProgress) > 0 || pending(ovProgress) != len(ovProgress) {
					t.Errorf("progress of a refused import: sequential %q, overlapped %q (want none, and only messages not yet committed)", seqProgress, ovProgress)
				}
				for _, r := range []importRun{ov, seq} {
					if !bytes.Equal(readFile(t, r.target), readFile(t, target)) {
						t.Errorf("the target file changed")
						if diff := cmp.Diff(dumpDB(t, target), dumpDB(t, r.target)); diff != "" {
							t.Errorf("target rows changed:\n%s", diff)
						}
					}
					if j := checkpointFiles(t, r.arc); len(j) != 0 {
						t.Errorf("journal written beside the refused archive: %q", j)
					}
				}
				t.Logf("refused: exit %d: %s", ov.code, strings.TrimSpace(ov.stderr))
			})
		}
	}
}

// killSelf ends this process as SIGKILL does, at once, nothing deferred.
func killSelf() {
	p, err := os.FindProcess(os.Getpid())
	if err == nil {
		p.Kill()
	}
	select {}
}

// TestOverlappedImportKilledResumes kills an overlapped import at each of
// its points (under the hold, after the journal's save before the
// commit, right after the commit), imports again, and compares with an
// import never interrupted: the same target, every message once.
func TestOverlappedImportKilledResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("kills imports of 30,000 messages")
	}
	t.Parallel()
	arc, target := overlapArchive(t)
	clean := importOnce(t, nil, arc, target, true)
	if clean.code != 0 {
		t.Fatalf("uninterrupted import: exit %d\n%s", clean.code, clean.stderr)
	}
	want := dumpByGUID(t, clean.target)
	for _, mode := range readModes {
		for _, point := range confirmedPoints(mode.once) {
			t.Run(mode.name+"/"+point, func(t *testing.T) {
				t.Parallel()
				a, db := copyArchive(t, arc), copyTarget(t, target)
				args := []string{"import", "--db", "sqlite:" + db, "--file", a}
				vars := []string{childOverlapKillEnv + "=" + point}
				if !mode.once {
					vars = append(vars, childReadTwiceEnv+"=1")
				}
				c := startChildEnv(t, vars, args...)
				_, killedErr, code := c.finish(t)
				if code == 0 {
					t.Fatalf("the import was not killed at %q:\n%s", point, c.output())
				}
				// Until the hold's commit the console said only that
				// messages were written, not that they were imported.
				_, progress := messageProgress(killedErr)
				if point != "committed" && pending(progress) != len(progress) {
					t.Errorf("killed at %q, the console had said messages were imported:\n%s", point, killedErr)
				}
				// A kill under the hold may leave a hot journal, which
				// only a writer rolls back: pcmig's read-only opens do
				// that first (docs/store.md).
				inv, _ := mustRun(t, 0, "inventory", "--db", "sqlite:"+db)
				hdb := openDB(t, db)
				held := queryInt(t, hdb, `SELECT COUNT(*) FROM tblChat`)
				hdb.Close()
				mustContain(t, "inventory after the kill", inv, ", "+numtext.Thousands(held)+" messages,")
				journals := checkpointFiles(t, a)
				switch point {
				case "hold", "read", "saved":
					if held != 0 {
						t.Errorf("killed at %q with %d messages committed, want none", point, held)
					}
					// The hot journal rolled back, the file is as it was.
					if !bytes.Equal(readFile(t, db), readFile(t, target)) {
						t.Errorf("killed at %q, the target file is not as it was once its journal is rolled back", point)
					}
				default:
					// All of them when the read ended after the last part
					// (a loaded machine).
					if held == 0 {
						t.Errorf("killed after the commit with no message committed")
					}
				}
				if (point == "hold" || point == "read") != (len(journals) == 0) {
					t.Errorf("killed at %q: journals %q", point, journals)
				}
				stdout, stderr := mustRun(t, 0, args...)
				mustContain(t, "resumed import", stdout, fmt.Sprintf("%d messages (%d already there", int64(overlapMessages)-held, held))
				if diff := cmp.Diff(want, dumpByGUID(t, db)); diff != "" {
					t.Errorf("target differs (-uninterrupted +killed and resumed):\n%s\n%s", diff, stderr)
				}
				stdout, _ = mustRun(t, 0, args...)
				mustContain(t, "import again", stdout, fmt.Sprintf("0 messages (%d already there", overlapMessages))
			})
		}
	}
}

// TestOverlappedImportInRun: the import of `pcmig run` with the bundled
// script writes while it reads as `pcmig import` does, to the target the
// sequential one writes, and PCMIG_IMPORT_SEQUENTIAL makes it sequential
// there too (the way back the README gives).
func TestOverlappedImportInRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two migrations of 30,000 messages")
	}
	h := &overlapHooks{}
	run := func(vars map[string]string) map[string][]string {
		t.Helper()
		h.points = nil
		est := labEstate(t, "--messages", strconv.Itoa(overlapMessages))
		stdout, stderr, code := runHooked(t, h, vars, "run", "--estate", filepath.Join(est, "estate.lua"))
		if code != 0 {
			t.Fatalf("run: exit %d\n%s%s", code, stdout, stderr)
		}
		return dumpByGUID(t, filepath.Join(est, "target-2019.db"))
	}
	got := run(nil)
	if want := confirmedPoints(true); !slices.Equal(h.points, want) {
		t.Errorf("the run's import passed %q, want %q (overlapped and confirmed)", h.points, want)
	}
	want := run(map[string]string{sequentialImportEnv: "1"})
	if len(h.points) != 0 {
		t.Errorf("with %s the run's import passed %q, want none (sequential)", sequentialImportEnv, h.points)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("target differs (-sequential +overlapped):\n%s", diff)
	}
	if n := len(got["tblChat"]); n != overlapMessages {
		t.Errorf("the target holds %d messages, want %d", n, overlapMessages)
	}
}

// swapParts is good with two of its entries' bodies swapped, and their
// manifest entries' records, bytes and checksums with them: parts out of
// order, each still whole.
func swapParts(t *testing.T, good, a, b string) string {
	t.Helper()
	zr, err := zip.OpenReader(good)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	bodies := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		names, bodies[f.Name] = append(names, f.Name), body
	}
	var m map[string]any
	if err := json.Unmarshal(bodies["manifest.json"], &m); err != nil {
		t.Fatal(err)
	}
	var ea, eb map[string]any
	for _, p := range m["parts"].([]any) {
		switch e := p.(map[string]any); e["name"] {
		case a:
			ea = e
		case b:
			eb = e
		}
	}
	for _, k := range []string{"records", "bytes", "sha256"} {
		ea[k], eb[k] = eb[k], ea[k]
	}
	bodies[a], bodies[b] = bodies[b], bodies[a]
	if bodies["manifest.json"], err = json.MarshalIndent(m, "", "  "); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, name := range names {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(bodies[name])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "swapped.zip")
	writeFile(t, p, out.String())
	return p
}

// TestOverlappedImportHostileArchivesAsSequential: archives whose small
// parts lie about the messages, or whose messages parts are out of order
// or name what the archive does not describe, are imported (or refused)
// by the import that writes while it reads exactly as by the sequential
// one: the same exit, stdout and stderr (progress aside), the same
// target; a refused one leaves the target file as it was and no journal,
// its console having said only that messages were written, never
// imported.
func TestOverlappedImportHostileArchivesAsSequential(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 30,000 messages many times")
	}
	arc, target := overlapArchive(t)
	last := fmt.Sprintf("messages/%06d.jsonl", overlapMessages/10000)
	lastPart := string(zipEntry(t, arc, last))
	line := lastPart[strings.LastIndex(lastPart[:len(lastPart)-1], "\n")+1:]
	room := regexp.MustCompile(`"room":"([0-9a-f-]{36})"`).FindStringSubmatch(line)[1]
	date := regexp.MustCompile(`"date":"\d+"`).FindString(line)
	rooms := string(zipEntry(t, arc, "rooms.jsonl"))
	firstRoom := rooms[:strings.Index(rooms, "\n")+1]
	var claims []string
	for _, m := range regexp.MustCompile(`"messages":"(\d+)"`).FindAllStringSubmatch(rooms, -1) {
		if n, _ := strconv.Atoi(m[1]); n > 1 && !slices.Contains(claims, m[1]) {
			claims = append(claims, m[1])
		}
	}
	if len(claims) < 2 {
		t.Fatalf("want two rooms with different message counts, have %q", claims)
	}
	// One room claims none of its messages, another claims them too: the
	// sum is the manifest's.
	a, _ := strconv.Atoi(claims[0])
	b, _ := strconv.Atoi(claims[1])
	zero := rezip(t, arc, "rooms.jsonl", `"messages":"`+claims[0]+`"`, `"messages":"0"`)
	zero = rezip(t, zero, "rooms.jsonl", `"messages":"`+claims[1]+`"`, `"messages":"`+strconv.Itoa(a+b)+`"`)
	dup := rezip(t, arc, "rooms.jsonl", firstRoom, firstRoom+firstRoom)
	dup = rezip(t, dup, "manifest.json", `"records": "24"`, `"records": "25"`)
	dup = rezip(t, dup, "manifest.json", `"rooms": "24"`, `"rooms": "25"`)
	// late: found once messages were written under the hold.
	cases := []struct {
		name, arc string
		late      bool
	}{
		{"a room claims none of its messages", zero, true},
		{"a room described twice", dup, false},
		{"messages parts out of order", swapParts(t, arc, "messages/000001.jsonl", last), true},
		{"a room not described, in the last part", rezip(t, arc, last, line, strings.Replace(line, room, "0badf00d-0000-4000-8000-000000000000", 1)), true},
		{"a date out of range in the last part", rezip(t, arc, last, line, strings.Replace(line, date, `"date":"9223372036854775807"`, 1)), true},
	}
	h := &overlapHooks{}
	for _, mode := range readModes {
		for _, tt := range cases {
			t.Run(mode.name+"/"+tt.name, func(t *testing.T) {
				h.twice = !mode.once
				h.points = nil
				ov := importOnce(t, h, tt.arc, target, false)
				if tt.late && (!slices.Contains(h.points, "hold") || slices.Contains(h.points, "saved")) {
					t.Errorf("the import passed %q, want the hold and no save", h.points)
				}
				seq := importOnce(t, h, tt.arc, target, true)
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
					return
				}
				if pending(ovProgress) != len(ovProgress) {
					t.Errorf("a refused import said messages were imported:\n%s", ov.stderr)
				}
				for _, r := range []importRun{ov, seq} {
					if !bytes.Equal(readFile(t, r.target), readFile(t, target)) {
						t.Errorf("the target file changed")
					}
					if j := checkpointFiles(t, r.arc); len(j) != 0 {
						t.Errorf("journal written beside the refused archive: %q", j)
					}
				}
				t.Logf("exit %d: %s", ov.code, strings.TrimSpace(ovRest))
			})
		}
	}
}

// TestOverlappedRunKilledResumes kills `pcmig run` (the bundled script)
// at each point of its import's hold, then runs it again with --resume:
// the target is the one a run never interrupted writes, every message
// once.
func TestOverlappedRunKilledResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("kills runs of 30,000 messages")
	}
	t.Parallel()
	clean := labEstate(t, "--messages", strconv.Itoa(overlapMessages))
	mustRun(t, 0, "run", "--estate", filepath.Join(clean, "estate.lua"))
	want := dumpByGUID(t, filepath.Join(clean, "target-2019.db"))
	for _, point := range confirmedPoints(true) {
		t.Run(point, func(t *testing.T) {
			t.Parallel()
			est := labEstate(t, "--messages", strconv.Itoa(overlapMessages))
			estFile := filepath.Join(est, "estate.lua")
			c := startChildEnv(t, []string{childOverlapKillEnv + "=" + point}, "run", "--estate", estFile)
			if _, _, code := c.finish(t); code == 0 {
				t.Fatalf("the run was not killed at %q:\n%s", point, c.output())
			}
			stdout, stderr := mustRun(t, 0, "run", "--estate", estFile, "--resume")
			mustContain(t, "resumed run", stdout, "EQUAL: ", fmt.Sprintf("%d of %d messages", overlapMessages, overlapMessages))
			if diff := cmp.Diff(want, dumpByGUID(t, filepath.Join(est, "target-2019.db"))); diff != "" {
				t.Errorf("target differs (-uninterrupted +killed and resumed):\n%s\n%s", diff, stderr)
			}
		})
	}
}
