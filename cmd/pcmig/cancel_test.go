package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/importer"
)

// TestImportCancelledSaysSoAndResumes: Ctrl-C during an import's messages
// says the import was cancelled and how to resume it, never a raw "context
// canceled" or "transaction has already been committed or rolled back", and
// the summary says the import stopped before the end; running it again
// brings every message, once. The HTML report's status is STOPPED, not
// DONE. The sequential import (PCMIG_IMPORT_SEQUENTIAL) has committed the
// parts before the Ctrl-C; one that writes while it reads
// (importer/overlap.go), cancelled while its messages are not yet
// committed, has committed none.
func TestImportCancelledSaysSoAndResumes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, marker string
		vars         map[string]string
	}{
		{"sequential", "import messages:", map[string]string{sequentialImportEnv: "1"}},
		{"under the hold", "import " + importer.PendingPhase + ":", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			importCancelled(t, tt.marker, tt.vars)
		})
	}
}

func importCancelled(t *testing.T, marker string, vars map[string]string) {
	dir := labEstate(t, "--messages", "20000")
	src, dst := filepath.Join(dir, "source-2015.db"), filepath.Join(dir, "target-2019.db")
	zipPath := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", "sqlite:"+src, "--file", zipPath)
	hold := vars == nil
	before := readFile(t, dst)

	html := filepath.Join(t.TempDir(), "import.html")
	code, stdout, stderr := runCancelledAtEnv(t, vars, marker, "import", "--db", "sqlite:"+dst, "--file", zipPath, "--report", html)
	if code != exitError {
		t.Fatalf("cancelled import: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitError, stdout, stderr)
	}
	mustContain(t, "cancelled import's stderr", stderr,
		"pcmig: cancelled (Ctrl-C or SIGTERM); run the same import again: it resumes where this one stopped")
	mustContain(t, "cancelled import's stdout", stdout, "Stopped before the end: ", " of 20000 messages imported into ", "The plan: ")
	for _, raw := range []string{"context canceled", "already been committed or rolled back"} {
		if strings.Contains(stderr, raw) {
			t.Errorf("cancelled import's stderr says %q:\n%s", raw, stderr)
		}
	}
	page := string(readFile(t, html))
	mustContain(t, "cancelled import's HTML report", page, "STOPPED", "running the import again resumes it")
	if strings.Contains(page, ">DONE<") {
		t.Errorf("the cancelled import's HTML report says DONE")
	}
	held := queryInt(t, openDB(t, dst), "SELECT COUNT(*) FROM tblChat")
	if hold {
		mustContain(t, "cancelled import's stdout", stdout, "Stopped before the end: 0 of 20000 messages imported into ")
		if _, progress := messageProgress(stderr); held != 0 || pending(progress) != len(progress) || !bytes.Equal(readFile(t, dst), before) {
			t.Fatalf("the import cancelled under its hold left %d messages (want the target as it was), its console said:\n%s", held, stderr)
		}
	} else if held <= 0 || held >= 20000 {
		t.Fatalf("the cancelled import left %d messages; want some, not all, of 20000", held)
	}

	stdout, _ = mustRun(t, 0, "import", "--db", "sqlite:"+dst, "--file", zipPath)
	mustContain(t, "resumed import", stdout, "Imported into")
	if n := queryInt(t, openDB(t, dst), "SELECT COUNT(*) FROM tblChat"); n != 20000 {
		t.Errorf("after resuming, the target holds %d messages, want 20000", n)
	}
}

// runCancelledAt runs pcmig with args and Ctrl-C the moment its standard
// error first holds marker: a command cancelled at a known point.
func runCancelledAt(t *testing.T, marker string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCancelledAtEnv(t, nil, marker, args...)
}

// runCancelledAtEnv is runCancelledAt with environment variables.
func runCancelledAtEnv(t *testing.T, vars map[string]string, marker string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out bytes.Buffer
	errOut := &onMarker{marker: marker, fn: cancel}
	code = runApp(ctx, args, env{stdout: &out, stderr: errOut, getenv: func(k string) string { return vars[k] }})
	return code, out.String(), errOut.buf.String()
}

// onMarker is a writer that runs fn once what it was given contains a
// marker: Ctrl-C, or a file appearing, at a known point of a command.
type onMarker struct {
	buf    bytes.Buffer
	marker string
	fn     func()
	done   bool
}

func (o *onMarker) Write(p []byte) (int, error) {
	o.buf.Write(p)
	if !o.done && strings.Contains(o.buf.String(), o.marker) {
		o.done = true
		o.fn()
	}
	return len(p), nil
}

// TestReportAppearingMidCommandIsAnError: a file that appears at --report
// while export or import works is refused when the report is to be
// written, as pcmig run refuses it: exit 1 (an error), not 64 (a
// command-line mistake, which the same path is when the file is there
// before the command starts), and the file is left as it is.
func TestReportAppearingMidCommandIsAnError(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "20000")
	src, dst := filepath.Join(dir, "source-2015.db"), filepath.Join(dir, "target-2019.db")
	zipPath := filepath.Join(dir, "a.zip")
	for _, tc := range []struct {
		name, marker string
		args         []string
	}{
		{"export", "export messages:", []string{"export", "--db", "sqlite:" + src, "--file", zipPath}},
		{"import", "import messages:", []string{"import", "--db", "sqlite:" + dst, "--file", zipPath}},
	} {
		report := filepath.Join(dir, tc.name+"-report.json")
		var out bytes.Buffer
		errOut := &onMarker{marker: tc.marker, fn: func() { writeFile(t, report, "someone else's notes\n") }}
		code := runApp(t.Context(), append(tc.args, "--report", report), env{
			stdout: &out, stderr: errOut, getenv: func(string) string { return "" }})
		if code != exitError {
			t.Errorf("%s with a file appearing at --report: exit %d, want %d\nstderr:\n%s", tc.name, code, exitError, errOut.buf.String())
		}
		if got := readFile(t, report); string(got) != "someone else's notes\n" {
			t.Errorf("%s replaced the file that appeared at --report", tc.name)
		}
	}
}
