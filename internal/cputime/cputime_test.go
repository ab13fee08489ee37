//go:build unix

package cputime

import (
	"testing"
	"time"
)

func TestProcessGrowsWithWork(t *testing.T) {
	before := Process()
	if before <= 0 {
		t.Fatalf("Process() = %v before any work, want > 0 (the test binary has run)", before)
	}
	for start := time.Now(); time.Since(start) < 30*time.Millisecond; { // busy, not asleep
	}
	if after := Process(); after <= before {
		t.Errorf("Process() = %v after 30ms of busy work, was %v", after, before)
	}
}
