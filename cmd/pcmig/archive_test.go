package main

import (
	"archive/zip"
	"bytes"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/inventory"
)

// hostileRoom is a room name that must not become markup in a report.
const hostileRoom = `<script>alert("x")</script> & 'Q'`

// renameRoom gives the room with the lowest ID of an embedded database a
// new name, with plain SQL.
func renameRoom(t *testing.T, dbPath, to string) {
	t.Helper()
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: dbPath}).EscapedPath()}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.ExecContext(t.Context(),
		`UPDATE tblNode SET nodeName = ? WHERE nodeID = (SELECT MIN(nodeID) FROM tblNode WHERE nodeType = 0)`, to)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("rename a room: %d rows", n)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// counts is the summary line export, inspect and import print.
func counts(inv inventory.Inventory) string {
	return fmt.Sprintf("%d principals, %d categories, %d add-ins, %d rooms, %d messages",
		inv.Principals.Total, inv.Totals.Categories, len(inv.Addins), inv.Totals.Rooms, inv.Totals.Messages)
}

// exportArchive exports a lab estate's source pool into a new archive.
func exportArchive(t *testing.T, estate string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pchat.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+filepath.Join(estate, "source-2015.db"), "--file", path)
	return path
}

// checkpointFiles lists the import checkpoints beside an archive.
func checkpointFiles(t *testing.T, archivePath string) []string {
	t.Helper()
	m, err := filepath.Glob(archivePath + ".import-*")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestExportInspectImportRoundTrip(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "500")
	src, dst := filepath.Join(est, "source-2015.db"), filepath.Join(est, "target-2019.db")
	renameRoom(t, src, hostileRoom)
	inv := takeInventory(t, src)
	if inv.Totals.Messages != 500 || inv.Totals.Categories == 0 || inv.Totals.Rooms == 0 {
		t.Fatalf("lab source totals %+v, want some categories and rooms and 500 messages", inv.Totals)
	}
	rooms, cats := int64(inv.Totals.Rooms), inv.Totals.Categories
	out := t.TempDir()
	zipPath := filepath.Join(out, "pchat.zip")
	srcHash := hashTree(t, est)

	// Export, with both kinds of report.
	stdout, _ := mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", zipPath, "--pool", "pchat15.contoso.com",
		"--report", filepath.Join(out, "export.html"))
	mustContain(t, "export", stdout, "Exported "+zipPath+" (level All): "+counts(inv),
		"Report: "+filepath.Join(out, "export.html"))
	checkHTMLReport(t, filepath.Join(out, "export.html"))
	mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", filepath.Join(out, "again.zip"), "--report", filepath.Join(out, "export.json"))
	var expRep struct {
		Source string `json:"source"`
		exporter.Result
	}
	decodeJSON(t, readFile(t, filepath.Join(out, "export.json")), &expRep)
	if expRep.Counts.Messages != 500 || expRep.Counts.Rooms != rooms || !strings.Contains(expRep.Source, src) {
		t.Errorf("export JSON report: source %q, counts %+v; want %s, %d rooms, 500 messages", expRep.Source, expRep.Counts, src, rooms)
	}
	if diff := cmp.Diff(srcHash, hashTree(t, est)); diff != "" {
		t.Errorf("export changed the estate (-before +after):\n%s", diff)
	}

	// An existing archive is kept unless --overwrite.
	zipHash := hashTree(t, out)
	_, stderr, code := runCmd(t, "export", "--db", "sqlite:"+src, "--file", zipPath)
	if code != exitError {
		t.Errorf("export over an existing archive: exit %d, want %d", code, exitError)
	}
	mustContain(t, "stderr", stderr, zipPath)
	if diff := cmp.Diff(zipHash, hashTree(t, out)); diff != "" {
		t.Errorf("a refused export changed files (-before +after):\n%s", diff)
	}

	// Inspect, as text and JSON.
	stdout, _ = mustRun(t, 0, "inspect", zipPath)
	mustContain(t, "inspect", stdout, "pcmig format 1", "pool pchat15.contoso.com", counts(inv),
		"Archive verified: every part's checksum matches.", hostileRoom)
	stdout, _ = mustRun(t, 0, "inspect", zipPath, "--json") // the README's order
	var sum archive.Summary
	decodeJSON(t, []byte(stdout), &sum)
	if sum.Counts.Messages != 500 || sum.Counts.Rooms != rooms || sum.Counts.Categories != int64(cats) || len(sum.Rooms) != int(rooms) {
		t.Errorf("inspect --json: counts %+v, %d rooms; want %d categories, %d rooms, 500 messages", sum.Counts, len(sum.Rooms), cats, rooms)
	}
	if !slices.ContainsFunc(sum.Rooms, func(r archive.RoomSummary) bool { return r.Name == hostileRoom }) {
		t.Errorf("inspect --json does not list the room %q", hostileRoom)
	}

	// A dry run writes nothing at all, and says changes are pending.
	dstHash := hashTree(t, est)
	stdout, _ = mustRun(t, exitPending, "import", "--dry-run", "--db", "sqlite:"+dst, "--file", zipPath, "--report", filepath.Join(out, "dry.json"))
	mustContain(t, "import --dry-run", stdout, "Plan (dry run, nothing written):", "Would import into", "500 messages (0 already there")
	var dry importer.Result
	decodeJSON(t, readFile(t, filepath.Join(out, "dry.json")), &dry)
	if !dry.DryRun || dry.Messages.ToImport != 500 || dry.Messages.Imported != 0 {
		t.Errorf("dry-run JSON report: dry_run %v, messages %+v; want a dry run of 500 messages", dry.DryRun, dry.Messages)
	}
	if diff := cmp.Diff(dstHash, hashTree(t, est)); diff != "" {
		t.Errorf("import --dry-run changed the estate (-before +after):\n%s", diff)
	}
	if cp := checkpointFiles(t, zipPath); len(cp) != 0 {
		t.Errorf("import --dry-run wrote checkpoints %v", cp)
	}

	// The real import, then again: the second changes nothing.
	stdout, _ = mustRun(t, 0, "import", "--db", "sqlite:"+dst, "--file", zipPath, "--report", filepath.Join(out, "import.html"))
	mustContain(t, "import", stdout, "Imported into", fmt.Sprintf("%d new categories, %d rooms, 500 messages (0 already there", cats, rooms), "Report: ")
	checkHTMLReport(t, filepath.Join(out, "import.html"))
	imported := readFile(t, dst)
	stdout, _ = mustRun(t, 0, "import", "--db", "sqlite:"+dst, "--file", zipPath, "--report", filepath.Join(out, "import.json"))
	mustContain(t, "second import", stdout, fmt.Sprintf("0 new categories, %d rooms, 0 messages (500 already there", rooms))
	var again importer.Result
	decodeJSON(t, readFile(t, filepath.Join(out, "import.json")), &again)
	if again.DryRun || again.Messages.Imported != 0 || again.Messages.AlreadyThere != 500 || again.Principals.Create != 0 {
		t.Errorf("second import JSON report: messages %+v, principals %+v; want nothing imported", again.Messages, again.Principals)
	}
	if !bytes.Equal(imported, readFile(t, dst)) {
		t.Error("a second import of the same archive changed the target database")
	}

	// Now a dry run has nothing to do: exit 0, and still nothing written.
	stdout, _ = mustRun(t, 0, "import", "--dry-run", "--db", "sqlite:"+dst, "--file", zipPath)
	mustContain(t, "import --dry-run after the import", stdout, "0 messages (500 already there")
	if !bytes.Equal(imported, readFile(t, dst)) {
		t.Error("import --dry-run after the import changed the target database")
	}

	// The target holds what the source holds.
	compareInventories(t, inv, takeInventory(t, dst))
}

