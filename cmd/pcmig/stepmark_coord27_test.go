package main

import (
	"path/filepath"
	"testing"

	"github.com/pcmig/pcmig/estate"
	pcrt "github.com/pcmig/pcmig/runtime"
)

// TestStepMarkNamedOnce: the estate's guard keeps every output off the run
// journal's step mark by its name (estate.RunStepMarkName), which the
// runtime writes under its own (pcrt.StepMarkPath): were one renamed, the
// guard would cover a file nobody writes, and a --report could again be
// written where the step mark goes (7b9b662).
func TestStepMarkNamedOnce(t *testing.T) {
	state := t.TempDir()
	if got, want := pcrt.StepMarkPath(filepath.Join(state, estate.RunJournalName)), filepath.Join(state, estate.RunStepMarkName); got != want {
		t.Errorf("the runtime writes the step mark at %s, the estate guards %s", got, want)
	}
}
