package bindings_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/lab"
	pcrt "github.com/pcmig/pcmig/runtime"
)

// An import that names hundreds of disabled or deleted principals writes a
// few of them and their number to the console, not one line each; the
// report keeps every one, and --log-level debug prints every one.
func TestImportSummarisesRepeatedWarnings(t *testing.T) {
	t.Parallel()
	dir := newLab(t, lab.Options{Users: 400, Categories: 20, Rooms: 200, Messages: 100, Seed: 2})
	src := `
local export, import = require("export"), require("import")
step("export", function() export.run("source", { file = "a.zip" }) end)
step("import", function()
  local r = import.run("target", { file = "a.zip" })
  local n = 0
  for _, p in ipairs(r.problems) do
    if p.message:find("and named by", 1, true) then n = n + 1 end
  end
  print("inactive", n)
end)
`
	for _, level := range []pcrt.LogLevel{pcrt.LevelInfo, pcrt.LevelDebug} {
		env := newEnv(t, copyDir(t, dir))
		var stdout, stderr bytes.Buffer
		rep, err := pcrt.Run(t.Context(), pcrt.Script{Name: "s.lua", Source: []byte(src)}, pcrt.Options{
			Stdout: &stdout, Stderr: &stderr, Modules: env.Modules(), Now: clock, LogLevel: level,
		})
		if err != nil {
			t.Fatalf("run: %v\n%s", err, stderr.String())
		}
		m := regexp.MustCompile(`inactive\t(\d+)`).FindStringSubmatch(stdout.String())
		if m == nil {
			t.Fatalf("stdout %q has no count", stdout.String())
		}
		n, _ := strconv.Atoi(m[1])
		if n < 10 {
			t.Fatalf("the lab names %d inactive principals; the test needs more than %d", n, pcrt.ConsoleFew+1)
		}
		shown := strings.Count(stderr.String(), "and named by")
		inReport := 0
		for _, w := range rep.Steps[1].Warnings {
			if strings.Contains(w, "and named by") {
				inReport++
			}
		}
		if inReport != n {
			t.Errorf("level %v: the report has %d of the %d warnings", level, inReport, n)
		}
		summary := strconv.Itoa(n) + " disabled or deleted principals in all"
		switch level {
		case pcrt.LevelDebug:
			if shown != n || strings.Contains(stderr.String(), summary) {
				t.Errorf("debug: console shows %d of %d warnings (want all, no summary):\n%s", shown, n, stderr.String())
			}
		default:
			if shown != pcrt.ConsoleFew || !strings.Contains(stderr.String(), summary) {
				t.Errorf("info: console shows %d of %d warnings, want %d and a line with %q:\n%s", shown, n, pcrt.ConsoleFew, summary, stderr.String())
			}
		}
	}
}

// A user directory with many broken rows gives a summary, not a line per
// row. (It holds one valid user: a directory with none is refused.)
func TestUserLoadSummarisesProblems(t *testing.T) {
	t.Parallel()
	dir := newLab(t, smallLab(1))
	var csv strings.Builder
	csv.WriteString("\"SipAddress\",\"RegistrarPool\"\r\n\"sip:ann@contoso.com\",\"fe15.contoso.com\"\r\n")
	for i := range 50 {
		csv.WriteString("\"user" + strconv.Itoa(i) + "@contoso.com\",\"fe15.contoso.com\"\r\n")
	}
	writeFile(t, dir, "broken.csv", csv.String())
	env := newEnv(t, dir)
	var stderr bytes.Buffer
	rep, err := pcrt.Run(t.Context(), pcrt.Script{Name: "s.lua", Source: []byte(`require("user").load("broken.csv")`)},
		pcrt.Options{Stderr: &stderr, Modules: env.Modules(), Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(stderr.String(), "malformed SIP address"); got != pcrt.ConsoleFew {
		t.Errorf("console shows %d problems, want %d:\n%s", got, pcrt.ConsoleFew, stderr.String())
	}
	if !strings.Contains(stderr.String(), "50 rows of") || len(rep.Warnings) != 50 {
		t.Errorf("want a summary of 50 rows and 50 warnings in the report; got %d warnings and:\n%s", len(rep.Warnings), stderr.String())
	}
}

func writeFile(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
