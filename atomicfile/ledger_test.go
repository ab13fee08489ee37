package atomicfile

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/proc"
)

// TestLedgerSweep: of the files a ledger records, Sweep removes only those
// of a process of this host that ended, named as Write names temporary
// files; a line of a running process or of another host is kept, a
// damaged line and a file named otherwise are dropped without a removal.
func TestLedgerSweep(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("an ended process is told apart here on Linux")
	}
	dir := t.TempDir()
	l := Ledger{Path: filepath.Join(dir, "ledger.jsonl")}
	ended := exec.Command(os.Args[0], "-test.run=^$")
	if err := ended.Run(); err != nil {
		t.Fatal(err)
	}
	host := proc.Host()
	files := map[string]string{}
	for _, n := range []string{".a.html.tmp-1", ".b.json.tmp-2", ".c.ps1.tmp-3", "d.txt", ".e.tmp-x"} {
		files[n] = filepath.Join(dir, n)
		if err := os.WriteFile(files[n], []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	line := func(f string, pid int, h string) string {
		b, _ := json.Marshal(ledgerLine{File: f, PID: pid, Host: h})
		return string(b) + "\n"
	}
	data := line(files[".a.html.tmp-1"], ended.Process.Pid, host) +
		line(files[".b.json.tmp-2"], os.Getpid(), host) +
		line(files[".c.ps1.tmp-3"], ended.Process.Pid, host+"-other") +
		line(files["d.txt"], ended.Process.Pid, host) +
		line(files[".e.tmp-x"], ended.Process.Pid, host) +
		`{"file": "` + files[".c.ps1.tmp-3"]
	if err := os.WriteFile(l.Path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	removed, err := l.Sweep()
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 1 || removed[0] != files[".a.html.tmp-1"] {
		t.Errorf("removed %v, want only %s", removed, files[".a.html.tmp-1"])
	}
	for n, f := range files {
		_, err := os.Stat(f)
		if gone := os.IsNotExist(err); gone != (n == ".a.html.tmp-1") {
			t.Errorf("%s: removed %v", n, gone)
		}
	}
	b, _ := os.ReadFile(l.Path)
	if got := strings.Count(string(b), "\n"); got != 2 || !strings.Contains(string(b), ".b.json.tmp-2") || !strings.Contains(string(b), ".c.ps1.tmp-3") {
		t.Errorf("the ledger keeps:\n%s\nwant the running process's line and the other host's", b)
	}
}

// TestWriteWithRecordsTheTemporaryFile: record is given the temporary
// file's path before the file exists, and the file then made has that
// path; an error from record makes no file and leaves the old content.
func TestWriteWithRecordsTheTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.html")
	var seen string
	if err := WriteWith(path, []byte("new"), func(tmp string) error {
		seen = tmp
		if _, err := os.Lstat(tmp); !os.IsNotExist(err) {
			t.Errorf("record got %s after it was made: %v", tmp, err)
		}
		return nil
	}, func(b []byte) []byte {
		if _, err := os.Lstat(seen); err != nil {
			t.Errorf("the temporary file is not the one recorded: %v", err)
		}
		return b
	}); err != nil {
		t.Fatal(err)
	}
	if !IsTemp(filepath.Base(seen)) || filepath.Dir(seen) != dir {
		t.Errorf("record got %s", seen)
	}
	err := WriteWith(path, []byte("newer"), func(string) error { return os.ErrPermission })
	if err == nil {
		t.Fatal("an error from record was not returned")
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("after a refused write the file holds %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %d entries, want the file alone", len(entries))
	}
}
