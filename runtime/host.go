package runtime

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/internal/grouped"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/runbook"
	"github.com/pcmig/pcmig/textwidth"
	"github.com/pcmig/pcmig/verify"
)

// hostKey is the registry field holding the run's *Host. The registry is
// shared by coroutine threads, so HostFrom works in coroutines too.
const hostKey = "pcmig.host"

// Host is what a run offers to the Go modules: output, logging, the dry-run
// flag, the plan, the current step and the run's context. Modules reach it
// with [HostFrom]. Its methods are safe for concurrent use.
type Host struct {
	// Stdout and Stderr are the run's writers; writes are serialised.
	Stdout, Stderr io.Writer
	// DryRun is true when modules must not write anything but the plan.
	DryRun bool
	// Plan records each write a module performs (or would perform in a dry
	// run); see [Plan.Add].
	Plan *Plan

	ctx   context.Context
	level LogLevel
	now   func() time.Time

	mu  sync.Mutex // guards rep, ops and cur
	rep *Report
	ops []string
	cur *StepReport
	// stepRec is the reconciliation the current step made, if any: the
	// journal keeps it with the step.
	stepRec *verify.Result
	// recMark is how many actions the plan held when the run's
	// reconciliation was made: the later ones are changes it does not
	// cover (Report.ChangesAfterReconciliation).
	recMark int
	steps   *stepRunner
	// outsideWarned: a write outside any step was warned of (NoteWrite).
	outsideWarned bool
	// quiet counts the warnings and errors of the current step (or of the
	// run outside steps) written to the console, and those not written
	// because the step had written ConsoleStepLines of that level already.
	quiet consoleBudget
	// listed says where the warnings a console summary leaves out are
	// listed (Options.Listed).
	listed string
}

// ConsoleStepLines is how many warnings, and how many errors, one step
// writes to the console (below --log-level debug); the rest go to the
// report only, and the step ends with one line saying how many were not
// shown. It keeps a script or an estate that warns once per category,
// room or principal from burying the run's output; the report keeps
// every one.
const ConsoleStepLines = 20

// consoleBudget is the console lines of warnings and errors of one step.
type consoleBudget struct {
	shown, hidden [2]int // [0] warnings, [1] errors
}

// budgetSlot is a level's place in consoleBudget, or -1 for levels
// without a budget.
func budgetSlot(level LogLevel) int {
	switch {
	case level >= LevelError:
		return 1
	case level == LevelWarn:
		return 0
	}
	return -1
}

// consoleLine writes "LEVEL msg" to Stderr unless the step's budget for
// the level is spent (at --log-level debug it never is).
func (h *Host) consoleLine(level LogLevel, msg string) {
	if i := budgetSlot(level); i >= 0 && h.level > LevelDebug {
		h.mu.Lock()
		over := h.quiet.shown[i] >= ConsoleStepLines
		if over {
			h.quiet.hidden[i]++
		} else {
			h.quiet.shown[i]++
		}
		h.mu.Unlock()
		if over {
			return
		}
	}
	fmt.Fprintf(h.Stderr, "%s %s\n", level, textwidth.OneLine(msg))
}

// flushQuiet writes how many warnings and errors the budget kept off the
// console since the last flush (where names the span: "in this step"),
// and starts a new budget.
func (h *Host) flushQuiet(where string) {
	h.mu.Lock()
	q := h.quiet
	h.quiet = consoleBudget{}
	h.mu.Unlock()
	for i, level := range []LogLevel{LevelWarn, LevelError} {
		if n := q.hidden[i]; n > 0 {
			noun := numtext.Count(n, "more warning", "more warnings")
			if i == 1 {
				noun = numtext.Count(n, "more error", "more errors")
			}
			fmt.Fprintf(h.Stderr, "%s ... %s %s not shown (%d in all): %s, --log-level debug prints them here\n",
				level, noun, where, n+q.shown[i], h.listed)
		}
	}
}

func newHost(ctx context.Context, opts Options, rep *Report) *Host {
	var mu sync.Mutex
	return &Host{
		Stdout: &lockedWriter{mu: &mu, w: opts.Stdout},
		Stderr: &lockedWriter{mu: &mu, w: opts.Stderr},
		DryRun: opts.DryRun,
		Plan:   NewPlan(opts.DryRun),
		ctx:    ctx,
		level:  opts.LogLevel,
		now:    opts.Now,
		rep:    rep,
		listed: cmp.Or(opts.Listed, "the report lists every one"),
	}
}

// HostFrom returns the Host of the run that owns L, or nil when L was not
// opened by this package.
func HostFrom(L *lua.LState) *Host {
	ud, ok := L.GetField(L.Get(lua.RegistryIndex), hostKey).(*lua.LUserData)
	if !ok {
		return nil
	}
	h, _ := ud.Value.(*Host)
	return h
}

func (h *Host) install(L *lua.LState) {
	ud := L.NewUserData()
	ud.Value = h
	L.SetField(L.Get(lua.RegistryIndex), hostKey, ud)
}

// Context returns the run's context: it is done when the time limit passes
// or the run is cancelled. Modules normally use L.Context(), which is the
// same context (or, in a coroutine, one derived from it).
func (h *Host) Context() context.Context { return h.ctx }

// Step returns the name of the step being run, with control and invisible
// characters escaped as the console shows it, or "" outside any step.
func (h *Host) Step() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cur == nil {
		return ""
	}
	return runbook.CommentText(h.cur.Name)
}

