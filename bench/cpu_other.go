//go:build !unix

package bench

import "time"

// cpuTime is unknown here: the CPU figures stay zero.
func cpuTime() time.Duration { return 0 }
