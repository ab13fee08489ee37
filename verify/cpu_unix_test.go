//go:build unix

package verify_test

import (
	"syscall"
	"time"
)

// processCPU is the user plus system CPU time this process has used: the
// benchmark reports messages per CPU second too, which holds still on a
// machine busy with other work.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
