package runtime

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/runbook"
	"github.com/pcmig/pcmig/textwidth"

	lua "github.com/yuin/gopher-lua"
)

// Step and run statuses.
const (
	StatusRunning = "running" // the run has not ended (seen only in a partial report)
	StatusDone    = "done"
	StatusSkipped = "skipped" // finished in an earlier run; see Options.Resume
	StatusFailed  = "failed"
)

// stepRunner carries the step state of a run.
type stepRunner struct {
	journal *journal // nil without Options.Journal
	resume  bool
	// recorders keep data with each finished step (Options.Recorders).
	recorders map[string]StepRecorder
	total     int
	index     int
	seen      map[string]bool
	// failed is what the last failed step raised, a value that carries no
	// position (a table, nil), and its error as the step reported it.
	failed *failedStep
	// failures are the steps that failed in this process, in order. A
	// script that catches a step's error (pcall(step, ...)) and goes on
	// still ends a run that is not done (caughtFailure).
	failures []stepFailure
	// skipped counts the steps a resumed run skipped (finished in the
	// journal's run), and ran says whether a step of this run started:
	// resumeRefused is asked before the first.
	skipped int
	ran     bool
	// unmetSaid says that a resumed run has warned of the journal's
	// finished steps it had not met before a step it ran (journal.unmet).
	unmetSaid bool
	// refused is the refusal of a resumed run whose journal's finished
	// steps are not this script's (journal.notReached): the run ends with
	// it, as a refused start, even if the script caught it.
	refused error
}

// stepFailure is a step that failed, with its error as the step reported
// it.
type stepFailure struct {
	name string
	err  *ScriptError
}

// caughtFailure is the error of a run whose script ended normally after
// a step failed: the script caught the step's error and went on. A step
// that failed did not finish, so the run is not done: it fails, its
// journal is not marked complete and --resume runs the step again. The
// error is the last failed step's (the one pcmig names as the step the
// run failed in), saying that the script caught it. nil when no step
// failed.
func (s *stepRunner) caughtFailure() error {
	if s == nil || len(s.failures) == 0 {
		return nil
	}
	last := s.failures[len(s.failures)-1]
	e := *last.err
	what := "the script caught this error and went on"
	if n := len(s.failures); n > 1 {
		names := make([]string, 0, n)
		for _, f := range s.failures {
			names = append(names, fmt.Sprintf("%q", f.name))
		}
		what = fmt.Sprintf("the script caught the errors of %d failed steps (%s) and went on", n, strings.Join(names, ", "))
	}
	e.Message += " (" + what + ", but a step that failed did not finish: the run is not done; --resume runs it again)"
	return &e
}

// failedStep is a step's error raised again as a value without a
// position: when it ends the run, the run reports where the step raised
// it, not the line of the step call that raised it again.
type failedStep struct {
	obj lua.LValue
	err *ScriptError
}

func hostOrRaise(L *lua.LState, fn string) *Host {
	h := HostFrom(L)
	if h == nil || h.steps == nil {
		L.RaiseError("%s: no pcmig run", fn)
	}
	return h
}

// luaSteps is steps(n): it declares the number of steps, for the
// "Step 3/7" headers and the report.
func luaSteps(L *lua.LState) int {
	h := hostOrRaise(L, "steps")
	// A whole number: CheckInt cut steps(2.5) to 2 (and steps(0.5) to a
	// "must be positive" that did not say why), and steps(2^40) put
	// "Step 1/1099511627776" on every heading.
	f := float64(L.CheckNumber(1))
	if f < 1 || f > maxSteps || f != math.Trunc(f) {
		L.ArgError(1, fmt.Sprintf("the number of steps must be positive: a whole number from 1 to %d, not %s", maxSteps, L.Get(1).String()))
	}
	n := int(f)
	h.mu.Lock()
	h.steps.total = n
	h.rep.TotalSteps = n
	h.mu.Unlock()
	return 0
}

// maxSteps is the most steps a script may declare (steps(n)).
const maxSteps = 1000000

// maxStepName is the longest step name, in bytes: a name is a heading,
// and it is printed, journaled and reported with its step (a name of 20 MiB
// made a journal of 40 MiB).
const maxStepName = 1024

