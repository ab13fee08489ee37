package importer

import (
	"context"
	"errors"
	"maps"
	"reflect"
	"time"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/store"
)

// An import reads every messages part before it writes anything (the
// pre-pass, read.go): a damaged archive, a message of an unknown poster,
// a room's count that is not the archive's, leave the target as it was.
// On 1,000,000 messages that read was a fifth of the import's time. A
// fresh import into an embedded target writes while it reads instead,
// and keeps that promise with a store hold (store/hold.go): one
// transaction, which nothing outside the import sees and which a kill
// leaves uncommitted.
//
//  1. The pre-pass starts on a goroutine of its own. The import plans from
//     what the archive's small parts claim: the rooms' message counts in
//     rooms.jsonl, and the order of the messages' rooms guessed from the
//     first record of each messages part (rooms no part starts with come
//     first: archive.Reader.PartStartRooms). The guess decides only which
//     node IDs the new rooms get, so how fast their messages go in
//     (inStreamOrder), never what is written.
//  2. Only a plan without errors, for a journal that records nothing yet, every room with messages created
//     (no room's history to look for them in, exact.go), goes on; any
//     other import is the sequential one.
//  3. Structure and messages are written under the hold, the journal's
//     saves kept in memory; the messages' progress is reported as
//     PendingPhase (written, not yet committed), and as "messages" once
//     the hold is committed.
//  4. At the first part committed (to the hold) after the pre-pass ended,
//     the import checks what the pre-pass read against the claims (same).
//     Confirmed when the pre-pass found nothing wrong, the small parts read
//     are the same records, every room has the count its record claimed,
//     and the checks of what the pre-pass tallies of the messages (who
//     posted, their text: plan.tallied) find what they found of the
//     claims, against the same target state (read before the hold): a plan
//     of what was read then has the result of the plan written, its
//     warnings included. The journal is saved, then the hold committed,
//     and the import goes on as every import does, a transaction per part.
//     An archive of up to overlapReadOnceMessages messages has no
//     pre-pass beside the writes: their own read tallies what it would
//     (tally), and the hold is confirmed once that read has read every
//     message, the whole import one transaction.
//  5. Anything else (the pre-pass's error, another plan, a write's error
//     under the hold, a cancellation) rolls the hold back, and the
//     import runs as the sequential one from the pre-pass's result: its
//     refusal, output and exit are that import's, over a target and
//     journal as they were.
//
// A kill under the hold leaves the target as it was and the journal
// unwritten: the next import is a fresh one. A kill between the journal's
// save and the commit leaves journal entries of rooms that do not exist:
// the next import creates them again and records them over those entries
// (journalRooms). A kill after the commit leaves what an import killed
// after that part leaves.

// overlapHoldMessages bounds the messages written under a hold: past it,
// the import waits for the pre-pass at the next part (a slow disk
// reading the archive would otherwise hold the whole import in one
// transaction, all of which a kill loses). The writes go at about a
// quarter of the pre-pass's speed (1,000,000 messages: 5 s, 1.25 s), so
// a pre-pass sharing its cores with them ends long before this.
const overlapHoldMessages = 2_000_000

// Hooks are an import's test hooks (Options.Hooks); the zero value is
// what pcmig runs with.
type Hooks struct {
	// Point, when not nil, is called at the points of an overlapped
	// import that kill tests stop at: "hold" (the first part written
	// under the hold), "read" (every message written under the hold, not
	// yet confirmed), "saved" (the journal saved, the hold not yet
	// committed) and "committed" (the hold committed).
	Point func(point string)
	// ReadTwice has an overlapped import read its messages with a
	// pre-pass beside its writes even when it could read them once
	// (readOnce): for tests of that way and for measurements.
	ReadTwice bool
}

// point calls the import's Hooks.Point, if any.
func (o *overlap) point(point string) {
	if o.opts.Hooks.Point != nil {
		o.opts.Hooks.Point(point)
	}
}

// errNotConfirmed is what the writes under a hold stop with when the
// pre-pass does not confirm them.
var errNotConfirmed = errors.New("the archive's read did not confirm the import written under a hold")

// overlapOutcome is what importOverlapped did: done with res and err as
// the import's outcome; or not, with the pre-pass's source a or error err
// for the sequential import (both nil: no pre-pass ran).
type overlapOutcome struct {
	done bool
	res  *Result
	err  error
	a    *source
}

// overlap is an overlapped import's pre-pass and confirmation.
type overlap struct {
	s    *store.Store
	j    *journal
	opts Options // the import's, with its own Progress
	path string
	t    *target
	spec *source // the claims planned from
	p    *plan   // the plan of the claims
	// tallied are p's problems of what the pre-pass tallies of the
	// messages (plan.tallied), planned from the claims.
	tallied  [][]Problem
	finished chan struct{}
	a        *source // the pre-pass's, once finished is closed
	err      error
	// pending is the last messages progress reported under the hold (as
	// PendingPhase), reported as "messages" once the hold is committed.
	pending  Progress
	released bool
	inHold   int64 // messages written under the hold
	// once: no pre-pass beside the writes; the writes' own read of the
	// messages tallies what the pre-pass would (readOnce).
	once bool
}

