//go:build unix

package store_test

import (
	"syscall"
	"time"
)

// processCPU is the user plus system CPU time this process has used. The
// benchmarks report throughput per CPU second too, which, unlike wall
// time, holds still on a machine busy with other work.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