// StepIndex returns the 1-based number of the step being run, or 0 outside
// any step.
func (h *Host) StepIndex() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cur == nil {
		return 0
	}
	return h.cur.Index
}

// Op returns the binding operation being called (see [Wrap]), or "".
func (h *Host) Op() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.ops) == 0 {
		return ""
	}
	return h.ops[len(h.ops)-1]
}

func (h *Host) pushOp(op string) {
	h.mu.Lock()
	h.ops = append(h.ops, op)
	h.mu.Unlock()
}

func (h *Host) popOp() {
	h.mu.Lock()
	if len(h.ops) > 0 {
		h.ops = h.ops[:len(h.ops)-1]
	}
	h.mu.Unlock()
}

// Logf writes "LEVEL message" to Stderr when level is at or above the run's
// log level. Warnings and errors are also recorded in the report, under the
// current step, whatever the log level.
func (h *Host) Logf(level LogLevel, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	h.logMessage(level, msg)
}

func (h *Host) logMessage(level LogLevel, msg string) {
	h.recordMessage(level, msg)
	if level >= h.level {
		h.consoleLine(level, msg)
	}
}

// recordMessage files a warning or an error in the report, under the
// current step.
func (h *Host) recordMessage(level LogLevel, msg string) {
	if level >= LevelWarn {
		h.mu.Lock()
		switch {
		case h.cur != nil && level >= LevelError:
			h.cur.Errors = append(h.cur.Errors, msg)
		case h.cur != nil:
			h.cur.Warnings = append(h.cur.Warnings, msg)
		case level >= LevelError:
			h.rep.Errors = append(h.rep.Errors, msg)
		default:
			h.rep.Warnings = append(h.rep.Warnings, msg)
		}
		h.mu.Unlock()
	}
}

// ConsoleFew is how many warnings of one kind [Host.WarnGroup] writes to
// the console before it summarises the rest.
const ConsoleFew = 3

// WarnGroup records each of msgs as a warning in the report, as Warnf
// does, but writes only the first [ConsoleFew] to the console, followed by
// one line saying how many there are in all (what names them in the
// plural, such as "disabled or deleted principals") and where every one
// is: the report, and the console at --log-level debug, which writes them
// all. Use it for warnings that one operation may give thousands of times.
func (h *Host) WarnGroup(what string, msgs []string) {
	show := len(msgs)
	if h.level > LevelDebug && show > ConsoleFew+1 {
		show = ConsoleFew
	}
	for i, m := range msgs {
		h.recordMessage(LevelWarn, m)
		if i < show && LevelWarn >= h.level {
			h.consoleLine(LevelWarn, m)
		}
	}
	if show < len(msgs) && LevelWarn >= h.level {
		fmt.Fprintf(h.Stderr, "%s %s\n", LevelWarn, grouped.Summary(len(msgs), show, what, h.listed+", --log-level debug prints them here"))
	}
}

// GroupLines returns what the run's console shows of msgs, messages that
// one operation may give once per category, room or role (kinds[i] the
// kind of msgs[i], "" for one that does not repeat; what names a kind's
// messages in the plural): at --log-level debug every one; otherwise of
// each kind the first [ConsoleFew], then one line saying how many there
// are in all and where every one is (grouped.LinesOf). The caller writes
// them; it records nothing.
func (h *Host) GroupLines(msgs, kinds []string, what func(kind string) string) []string {
	if h.level <= LevelDebug {
		return msgs
	}
	return grouped.LinesOf(ConsoleFew, msgs, kinds, what, h.listed+", --log-level debug prints them here")
}

// Debugf logs at LevelDebug; see [Host.Logf].
func (h *Host) Debugf(format string, args ...any) { h.Logf(LevelDebug, format, args...) }

// Infof logs at LevelInfo; see [Host.Logf].
func (h *Host) Infof(format string, args ...any) { h.Logf(LevelInfo, format, args...) }

// Warnf logs at LevelWarn and records the warning in the report.
func (h *Host) Warnf(format string, args ...any) { h.Logf(LevelWarn, format, args...) }

// Errorf logs at LevelError and records the error in the report. It does not
// stop the run: raise an error for that (see [RaiseError]).
func (h *Host) Errorf(format string, args ...any) { h.Logf(LevelError, format, args...) }

// lockedWriter serialises writes from modules' goroutines.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

// NoteWrite is called by a module for each write it made, or in a dry
// run planned (what names it: "category.create pchat19.contoso.com\\Sales").
// In a run that keeps a journal, the first write made outside any step is
// warned of: the journal records steps, and --resume, which runs the
// script again, skips finished steps only, so the write is made again (or
// fails as a conflict). A dry run, where an administrator reads a script's
// plan before the run that matters, says what the real run would do.
func (h *Host) NoteWrite(what string) {
	if h.Step() != "" || h.steps == nil || h.steps.journal == nil {
		return
	}
	h.mu.Lock()
	first := !h.outsideWarned
	h.outsideWarned = true
	h.mu.Unlock()
	switch {
	case first && h.DryRun:
		h.Warnf("a real run would write %s outside any step: the run's journal records steps only, so --resume "+
			"would write it again; make writes inside step(name, fn)", what)
	case first:
		h.Warnf("%s was written outside any step: the run's journal records steps only, so a --resume of this run "+
			"writes it again; make writes inside step(name, fn)", what)
	}
}