// overlapReadOnceMessages is the most messages an overlapped import reads
// once: no pre-pass beside the writes, the writes' own read of the
// messages tallies what it would, and the hold is confirmed (or rolled
// back) once every message was read: one transaction for the whole
// import, which a kill loses (the next import starts again from its first
// message), against reading and decoding every part twice on cores the
// writes need. Larger archives have their pre-pass beside the writes, and
// per-part commits from its end on.
const overlapReadOnceMessages = 2_000_000

// readOnce reports whether an overlapped import of an archive reads its
// messages once (overlapReadOnceMessages).
func readOnce(m archive.Manifest, opts Options) bool {
	return !opts.Hooks.ReadTwice && m.Counts.Messages <= overlapReadOnceMessages
}

func (o *overlap) done() bool {
	select {
	case <-o.finished:
		return true
	default:
		return false
	}
}

// PendingPhase is the Progress phase of the messages an import has
// written under its hold (overlap.go) and not committed yet: a kill or
// a refusal then leaves none of them in the target. Once the hold is
// committed, the messages written so far are reported as "messages".
const PendingPhase = "messages, not yet committed"

// report is the import's Progress under the hold: its messages are
// reported as PendingPhase until the hold is committed.
func (o *overlap) report(pr Progress) {
	if !o.released && pr.Phase == "messages" {
		o.pending = pr
		pr.Phase = PendingPhase
	}
	o.opts.Progress(pr)
}

// canOverlap reports whether an import may write while it reads.
func canOverlap(s *store.Store, opts Options) bool {
	return !opts.DryRun && !opts.SkipMessages && !opts.NoJournal && !opts.Sequential && s.CanHold()
}

// importOverlapped runs the import overlapped when it can (see above).
func importOverlapped(ctx context.Context, s *store.Store, r *archive.Reader, path string, opts Options, start time.Time) overlapOutcome {
	if !canOverlap(s, opts) {
		return overlapOutcome{}
	}
	spec, err := readStructure(r)
	if err != nil {
		return overlapOutcome{} // the sequential import reads it again, and says what is wrong
	}
	o := &overlap{s: s, opts: opts, path: path, spec: spec, finished: make(chan struct{})}
	var once *source // the source the writes' read tallies (readOnce)
	if o.once = readOnce(r.Manifest(), opts); o.once {
		once = spec.structureOnly()
	} else {
		go func() {
			defer close(o.finished)
			o.a, o.err = readArchive(ctx, r)
		}()
	}
	// sequential rolls back whatever the hold wrote and hands the import
	// over to the sequential one, with the pre-pass's result (none when
	// the writes' read was the pre-pass: the sequential import reads the
	// archive again).
	sequential := func() overlapOutcome {
		_ = s.EndHold(false) // the sequential import's own reads say what a failing database does
		if o.once {
			return overlapOutcome{}
		}
		<-o.finished
		return overlapOutcome{a: o.a, err: o.err}
	}
	claim(spec, r)
	res, p, j, ok := o.plan(ctx, r)
	if !ok {
		return sequential()
	}
	if err := s.Hold(ctx); err != nil {
		return sequential()
	}
	j.deferred = true
	p.overlap = o
	if o.once {
		p.tally = newTally(ctx, once)
	}
	hopts := opts
	hopts.Progress = o.report
	hopts.Progress(Progress{Phase: "plan"})
	hopts.Progress(Progress{Phase: "structure"})
	commits := s.Commits()
	err = p.applyStructure(ctx, s, j, hopts)
	if err == nil {
		err = j.recordOutcomes(p.outcomes(), opts.Now())
	}
	if err == nil {
		err = p.applyMessages(ctx, s, r, j, hopts, res)
	}
	if err == nil && s.Holding() {
		o.point("read")
		if o.once { // the writes' read has read every message
			p.tally.end()
			o.a = once
			close(o.finished)
		}
		err = o.confirm(ctx) // the messages ended before the pre-pass
	}
	if s.Holding() && ctx.Err() != nil {
		// Cancelled (Ctrl-C, a time limit) before anything was committed:
		// stopped, not refused, as an import cancelled before its first
		// commit is, with nothing imported.
		sequential() // rolled back; the pre-pass stopped
		if err == nil || errors.Is(err, errNotConfirmed) {
			err = ctx.Err()
		}
		res.Messages.Imported = 0
		for i := range res.Rooms {
			res.Rooms[i].Imported = 0
		}
		res.Stopped = true
		return overlapOutcome{done: true, res: res, err: err}
	}
	if s.Holding() {
		// Not confirmed, or a write under the hold failed: none of it
		// counts.
		return sequential()
	}
	if err != nil {
		// After the commit: what an import stopped after a part says.
		if s.Commits() == commits && ctx.Err() == nil {
			res.Refused = err.Error()
		} else {
			res.Stopped = true
		}
		return overlapOutcome{done: true, res: res, err: err}
	}
	res.Duration = opts.Now().Sub(start)
	return overlapOutcome{done: true, res: res}
}

