package bindings

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/pcmig/pcmig/jsonerr"
)

// The archives a run exported, so that its import reads the archive its
// export wrote. Two estates may name one archive file (or a pcmig export
// of another operator may write to it): a run whose export finished, then
// stopped or paused, imported whatever another run had written there
// since, another pool's rooms and messages, into its target. Each archive
// export.run writes is remembered by its ID (importer.ArchiveID) and kept
// with the step's journal entry (archivesRecorder), and import.run of that
// file in this run, or in a resumed one, refuses another archive before it
// reads or writes anything.

// exportedArchive is an archive this run (or the run it resumes) wrote.
type exportedArchive struct {
	ID   string `json:"id"`   // importer.ArchiveID
	Desc string `json:"desc"` // importer.DescribeArchive
	Step string `json:"step"` // the step that wrote it
}

// archiveKey is how the archive at path (absolute) is remembered: relative
// to the estate's folder when in it, so that a resumed run of an estate
// moved to another folder still finds it.
func (e *Env) archiveKey(path string) string {
	if dir := e.dir(); dir != "" {
		if rel, err := filepath.Rel(dir, path); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(rel)
		}
	}
	return path
}

// exported remembers that the current step wrote the archive at path.
func (e *Env) exported(path, id, desc string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.archives == nil {
		e.archives = map[string]exportedArchive{}
	}
	if e.stepArchives == nil {
		e.stepArchives = map[string]exportedArchive{}
	}
	a := exportedArchive{ID: id, Desc: desc, Step: e.step}
	k := e.archiveKey(path)
	e.archives[k] = a
	e.stepArchives[k] = a
}

// exportedAt is what this run exported at path, if it did.
func (e *Env) exportedAt(path string) (exportedArchive, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	a, ok := e.archives[e.archiveKey(path)]
	return a, ok
}

// archivesRecorder keeps the archives a step exported with its journal
// entry, and gives them back to a resumed run.
type archivesRecorder struct{ e *Env }

func (r archivesRecorder) StepStarted(step string) {
	r.e.mu.Lock()
	defer r.e.mu.Unlock()
	r.e.step, r.e.stepArchives = step, nil
}

// StepFinished returns the archives the step exported; nothing for a step
// that exported none.
func (r archivesRecorder) StepFinished(string) (json.RawMessage, error) {
	r.e.mu.Lock()
	defer r.e.mu.Unlock()
	if len(r.e.stepArchives) == 0 {
		return nil, nil
	}
	return json.Marshal(r.e.stepArchives)
}

// StepRestored remembers the archives a step of an earlier run exported.
func (r archivesRecorder) StepRestored(step string, data json.RawMessage) error {
	if data == nil {
		return nil
	}
	var m map[string]exportedArchive
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("the journal's record of the archives it exported is not valid: %s", jsonerr.Describe(data, err, &m))
	}
	r.e.mu.Lock()
	defer r.e.mu.Unlock()
	if r.e.archives == nil {
		r.e.archives = map[string]exportedArchive{}
	}
	for k, a := range m {
		r.e.archives[k] = a
	}
	return nil
}
