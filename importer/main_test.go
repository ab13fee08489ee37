package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/store"
)

var ctx = context.Background()

// labOptions is the estate every test starts from: small enough to build
// in about a second, with every kind of object the lab writes.
var labOptions = lab.Options{Messages: 3000, Seed: 42}

// template is the folder holding the lab estate built once for the
// package; tests copy its databases.
var template string

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		os.Exit(m.Run())
	}
	labtest.Main(m, labOptions, &template)
}

// estate is one test's copy of the lab: the 2015 source and the empty 2019
// target, and where the test's archive goes.
type estate struct {
	dir, source, target, archive string
}

func newEstate(t *testing.T) estate {
	t.Helper()
	dir := t.TempDir()
	e := estate{dir: dir, source: filepath.Join(dir, "source-2015.db"), target: filepath.Join(dir, "target-2019.db"),
		archive: filepath.Join(dir, "archive", "pchat-2015.zip")}
	labtest.CopyFile(t, filepath.Join(template, "source-2015.db"), e.source)
	labtest.CopyFile(t, filepath.Join(template, "target-2019.db"), e.target)
	return e
}

// open opens an embedded database for the duration of the test.
func open(t *testing.T, path string, readOnly bool) *store.Store {
	t.Helper()
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, ReadOnly: readOnly})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// export writes the estate's archive from its source at level All.
func (e estate) export(t *testing.T, opts exporter.Options) *exporter.Result {
	t.Helper()
	s := open(t, e.source, true)
	res, err := exporter.Export(ctx, s, e.archive, opts)
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	return res
}

// importInto runs one import into the estate's target, with its own
// connection so that each run starts as a fresh process would.
func importInto(t *testing.T, target, archive string, opts importer.Options) (*importer.Result, error) {
	t.Helper()
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + target, ReadOnly: opts.DryRun})
	if err != nil {
		t.Fatal(err)
	}
	res, err := importer.Import(ctx, s, archive, opts)
	if cerr := s.Close(); cerr != nil {
		t.Fatal(cerr)
	}
	return res, err
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
