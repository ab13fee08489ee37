package report

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/atomicfile"
	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/verify"
)

// TestReportWritersTellTheirTemporaryFile: each report writer tells its
// caller's ledger of its temporary file (.NAME.tmp-DIGITS beside the
// report) before it is made, so that a kill at any moment before the
// rename leaves a recorded file the next run removes. Before, a report's
// temporary file could not be recorded.
func TestReportWritersTellTheirTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	for name, write := range map[string]func(path string, created func(string) error) error{
		"export.json": func(p string, c func(string) error) error {
			return WriteExport(p, "sqlite:x.db", &exporter.Result{}, c)
		},
		"import.html": func(p string, c func(string) error) error { return WriteImport(p, &importer.Result{}, c) },
		"verify.json": func(p string, c func(string) error) error { return WriteVerify(p, &verify.Result{}, c) },
	} {
		path := filepath.Join(dir, name)
		var told []string
		err := write(path, func(tmp string) error {
			if _, err := os.Lstat(tmp); !os.IsNotExist(err) {
				t.Errorf("%s: told of %s once it was there: %v", name, tmp, err)
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("%s: told of its temporary file after the report was in place", name)
			}
			told = append(told, tmp)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(told) != 1 || filepath.Dir(told[0]) != dir || !atomicfile.IsTemp(filepath.Base(told[0])) {
			t.Errorf("%s: told %v; want its one temporary file beside it", name, told)
		}
	}
}