// compareInventories compares what two pools hold, apart from their
// identities and principals (the target has its own system user).
func compareInventories(t *testing.T, want, got inventory.Inventory) {
	t.Helper()
	opts := cmp.Options{
		cmpopts.IgnoreFields(inventory.Inventory{}, "Database", "PoolID", "Principals", "Warnings"),
		cmpopts.IgnoreFields(inventory.FileLink{}, "ChatID"),
	}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("inventory mismatch (-source +target):\n%s", diff)
	}
}

// checkHTMLReport checks that a report is HTML with the hostile room name
// escaped.
func checkHTMLReport(t *testing.T, path string) {
	t.Helper()
	html := string(readFile(t, path))
	mustContain(t, path, html, "<html", "&lt;script&gt;alert(", "&amp; ")
	if strings.Contains(html, "<script>alert") {
		t.Errorf("%s holds the room name as markup: <script>alert", path)
	}
}

// corruptArchives writes broken copies of a good archive.
func corruptArchives(t *testing.T, good string) map[string]struct{ path, want string } {
	t.Helper()
	dir := t.TempDir()
	data := readFile(t, good)
	out := map[string]struct{ path, want string }{}
	add := func(name string, content []byte, want string) {
		p := filepath.Join(dir, strings.NewReplacer(" ", "-", "/", "-", ".", "-").Replace(name)+".zip")
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
		out[name] = struct{ path, want string }{p, want}
	}
	add("truncated", data[:len(data)/2], "not a valid zip file")
	add("empty", nil, "not a valid zip file")
	add("not a zip", []byte("PK? no, just text\n"), "not a valid zip file")

	// One byte of the messages part's compressed data flipped.
	zr, err := zip.OpenReader(good)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var biggest *zip.File
	for _, f := range zr.File {
		if biggest == nil || f.CompressedSize64 > biggest.CompressedSize64 {
			biggest = f
		}
	}
	off, err := biggest.DataOffset()
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(data)
	flipped[off+int64(biggest.CompressedSize64/2)] ^= 0x55
	add("flipped byte", flipped, biggest.Name)

	rewrite := func(edit func(name string, body []byte) (string, []byte), extra map[string]string) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
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
			name, body := edit(f.Name, body)
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(body)
		}
		for name, body := range extra {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte(body))
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	same := func(name string, body []byte) (string, []byte) { return name, body }
	add("entry ../evil", rewrite(same, map[string]string{"../evil": "x"}), "escapes the archive")
	add("absolute entry", rewrite(same, map[string]string{"/tmp/evil": "x"}), "is an absolute path")
	add("unknown format", rewrite(func(name string, body []byte) (string, []byte) {
		if name == "manifest.json" {
			body = bytes.Replace(body, []byte(`"format": 1`), []byte(`"format": 99`), 1)
		}
		return name, body
	}, nil), "99")
	// A hand-made archive whose manifest says level User (principals
	// only) but that holds the categories, rooms and messages of an All
	// export: not what an export of that level writes, so not imported
	// whole (nor in part).
	add("level User holding rooms", rewrite(func(name string, body []byte) (string, []byte) {
		if name == "manifest.json" {
			body = bytes.Replace(body, []byte(`"level": "All"`), []byte(`"level": "User"`), 1)
		}
		return name, body
	}, nil), "manifest.json: part categories.jsonl holds 6 records, but the archive's level User covers principals only")
	add("level RoomDirectory holding messages", rewrite(func(name string, body []byte) (string, []byte) {
		if name == "manifest.json" {
			body = bytes.Replace(body, []byte(`"level": "All"`), []byte(`"level": "RoomDirectory"`), 1)
		}
		return name, body
	}, nil), "but the archive's level RoomDirectory covers principals, categories, add-ins and rooms, no messages")
	add("part changed", rewrite(func(name string, body []byte) (string, []byte) {
		if name == "categories.jsonl" {
			body = bytes.Replace(body, []byte("Engineering"), []byte("Engineerinx"), 1)
		}
		return name, body
	}, nil), "categories.jsonl")
	return out
}

