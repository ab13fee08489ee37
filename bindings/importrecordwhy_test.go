package bindings_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	pcrt "github.com/pcmig/pcmig/runtime"
)

// TestImportRecordSaysWhyThereIsNone: import.record returns nil and, as a
// second result, which case it is: "no journal" (the journal removed),
// "unfinished import" (a journal recording no categories or rooms),
// "another archive" (the journal there of another archive, as after a
// newer export to the same file) and "no
// archive" (the archive gone); with a record, the record alone.
func TestImportRecordSaysWhyThereIsNone(t *testing.T) {
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
		return stdout.String()
	}
	runLua("import.lua", `
local export, import = require("export"), require("import")
export.run("source", { file = "out/all.zip" })
import.run("target", { file = "out/all.zip" })
`)
	record := func(what, want string) {
		t.Helper()
		got := runLua("record.lua", `
local rec, why = require("import").record("target", { file = "out/all.zip" })
print(select("#", require("import").record("target", { file = "out/all.zip" })), rec ~= nil, why)
`)
		if got != want {
			t.Errorf("%s: import.record gave %q, want %q", what, got, want)
		}
	}
	record("imported", "1\ttrue\tnil\n")

	journals, err := filepath.Glob(filepath.Join(dir, "out", "all.zip.import-*.json"))
	if err != nil || len(journals) != 1 {
		t.Fatalf("import journals %q (%v), want one", journals, err)
	}
	saved, err := os.ReadFile(journals[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(journals[0]); err != nil {
		t.Fatal(err)
	}
	record("journal removed", "2\tfalse\tno journal\n")

	var d map[string]any
	if err := json.Unmarshal(saved, &d); err != nil {
		t.Fatal(err)
	}
	delete(d, "outcomes")
	delete(d, "checksum")
	unfinished, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(journals[0], sealImportJournal(unfinished), 0o600); err != nil {
		t.Fatal(err)
	}
	record("journal without outcomes", "2\tfalse\tunfinished import\n")

	if err := os.WriteFile(journals[0], saved, 0o600); err != nil {
		t.Fatal(err)
	}
	record("journal put back", "1\ttrue\tnil\n")
	// The journal of another archive written to the same file (the archive
	// is told by its manifest: creation time and counts).
	if err := json.Unmarshal(saved, &d); err != nil {
		t.Fatal(err)
	}
	d["archive"] = "2020-01-02T03:04:05Z another export"
	d["archive_id"] = "sha256:another export"
	delete(d, "checksum")
	other, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(journals[0], sealImportJournal(other), 0o600); err != nil {
		t.Fatal(err)
	}
	record("journal of another archive", "2\tfalse\tanother archive\n")

	if err := os.Remove(filepath.Join(dir, "out", "all.zip")); err != nil {
		t.Fatal(err)
	}
	record("archive gone", "2\tfalse\tno archive\n")
	if !strings.Contains(string(saved), `"outcomes"`) {
		t.Errorf("the journal has no outcomes to remove:\n%s", saved)
	}
}

// sealImportJournal gives an edited import journal body (a JSON object
// without its checksum member) the checksum pcmig puts in front of it
// (importer's seal), as a test must to reach what it checks behind it.
func sealImportJournal(body []byte) []byte {
	sum := sha256.Sum256(body)
	return append([]byte(`{"checksum":"sha256:`+hex.EncodeToString(sum[:])+`",`), body[1:]...)
}
