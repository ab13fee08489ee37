package archive

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/atomicfile"
)

// killEnv, in this test binary's environment, makes TestMain an export
// that kills itself as it is told of one of its temporary files
// (killedExport).
const killEnv = "ARCHIVE_TEST_KILL_AT"

func TestMain(m *testing.M) {
	if at := os.Getenv(killEnv); at != "" {
		killedExport(at, os.Getenv(killEnv+"_PATH"))
		os.Exit(3) // the kill did not come
	}
	os.Exit(m.Run())
}

// killedExport writes an archive to path, its temporary files recorded in
// the ledger beside path as an export records them, and kills its own
// process (SIGKILL) when Created is told of the file at names (".partial-"
// or ".rooms-"), before it records it.
func killedExport(at, path string) {
	l, _ := atomicfile.BesideLedger(path)
	w, err := Create(path, WriterOptions{Created: func(tmp string) error {
		if strings.Contains(filepath.Base(tmp), at) {
			p, _ := os.FindProcess(os.Getpid())
			p.Kill()
			select {}
		}
		return l.Record(tmp)
	}})
	if err != nil {
		return
	}
	rec := testRecords()
	for _, p := range rec.Principals {
		w.AddPrincipal(p)
	}
	for _, c := range rec.Categories {
		w.AddCategory(c)
	}
	for _, a := range rec.Addins {
		w.AddAddin(a)
	}
	for _, r := range rec.Rooms {
		w.AddRoom(r)
	}
}

// TestExportKilledAsItRecordsATemporaryFileLeavesNothingForGood: an export
// killed (a real SIGKILL) as it is told of its archive's temporary file,
// or of its rooms spool, before it records it, leaves nothing that the
// next sweep of its ledger does not remove. Before, each file was made
// first and recorded after: a kill between left a file as large as the
// archive that no ledger named, for good.
func TestExportKilledAsItRecordsATemporaryFileLeavesNothingForGood(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("an ended process is told apart here on Linux")
	}
	for _, at := range []string{".partial-", ".rooms-"} {
		t.Run(at, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "a.zip")
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), killEnv+"="+at, killEnv+"_PATH="+path)
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != -1 {
				t.Fatalf("the export was not killed: %v", err)
			}
			l, ok := atomicfile.BesideLedger(path)
			if !ok {
				t.Fatal("the ledger beside the archive is not one")
			}
			if _, err := l.Sweep(); err != nil {
				t.Fatal(err)
			}
			ents, _ := os.ReadDir(dir)
			var names []string
			for _, e := range ents {
				names = append(names, e.Name())
			}
			if len(names) != 0 {
				t.Errorf("after the kill and the sweep the folder holds %v; want nothing", names)
			}
		})
	}
}
