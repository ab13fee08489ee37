// Package importer puts a pcmig archive into a target pool's mgc database:
// step 2 of the migration.
//
// An import runs in four phases, and writes only in the last two:
//
//  1. read: the archive is opened and every part is streamed once, which
//     verifies checksums and finds dangling references;
//  2. plan: archive objects are matched with the target (principals by GUID,
//     then URI; categories and rooms by GUID, for an earlier import of the
//     same archive, then by name) and conflicts are resolved by policy;
//     pre-flight validation runs, and errors stop here;
//  3. structure: principals, add-ins, categories, rooms and role lists are
//     written, each only where the target lacks it, set-based in a few
//     transactions (docs/store.md);
//  4. messages: appended in archive order with new chat IDs, one
//     transaction per archive part, committed only once that part's
//     checksum has been checked again (so a part damaged since the
//     pre-pass, even changed on disk during the import, has none of its
//     messages written), in appends of about Options.Batch messages,
//     several rooms to one.
//
// A fresh import into an embedded target runs phase 1 beside phases 3 and
// 4 instead of before them: it plans from what the archive's small parts
// claim and writes under one transaction, which it commits only once the
// read has ended and confirms that plan, else rolls back and runs as
// above (overlap.go).
//
// Re-running an import changes nothing: every structural write is computed
// against the target's current state, and a journal beside the archive
// (keyed by archive and target) records the principals pcmig creates (so
// that their affiliations, written in a later transaction, are still added
// after an interruption) and, for every room, the room's tblLastChatId
// before pcmig's first message went in (all rooms in one save, before the
// first message). Because chat IDs are
// allocated densely inside each committed batch, the target itself says how
// many messages of a room arrived: lastChatId minus that base. A killed
// import resumes exactly there.
//
// Without a journal entry for a room that holds messages (the journal was
// lost, or belongs to an earlier export of the same source, as every
// re-run of a script that exports again has, or the room is merged by
// name), every archive message is looked for in the room's whole history
// (exact.go): the ones there are not written again, the others are added.
package importer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/textwidth"
)

// Conflict policies for names that exist in the target.
const (
	Merge  = "merge"  // keep the target's object, add what the archive brings
	Skip   = "skip"   // leave the target's object alone; skip the archive's (and its rooms)
	Rename = "rename" // import the archive's under a new name
	Fail   = "fail"   // stop before any write
)

// Options are the import choices.
type Options struct {
	OnConflict string // merge (default), skip, rename or fail
	DryRun     bool   // read and validate, print the plan, write nothing
	// Journal is the checkpoint file; "" puts it beside the archive, keyed
	// by the target. NoJournal disables it (simulated imports).
	Journal   string
	NoJournal bool
	// Archive, when set, is the ArchiveID the file must have: the export
	// a run made of it in an earlier step. Another archive at the path
	// (written over it since, by another process) is refused before
	// anything is read or written (ErrArchiveReplaced).
	Archive string
	// SkipMessages plans messages but does not write them (simulations).
	SkipMessages bool
	RenameSuffix string // default " (imported)"
	Batch        int    // messages per append, several rooms to one, in a transaction per archive part (default 5000)
	Progress     func(Progress)
	// Note, when not nil, is told, in a sentence, of each file the import
	// removed that a killed import left: the temporary file of a journal
	// save it did not finish.
	Note func(string)
	Now  func() time.Time
	// Sequential, when set, has the import read the whole archive before
	// it plans and writes anything, as an import that cannot write while
	// it reads (importer/overlap.go) always does.
	Sequential bool
	// Hooks are for tests (overlap.go); the zero value in pcmig.
	Hooks Hooks
}

// SequentialEnv, set to anything in the environment of `pcmig import` or
// `pcmig run`, makes their imports sequential (Options.Sequential): for
// comparing the two, and a way back should writing while reading ever
// misbehave.
const SequentialEnv = "PCMIG_IMPORT_SEQUENTIAL"

// Progress reports how far an import has come.
type Progress struct {
	Phase string // read, plan, structure, messages
	Done  int64
	Total int64
	Room  string
}

