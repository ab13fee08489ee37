package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// addTargetCategory gives the lab's target a category of its own (no
// allowed members, no creators) before any migration, as a pool in use
// has, by running a small script against the estate.
func addTargetCategory(t *testing.T, est, name string) {
	t.Helper()
	script := filepath.Join(est, "own-category.lua")
	writeFile(t, script, `require("category").create("target", { name = "`+name+`", description = "the target's own" })`+"\n")
	mustRun(t, 0, "run", "--estate", filepath.Join(est, "estate.lua"), script)
	// The migration that follows is the estate's first.
	if err := os.RemoveAll(filepath.Join(est, ".pcmig")); err != nil {
		t.Fatal(err)
	}
}

// targetCreators lists the creators of every category of the target, one
// line per category ("NAME: uri,uri"), read through a script.
func targetCreators(t *testing.T, est string) map[string]string {
	t.Helper()
	script := filepath.Join(est, "list-creators.lua")
	writeFile(t, script, `local category = require("category")
for _, c in ipairs(category.list("target")) do
  print("creators " .. c.name .. ": " .. table.concat(c.creators, ","))
end
`)
	stdout, _ := mustRun(t, 0, "run", "--estate", filepath.Join(est, "estate.lua"), "--fresh", script)
	out := map[string]string{}
	for _, line := range strings.Split(stdout, "\n") {
		if rest, ok := strings.CutPrefix(line, "creators "); ok {
			name, list, _ := strings.Cut(rest, ": ")
			out[name] = list
		}
	}
	return out
}

// The bundled migration touches and checks only the categories it
// migrated: a category the target had before is left alone (no creators
// added, not required to have one), and the run finishes.
func TestRunLeavesTheTargetsOwnCategoriesAlone(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	addTargetCategory(t, est, "Legacy")
	stdout, stderr := mustRun(t, 0, "run", "--estate", filepath.Join(est, "estate.lua"))
	checkStepHeaders(t, stdout, migrateSteps(t), "done in")
	if strings.Contains(stderr, `category "Legacy"`) {
		t.Errorf("the run warned about the target's own category Legacy:\n%s", stderr)
	}
	mustContain(t, "run output", stdout, "1 category of the target's own was left alone")
	creators := targetCreators(t, est)
	if got, ok := creators["Legacy"]; !ok || got != "" {
		t.Errorf("target category Legacy: creators %q (present %v), want it kept with none", got, ok)
	}
	for name, list := range creators {
		if name != "Legacy" && !strings.Contains(list, "sip:pcadmin@contoso.com") {
			t.Errorf("migrated category %q: creators %q lack the estate's [\"*\"] creator", name, list)
		}
	}
}

// With on_conflict = "rename" the source's Finance arrives as "Finance
// (imported)": its creators go there, not to the target's own Finance, in
// a dry run, and in a resumed run whose import step was skipped (the
// import's journal says what it renamed).
func TestRunRenamedCategoryGetsTheCreators(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	estFile := filepath.Join(est, "estate.lua")
	src := string(readFile(t, estFile))
	if !strings.Contains(src, `on_conflict = "merge"`) {
		t.Fatalf("lab estate has no on_conflict line:\n%s", src)
	}
	writeFile(t, estFile, strings.Replace(src, `on_conflict = "merge"`, `on_conflict = "rename"`, 1))
	addTargetCategory(t, est, "Finance")
	// Neither "not allowed" creators nor differences of the target's own
	// Finance, which the import left alone.
	quiet := func(what, stderr string) {
		t.Helper()
		if strings.Contains(stderr, `category "Finance":`) || strings.Contains(stderr, `category "Finance" differs`) {
			t.Errorf("%s warned about the target's own Finance:\n%s", what, stderr)
		}
	}
	stdout, stderr := mustRun(t, exitPending, "run", "--estate", estFile, "--dry-run")
	checkStepHeaders(t, stdout, migrateSteps(t), "done in")
	quiet("the dry run", stderr)

	// The run stops at step 3 (stopAtFileCopy), after the import; the
	// resumed run finishes.
	restore := stopAtFileCopy(t, est)
	stdout, stderr = mustRun(t, 1, "run", "--estate", estFile)
	mustContain(t, "run output", stdout, `duplicate category "Finance": renamed to "Finance (imported)"`)
	quiet("the stopped run", stderr)
	restore()
	stdout, stderr = mustRun(t, 0, "run", "--estate", estFile, "--resume")
	mustContain(t, "resumed run output", stdout, "import into the target pool ==\n   skipped")
	quiet("the resumed run", stderr)

	creators := targetCreators(t, est)
	if got := creators["Finance"]; got != "" {
		t.Errorf("the target's own Finance got creators %q, want none", got)
	}
	got := creators["Finance (imported)"]
	for _, want := range []string{"sip:rosa.fernandez@contoso.com", "sip:pcadmin@contoso.com"} {
		if !strings.Contains(got, want) {
			t.Errorf("Finance (imported): creators %q lack %s", got, want)
		}
	}
}

