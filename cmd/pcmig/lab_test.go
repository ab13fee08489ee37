package main

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/inventory"
	"github.com/pcmig/pcmig/lab"
)

var estateFiles = []string{"source-2015.db", "target-2019.db", "topology.xml", "users.csv", lab.EstateFile,
	"filestore-2015", "filestore-2019", "pool-settings.json"}

// openDB opens an embedded database read-only with database/sql, without
// pcmig's store, for independent checks.
func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath(), RawQuery: "mode=ro&_pragma=busy_timeout(10000)"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func queryInt(t *testing.T, db *sql.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRowContext(t.Context(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// takeInventory runs "pcmig inventory --json" on an embedded database.
func takeInventory(t *testing.T, dbPath string) inventory.Inventory {
	t.Helper()
	stdout, _ := mustRun(t, 0, "inventory", "--json", "--db", "sqlite:"+dbPath)
	var inv inventory.Inventory
	decodeJSON(t, []byte(stdout), &inv)
	return inv
}

func TestLabInitThenInventory(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	a, b, c := filepath.Join(root, "a"), filepath.Join(root, "b"), filepath.Join(root, "c")
	stdout, _ := mustRun(t, 0, "lab", "init", "--messages", "500", "--seed", "3", a)
	mustRun(t, 0, "lab", "init", b, "--messages", "500", "--seed", "3") // the README's order

	// The same seed gives byte-identical files.
	if diff := cmp.Diff(hashTree(t, a), hashTree(t, b)); diff != "" {
		t.Errorf("two lab estates of seed 3 differ (-a +b):\n%s", diff)
	}
	entries, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if diff := cmp.Diff(slices.Sorted(slices.Values(estateFiles)), names); diff != "" {
		t.Errorf("lab init wrote other files (-want +got):\n%s", diff)
	}

	// What was generated, as the lab package reports it.
	sum, err := lab.Init(t.Context(), c, lab.Options{Messages: 500, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(hashTree(t, a), hashTree(t, c)); diff != "" {
		t.Errorf("lab init and lab.Init differ (-cli +lab.Init):\n%s", diff)
	}
	wantOut := fmt.Sprintf("Lab estate in %s (seed 3): %d users, %d groups, %d categories, %d rooms, %d messages.\n",
		a, sum.Users, sum.Groups, sum.Categories, sum.Rooms, sum.Messages)
	mustContain(t, "lab init output", stdout, wantOut, "pcmig run --estate "+filepath.Join(a, "estate.lua")+" --dry-run")

	src := filepath.Join(a, "source-2015.db")
	before := hashTree(t, a)
	inv := takeInventory(t, src)
	checkInventoryMatchesSummary(t, inv, sum)
	checkInventoryMatchesSQL(t, inv, openDB(t, src), sum)

	text, _ := mustRun(t, 0, "inventory", "--db", "sqlite:"+src)
	mustContain(t, "inventory", text,
		fmt.Sprintf("%d categories, %d rooms (%d disabled), %d messages", sum.Categories, sum.Rooms, sum.DisabledRooms, sum.Messages),
		"Engineering", "東京オフィス", "Uploaded files")

	// The 2019 pool is empty.
	empty := takeInventory(t, filepath.Join(a, "target-2019.db"))
	if got := empty.Totals; got.Categories != 0 || got.Rooms != 0 || got.Messages != 0 {
		t.Errorf("target inventory totals = %+v, want an empty pool", got)
	}
	if diff := cmp.Diff(before, hashTree(t, a)); diff != "" {
		t.Errorf("inventory changed the estate (-before +after):\n%s", diff)
	}
}

func checkInventoryMatchesSummary(t *testing.T, inv inventory.Inventory, sum *lab.Summary) {
	t.Helper()
	type figures struct {
		Categories, Rooms, DisabledRooms, Addins int
		Privacy, Types                           map[string]int
		Messages, ContentBytes, FileLinks        int64
		PerRoom                                  map[string]int64
		PrincipalsByType                         map[string]int
		Disabled, Deleted                        int
	}
	want := figures{
		Categories: sum.Categories, Rooms: sum.Rooms, DisabledRooms: sum.DisabledRooms, Addins: sum.Addins,
		Privacy: sum.RoomsByPrivacy, Types: sum.RoomsByType,
		Messages: sum.Messages, ContentBytes: sum.ContentBytes, FileLinks: sum.FileLinks,
		PerRoom: sum.MessagesPerRoom, PrincipalsByType: sum.PrincipalsByType,
		Disabled: sum.DisabledPrincipals, Deleted: sum.DeletedPrincipals,
	}
	tot := inv.Totals
	got := figures{
		Categories: tot.Categories, Rooms: tot.Rooms, DisabledRooms: tot.DisabledRooms, Addins: len(inv.Addins),
		Privacy: tot.RoomsByPrivacy, Types: tot.RoomsByType,
		Messages: tot.Messages, ContentBytes: tot.ContentBytes, FileLinks: tot.FileLinks,
		PerRoom: map[string]int64{}, PrincipalsByType: map[string]int{},
		Disabled: inv.Principals.Disabled, Deleted: inv.Principals.Deleted,
	}
	for _, c := range inv.Categories {
		for _, r := range c.Rooms {
			got.PerRoom[r.Name] = r.Messages
		}
	}
	for _, p := range inv.Principals.ByType {
		if p.Total > 0 {
			got.PrincipalsByType[p.Type] = p.Total
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("inventory mismatch with lab.Summary (-want +got):\n%s", diff)
	}
	if len(inv.Files.Links) != int(sum.FileLinks) {
		t.Errorf("inventory lists %d file links, want %d", len(inv.Files.Links), sum.FileLinks)
	}
}

// checkInventoryMatchesSQL counts the database with plain SQL on the
// documented tables.
func checkInventoryMatchesSQL(t *testing.T, inv inventory.Inventory, db *sql.DB, sum *lab.Summary) {
	t.Helper()
	type counts struct{ Categories, Rooms, DisabledRooms, Messages, Principals, Alerts int64 }
	want := counts{
		Categories:    queryInt(t, db, `SELECT COUNT(*) FROM tblNode WHERE nodeType = 1 AND nodeID <> parentID`),
		Rooms:         queryInt(t, db, `SELECT COUNT(*) FROM tblNode WHERE nodeType = 0`),
		DisabledRooms: queryInt(t, db, `SELECT COUNT(*) FROM tblNode WHERE nodeType = 0 AND disabled = 1`),
		Messages:      queryInt(t, db, `SELECT COUNT(*) FROM tblChat`),
		Principals:    queryInt(t, db, `SELECT COUNT(*) FROM tblPrincipal`),
		Alerts:        queryInt(t, db, `SELECT COUNT(*) FROM tblChat WHERE isAlert = 1`),
	}
	got := counts{int64(inv.Totals.Categories), int64(inv.Totals.Rooms), int64(inv.Totals.DisabledRooms),
		inv.Totals.Messages, int64(inv.Principals.Total), sum.Alerts}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("inventory (and lab alerts) mismatch with SQL counts (-sql +pcmig):\n%s", diff)
	}
}

func TestLabInitRefusesAnExistingEstate(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "500")
	state := filepath.Join(dir, ".pcmig")
	if err := os.Mkdir(state, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(state, "run-journal.json"), "{}")
	before := hashTree(t, dir)

	stdout, stderr, code := runCmd(t, "lab", "init", "--messages", "300", dir)
	if code != exitError {
		t.Errorf("lab init on an estate: exit %d, want %d", code, exitError)
	}
	mustContain(t, "stderr", stderr, "a lab estate already exists in "+dir, "source-2015.db", "--overwrite")
	if stdout != "" {
		t.Errorf("stdout = %q, want nothing", stdout)
	}
	if diff := cmp.Diff(before, hashTree(t, dir)); diff != "" {
		t.Errorf("a refused lab init changed the estate (-before +after):\n%s", diff)
	}

	// One file of an estate is enough to refuse.
	partial := t.TempDir()
	writeFile(t, filepath.Join(partial, "users.csv"), "mine")
	if _, stderr, code := runCmd(t, "lab", "init", partial); code != exitError {
		t.Errorf("lab init beside users.csv: exit %d, want %d: %s", code, exitError, stderr)
	}
	if got := string(readFile(t, filepath.Join(partial, "users.csv"))); got != "mine" {
		t.Errorf("users.csv = %q after a refused lab init", got)
	}

	// --overwrite writes a new estate and forgets the old one's runs.
	mustRun(t, 0, "lab", "init", "--overwrite", "--messages", "300", dir)
	if inv := takeInventory(t, filepath.Join(dir, "source-2015.db")); inv.Totals.Messages != 300 {
		t.Errorf("after --overwrite the source holds %d messages, want 300", inv.Totals.Messages)
	}
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Errorf("--overwrite kept the old run state %s (stat: %v)", state, err)
	}
}

// TestLabInitRefusesCountsItCannotHonour: --users 0 (or any count below
// what a lab needs) is a usage error, never the default in disguise.
func TestLabInitRefusesCountsItCannotHonour(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--users", "0"}, {"--users", "-5"}, {"--users", "3"}, {"--categories", "0"}, {"--rooms", "-1"}, {"--messages", "0"}} {
		dir := filepath.Join(t.TempDir(), "lab")
		_, stderr, code := runCmd(t, append([]string{"lab", "init", dir}, args...)...)
		if code != exitUsage {
			t.Errorf("lab init %v: exit %d, want %d\n%s", args, code, exitUsage, stderr)
		}
		mustContain(t, "stderr", stderr, args[0]+" "+args[1], "at least")
		if _, err := os.Stat(dir); err == nil {
			t.Errorf("lab init %v wrote %s", args, dir)
		}
	}
}

// TestImportRefusesAnUnknownPolicy: a bad --on-conflict is a usage
// mistake (exit 64), found before the target is opened or created.
func TestImportRefusesAnUnknownPolicy(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "100")
	zip := exportArchive(t, est)
	target := filepath.Join(t.TempDir(), "new.db")
	for _, mode := range [][]string{{"--dry-run"}, {}} {
		_, stderr, code := runCmd(t, append([]string{"import", "--db", "sqlite:" + target, "--file", zip, "--on-conflict", "bogus"}, mode...)...)
		if code != exitUsage {
			t.Errorf("import --on-conflict bogus %v: exit %d, want %d\n%s", mode, code, exitUsage, stderr)
		}
		mustContain(t, "stderr", stderr, `--on-conflict "bogus"`, "merge, skip, rename or fail")
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("the refused import created the target")
	}
}
