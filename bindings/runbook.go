package bindings

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/jsonerr"
	"github.com/pcmig/pcmig/runbook"
	pcrt "github.com/pcmig/pcmig/runtime"
)

// ensureRunbook starts the runbook when the caller gave none.
func (e *Env) ensureRunbook() {
	if e.Runbook != nil {
		return
	}
	name := "pcmig"
	if e.Estate != nil {
		name = e.Estate.Name
	}
	e.Runbook = runbook.New(runbook.Header{Estate: name, Tool: "pcmig " + e.ToolVersion, Generated: e.now()})
}

// runbookSection opens the runbook section of the current step, once.
func (e *Env) runbookSection(L *lua.LState) {
	e.ensureRunbook()
	step, index := "", 0
	if h := pcrt.HostFrom(L); h != nil {
		step, index = h.Step(), h.StepIndex()
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.sections > 0 && e.lastSection == step && !e.routeLast {
		return
	}
	e.routeLast = false
	e.sections++
	e.lastSection = step
	title := step
	if title == "" {
		title = "changes"
	}
	// Sections carry the script's step numbers, so the runbook reads like
	// the run; writes outside any step are numbered in order.
	if index == 0 {
		index = e.sections
	}
	e.Runbook.AddSection(index, title)
}

// AddCmdletRoute puts the supported cmdlet route for steps 1 and 2 into the
// runbook, for administrators who must stay on Microsoft's tools only:
// Export-CsPersistentChatData from each source instance and
// Import-CsPersistentChatData into the target instance, with the estate's
// export level, scope and start date. Pools whose database is not given as
// an instance (embedded databases) are skipped with a comment. It starts
// the runbook when Runbook is nil.
func (e *Env) AddCmdletRoute() error {
	est := e.Estate
	if est == nil {
		return nil
	}
	e.ensureRunbook()
	var since *time.Time
	if est.Export.Since != "" {
		t, err := exporter.ParseDate(est.Export.Since)
		if err != nil {
			return fmt.Errorf("estate export.since: %w", err)
		}
		since = &t
	}
	sources := est.Sources
	if est.Source != nil {
		sources = append([]estate.Pool{*est.Source}, sources...)
	}
	e.sections++
	e.Runbook.AddSection(e.sections, "export with Export-CsPersistentChatData (supported cmdlet route)")
	e.Runbook.Comment("pcmig's own export (step 1) does the same with checksums and a dry run; use one or the other.")
	for _, src := range sources {
		if src.DB.Instance == "" {
			e.Runbook.Comment("pool " + src.Pool + ": its database is not a SQL Server instance; no cmdlet line")
			continue
		}
		archive := src.Archive
		if archive == "" {
			archive = est.Archive
		}
		if err := e.Runbook.ExportData(runbook.Export{DBInstance: src.DB.Instance, DBName: src.DB.Database,
			FileName: archive, Level: est.Export.Level, Scopes: est.Export.Scope, StartDate: since}); err != nil {
			return err
		}
	}
	e.sections++
	e.Runbook.AddSection(e.sections, "import with Import-CsPersistentChatData (supported cmdlet route)")
	e.Runbook.Comment("The cmdlet overwrites same-named categories and rooms and may drop creators; the script's step that carries the category creators over (creator.carry_over) re-adds them.")
	// What the run writes next goes into a section of its own.
	e.routeLast = true
	if est.Target.DB.Instance == "" {
		e.Runbook.Comment("pool " + est.Target.Pool + ": its database is not a SQL Server instance; no cmdlet line")
		return nil
	}
	for _, src := range sources {
		archive := src.Archive
		if archive == "" {
			archive = est.Archive
		}
		if err := e.Runbook.ImportData(est.Target.DB.Instance, archive); err != nil {
			return err
		}
	}
	return nil
}

// Recorders are what the run's journal keeps of each finished step for
// this Env (pcrt.Options.Recorders): the calls the step made on the
// runbook, so that a resumed run writes the whole runbook, and what the
// databases held (shapesRecorder), so that a resumed run refuses a
// database replaced under its name, and the archives it exported
// (archivesRecorder), so that its import refuses another one.
func (e *Env) Recorders() map[string]pcrt.StepRecorder {
	return map[string]pcrt.StepRecorder{"runbook": runbookRecorder{e}, "databases": shapesRecorder{e}, "archives": archivesRecorder{e}}
}

// runbookRecorder keeps each step's runbook calls with its journal entry.
type runbookRecorder struct{ e *Env }

// runbookRecord is what the journal keeps of a step for the runbook.
type runbookRecord struct {
	Calls []runbook.Op `json:"calls"`
	// Dir is the estate folder the calls' paths were resolved in: a
	// resumed run in a folder the estate was moved or copied to makes
	// them paths of its own folder (rebaseCalls).
	Dir string `json:"estate_dir,omitempty"`
}

// StepStarted marks where the step's runbook calls begin.
func (r runbookRecorder) StepStarted(string) {
	e := r.e
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stepMark = 0
	if e.Runbook != nil {
		e.stepMark = e.Runbook.Mark()
	}
}

// StepFinished returns the calls the step made on the runbook.
func (r runbookRecorder) StepFinished(string) (json.RawMessage, error) {
	e := r.e
	e.mu.Lock()
	defer e.mu.Unlock()
	rec := runbookRecord{Calls: []runbook.Op{}}
	if e.Estate != nil {
		rec.Dir = e.Estate.Dir
	}
	if e.Runbook != nil {
		rec.Calls = e.Runbook.Since(e.stepMark)
	}
	return json.Marshal(rec)
}

// StepRestored makes the runbook calls of a step that finished in an
// earlier run again, so that they stand in the runbook where that run put
// them. A real estate's journal entry without them (written by a pcmig
// that did not keep them) is refused: the runbook would lack the step's
// commands.
func (r runbookRecorder) StepRestored(step string, data json.RawMessage) error {
	e := r.e
	if data == nil {
		if e.Estate == nil || e.Estate.IsLab() {
			return nil
		}
		return errors.New("the journal holds no runbook commands for it (a pcmig that did not keep them wrote it), " +
			"so the runbook would lack them: start over with --fresh (each step finds what earlier runs did and does not do it twice)")
	}
	var rec runbookRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return fmt.Errorf("the journal's record of its runbook commands is not valid: %s", jsonerr.Describe(data, err, &rec))
	}
	if e.Estate != nil {
		rebaseCalls(rec.Calls, rec.Dir, e.Estate.Dir)
		if err := checkFileStores(rec.Calls, e.Estate, e.estatePool); err != nil {
			return err
		}
	}
	e.ensureRunbook()
	if err := e.Runbook.Replay(rec.Calls); err != nil {
		return fmt.Errorf("its runbook commands cannot be added again: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, c := range rec.Calls {
		if c.Op == "section" {
			// As runbookSection would have opened it.
			e.sections++
			e.lastSection = step
			e.routeLast = false
		}
	}
	return nil
}
