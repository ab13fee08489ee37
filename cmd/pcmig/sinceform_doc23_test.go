package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestSinceErrorNamesTheDocumentedForms: a --since pcmig cannot read is
// refused naming the forms the documents give (estate.md: "YYYY-MM-DD" or
// "YYYY-MM-DDTHH:MM:SSZ", UTC), as the estate's own check does. pcmig
// export said "want 2006-01-02 or 2006-01-02T15:04:05Z", Go's layout
// notation, which reads as two dates.
func TestSinceErrorNamesTheDocumentedForms(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	_, stderr := mustRun(t, 64, "export", "--db", "sqlite:"+filepath.Join(dir, "source-2015.db"),
		"--file", filepath.Join(dir, "s.zip"), "--since", "2024-13-01")
	if !strings.Contains(stderr, `"YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ"`) || strings.Contains(stderr, "2006") {
		t.Errorf("export --since 2024-13-01: %q, want the forms YYYY-MM-DD and YYYY-MM-DDTHH:MM:SSZ", stderr)
	}
	help, _ := mustRun(t, 0, "export", "--help")
	if strings.Contains(help, "2006-01-02") {
		t.Errorf("export --help gives --since's form as Go's layout 2006-01-02:\n%s", help)
	}
}
