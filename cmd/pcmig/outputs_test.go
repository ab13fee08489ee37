package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/report"
	"github.com/pcmig/pcmig/runbook"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/verify"
)

// TestVerifyReportNeverReplacesAnInput: verify --report naming one of the
// databases it reads, the estate file or the archive is refused before
// anything is written, and the file is left as it was (by its extension
// when it ends in neither .html nor .json).
func TestVerifyReportNeverReplacesAnInput(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	src, tgt := filepath.Join(est, "source-2015.db"), filepath.Join(est, "target-2019.db")
	estFile := filepath.Join(est, "estate.lua")
	pair := []string{"verify", "--source", "sqlite:" + src, "--target", "sqlite:" + tgt}
	byEstate := []string{"verify", "--estate", estFile}
	// A name that is no report's is refused by its extension first.
	const byExt = "give a file name ending in .html (a page for people) or .json (for machines)"
	tgtJSON, srcHTML := filepath.Join(est, "target.json"), filepath.Join(est, "source.html")
	writeFile(t, tgtJSON, string(readFile(t, tgt)))
	writeFile(t, srcHTML, string(readFile(t, src)))
	jsonPair := []string{"verify", "--source", "sqlite:" + srcHTML, "--target", "sqlite:" + tgtJSON}
	tests := []struct {
		args []string
		want []string
	}{
		{append(pair, "--report", tgt), []string{"--report", "target-2019.db", byExt}},
		{append(pair, "--report", src), []string{"--report", "source-2015.db", byExt}},
		{append(byEstate, "--report", src), []string{"--report", "source-2015.db", byExt}},
		{append(byEstate, "--report", tgt), []string{"--report", "target-2019.db", byExt}},
		{append(byEstate, "--report", estFile), []string{"--report", "estate.lua", byExt}},
		// Databases whose names a report could have.
		{append(jsonPair, "--report", tgtJSON), []string{"--report", "target.json", "target database"}},
		{append(jsonPair, "--report", srcHTML), []string{"--report", "source.html", "source database"}},
		{append(jsonPair, "--report", est+"/../"+filepath.Base(est)+"/./target.json"), []string{"--report", "target database"}},
	}
	before := hashTree(t, est)
	for _, tt := range tests {
		args := tt.args
		stdout, stderr, code := runCmd(t, args...)
		if code != exitUsage {
			t.Errorf("pcmig %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args[1:], " "), code, exitUsage, stdout, stderr)
		}
		mustContain(t, "stderr", stderr, tt.want...)
	}
	if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
		t.Errorf("refused verifies changed the estate (-before +after):\n%s", diff)
	}
}

