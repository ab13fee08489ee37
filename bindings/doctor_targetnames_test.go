package bindings_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	pcrt "github.com/pcmig/pcmig/runtime"
)

// TestDoctorSourceNamesAsTheTarget: doctor.check of an estate's source
// compares its names also as the estate's target compares them (the
// import does), and says which collation that was; when the target cannot
// be opened, the source's own check is made and its report is still
// returned. (The names that only the target holds as one need a
// case-sensitive source: store's TestBundledScriptsDoctorNamesAsTheTarget.)
func TestDoctorSourceNamesAsTheTarget(t *testing.T) {
	t.Parallel()
	dir := newLab(t, smallLab(1))
	const script = `
local doctor = require("doctor")
for _, c in ipairs(doctor.check("source").checks) do
  if c.check == "names" then print("names: " .. c.status .. " " .. c.message) end
end
`
	run := func() string {
		t.Helper()
		env := newEnv(t, dir)
		var out bytes.Buffer
		if _, err := pcrt.Run(t.Context(), pcrt.Script{Name: "doctor.lua", Source: []byte(script)},
			pcrt.Options{Modules: env.Modules(), Stdout: &out, Stderr: &out, Now: clock}); err != nil {
			t.Fatalf("the script failed: %v\n%s", err, out.String())
		}
		return out.String()
	}
	out := run()
	if !strings.Contains(out, "names: OK ") || !strings.Contains(out, "and as the target does, whose names compare as embedded (case-insensitive, accent-sensitive)") {
		t.Errorf("the source's names line does not name the target's collation:\n%s", out)
	}
	if err := os.Rename(filepath.Join(dir, "target-2019.db"), filepath.Join(dir, "moved.db")); err != nil {
		t.Fatal(err)
	}
	out = run()
	if !strings.Contains(out, "names: OK ") || strings.Contains(out, "as the target does") {
		t.Errorf("without a target, the source's names line is not its own:\n%s", out)
	}
}
