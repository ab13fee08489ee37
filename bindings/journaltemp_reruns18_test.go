package bindings_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	pcrt "github.com/pcmig/pcmig/runtime"
)

// TestImportRunSaysItRemovedAKilledJournalSave: a script's import.run
// whose journal's last save was killed (its temporary file left and
// recorded beside the journal) removes that file at its first save and
// says so in the log, as pcmig import does. Before, it was removed
// without a word.
func TestImportRunSaysItRemovedAKilledJournalSave(t *testing.T) {
	t.Parallel()
	dir := newLab(t, smallLab(1))
	env := newEnv(t, dir)
	defer closeEnv(t, env)
	runLua := func(name, script string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if _, err := pcrt.Run(t.Context(), pcrt.Script{Name: name, Source: []byte(script)}, pcrt.Options{
			Stdout: &stdout, Stderr: &stderr, Modules: env.Modules(), Now: clock,
		}); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, stderr.String())
		}
		return stdout.String() + stderr.String()
	}
	runLua("export.lua", `require("export").run("source", { file = "out/all.zip" })`)
	runLua("import.lua", `require("import").run("target", { file = "out/all.zip" })`)
	journals, err := filepath.Glob(filepath.Join(dir, "out", "all.zip.import-*.json"))
	if err != nil || len(journals) != 1 {
		t.Fatalf("import journals %q (%v), want one", journals, err)
	}
	journal := journals[0]
	left := filepath.Join(filepath.Dir(journal), "."+filepath.Base(journal)+".tmp-4242")
	if err := os.WriteFile(left, []byte(`{"archive":`), 0o644); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	line := `{"file":` + strconv.Quote(left) + `,"pid":999999999,"host":` + strconv.Quote(host) + "}\n"
	if err := os.WriteFile(filepath.Join(filepath.Dir(journal), "."+filepath.Base(journal)+".pcmig-temporaries.jsonl"), []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	got := runLua("import.lua", `require("import").run("target", { file = "out/all.zip" })`)
	if want := "Removed " + left + ", the temporary file of an import that was stopped while it saved its journal."; !strings.Contains(got, want) {
		t.Errorf("the rerun's log:\n%s\nwant %q", got, want)
	}
	if _, err := os.Lstat(left); !os.IsNotExist(err) {
		t.Errorf("the killed save's temporary file is still there: %v", err)
	}
}
