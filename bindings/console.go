package bindings

import (
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/importer"
	pcrt "github.com/pcmig/pcmig/runtime"
)

// Warnings that one operation gives for thousands of objects (a pool's
// disabled users, say) are summarised on the console: the first few, how
// many there are and where the full list is (Host.WarnGroup). The report
// keeps every one.

// problemKind names an importer's repeating kind of problem in the plural,
// for the console's summary line; ok is false for other problems.
func problemKind(kind string) (what string, ok bool) {
	what = importer.ProblemWhat(kind)
	return what, what != ""
}

// warnProblems writes an import's warnings: those of a repeating kind as
// one group per kind, in the order the kinds first appear, the others one
// by one.
func warnProblems(L *lua.LState, problems []importer.Problem) {
	groups := map[string][]string{}
	var order []string
	for _, pr := range problems {
		if pr.Severity != importer.Warning {
			continue
		}
		msg := pr.Object + ": " + pr.Message
		if _, ok := problemKind(pr.Kind); !ok {
			warn(L, "%s", msg)
			continue
		}
		if groups[pr.Kind] == nil {
			order = append(order, pr.Kind)
		}
		groups[pr.Kind] = append(groups[pr.Kind], msg)
	}
	for _, k := range order {
		what, _ := problemKind(k)
		warnGroup(L, what, groups[k])
	}
}

// warnGroup records every message as a warning and shows a summary of them
// on the console (see Host.WarnGroup).
func warnGroup(L *lua.LState, what string, msgs []string) {
	if h := pcrt.HostFrom(L); h != nil && len(msgs) > 0 {
		h.WarnGroup(what, msgs)
	}
}

// progressLog writes an operation's progress to the log at info level, so
// that a run shows where a long export or import is: a line when a phase
// starts and, in a phase whose size is known, one per tenth of the work or
// per 10 seconds, whichever comes first.
type progressLog struct {
	L     *lua.LState
	op    string // "export", "import"
	phase string
	tenth int64
	last  time.Time
	now   func() time.Time
}

func (e *Env) progressLog(L *lua.LState, op string) *progressLog {
	return &progressLog{L: L, op: op, now: time.Now}
}

// update reports that done of total units of phase are done (total 0:
// not known).
func (p *progressLog) update(phase string, done, total int64) {
	if phase != p.phase {
		p.phase, p.tenth, p.last = phase, 0, p.now()
		if total > 0 {
			say(p.L, "%s: %s: %d of %d", p.op, phase, done, total)
		} else {
			say(p.L, "%s: %s", p.op, phase)
		}
		return
	}
	if total <= 0 {
		return
	}
	if tenth := done * 10 / total; tenth > p.tenth || p.now().Sub(p.last) >= 10*time.Second {
		p.tenth, p.last = tenth, p.now()
		say(p.L, "%s: %s: %d of %d (%d%%)", p.op, phase, done, total, done*100/total)
	}
}
