package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCopiedScriptWithOwnBundledModule: an administrator copies
// migrate.lua into a folder of their own. It still finds the bundled
// common/imported.lua. A copy of that module beside it with the bundled
// text (saved with Windows line endings) changes nothing; a customised one
// is not passed over in silence (the bundled module is found first):
// validate and run refuse, naming the file and what to do.
func TestCopiedScriptWithOwnBundledModule(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "migrate.lua")
	src, _ := mustRun(t, 0, "scripts", "show", "migrate")
	if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, 0, "validate", script)

	mod, _ := mustRun(t, 0, "scripts", "show", "common/imported")
	own := filepath.Join(dir, "common", "imported.lua")
	if err := os.MkdirAll(filepath.Dir(own), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(own, []byte(strings.ReplaceAll(mod, "\n", "\r\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, 0, "validate", script)

	custom := strings.Replace(mod, `if c.action ~= "skip" then`, `if c.action ~= "skip" and c.name ~= "Archive" then`, 1)
	if custom == mod {
		t.Fatal("the bundled module changed: the test's customisation no longer applies")
	}
	if err := os.WriteFile(own, []byte(custom), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr := mustRun(t, 1, "validate", script)
	for _, want := range []string{own, "require: conflict: ", "common/imported.lua is bundled", "my_imported.lua"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("validate's error does not say %q:\n%s", want, stderr)
		}
	}
}
