package scripts

import (
	"regexp"
	"strings"
	"testing"

	pcrt "github.com/pcmig/pcmig/runtime"
)

// TestImportRecordHasOneHome: what an import did with a source's
// categories (import.record, and the refusal to guess by name when the
// record is gone) is read in one shared module, common/imported.lua, that
// both bundled scripts require; no script reads import.record itself.
// The module says at its top how a script loads it and how to change it.
func TestImportRecordHasOneHome(t *testing.T) {
	const module = "common/imported.lua"
	if got := Modules(); len(got) != 1 || got[0] != module {
		t.Fatalf("Modules() = %q, want [%s]", got, module)
	}
	src, ok := Read(module)
	if !ok {
		t.Fatalf("Read(%q) found nothing", module)
	}
	if err := pcrt.Compile(module, src); err != nil {
		t.Fatalf("%s does not compile: %v", module, err)
	}
	head := string(src[:strings.Index(string(src), "\nlocal ")])
	for _, want := range []string{`require("common.imported")`, "pcmig scripts show common/imported", "under another name"} {
		if !strings.Contains(head, want) {
			t.Errorf("%s's header does not say %q:\n%s", module, want, head)
		}
	}
	if !strings.Contains(string(src), "import.record(") {
		t.Errorf("%s does not read import.record", module)
	}
	record := regexp.MustCompile(`\bimport\.record\s*\(`)
	for _, name := range Names() {
		b, _ := Read(name)
		if !strings.Contains(string(b), `require("common.imported")`) {
			t.Errorf("%s does not require common.imported", name)
		}
		if loc := record.FindIndex(b); loc != nil {
			t.Errorf("%s reads import.record itself (line %d): use common/imported.lua", name, 1+strings.Count(string(b[:loc[0]]), "\n"))
		}
	}
}
