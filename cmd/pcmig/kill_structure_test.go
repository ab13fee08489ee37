package main

import (
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// killPoint is where in the import's structure phase a run is killed: once
// the target has committed this many of its write transactions (each bumps
// tblSystemRevision), and with midTx once the next one has started writing.
// The import's structure transactions are, in order: the principals, their
// affiliations, each add-in, and every category and room with its lists.
type killPoint struct {
	name    string
	commits int64
	midTx   bool
	// check looks at the killed target (opened for writing, so that a
	// transaction the kill interrupted is rolled back first).
	check func(t *testing.T, db *sql.DB, before structureCounts)
}

// structureCounts are the rows of a target that tell the phases apart.
type structureCounts struct{ principals, affiliations, addins, nodes, messages int64 }

func countStructure(t *testing.T, db *sql.DB) structureCounts {
	t.Helper()
	return structureCounts{
		principals:   queryInt(t, db, `SELECT COUNT(*) FROM tblPrincipal`),
		affiliations: queryInt(t, db, `SELECT COUNT(*) FROM tblPrincipalAffiliations WHERE "index" = 1`),
		addins:       queryInt(t, db, `SELECT COUNT(*) FROM tblSiopWhiteList`),
		nodes:        queryInt(t, db, `SELECT COUNT(*) FROM tblNode`),
		messages:     queryInt(t, db, `SELECT COUNT(*) FROM tblChat`),
	}
}

// structureKillPoints cover the structure phase: between each of its
// transactions and inside the largest.
var structureKillPoints = []killPoint{
	{name: "after the principals", commits: 1, check: func(t *testing.T, db *sql.DB, before structureCounts) {
		c := countStructure(t, db)
		if c.principals <= before.principals || c.affiliations != 0 || c.nodes != before.nodes {
			t.Errorf("killed target %+v (before %+v): want principals added and nothing after them", c, before)
		}
	}},
	{name: "after the affiliations", commits: 2, check: func(t *testing.T, db *sql.DB, before structureCounts) {
		c := countStructure(t, db)
		if c.affiliations == 0 || c.addins != before.addins || c.nodes != before.nodes {
			t.Errorf("killed target %+v (before %+v): want affiliations added and no add-in or node", c, before)
		}
	}},
	{name: "inside the categories and rooms", commits: 4, midTx: true, check: func(t *testing.T, db *sql.DB, before structureCounts) {
		c := countStructure(t, db)
		if c.addins != before.addins+2 || c.nodes != before.nodes {
			t.Errorf("killed target %+v (before %+v): want both add-ins and the node transaction rolled back", c, before)
		}
	}},
	{name: "after the categories and rooms", commits: 5, check: func(t *testing.T, db *sql.DB, before structureCounts) {
		c := countStructure(t, db)
		if c.nodes <= before.nodes || c.messages != 0 {
			t.Errorf("killed target %+v (before %+v): want every node and no message", c, before)
		}
	}},
}

// TestRunKilledDuringStructureResumes kills a real run (SIGKILL) at each
// point of the import's structure phase, resumes it with --resume, and
// compares the target with that of an uninterrupted run of an identical
// estate, row by row. The 20,000-room estate of the acceptance runs the
// same test under the soak build tag (kill_soak_test.go).
func TestRunKilledDuringStructureResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("kills four runs of a 300-room estate")
	}
	t.Parallel()
	runStructureKills(t, []string{"--users", "200", "--categories", "20", "--rooms", "300", "--messages", "2000"}, structureKillPoints)
}

func runStructureKills(t *testing.T, opts []string, points []killPoint) {
	clean := labEstate(t, opts...)
	mustRun(t, 0, "run", "--estate", filepath.Join(clean, "estate.lua"))
	want := dumpDB(t, filepath.Join(clean, "target-2019.db"))
	for _, kp := range points {
		t.Run(kp.name, func(t *testing.T) {
			// A busy machine can deschedule this process while the child
			// commits twice; then the point is missed and tried again on a
			// fresh estate. A kill anywhere must still resume correctly.
			for attempt := 1; ; attempt++ {
				dir := labEstate(t, opts...)
				estFile := filepath.Join(dir, "estate.lua")
				target := filepath.Join(dir, "target-2019.db")
				pre := openDB(t, target)
				before := countStructure(t, pre)
				base := queryInt(t, pre, `SELECT sysRevision FROM tblSystemRevision`)
				pre.Close()

				c := startChild(t, "run", "--estate", estFile)
				got, exact := killAtCommit(t, c, target, base, kp)
				t.Logf("attempt %d: killed after %d structure commits (mid-transaction: %v)", attempt, got, kp.midTx)
				db := openDBWrite(t, target)
				if exact {
					kp.check(t, db, before)
				}
				db.Close()

				mustRun(t, 0, "run", "--estate", estFile, "--resume")
				if diff := cmp.Diff(want, dumpDB(t, target)); diff != "" {
					t.Errorf("target database mismatch (-uninterrupted +killed and resumed):\n%s", diff)
				}
				if exact || attempt == 5 {
					if !exact {
						t.Logf("the machine was too busy to stop the child at %q in 5 attempts; checked a kill at commit %d instead", kp.name, got)
					}
					return
				}
			}
		})
	}
}

// killAtCommit kills the child once the target at path has committed
// kp.commits write transactions since its revision was base (with
// kp.midTx, once the next transaction has begun writing, which leaves a
// hot journal behind). Between its looks it holds SQLite's shared lock, under
// which the child can write but not commit; when it lets go, the child's
// pending commit goes through and the next look, which spins without
// waiting on locks, comes right after it. It returns the commits the child
// made, and whether they are kp.commits (a descheduled test process may
// miss one; then the kill comes late).
func killAtCommit(t *testing.T, c *child, path string, base int64, kp killPoint) (int64, bool) {
	t.Helper()
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath(), RawQuery: "_pragma=busy_timeout(0)"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	exited := make(chan error, 1)
	go func() { exited <- c.cmd.Wait() }()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("the child ended (%v) before %d structure commits\nstdout:\n%s\nstderr:\n%s", err, kp.commits, c.output(), c.stderr.String())
		default:
		}
		tx, err := db.BeginTx(t.Context(), nil)
		if err != nil {
			continue
		}
		var r int64
		if err := tx.QueryRowContext(t.Context(), `SELECT sysRevision FROM tblSystemRevision`).Scan(&r); err != nil {
			tx.Rollback() // the child holds the lock to commit: look again
			continue
		}
		if r-base < kp.commits {
			tx.Rollback()
			continue
		}
		if kp.midTx {
			// The child may begin its next transaction but, while this
			// read holds its shared lock, not commit it.
			for {
				if _, err := os.Stat(path + "-journal"); err == nil {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the child began no transaction after commit %d", r-base)
				}
				time.Sleep(time.Millisecond)
			}
		}
		if err := c.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		if err := <-exited; err == nil {
			t.Fatal("the child ended by itself before it was killed")
		}
		tx.Rollback()
		return r - base, r-base == kp.commits
	}
	t.Fatalf("the target did not reach %d structure commits within two minutes\nstdout:\n%s", kp.commits, c.output())
	return 0, false
}
