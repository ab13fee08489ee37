package bindings_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/lab"
	pcrt "github.com/pcmig/pcmig/runtime"
)

// export.run and import.run say where they are: each phase, the structure
// phase included, and the messages by tenths, not line by line.
func TestTransferProgress(t *testing.T) {
	t.Parallel()
	dir := newLab(t, lab.Options{Users: 40, Categories: 4, Rooms: 30, Messages: 3000, Seed: 4})
	env := newEnv(t, dir)
	var stderr bytes.Buffer
	src := `require("export").run("source", { file = "a.zip" }) require("import").run("target", { file = "a.zip" })`
	if _, err := pcrt.Run(t.Context(), pcrt.Script{Name: "s.lua", Source: []byte(src)}, pcrt.Options{
		Stderr: &stderr, Modules: env.Modules(), Now: clock,
	}); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	log := stderr.String()
	for _, want := range []string{"INFO export: structure\n", "INFO export: messages", "INFO import: structure\n", "INFO import: messages"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log has no %q:\n%s", want, log)
		}
	}
	if n := strings.Count(log, "INFO import: messages"); n > 12 {
		t.Errorf("%d progress lines for the import's messages, want at most 12:\n%s", n, log)
	}
}