// claim gives the claims of the archive's small parts as spec's pre-pass
// findings: each room's message count as its record says, and the order
// of the rooms' messages guessed from the parts' first records, rooms no
// part starts with first, in rooms.jsonl's order.
func claim(spec *source, r *archive.Reader) {
	seen := map[string]bool{}
	var starts []string
	for _, g := range r.PartStartRooms() {
		if g != "" && !seen[g] {
			seen[g] = true
			starts = append(starts, g)
		}
	}
	for _, x := range spec.rooms {
		if x.Messages > 0 {
			spec.roomMessages[x.GUID] = x.Messages
			if !seen[x.GUID] {
				spec.streamPos[x.GUID] = len(spec.streamPos)
			}
		}
	}
	for _, g := range starts {
		if _, ok := spec.roomMessages[g]; ok {
			spec.streamPos[g] = len(spec.streamPos)
		}
	}
}

// plan plans the import from the claims, before the hold: ok only for an
// import that may go on under the hold (see above).
func (o *overlap) plan(ctx context.Context, r *archive.Reader) (*Result, *plan, *journal, bool) {
	s, opts := o.s, o.opts
	t, err := readTarget(ctx, s)
	if err != nil {
		return nil, nil, nil, false
	}
	o.t = t
	jpath, legacy := opts.Journal, ""
	if jpath == "" {
		jpath, legacy = JournalPath(o.path, t.poolID, s), legacyJournalPath(o.path, t.poolID, s)
	}
	j, err := openJournal(jpath, legacy, o.spec.manifest, s)
	if err != nil || j.legacy != "" || j.stale != "" || j.other != "" || len(j.data.Rooms) > 0 || len(j.data.Principals) > 0 || len(j.data.Outcomes) > 0 {
		return nil, nil, nil, false
	}
	j.note = opts.Note
	o.j = j
	p := makePlan(o.spec, t, opts, j)
	res := p.result(o.path, s.Describe(), opts)
	if err := p.progressFromJournal(ctx, s, r, j, res); err != nil || res.Errors() > 0 || res.Messages.ToImport == 0 {
		return nil, nil, nil, false
	}
	for _, rp := range p.rooms {
		if rp.messages > 0 && rp.action != ActCreate && rp.action != ActRename {
			return nil, nil, nil, false
		}
	}
	o.p, o.tallied = p, p.tallied(o.spec)
	return res, p, j, true
}

// partDone is called after each part committed: under the hold, the
// pre-pass's result, when it has ended, confirms the hold or not.
func (o *overlap) partDone(ctx context.Context, written int64) error {
	if !o.s.Holding() {
		return nil
	}
	if o.inHold == 0 {
		o.point("hold")
	}
	o.inHold = written
	if o.once {
		return nil // confirmed once the writes' read has read everything
	}
	if !o.done() && o.inHold < overlapHoldMessages {
		return nil
	}
	return o.confirm(ctx)
}

// confirm waits for the pre-pass and confirms the hold: the journal saved,
// then the hold committed. errNotConfirmed (the hold still open) when the
// pre-pass does not confirm it.
func (o *overlap) confirm(ctx context.Context) error {
	<-o.finished
	if o.err != nil || !o.same() {
		return errNotConfirmed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	o.j.deferred = false
	if o.j.unsaved {
		if err := o.j.save(o.opts.Now()); err != nil {
			return err
		}
	}
	o.point("saved")
	if err := o.s.EndHold(true); err != nil {
		return err
	}
	o.point("committed")
	o.released = true
	if o.pending.Total > 0 {
		o.opts.Progress(o.pending) // committed now
	}
	return nil
}

// same reports whether the pre-pass's source confirms the claims: the same
// records in the small parts, every room's count as claimed, no problem
// found in the messages, and the problems a plan finds in what the
// pre-pass tallied of them (who posted, their text: tallied) the ones
// the plan of the claims found. The rest of a plan depends on the target
// as it was before the hold, the journal as it was read (this import's
// fresh one, which records nothing), the small parts and the rooms'
// counts, all equal: so a plan from the pre-pass's source has the result
// of the plan written, its problems included, without planning the
// structure again (20,000 rooms: 0.5 s).
// What the rest of the pre-flight checks (progressFromJournal) found of
// the claims' plan, it finds of that one: they depend on the target, the
// journal and the plan's actions and counts, all equal.
func (o *overlap) same() bool {
	a, spec := o.a, o.spec
	if !reflect.DeepEqual(a.prins, spec.prins) || !reflect.DeepEqual(a.cats, spec.cats) ||
		!reflect.DeepEqual(a.addins, spec.addins) || !reflect.DeepEqual(a.rooms, spec.rooms) ||
		!reflect.DeepEqual(a.manifest, spec.manifest) || len(a.problems) > 0 {
		return false
	}
	if !maps.Equal(a.roomMessages, spec.roomMessages) {
		return false
	}
	return reflect.DeepEqual(o.p.tallied(a), o.tallied)
}