// Import runs the import. With opts.DryRun it returns the plan and writes
// nothing. A validation failure returns the Result (with its problems) and
// an error wrapping ErrValidation.
func Import(ctx context.Context, s *store.Store, path string, opts Options) (*Result, error) {
	policy, err := ParseOnConflict(opts.OnConflict)
	if err != nil {
		return nil, err
	}
	opts.OnConflict = policy
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Progress == nil {
		opts.Progress = func(Progress) {}
	}
	if opts.Batch <= 0 {
		opts.Batch = 5000
	}
	if opts.RenameSuffix == "" {
		opts.RenameSuffix = " (imported)"
	}
	start := opts.Now()
	r, err := archive.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if m := r.Manifest(); opts.Archive != "" && ArchiveID(m) != opts.Archive {
		// Checked on the file this import reads, not on one looked at
		// before it was opened.
		return nil, fmt.Errorf("%s: %w: this one was %s; nothing was imported", path, ErrArchiveReplaced, DescribeArchive(m))
	}
	opts.Progress(Progress{Phase: "read"})
	// An import that can (importer/overlap.go) writes while it reads;
	// any other, or one whose read finds what it wrote was not the
	// archive's, is this one: read, then plan, then write.
	o := importOverlapped(ctx, s, r, path, opts, start)
	if o.done {
		return o.res, o.err
	}
	a, err := o.a, o.err
	if a == nil && err == nil {
		a, err = readArchive(ctx, r)
	}
	if err != nil {
		return nil, err
	}
	return importRead(ctx, s, r, path, opts, start, a)
}

// importRead is the import of an archive read (a): plan, then write.
func importRead(ctx context.Context, s *store.Store, r *archive.Reader, path string, opts Options, start time.Time, a *source) (*Result, error) {
	t, err := readTarget(ctx, s)
	if err != nil {
		// SQLite keeps whatever a column is given: the conversion error
		// names a column, not the row.
		if rows := s.UnreadableRows(ctx); rows != "" {
			err = fmt.Errorf("%w; %s (nothing was written: correct the rows, after a backup, and import again; `pcmig doctor` lists them)", err, rows)
		}
		return nil, err
	}
	opts.Progress(Progress{Phase: "plan"})
	jpath, legacy := opts.Journal, ""
	if jpath == "" && !opts.NoJournal {
		jpath, legacy = JournalPath(path, t.poolID, s), legacyJournalPath(path, t.poolID, s)
	}
	var j *journal
	if !opts.NoJournal {
		if j, err = openJournal(jpath, legacy, a.manifest, s); err != nil {
			// Refused before anything was written: the summary says
			// so, not "Imported into ..." with the plan's counts.
			res := makePlan(a, t, opts, nil).result(path, s.Describe(), opts)
			res.Refused = err.Error()
			return res, err
		}
		j.note = opts.Note
	}
	p := makePlan(a, t, opts, j)
	if j != nil && j.other != "" {
		p.problem(Warning, "journal "+j.read, "was written by an import of this archive into another database with this pool ID (%q); its rooms' starting points are not used here: each room's messages are looked for in its history", textwidth.Shorten(j.other))
	}
	if j != nil && j.stale != "" {
		stale := j.stale
		if stale == archiveKey(a.manifest) {
			stale += ", whose parts differ from this one's"
		}
		p.problem(Warning, "journal "+j.read, "belongs to an earlier export of the same file name (%s); rooms an earlier import created are recognised by their GUIDs", stale)
	}
	res := p.result(path, s.Describe(), opts)
	if err := p.progressFromJournal(ctx, s, r, j, res); err != nil {
		return res, err
	}
	if res.Errors() > 0 {
		return res, fmt.Errorf("%w: %s (see the list above); nothing was written", ErrValidation, numtext.Count(res.Errors(), "error", "errors"))
	}
	if opts.DryRun {
		res.Duration = opts.Now().Sub(start)
		return res, nil
	}
	opts.Progress(Progress{Phase: "structure"})
	// An error before any write transaction reached its commit left the
	// target as it was: refused, not stopped part-way. A cancelled or
	// timed-out import was stopped by its operator, not refused, whether
	// or not it had written anything.
	commits := s.Commits()
	stopped := func(err error) (*Result, error) {
		if s.Commits() == commits && ctx.Err() == nil {
			res.Refused = err.Error()
		} else {
			res.Stopped = true
		}
		return res, err
	}
	if err := p.applyStructure(ctx, s, j, opts); err != nil {
		return stopped(err)
	}
	if err := j.recordOutcomes(p.outcomes(), opts.Now()); err != nil {
		return stopped(err)
	}
	if !opts.SkipMessages {
		if err := p.applyMessages(ctx, s, r, j, opts, res); err != nil {
			return stopped(err)
		}
	}
	res.Duration = opts.Now().Sub(start)
	return res, nil
}

// ErrValidation is wrapped when pre-flight validation finds errors.
var ErrValidation = errors.New("pre-flight validation failed")
