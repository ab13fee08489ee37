package runtime

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// waitZombie waits until the killed child pid has exited, every thread of
// it, without reaping it (waitid WNOWAIT), and checks that it is a zombie:
// a process that still answers to its PID.
func waitZombie(t *testing.T, pid int) {
	t.Helper()
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if err == nil {
			break
		}
		if err != unix.EINTR {
			t.Fatalf("waitid: %v", err)
		}
	}
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		t.Fatalf("the killed child is gone although not reaped: %v", err)
	}
	// "pid (comm) state ...": comm may hold spaces and parentheses.
	if i := strings.LastIndexByte(string(b), ')'); i < 0 || !strings.HasPrefix(string(b[i:]), ") Z") {
		t.Fatalf("the killed child is not a zombie: %s", b)
	}
}
