package proc

import (
	"os"
	"os/exec"
	"runtime"
	"testing"
)

func TestRunning(t *testing.T) {
	if !Running(os.Getpid()) {
		t.Error("this process is not running")
	}
	if runtime.GOOS != "linux" {
		t.Skip("a process that ended is told apart on Linux and Windows; checked here on Linux")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if Running(cmd.Process.Pid) {
		t.Errorf("process %d ended and was waited for, yet it is running", cmd.Process.Pid)
	}
}
