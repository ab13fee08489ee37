package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pcmig/pcmig/importer"
)

// update rewrites the golden files: go test ./cmd/pcmig -update
var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// childArgsEnv carries the arguments of a child process that runs pcmig
// (JSON-encoded); see startChild. With childPauseEnv set to "TEXT|FILE",
// the child stops after printing TEXT (on standard output or error) until
// FILE exists, so that the test can act at a known point of the run; it
// creates FILE.paused when it stops (for a TEXT on standard error, which
// the test does not read line by line).
const (
	childArgsEnv  = "PCMIG_TEST_CHILD_ARGS"
	childPauseEnv = "PCMIG_TEST_CHILD_PAUSE"
	// childOverlapKillEnv names the point of an overlapped import where
	// the child kills itself (overlap_hold28_test.go).
	childOverlapKillEnv = "PCMIG_TEST_CHILD_OVERLAP_KILL"
	// childReadTwiceEnv has the child's overlapped import read with a
	// pre-pass beside its writes (importer.Hooks.ReadTwice).
	childReadTwiceEnv = "PCMIG_TEST_CHILD_READ_TWICE"
)

// TestMain runs pcmig itself when the test binary is started as a child
// process (kill tests): then it is the whole program, as main would be,
// and exits with pcmig's code.
func TestMain(m *testing.M) {
	if enc := os.Getenv(childArgsEnv); enc != "" {
		var args []string
		if err := json.Unmarshal([]byte(enc), &args); err != nil {
			fmt.Fprintln(os.Stderr, "child args:", err)
			os.Exit(100)
		}
		var hooks importer.Hooks
		if at := os.Getenv(childOverlapKillEnv); at != "" {
			// The child dies (SIGKILL) at that point of an overlapped
			// import (importer.Hooks.Point).
			hooks.Point = func(point string) {
				if point == at {
					killSelf()
				}
			}
		}
		hooks.ReadTwice = os.Getenv(childReadTwiceEnv) != ""
		var stdout, stderr io.Writer = os.Stdout, os.Stderr
		if at, gate, ok := strings.Cut(os.Getenv(childPauseEnv), "|"); ok {
			stdout = &pauseWriter{w: os.Stdout, at: []byte(at), gate: gate}
			stderr = &pauseWriter{w: os.Stderr, at: []byte(at), gate: gate}
		}
		os.Exit(run(context.Background(), append([]string{"pcmig"}, args...), env{
			stdout: stdout, stderr: stderr, getenv: os.Getenv, importHooks: hooks,
		}))
	}
	code := m.Run()
	labs.cleanup()
	os.Exit(code)
}

// pauseWriter passes writes on; after the first one that contains at, it
// waits until the file gate exists.
type pauseWriter struct {
	w      io.Writer
	at     []byte
	gate   string
	paused bool
}

func (p *pauseWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	if !p.paused && bytes.Contains(b, p.at) {
		p.paused = true
		os.WriteFile(p.gate+".paused", nil, 0o644)
		for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if _, err := os.Stat(p.gate); err == nil {
				break
			}
		}
	}
	return n, err
}

// runCmd runs pcmig in-process with args (without the program name) and
// returns what it printed and its exit code.
func runCmd(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runCmdEnv(t, nil, args...)
}

// appMu serialises the in-process runs: urfave/cli v2 writes into its
// global flags (HelpFlag, VersionFlag) while parsing, so two apps must not
// parse at the same time in one process. pcmig itself runs one app per
// process.
var appMu sync.Mutex

// runApp runs pcmig in-process.
func runApp(ctx context.Context, args []string, e env) int {
	appMu.Lock()
	defer appMu.Unlock()
	return run(ctx, append([]string{"pcmig"}, args...), e)
}

// runCmdEnv is runCmd with environment variables for the run.
func runCmdEnv(t *testing.T, vars map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = runApp(t.Context(), args, env{
		stdout: &out, stderr: &errOut,
		getenv: func(k string) string { return vars[k] },
	})
	return out.String(), errOut.String(), code
}

// mustRun runs pcmig and fails the test unless it exits with want.
func mustRun(t *testing.T, want int, args ...string) (stdout, stderr string) {
	t.Helper()
	stdout, stderr, code := runCmd(t, args...)
	if code != want {
		t.Fatalf("pcmig %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, stdout, stderr)
	}
	return stdout, stderr
}

// labCache writes each lab estate once per test binary; tests get copies.
// Its folder goes under root, the temporary folder when the binary
// started: a test that points TMPDIR at its own folder (t.Setenv) would
// otherwise have the cache made there, and removed with that folder.
type labCache struct {
	mu   sync.Mutex
	root string
	dir  string
	labs map[string]string
}

var labs = &labCache{root: os.TempDir(), labs: map[string]string{}}

func (c *labCache) cleanup() {
	if c.dir != "" {
		os.RemoveAll(c.dir)
	}
}

// labEstate returns a fresh copy of a lab estate written by "pcmig lab init"
// with the given options (the same options give the same files).
func labEstate(t *testing.T, opts ...string) string {
	t.Helper()
	key := strings.Join(opts, " ")
	c := labs
	c.mu.Lock()
	src, ok := c.labs[key]
	if !ok {
		if c.dir == "" {
			dir, err := os.MkdirTemp(c.root, "pcmig-cmd-test-*")
			if err != nil {
				c.mu.Unlock()
				t.Fatal(err)
			}
			c.dir = dir
		}
		src = filepath.Join(c.dir, strconv.Itoa(len(c.labs)))
		var out, errOut bytes.Buffer
		args := append(append([]string{"lab", "init"}, opts...), src)
		if code := runApp(context.Background(), args, env{stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}); code != 0 {
			c.mu.Unlock()
			t.Fatalf("lab init %s: exit %d: %s", key, code, errOut.String())
		}
		c.labs[key] = src
	}
	c.mu.Unlock()
	dst := filepath.Join(t.TempDir(), "estate")
	copyDir(t, src, dst)
	return dst
}

// copyDir copies the files of a folder tree.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// hashTree returns the SHA-256 of every file under dir by relative path,
// and "folder" for every folder below dir (so that a new empty folder
// shows); folders whose relative path is in skip are left out.
func hashTree(t *testing.T, dir string, skip ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			for _, s := range skip {
				if rel == s {
					return filepath.SkipDir
				}
			}
			if rel != "." {
				out[filepath.ToSlash(rel)+"/"] = "folder"
			}
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		out[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func decodeJSON(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, data)
	}
}

// mustContain fails unless s holds every one of wants.
func mustContain(t *testing.T, what, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("%s does not contain %q:\n%s", what, w, s)
		}
	}
}

var durationRE = regexp.MustCompile(`\b(done in|failed after) [0-9.]+(ns|µs|ms|s|m[0-9.]*s|h[0-9.]*m[0-9.]*s)\b`)

// normalize replaces what changes from run to run in pcmig's output: the
// estate folder and step durations.
func normalize(s, dir string) string {
	s = strings.ReplaceAll(s, dir, "$ESTATE")
	return durationRE.ReplaceAllString(s, "$1 DURATION")
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		lines := func(b []byte) []string { return strings.Split(string(b), "\n") }
		t.Errorf("%s mismatch (-want +got; go test -update rewrites it):\n%s", path, cmp.Diff(lines(want), lines(got)))
	}
}