// TestReportsReplaceOnlyTheirOwnKind: a file pcmig writes on request
// (--report, --plan, --runbook of every command) never replaces a file
// that is not a pcmig file of that kind (another database, a document, a
// plan where a report goes), and replaces an earlier one of its kind.
func TestReportsReplaceOnlyTheirOwnKind(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	src, tgt := filepath.Join(est, "source-2015.db"), filepath.Join(est, "target-2019.db")
	estFile := filepath.Join(est, "estate.lua")
	zip := exportArchive(t, est)
	in := func(name string) string { return filepath.Join(est, name) }
	writeFile(t, in("notes.txt"), "the change window is on Saturday\n")
	writeFile(t, in("notes.json"), `{"window": "Saturday"}`+"\n")
	writeFile(t, in("notes.html"), "<!DOCTYPE html>\n<html><body>Saturday</body></html>\n")
	writeFile(t, in("notes.ps1"), "# Saturday\r\nGet-CsPool\r\n")
	writeFile(t, in("db.json"), string(readFile(t, tgt)))
	writeFile(t, in("db.html"), string(readFile(t, src)))
	if err := os.Mkdir(in("reports.html"), 0o755); err != nil {
		t.Fatal(err)
	}

	export := []string{"export", "--db", "sqlite:" + src, "--file", in("again.zip"), "--overwrite"}
	imp := []string{"import", "--db", "sqlite:" + tgt, "--file", zip, "--dry-run"}
	verify := []string{"verify", "--source", "sqlite:" + src, "--target", "sqlite:" + tgt}
	run := []string{"run", "--estate", estFile, "--dry-run"}
	with := func(cmd []string, more ...string) []string { return append(cmd[:len(cmd):len(cmd)], more...) }

	refused := []struct {
		args []string
		want []string
	}{
		{with(export, "--report", tgt), []string{"--report", "target-2019.db", "ending in .html"}},
		{with(imp, "--report", src), []string{"--report", "source-2015.db", "ending in .html"}},
		{with(export, "--report", in("db.json")), []string{"--report", "db.json", "SQLite database"}},
		{with(imp, "--report", in("db.html")), []string{"--report", "db.html", "SQLite database"}},
		{with(export, "--report", in("notes.txt")), []string{"--report", "notes.txt", "ending in .html"}},
		{with(imp, "--report", in("notes.json")), []string{"--report", "notes.json", "not a pcmig report"}},
		{with(verify, "--report", in("notes.html")), []string{"--report", "notes.html", "not a pcmig report"}},
		{with(run, "--report", in("notes.txt")), []string{"--report", "notes.txt", "ending in .html"}},
		{with(run, "--report", in("notes.json")), []string{"--report", "notes.json", "not a pcmig report"}},
		{with(run, "--plan", in("notes.json")), []string{"--plan", "notes.json", "not a pcmig plan"}},
		{with(run, "--runbook", in("notes.ps1")), []string{"--runbook", "notes.ps1", "not a pcmig runbook"}},
		{with(run, "--report", est), []string{"--report", "ending in .html"}},
		{with(run, "--report", in("reports.html")), []string{"--report", "folder"}},
	}
	before := hashTree(t, est)
	for _, tt := range refused {
		stdout, stderr, code := runCmd(t, tt.args...)
		if code != exitUsage {
			t.Errorf("pcmig %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(tt.args, " "), code, exitUsage, stdout, stderr)
		}
		mustContain(t, "stderr", stderr, tt.want...)
		if strings.Contains(stderr+stdout, "Saturday") {
			t.Errorf("pcmig %s quotes the file:\n%s", strings.Join(tt.args, " "), stderr)
		}
	}
	if diff := cmp.Diff(before, hashTree(t, est)); diff != "" {
		t.Errorf("refused commands changed the estate (-before +after):\n%s", diff)
	}

	// Each kind replaces an earlier file of its kind, HTML or JSON.
	for _, name := range []string{"report.html", "report.json"} {
		for _, args := range [][]string{with(export, "--report", in(name)), with(imp, "--report", in(name)), with(run, "--report", in(name))} {
			if _, stderr, code := runCmd(t, args...); code != 0 && code != exitPending {
				t.Errorf("pcmig %s: exit %d\nstderr:\n%s", strings.Join(args, " "), code, stderr)
			}
		}
		if _, stderr, code := runCmd(t, with(verify, "--report", in(name))...); code == exitUsage || code == exitError {
			t.Errorf("verify --report %s over an earlier report: exit %d\nstderr:\n%s", name, code, stderr)
		}
	}
	for i := 0; i < 2; i++ {
		args := with(run, "--plan", in("plan.json"), "--runbook", in("runbook.ps1"))
		if _, stderr, code := runCmd(t, args...); code != 0 && code != exitPending {
			t.Errorf("pcmig %s (%d): exit %d\nstderr:\n%s", strings.Join(args, " "), i+1, code, stderr)
		}
	}
	// ... and never one of another kind.
	for _, tt := range []struct{ flag, file, want string }{
		{"--plan", "report.json", "not a pcmig plan"},
		{"--report", "plan.json", "not a pcmig report"},
		{"--runbook", "report.html", "not a pcmig runbook"},
	} {
		_, stderr, code := runCmd(t, with(run, tt.flag, in(tt.file))...)
		if code != exitUsage {
			t.Errorf("run %s %s: exit %d, want %d\nstderr:\n%s", tt.flag, tt.file, code, exitUsage, stderr)
		}
		mustContain(t, "stderr", stderr, tt.want)
	}
}

// TestIdentifyOutputKnowsEveryWriter: each writer's own output, HTML and
// JSON, is recognised as its kind and only as its kind, so that a marker
// that drifts in a writer fails here rather than refusing real reports.
func TestIdentifyOutputKnowsEveryWriter(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	var empty exporter.Result
	writers := map[string]struct {
		kind  outputKind
		write func(path string) error
	}{
		"run.html":    {kindReport, func(p string) error { return (&pcrt.Report{Plan: pcrt.NewPlan(false)}).WriteReport(p) }},
		"run.json":    {kindReport, func(p string) error { return (&pcrt.Report{Plan: pcrt.NewPlan(false)}).WriteReport(p) }},
		"export.html": {kindReport, func(p string) error { return report.WriteExport(p, "sqlite:x.db", &empty, nil) }},
		"export.json": {kindReport, func(p string) error { return report.WriteExport(p, "sqlite:x.db", &empty, nil) }},
		"import.json": {kindReport, func(p string) error { return report.WriteImport(p, &importer.Result{}, nil) }},
		"verify.json": {kindReport, func(p string) error { return report.WriteVerify(p, &verify.Result{}, nil) }},
		"plan.json":   {kindPlan, func(p string) error { return pcrt.NewPlan(true).WriteFile(p) }},
		"runbook.ps1": {kindRunbook, func(p string) error { return os.WriteFile(p, runbook.New(runbook.Header{Estate: "x"}).Bytes(), 0o644) }},
	}
	for name, w := range writers {
		if err := w.write(at(name)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, k := range []outputKind{kindReport, kindPlan, kindRunbook} {
			what, ok := identifyOutput(at(name), k)
			if ok != (k == w.kind) {
				t.Errorf("%s as a %s: ok = %v (%s), want %v", name, k, ok, what, k == w.kind)
			}
		}
	}
}
