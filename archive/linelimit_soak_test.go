//go:build soak

package archive

import "testing"

// TestLineLimitFull checks the limit at MaxRecordBytes (64 MiB), which
// Open sets: several seconds and a few hundred MiB of memory.
func TestLineLimitFull(t *testing.T) { checkLineLimit(t, MaxRecordBytes) }
