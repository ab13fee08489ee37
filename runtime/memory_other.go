//go:build !linux && !windows

package runtime

// systemMemory returns 0: the machine's memory is not read on this system,
// and DefaultMemoryLimit assumes fallbackMemory.
func systemMemory() int64 { return 0 }
