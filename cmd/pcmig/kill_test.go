package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// child is pcmig running in another process: the test binary started
// again, which TestMain turns into pcmig.
type child struct {
	cmd    *exec.Cmd
	lines  chan string // stdout, line by line; closed at EOF
	mu     sync.Mutex
	stdout strings.Builder
	stderr bytes.Buffer
}

func startChild(t *testing.T, args ...string) *child {
	t.Helper()
	return startChildEnv(t, nil, args...)
}

// startChildEnv is startChild with more environment variables (KEY=VALUE).
func startChildEnv(t *testing.T, vars []string, args ...string) *child {
	t.Helper()
	enc, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	c := &child{lines: make(chan string, 1000)}
	c.cmd = exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$")
	c.cmd.Env = append(append(os.Environ(), childArgsEnv+"="+string(enc)), vars...)
	c.cmd.Stderr = &c.stderr
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(c.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			c.mu.Lock()
			c.stdout.WriteString(sc.Text() + "\n")
			c.mu.Unlock()
			select {
			case c.lines <- sc.Text():
			default: // nobody waits for lines any more
			}
		}
		io.Copy(io.Discard, out)
	}()
	return c
}

// runChild runs pcmig in another process to its end.
func runChild(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return startChild(t, args...).finish(t)
}

func (c *child) output() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stdout.String()
}

// waitFor waits until the child prints line.
func (c *child) waitFor(t *testing.T, line string, limit time.Duration) {
	t.Helper()
	timeout := time.After(limit)
	for {
		select {
		case l, ok := <-c.lines:
			if !ok {
				t.Fatalf("the child ended before printing %q\nstdout:\n%s\nstderr:\n%s", line, c.output(), c.stderr.String())
			}
			if l == line {
				return
			}
		case <-timeout:
			t.Fatalf("the child did not print %q within %s\nstdout:\n%s", line, limit, c.output())
		}
	}
}

