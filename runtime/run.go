package runtime

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/atomicfile"
	"github.com/pcmig/pcmig/internal/heapguard"
	"github.com/pcmig/pcmig/internal/proc"
)

// TimeLimitError is the cause of a run stopped by Options.Timeout. It
// unwraps to context.DeadlineExceeded.
type TimeLimitError struct {
	Limit time.Duration
}

func (e *TimeLimitError) Error() string {
	return fmt.Sprintf("time limit of %s exceeded", e.Limit)
}

// Unwrap returns context.DeadlineExceeded.
func (e *TimeLimitError) Unwrap() error { return context.DeadlineExceeded }

// Run runs script in a fresh sandboxed state. It compiles the script and
// checks its module fields and option keys, then takes the lock (creating
// its folder) and reads the journal (neither in a dry run; the journal is
// written from the first step on), runs the script under opts.Timeout
// and ctx, and returns the report together with the first error. Errors
// raised in the script are *ScriptError; a refused start wraps ErrLocked or
// ErrUnfinishedRun. The report is never nil.
func Run(ctx context.Context, script Script, opts Options) (rep *Report, err error) {
	opts.defaults()
	rep = &Report{
		Script: script.Name,
		Estate: opts.Estate,
		DryRun: opts.DryRun,
		Start:  opts.Now(),
		Status: StatusRunning,
		Steps:  []StepReport{},
	}
	base, cancelBase := context.WithCancelCause(ctx)
	defer cancelBase(nil)
	runCtx := base
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeoutCause(base, opts.Timeout, &TimeLimitError{Limit: opts.Timeout})
		defer cancel()
	}
	var memCheck func(int) error
	if limit := opts.memoryLimit(); limit > 0 {
		// The guard watches the process's Go heap, and the interpreter
		// asks it before each large allocation. Past the limit the run's
		// context is cancelled, so the script stops at its next
		// instruction and pcall cannot catch it.
		guard := heapguard.Watch(limit, func(request int64) error {
			e := &MemoryLimitError{Limit: limit, Request: request}
			cancelBase(e)
			return e
		})
		defer guard.Close()
		memCheck = guard.Check
	}
	h := newHost(runCtx, opts, rep)
	rep.Plan = h.Plan
	defer func() { rep.finish(h, err, opts.Now()) }()

	// Bytes that are not the UTF-16 their byte order mark says are refused
	// before the lock and the journal.
	src, err := decodeSource(script.Name, script.Source)
	if err != nil {
		return rep, err
	}

	L, closeState, err := openState(h, script, opts, memCheck)
	if err != nil {
		return rep, err
	}
	defer closeState()
	// Compile before the lock and the journal: a script that does not
	// compile has done nothing to resume, and a run refused before it
	// starts creates nothing (not even the lock's folder).
	fn, err := L.Load(bytes.NewReader(src), script.Name)
	if err != nil {
		se := translateError(err, src)
		if se.File == "" {
			se.File = script.Name
		}
		return rep, se
	}
	// So are misspelt module names (export.rnu) and option keys: found
	// now, before a step writes anything, not when their line runs.
	if err := checkScriptFields(script, opts); err != nil {
		return rep, err
	}

	var lockHeld func() error
	if !opts.DryRun && opts.LockFile != "" {
		dir := filepath.Dir(opts.LockFile)
		if _, serr := os.Stat(dir); errors.Is(serr, os.ErrNotExist) {
			// Made for this run: when the run stops before its first
			// step, no journal is written and the folder, empty once
			// the lock is released, is removed too (a folder that holds
			// anything stays).
			defer func() { _ = os.Remove(dir) }()
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return rep, stateFolderError(opts.LockFile, err)
		}
		lk, lerr := acquireLock(opts.LockFile, lockInfo{
			PID: os.Getpid(), Host: proc.Host(), Started: opts.Now(), Script: script.Name,
			User: opts.User, Command: opts.Command,
		}, h.Stderr)
		if lerr != nil {
			return rep, lerr
		}
		defer func() { err = join(err, lk.release()) }()
		lockHeld = lk.check
		sweepTemporaries(dir)
	}
	j, err := openJournal(h, script, opts)
	if err != nil {
		return rep, err
	}
	if j != nil {
		j.lockHeld = lockHeld
	}
	rep.Resumed = j.resuming()
	h.steps = &stepRunner{journal: j, resume: opts.Resume, recorders: opts.Recorders}
	L.SetContext(runCtx)
	L.Push(fn)
	perr := L.PCall(0, 0, nil)
	h.flushQuiet("outside the steps")
	if perr != nil {
		se := h.scriptError(perr, src)
		var ae *lua.ApiError
		if f := h.steps.failed; f != nil && se.Kind == KindScript && errors.As(perr, &ae) && ae.Object == f.obj {
			se = f.err // where the step raised it, not the step call
		}
		err = se
	} else {
		// The script ended, but a step it caught the error of did not
		// finish: the run is not done.
		err = h.steps.caughtFailure()
	}
	if h.steps.refused != nil {
		// A resume refused before its first step, even if the script
		// caught the refusal and went on.
		err = h.steps.refused
	}
	jerr := j.end(err)
	if err != nil && jerr == nil && j.unfinished() {
		rep.Resumable, rep.Journal = true, j.path
	}
	switch {
	case jerr == nil:
	case err == nil:
		// The work is done; only the journal's record of it is not.
		jerr = fmt.Errorf("every step finished, but the journal could not record the run's end: %w; once the state folder can be written again (room on its disk, permission), --resume records it, skipping every finished step", jerr)
	default:
		jerr = fmt.Errorf("the journal could not record how the run ended: %w", jerr)
	}
	return rep, join(err, jerr)
}

