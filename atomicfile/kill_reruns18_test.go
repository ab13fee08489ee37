package atomicfile

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// killEnv, in this test binary's environment, makes TestMain a writer
// that kills itself at the point it names (killedWriter).
const killEnv = "ATOMICFILE_TEST_KILL_AT"

func TestMain(m *testing.M) {
	if at := os.Getenv(killEnv); at != "" {
		killedWriter(at, os.Getenv(killEnv+"_PATH"))
		os.Exit(3) // the kill did not come
	}
	os.Exit(m.Run())
}

// killedWriter writes "new" to path, its temporary file recorded in the
// ledger beside path, and kills its own process (SIGKILL: no deferred
// function, no cleanup) at:
//   - "record": when told of the temporary file, before recording it;
//   - "recorded": when told of it, right after recording it;
//   - "data": while the data is prepared (an Option), the temporary file
//     being there;
//   - "save": in WriteRecorded (an import journal's save), while the data
//     is prepared.
func killedWriter(at, path string) {
	kill := func() {
		p, _ := os.FindProcess(os.Getpid())
		p.Kill()
		select {}
	}
	l, _ := BesideLedger(path)
	record := func(tmp string) error {
		if at == "record" {
			kill()
		}
		if err := l.Record(tmp); err != nil {
			return err
		}
		if at == "recorded" {
			kill()
		}
		return nil
	}
	killing := func(b []byte) []byte {
		if at == "data" || at == "save" {
			kill()
		}
		return b
	}
	if at == "save" {
		WriteRecorded(path, []byte("new"), killing)
		return
	}
	WriteWith(path, []byte("new"), record, killing)
}

// TestWriteKilledAtAnyPointLeavesNothingForGood: a writer is killed (a
// real SIGKILL of its process) at each point of a write whose temporary
// file goes into a ledger: as it is told of the temporary file, before
// and after recording it, and with the file there. The next sweep of the
// ledger, by another process, leaves the folder as before the write: the
// file with its old content, no temporary file, no ledger. Before, the
// temporary file was made before the ledger was told of it: a kill
// between left a file no ledger named, for good.
func TestWriteKilledAtAnyPointLeavesNothingForGood(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("an ended process is told apart here on Linux")
	}
	for _, at := range []string{"record", "recorded", "data", "save"} {
		t.Run(at, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "report.html")
			if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), killEnv+"="+at, killEnv+"_PATH="+path)
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != -1 {
				t.Fatalf("the writer was not killed: %v", err)
			}
			l, ok := BesideLedger(path)
			if !ok {
				t.Fatal("the ledger beside the file is not one")
			}
			removed, err := l.Sweep()
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range removed {
				if filepath.Dir(f) != dir || !IsTemp(filepath.Base(f)) {
					t.Errorf("the sweep removed %s", f)
				}
			}
			ents, _ := os.ReadDir(dir)
			var names []string
			for _, e := range ents {
				names = append(names, e.Name())
			}
			if !slices.Equal(names, []string{"report.html"}) {
				t.Errorf("after the kill and the sweep the folder holds %v; want report.html alone", names)
			}
			if b, _ := os.ReadFile(path); string(b) != "old" {
				t.Errorf("report.html holds %q; want its old content", b)
			}
		})
	}
}
