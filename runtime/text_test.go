package runtime

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const bom = "\xEF\xBB\xBF"

// TestByteOrderMark checks that scripts and modules saved with a UTF-8
// byte order mark (as Windows editors do) run, validate and compile, with
// their line numbers unchanged.
func TestByteOrderMark(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "lib", "helper.lua"), []byte(bom+"return { answer = 42 }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := bom + "local h = require(\"lib.helper\")\nprint(h.answer)\n"
	r := runSource(t, context.Background(), src, dir, Options{})
	if r.err != nil || r.stdout != "42\n" {
		t.Fatalf("Run() = %q, %v; want 42", r.stdout, r.err)
	}
	script := Script{Name: "migrate.lua", Source: []byte(src), Dir: dir}
	if err := Validate(script, Options{}); err != nil {
		t.Errorf("Validate() = %v", err)
	}
	if err := Compile("migrate.lua", []byte(src)); err != nil {
		t.Errorf("Compile() = %v", err)
	}
	r = runSource(t, context.Background(), bom+"\nerror(\"line two\")\n", dir, Options{})
	if r.err == nil || r.err.Error() != "migrate.lua:2: line two" {
		t.Errorf("error = %v, want it on line 2", r.err)
	}
}

// TestStepNamesAreEscaped checks that control and invisible characters in
// a step's name reach neither the terminal nor the report page or the
// journal raw (they could move the cursor, clear the screen or turn text
// around); the report itself (its JSON) keeps the real name.
func TestStepNamesAreEscaped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.json")
	src := "step(\"evil\\27[2J\\226\\128\\174txt.exe\\nnext\", function() end)\n"
	const want = `evil\u001B[2J\u202Etxt.exe\nnext`
	const raw = "evil\x1b[2J\u202etxt.exe\nnext"
	for _, resume := range []bool{false, true} {
		r := runSource(t, context.Background(), src, "", Options{Journal: path, Resume: resume})
		if r.err != nil {
			t.Fatal(r.err)
		}
		if strings.ContainsAny(r.stdout, "\x1b\u202e") || !strings.Contains(r.stdout, "== Step 1: "+want+" ==\n") {
			t.Errorf("stdout = %q, want the header with %q", r.stdout, want)
		}
		// The report keeps the real name (its JSON escapes it); its page
		// shows it escaped.
		if len(r.rep.Steps) != 1 || r.rep.Steps[0].Name != raw {
			t.Errorf("report steps = %+v, want one named %q", r.rep.Steps, raw)
		}
		var page strings.Builder
		if err := r.rep.WriteHTML(&page); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(page.String(), "\x1b\u202e") || !strings.Contains(page.String(), want) {
			t.Errorf("the report page does not show the name escaped")
		}
		// Resumed, the step reports the result of the run that finished it.
		if len(r.rep.Steps) == 1 && (r.rep.Steps[0].Status != StatusDone || r.rep.Steps[0].EarlierRun != resume) {
			t.Errorf("resume %v: status %q, earlier run %v; want done, %v", resume, r.rep.Steps[0].Status, r.rep.Steps[0].EarlierRun, resume)
		}
	}
	if j := readJournalFile(t, path); len(j.Steps) != 1 || j.Steps[0].Name != want {
		t.Errorf("journal steps = %+v, want one named %q", j.Steps, want)
	}
}

// readJournalFile reads the journal a run wrote.
func readJournalFile(t *testing.T, path string) journalData {
	t.Helper()
	var j journalData
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &j); err != nil {
		t.Fatal(err)
	}
	return j
}
