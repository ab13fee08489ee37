package verify_test

import (
	"strings"
	"testing"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/verify"
)

// TestScopeNoteNamesTheSourcesCategories: an export whose scope names a
// category in another letter case (a routes file's "engineering", found by
// the source's name comparison) was reconciled with the note "the export
// took only the categories engineering", a name the source does not show
// anywhere. The note now names the category as the source has it.
func TestScopeNoteNamesTheSourcesCategories(t *testing.T) {
	t.Parallel()
	m := newMigration(t)
	m.export(t, exporter.Options{Scope: []string{"ENGINEERING"}})
	m.importArchive(t, importer.Options{})
	r := m.verify(t, verify.Options{})
	wantEqual(t, r)
	notes := strings.Join(r.Notes, "\n")
	if !strings.Contains(notes, "the export took only the categories Engineering;") || strings.Contains(notes, "ENGINEERING") {
		t.Errorf("notes %q do not name the source's category Engineering", r.Notes)
	}
}
