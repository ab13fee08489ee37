package store

func isWindows() bool { return true }
