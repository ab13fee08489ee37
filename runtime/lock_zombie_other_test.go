//go:build !linux

package runtime

import (
	"testing"
	"time"
)

// waitZombie waits a moment for the kill of pid to take effect; only
// Linux can wait for it without reaping it.
func waitZombie(t *testing.T, pid int) {
	t.Helper()
	time.Sleep(500 * time.Millisecond)
}