// A resumed run whose import journal is gone cannot tell, under
// on_conflict = "rename", the migrated category from the target's own of
// the same name (the source's Finance arrived as "Finance (imported)"). It
// must not guess by name: it stops with an error that says what is gone
// and how to recover, writing nothing to the target's own Finance. The
// recovery it names (import the archive again, which recognises what the
// earlier import wrote and writes the journal again) lets --resume finish.
func TestRunWithoutImportRecordDoesNotGuess(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	estFile := filepath.Join(est, "estate.lua")
	src := string(readFile(t, estFile))
	writeFile(t, estFile, strings.Replace(src, `on_conflict = "merge"`, `on_conflict = "rename"`, 1))
	// The target's own category, in another case (names match in any case).
	addTargetCategory(t, est, "finance")

	restore := stopAtFileCopy(t, est)
	stdout, _ := mustRun(t, 1, "run", "--estate", estFile)
	mustContain(t, "run output", stdout, `renamed to "Finance (imported)"`)
	restore()
	journals, err := filepath.Glob(filepath.Join(est, "archive", "*.import-*.json"))
	if err != nil || len(journals) == 0 {
		t.Fatalf("no import journal beside the archive (%v)", err)
	}
	for _, j := range journals {
		if err := os.Remove(j); err != nil {
			t.Fatal(err)
		}
	}

	stdout, stderr := mustRun(t, 1, "run", "--estate", estFile, "--resume")
	mustContain(t, "resumed run", stdout+stderr, "the record of the import", "is gone", `on_conflict = "rename"`, "pcmig import", "--resume")
	// Read through an estate with another state folder, leaving the
	// stopped run's journal alone.
	reader := filepath.Join(est, "reader.lua")
	writeFile(t, reader, strings.Replace(src, `state = ".pcmig"`, `state = ".pcmig-reader"`, 1))
	script := filepath.Join(est, "finance-creators.lua")
	writeFile(t, script, `print("creators: " .. table.concat(require("category").get("target", "finance").creators, ","))`+"\n")
	stdout, _ = mustRun(t, 0, "run", "--estate", reader, script)
	mustContain(t, "the target's own finance", stdout, "creators: \n")

	// The recovery the error names.
	mustRun(t, 0, "import", "--db", "sqlite:"+filepath.Join(est, "target-2019.db"),
		"--file", filepath.Join(est, "archive", "pchat-2015.zip"), "--on-conflict", "rename")
	stdout, _ = mustRun(t, 0, "run", "--estate", estFile, "--resume")
	mustContain(t, "resumed run", stdout, "reconcile the target with the source ==")
	creators := targetCreators(t, est)
	if got := creators["finance"]; got != "" {
		t.Errorf("the target's own finance got creators %q, want none", got)
	}
	if got := creators["Finance (imported)"]; !strings.Contains(got, "sip:pcadmin@contoso.com") {
		t.Errorf("Finance (imported): creators %q lack the estate's creator", got)
	}
}

// Step 6 names a renamed category that is missing in the target by both
// names: the source's, and the one the import gave it.
func TestRunMissingRenamedCategoryNamedByBothNames(t *testing.T) {
	t.Parallel()
	est, estFile, src := renameRunStoppedAtFileCopy(t, "Finance")
	// The renamed category is renamed again behind the run's back (through
	// an estate with another state folder: the stopped run's journal stays).
	reader := filepath.Join(est, "reader.lua")
	writeFile(t, reader, strings.Replace(src, `state = ".pcmig"`, `state = ".pcmig-reader"`, 1))
	script := filepath.Join(est, "rename.lua")
	writeFile(t, script, `require("category").update("target", "Finance (imported)", { new_name = "Elsewhere" })`+"\n")
	mustRun(t, 0, "run", "--estate", reader, script)

	_, stderr := mustRun(t, 1, "run", "--estate", estFile, "--resume")
	mustContain(t, "resumed run", stderr, `category "Finance", imported as "Finance (imported)", is missing in pchat19.contoso.com`)
}

// stopAtFileCopy makes a lab estate's run stop at step 3 "copy the
// uploaded files", after the export and the import: a file stands in the
// target's file store where the folder of a source file goes, so the copy
// cannot make the folder (the doctor's "uploaded file names" line, which
// fails on a folder where a source file goes, as on any target entry that
// the copy would replace, does not look at the folders above the files).
// restore takes the file away.
func stopAtFileCopy(t *testing.T, est string) (restore func()) {
	t.Helper()
	src := filepath.Join(est, "filestore-2015")
	var rel string
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err == nil && rel == "" && d.Type().IsRegular() {
			rel, err = filepath.Rel(src, p)
		}
		return err
	})
	if err != nil || rel == "" {
		t.Fatalf("no file in the source's file store (%v)", err)
	}
	first, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
	block := filepath.Join(est, "filestore-2019", first)
	if err := os.MkdirAll(filepath.Dir(block), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, block, "not a folder")
	return func() {
		t.Helper()
		if err := os.Remove(block); err != nil {
			t.Fatal(err)
		}
	}
}

// renameRunStoppedAtFileCopy makes a lab estate with on_conflict = "rename"
// and a target category named category (so the import renames the
// source's), runs it until it stops at the file copy, and returns the
// estate's folder, its estate file and the file's text before the change.
func renameRunStoppedAtFileCopy(t *testing.T, category string) (est, estFile, src string) {
	t.Helper()
	est = labEstate(t, "--messages", "200")
	estFile = filepath.Join(est, "estate.lua")
	src = string(readFile(t, estFile))
	writeFile(t, estFile, strings.Replace(src, `on_conflict = "merge"`, `on_conflict = "rename"`, 1))
	addTargetCategory(t, est, category)
	restore := stopAtFileCopy(t, est)
	mustRun(t, 1, "run", "--estate", estFile)
	restore()
	return est, estFile, src
}
