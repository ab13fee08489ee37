package main

import (
	"strings"

	pcsecret "github.com/pcmig/pcmig/secret"
	"github.com/pcmig/pcmig/store"
)

// newScrubber knows the secrets of the command line and the environment
// before anything runs: $PCMIG_DB_PASSWORD, --db-password and the password
// of a --db DSN. Commands add the estate's (password_env) when they load
// it; the Lua bindings add what scripts name.
func newScrubber(args []string, getenv func(string) string) *pcsecret.Scrubber {
	s := pcsecret.New(getenv("PCMIG_DB_PASSWORD"))
	for i, a := range args {
		name, value, inline := strings.Cut(a, "=")
		if !inline {
			if i+1 >= len(args) {
				continue
			}
			value = args[i+1]
		}
		switch strings.TrimLeft(name, "-") {
		case "db-password":
			s.Add(value)
		case "db":
			s.Add(store.Config{DSN: value}.Secrets()...)
		}
	}
	return s
}