// TestRunKilledDuringImportResumes kills a real run (SIGKILL) once the
// import has committed some messages, resumes it with --resume and
// compares the outcome with an uninterrupted run on an identical estate.
func TestRunKilledDuringImportResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a run of 30,000 messages")
	}
	t.Parallel()
	const total = 30000
	killed := labEstate(t, "--messages", strconv.Itoa(total))
	clean := labEstate(t, "--messages", strconv.Itoa(total))
	estFile := filepath.Join(killed, "estate.lua")
	steps := migrateSteps(t)

	// The child stops after the import step's header, before it imports.
	header := fmt.Sprintf("== Step 2/%d: %s ==", len(steps), steps[1])
	gate := filepath.Join(t.TempDir(), "go")
	// Sequential: the test kills once a part's messages are committed,
	// which an import that writes while it reads does only at its end
	// (importer/overlap.go; TestOverlappedRunKilledResumes kills that one).
	c := startChildEnv(t, []string{childPauseEnv + "=" + header + "|" + gate, sequentialImportEnv + "=1"}, "run", "--estate", estFile)
	c.waitFor(t, header, time.Minute)

	// While the child runs, a second run (another process) refuses at once.
	for _, args := range [][]string{{}, {"--resume"}} {
		stdout, stderr, code := runChild(t, append([]string{"run", "--estate", estFile}, args...)...)
		if code != exitError || strings.Contains(stdout, "== Step") {
			t.Errorf("run %v during another run: exit %d, want %d, and no step\nstdout:\n%s", args, code, exitError, stdout)
		}
		mustContain(t, "stderr", stderr, "another run holds the lock", fmt.Sprintf("pid %d", c.cmd.Process.Pid), "wait for that run to end")
	}

	// Let it import, and kill it once messages are committed. The read
	// transaction that sees them holds SQLite's shared lock, so the child
	// cannot commit more before it dies.
	writeFile(t, gate, "")
	db := openDB(t, filepath.Join(killed, "target-2019.db"))
	deadline := time.Now().Add(time.Minute)
	for {
		tx, err := db.BeginTx(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		if err := tx.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM tblChat`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			if err := c.cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			if err := c.cmd.Wait(); err == nil {
				t.Fatal("the child ended by itself before it was killed")
			}
			tx.Rollback()
			break
		}
		tx.Rollback()
		if time.Now().After(deadline) {
			t.Fatalf("no message was imported within a minute\nstdout:\n%s", c.output())
		}
		time.Sleep(time.Millisecond)
	}
	if out := c.output(); strings.Contains(out, fmt.Sprintf("== Step 3/%d", len(steps))) {
		t.Fatalf("the run was killed after the import step:\n%s", out)
	}
	committed := queryInt(t, db, `SELECT COUNT(*) FROM tblChat`)
	db.Close()
	if committed == 0 || committed >= total {
		t.Errorf("killed with %d of %d messages imported, want some but not all", committed, total)
	}
	t.Logf("killed with %d of %d messages imported", committed, total)

	// Without --resume a new run refuses to start over the unfinished one.
	_, stderr, code := runCmd(t, "run", "--estate", estFile)
	if code != exitError {
		t.Errorf("run after the kill without --resume: exit %d, want %d", code, exitError)
	}
	mustContain(t, "stderr", stderr, "Taking over the stale lock", "an earlier run did not finish", steps[1], "--resume", "--fresh")

	// --resume skips the export and finishes the import exactly once.
	stdout, _ := mustRun(t, 0, "run", "--estate", estFile, "--resume")
	outcomes := slices.Repeat([]string{"done in"}, len(steps))
	outcomes[0] = "skipped (finished in an earlier run)"
	checkStepHeaders(t, stdout, steps, outcomes...)
	m := regexp.MustCompile(`(\d+) messages? \((\d+) (?:was|were) already there\)`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("resumed run does not say how many messages it imported:\n%s", stdout)
	}
	imported, _ := strconv.ParseInt(m[1], 10, 64)
	already, _ := strconv.ParseInt(m[2], 10, 64)
	if already != committed || imported+already != total {
		t.Errorf("resumed import: %d imported, %d already there; want %d already there and %d in all", imported, already, committed, total)
	}
	if _, err := os.Stat(filepath.Join(killed, ".pcmig", "run.lock")); !os.IsNotExist(err) {
		t.Errorf("the lock is still there after the resumed run (stat: %v)", err)
	}

	// The same as a run that was never interrupted (sequential too: the
	// node IDs of the rooms an import creates follow the order it knows
	// their messages in, guessed by one that writes while it reads).
	if stdout, stderr, code := runCmdEnv(t, map[string]string{sequentialImportEnv: "1"}, "run", "--estate", filepath.Join(clean, "estate.lua")); code != 0 {
		t.Fatalf("uninterrupted run: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, f := range []string{"topology.xml", "users.csv", "source-2015.db"} {
		if !bytes.Equal(readFile(t, filepath.Join(clean, f)), readFile(t, filepath.Join(killed, f))) {
			t.Errorf("%s differs between the interrupted and the uninterrupted run", f)
		}
	}
	want, got := dumpDB(t, filepath.Join(clean, "target-2019.db")), dumpDB(t, filepath.Join(killed, "target-2019.db"))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("target database mismatch (-uninterrupted +killed and resumed):\n%s", diff)
	}
	if n := len(want["tblChat"]); n != total {
		t.Errorf("the target holds %d messages, want %d", n, total)
	}
}

// dumpDB reads every row of every table of an embedded database, as
// sorted text per table.
func dumpDB(t *testing.T, path string) map[string][]string {
	t.Helper()
	db := openDB(t, path)
	ctx := t.Context()
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	out := map[string][]string{}
	for _, table := range tables {
		out[table] = dumpTable(t, db, table)
	}
	return out
}

func dumpTable(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), `SELECT * FROM "`+table+`"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
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
			if b.Len() > 0 {
				b.WriteString(" ")
			}
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%s=%#v", cols[i], v)
		}
		out = append(out, b.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
