package main

import (
	"github.com/pcmig/pcmig/fsguard"
	"github.com/pcmig/pcmig/store"
)

// dbFile is the file of an embedded database, or "" for SQL Server.
func dbFile(cfg store.Config) string {
	if k, err := cfg.Kind(); err != nil || k != "sqlite" {
		return ""
	}
	return cfg.SQLitePath()
}

// checkFiles refuses a command line whose outputs name one of its inputs
// or each other (export --file naming the database it reads, --report
// naming the target), before anything is opened or written.
func checkFiles(outputs, inputs []fsguard.File) error {
	if err := fsguard.Distinct(outputs, inputs); err != nil {
		return usageError{err}
	}
	return nil
}