func TestCorruptArchivesAreRefused(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "500")
	good := exportArchive(t, est)
	dst := filepath.Join(est, "target-2019.db")
	for name, c := range corruptArchives(t, good) {
		t.Run(name, func(t *testing.T) {
			before := hashTree(t, est)
			beforeArchive := readFile(t, c.path)
			for _, args := range [][]string{
				{"inspect", c.path},
				{"inspect", "--json", c.path},
				{"import", "--dry-run", "--db", "sqlite:" + dst, "--file", c.path},
				{"import", "--db", "sqlite:" + dst, "--file", c.path},
			} {
				stdout, stderr, code := runCmd(t, args...)
				if code != exitError {
					t.Errorf("pcmig %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, exitError, stdout, stderr)
				}
				mustContain(t, "pcmig "+args[0]+" stderr", stderr, "pcmig: ", c.want)
				if strings.Contains(stdout, "Archive verified") || strings.Contains(stdout, "Imported into") {
					t.Errorf("pcmig %s printed success:\n%s", args[0], stdout)
				}
			}
			if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
				t.Errorf("a refused archive changed the estate (-before +after):\n%s", diff)
			}
			if !bytes.Equal(beforeArchive, readFile(t, c.path)) {
				t.Error("the archive file changed")
			}
			if cp := checkpointFiles(t, c.path); len(cp) != 0 {
				t.Errorf("checkpoints written beside a refused archive: %v", cp)
			}
		})
	}
}
