package main

import (
	"bytes"
	"path/filepath"
	"strings"

	"github.com/pcmig/pcmig/atomicfile"

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

// scrubFor masks the secrets of s in the file written at path: as JSON in
// a .json file (secret.Scrubber.JSON: string values only, so that the
// file stays JSON whatever the password), in every byte otherwise.
func scrubFor(path string, s *pcsecret.Scrubber) atomicfile.Option {
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return atomicfile.ScrubJSON(s)
	}
	return atomicfile.Scrub(s)
}

// maskedLines is how many lines of b s masks.
func maskedLines(b []byte, s *pcsecret.Scrubber) int {
	n := 0
	for line := range bytes.Lines(b) {
		if m := s.Bytes(line); !bytes.Equal(m, line) {
			n++
		}
	}
	return n
}
