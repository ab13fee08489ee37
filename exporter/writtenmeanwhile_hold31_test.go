package exporter_test

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/store"
)

// TestExportRefusedWhenWrittenWhileItReads: another connection (as another
// process would, an import begun after the export opened the database)
// commits a change to the source after the export has read its structure
// and before it writes the archive. The archive would mix the pool before
// and after that write: the export refuses, saying so, and leaves no
// archive. Before, it wrote the archive and returned no error. Without the
// write the same export goes through.
func TestExportRefusedWhenWrittenWhileItReads(t *testing.T) {
	for _, write := range []bool{false, true} {
		dir, path := newSource(t)
		s := open(t, path, true)
		arc := filepath.Join(dir, "pchat.zip")
		wrote := false
		progress := func(p exporter.Progress) {
			if !write || wrote || p.Phase != "structure" {
				return
			}
			wrote = true
			db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(`UPDATE tblNode SET nodeDesc = 'changed meanwhile' WHERE nodeID = (SELECT MAX(nodeID) FROM tblNode)`); err != nil {
				t.Fatal(err)
			}
		}
		_, err := exporter.Export(ctx, s, arc, exporter.Options{Progress: progress})
		if !write {
			if err != nil {
				t.Fatalf("export without a write meanwhile: %v", err)
			}
			continue
		}
		if !wrote {
			t.Fatal("the export never reported its structure phase")
		}
		if !errors.Is(err, store.ErrWrittenMeanwhile) || !strings.Contains(err.Error(), "mixes the pool before and after those writes") ||
			!strings.Contains(err.Error(), "the archive "+arc+" is not written") {
			t.Errorf("export written meanwhile: %v, want it refused", err)
		}
		if _, serr := os.Stat(arc); !errors.Is(serr, os.ErrNotExist) {
			t.Errorf("the refused export left its archive (%v)", serr)
		}
	}
}
