package importer_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/importer"
)

// TestProblemsShortenOverlongNames: a name far over any column's length
// (the format allows a record line of 64 MiB) is shortened where a problem
// names it: a hand-made archive's category of a megabyte's name put the
// megabyte on the console (pcmig import printed a 1,048,932-byte line)
// and in the report, twice for a room naming a missing category so.
func TestProblemsShortenOverlongNames(t *testing.T) {
	t.Parallel()
	e := newEstate(t)
	r := validRecords()
	long := strings.Repeat("x", 1<<20)
	r.categories[0].Name, r.rooms[0].Category = long, long
	r.rooms[1].Category = strings.Repeat("y", 1<<20) // not in the archive
	path := filepath.Join(e.dir, "handmade.zip")
	writeArchive(t, path, r)
	before := readFile(t, e.target)
	res, err := importInto(t, e.target, path, importer.Options{})
	if !errors.Is(err, importer.ErrValidation) {
		t.Fatalf("Import: %v, want ErrValidation", err)
	}
	if len(res.Problems) < 2 {
		t.Fatalf("problems %d, want the long category and the missing one", len(res.Problems))
	}
	for _, p := range res.Problems {
		if len(p.Object) > 400 || len(p.Message) > 600 {
			t.Errorf("problem of %d+%d bytes: %.120s ... %.120s", len(p.Object), len(p.Message), p.Object, p.Message)
		}
		if !strings.Contains(p.Object+p.Message, "1,048,576 characters") {
			t.Errorf("problem %.120s: %.200s does not say how long the name is", p.Object, p.Message)
		}
	}
	if !bytes.Equal(before, readFile(t, e.target)) {
		t.Error("a refused import changed the target")
	}
}
