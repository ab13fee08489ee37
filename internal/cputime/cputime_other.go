//go:build !unix

package cputime

import "time"

// Process is not measured on this platform: it is always 0, and figures
// per CPU second are left out.
func Process() time.Duration { return 0 }