// sweepTemporaries removes from the state folder the temporary files of
// atomic writes (".NAME.tmp-DIGITS", atomicfile) that a killed run left:
// the run holds the folder's lock, so no other run is writing them.
func sweepTemporaries(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.Type().IsRegular() && atomicfile.IsTemp(e.Name()) {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// scriptError translates an error from Lua; when the run's context is done
// the error says why the run stopped (time limit or cancellation), whatever
// Lua or a module made of it.
func (h *Host) scriptError(err error, src []byte) *ScriptError {
	se := translateError(err, src)
	if h.ctx.Err() == nil {
		return se
	}
	c := *se
	cause := context.Cause(h.ctx)
	c.Err = cause
	var tl *TimeLimitError
	var ml *MemoryLimitError
	switch {
	case errors.As(cause, &tl):
		c.Kind, c.Message = KindTimeout, tl.Error()
		// What the script or a module said as the time ran out (who held
		// the database it waited for) stays, after the time limit; the
		// interpreter's own "context deadline exceeded" says nothing more.
		if said := ranOutSaying(se, cause); said != "" {
			c.Message += "; when it ran out: " + said
		}
	case errors.As(cause, &ml):
		c.Kind, c.Message = KindMemory, ml.Error()
	case errors.Is(cause, context.DeadlineExceeded):
		c.Kind, c.Message = KindTimeout, "deadline exceeded"
	case errors.Is(cause, context.Canceled):
		c.Kind, c.Message = KindCancelled, "run cancelled"
	default:
		c.Kind, c.Message = KindCancelled, "run cancelled: "+cause.Error()
	}
	return &c
}

// ranOutSaying returns what a script error said when the run's context
// ended ("database: target.db is held by ..."), or "" when it says only
// that the context ended. The message is the one the run would have shown
// without the time limit, scrubbed the same way.
func ranOutSaying(se *ScriptError, cause error) string {
	msg := strings.TrimSpace(se.Message)
	switch msg {
	case "", context.DeadlineExceeded.Error(), context.Canceled.Error(), cause.Error():
		return ""
	}
	if se.Kind != "" && !runtimeKinds[se.Kind] {
		msg = se.Kind + ": " + msg
	}
	return msg
}

// join is errors.Join that returns a lone error as it is, so callers can
// still type-assert a *ScriptError.
func join(err, more error) error {
	switch {
	case more == nil:
		return err
	case err == nil:
		return more
	}
	return errors.Join(err, more)
}