// luaStep is step(name, fn): it runs fn as the named step. With a journal
// the step's end is recorded, and a resumed run skips a step that finished
// in an earlier run. If fn raises, the step is marked failed and the error
// is raised again. Step names must be unique in a run; steps do not nest.
func luaStep(L *lua.LState) int {
	h := hostOrRaise(L, "step")
	// Control and invisible characters are escaped (\u001B, \u202E, \n)
	// in name, which reaches the terminal and the journal and is matched
	// in the journal as escaped. The report and the plan keep the real
	// name (raw): their JSON escapes it itself, and the HTML page and the
	// console escape it when they show it.
	raw := L.CheckString(1)
	name := runbook.CommentText(raw)
	fn := L.CheckFunction(2)
	s := h.steps
	switch {
	case name == "":
		L.ArgError(1, "a step needs a name")
	case len(raw) > maxStepName:
		// The name is printed, journaled and reported with every step.
		L.ArgError(1, fmt.Sprintf("a step's name is at most %d bytes, and this one has %d", maxStepName, len(raw)))
	case s.seen[name]:
		RaiseError(L, KindArgument, "step %q: a run cannot have two steps of the same name (the journal tells them apart by name)", name)
	case h.Step() != "":
		RaiseError(L, KindArgument, "step %q: steps cannot be nested (inside step %q)", name, h.Step())
	}
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	skip := s.resume && s.journal.finished(name)
	if s.resume && !skip && !s.ran {
		// Before the first step this resumed run would run: refused when
		// none of the journal's finished steps was met and another
		// script text made them (nothing printed for the step).
		if err := s.journal.notReached(name, s.skipped); err != nil {
			s.refused = err
			Raise(L, &ScriptError{Kind: KindValidation, Op: "resume", Message: err.Error(), Err: err})
		}
	}
	if s.resume && !skip && !s.unmetSaid {
		if msg := s.journal.unmet(name, s.seen); msg != "" {
			s.unmetSaid = true
			h.Warnf("%s", msg)
		}
	}
	s.seen[name] = true
	s.index++
	h.flushQuiet("outside the steps")
	h.printHeader(s.index, s.total, name)

	start := h.now()
	sr := StepReport{Index: s.index, Name: raw, Start: start}
	if skip {
		s.skipped++
		s.skip(L, h, name, sr)
		return 0
	}
	s.ran = true
	if err := s.journal.started(name); err != nil {
		Raise(L, &ScriptError{Kind: KindIO, Op: "step", Message: err.Error(), Err: err})
	}

	h.mu.Lock()
	h.cur, h.stepRec = &sr, nil
	h.mu.Unlock()
	s.startRecorders(name)
	mark := h.Plan.begin(raw)
	L.Push(fn)
	perr := L.PCall(0, 0, nil)
	actions := h.Plan.end(mark)
	h.flushQuiet("in this step")

	h.mu.Lock()
	h.cur = nil
	rec := h.stepRec
	sr.End = h.now()
	sr.DurationMS = sr.End.Sub(sr.Start).Milliseconds()
	sr.Actions = actions
	if h.DryRun {
		sr.Planned = len(actions)
	} else {
		sr.Applied = len(actions)
	}
	h.mu.Unlock()

	var raise lua.LValue
	if perr != nil {
		se := h.scriptError(perr, nil)
		sr.Status = StatusFailed
		sr.Errors = append(sr.Errors, se.Error())
		// A further line of the error (a name it quotes may hold a line
		// break) is indented under the step's lines, never one of its own.
		fmt.Fprintf(h.Stdout, "   failed after %s: %s\n", roundDuration(sr.End.Sub(start)), textwidth.Continued(se.Error(), 6))
		if jerr := s.journal.failed(name, se.Error()); jerr != nil {
			h.Warnf("journal: %v", jerr)
		}
		raise = reraiseValue(L, perr, se)
		s.failures = append(s.failures, stepFailure{name: raw, err: se})
		s.failed = nil
		if ae, ok := perr.(*lua.ApiError); ok && ae.Type != lua.ApiErrorPanic && hasNoPosition(ae.Object) {
			s.failed = &failedStep{obj: ae.Object, err: se}
		}
	} else if jerr := s.finish(name, sr, rec); jerr != nil {
		sr.Status = StatusFailed
		msg := fmt.Sprintf("step %q finished but the journal could not record it: %v", name, jerr)
		sr.Errors = append(sr.Errors, msg)
		fmt.Fprintf(h.Stdout, "   failed: %s\n", msg)
		raise = newErrorValue(L, &ScriptError{Kind: KindIO, Op: "step", Message: msg, Err: jerr})
	} else {
		sr.Status = StatusDone
		fmt.Fprintf(h.Stdout, "   done in %s%s\n", roundDuration(sr.End.Sub(start)), actionSummary(h.DryRun, len(actions)))
	}
	h.mu.Lock()
	h.rep.Steps = append(h.rep.Steps, sr)
	h.mu.Unlock()
	if raise != nil {
		L.Error(raise, 0)
	}
	return 0
}

// reraiseValue returns the value to raise again after a step failed: the
// original error value, so pcall around step sees what fn raised, or a
// typed error for a Go panic, whose position would otherwise be lost.
func reraiseValue(L *lua.LState, err error, se *ScriptError) lua.LValue {
	if ae, ok := err.(*lua.ApiError); ok && ae.Type != lua.ApiErrorPanic {
		return ae.Object
	}
	return newErrorValue(L, se)
}

func (h *Host) printHeader(index, total int, name string) {
	if total > 0 {
		fmt.Fprintf(h.Stdout, "== Step %d/%d: %s ==\n", index, total, name)
		return
	}
	fmt.Fprintf(h.Stdout, "== Step %d: %s ==\n", index, name)
}

func actionSummary(dryRun bool, n int) string {
	switch {
	case n == 0:
		return ""
	case dryRun:
		return fmt.Sprintf(" (%d %s planned)", n, numtext.Noun(n, "action", "actions"))
	default:
		return fmt.Sprintf(" (%d %s applied)", n, numtext.Noun(n, "action", "actions"))
	}
}

func roundDuration(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

// hasNoPosition tells a raised value whose message cannot hold the
// position it was raised at: not a string or number (gopher-lua puts the
// position into those) and not a typed error (which keeps its own).
func hasNoPosition(v lua.LValue) bool {
	switch v.(type) {
	case lua.LString, lua.LNumber:
		return false
	}
	_, typed := AsScriptError(v)
	return !typed
}
