package runtime

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/pcmig/pcmig/atomicfile"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/textwidth"
)

// Action is one write a module performed, or in a dry run would perform.
type Action struct {
	// Step is the step the action belongs to; Plan.Add fills it in.
	Step string `json:"step,omitempty"`
	// Module and Op name the operation, as in "category" and "create".
	Module string `json:"module"`
	Op     string `json:"op"`
	// Target names the object written, such as a category or a site.
	Target string `json:"target,omitempty"`
	// Detail says what changes, for people.
	Detail string `json:"detail,omitempty"`
	// Count is how many items the action covers (messages, members); 0
	// when it does not apply.
	Count int64 `json:"count,omitempty"`
	// Fields hold machine-readable details for the JSON plan. Pass 64-bit
	// identifiers as strings.
	Fields map[string]any `json:"fields,omitempty"`
}

// Plan records the actions of a run. In a dry run they are pending changes;
// otherwise they are the changes made. Its methods are safe for concurrent
// use.
type Plan struct {
	mu      sync.Mutex
	dryRun  bool
	step    string
	actions []Action
}

// NewPlan returns an empty plan.
func NewPlan(dryRun bool) *Plan { return &Plan{dryRun: dryRun} }

// Add records a. An empty a.Step is set to the current step.
func (p *Plan) Add(a Action) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if a.Step == "" {
		a.Step = p.step
	}
	p.actions = append(p.actions, a)
}

// Actions returns a copy of the recorded actions, in order.
func (p *Plan) Actions() []Action {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Action(nil), p.actions...)
}

// Len returns how many actions the plan holds.
func (p *Plan) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.actions)
}

// DryRun reports whether the actions are pending rather than performed.
func (p *Plan) DryRun() bool { return p.dryRun }

// Pending reports whether the plan holds changes that a dry run did not
// make.
func (p *Plan) Pending() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dryRun && len(p.actions) > 0
}

// begin makes step the current step and returns a mark for end.
func (p *Plan) begin(step string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.step = step
	return len(p.actions)
}

// end clears the current step and returns the actions since mark.
func (p *Plan) end(mark int) []Action {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.step = ""
	if mark >= len(p.actions) {
		return nil
	}
	return append([]Action(nil), p.actions[mark:]...)
}

// restore adds the actions of step, which an earlier run made.
func (p *Plan) restore(step string, actions []Action) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, a := range actions {
		a.Step = step
		p.actions = append(p.actions, a)
	}
}

// outside returns the actions recorded outside any step.
func (p *Plan) outside() []Action {
	var out []Action
	for _, a := range p.Actions() {
		if a.Step == "" {
			out = append(out, a)
		}
	}
	return out
}

// planJSON is the machine-readable plan; Version changes when fields are
// removed or change meaning.
type planJSON struct {
	Version        int      `json:"version"`
	DryRun         bool     `json:"dry_run"`
	ChangesPending bool     `json:"changes_pending"`
	Actions        []Action `json:"actions"`
}

// WriteJSON writes the plan as indented JSON: version, dry_run,
// changes_pending and the actions in order.
func (p *Plan) WriteJSON(w io.Writer) error {
	actions := p.Actions()
	if actions == nil {
		actions = []Action{}
	}
	return writeJSON(w, planJSON{
		Version:        1,
		DryRun:         p.dryRun,
		ChangesPending: p.Pending(),
		Actions:        actions,
	})
}

// WriteFile writes the plan as JSON to path, atomically. Options
// (atomicfile.Scrub) apply to the file's bytes.
func (p *Plan) WriteFile(path string, opts ...atomicfile.Option) error {
	b, err := p.JSON()
	if err != nil {
		return err
	}
	return atomicfile.Write(path, b, opts...)
}

// JSON is the plan as WriteFile writes it.
func (p *Plan) JSON() ([]byte, error) {
	var b strings.Builder
	err := p.WriteJSON(&b)
	return []byte(b.String()), err
}

// WriteText writes the plan for people: a summary line, then the actions
// grouped by step, one line each: module.op, target, count (with
// thousands separators) and detail.
func (p *Plan) WriteText(w io.Writer) error {
	actions := p.Actions()
	groups, order := map[string][]Action{}, []string{}
	for _, a := range actions {
		if _, ok := groups[a.Step]; !ok {
			order = append(order, a.Step)
		}
		groups[a.Step] = append(groups[a.Step], a)
	}
	var b strings.Builder
	b.WriteString(planSummary(p.dryRun, len(actions), len(order)))
	for _, step := range order {
		if step == "" {
			b.WriteString("\nOutside any step:\n")
		} else {
			fmt.Fprintf(&b, "\nStep \"%s\":\n", shown(step))
		}
		writeActionLines(&b, groups[step])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func planSummary(dryRun bool, actions, steps int) string {
	switch {
	case actions == 0 && dryRun:
		return "Dry run: no changes pending.\n"
	case actions == 0:
		return "No changes were made.\n"
	case dryRun:
		return fmt.Sprintf("Dry run: %d %s pending in %d %s; nothing was changed.\n",
			actions, numtext.Noun(actions, "action", "actions"), steps, numtext.Noun(steps, "step", "steps"))
	default:
		return fmt.Sprintf("Applied: %d %s in %d %s.\n",
			actions, numtext.Noun(actions, "action", "actions"), steps, numtext.Noun(steps, "step", "steps"))
	}
}

func writeActionLines(b *strings.Builder, actions []Action) {
	opWidth, targetWidth, countWidth := 0, 0, 0
	for _, a := range actions {
		// Pad by display width: names in CJK script or with emoji take two
		// columns a character.
		opWidth = max(opWidth, textwidth.Width(actionOp(a)))
		targetWidth = max(targetWidth, textwidth.Width(textwidth.OneLine(a.Target)))
		countWidth = max(countWidth, len(formatCount(a.Count)))
	}
	for _, a := range actions {
		// One line each: a name's line breaks are shown as \n, \r.
		a.Target, a.Detail = textwidth.OneLine(a.Target), textwidth.OneLine(a.Detail)
		line := "  " + textwidth.Pad(actionOp(a), opWidth) + "  " + textwidth.Pad(a.Target, targetWidth)
		if countWidth > 0 {
			line += fmt.Sprintf("  %*s", countWidth, formatCount(a.Count))
		}
		if a.Detail != "" {
			line += "  " + a.Detail
		}
		b.WriteString(strings.TrimRight(line, " "))
		b.WriteByte('\n')
	}
}

// formatCount writes n with thousands separators; 0 is "".
func formatCount(n int64) string {
	if n == 0 {
		return ""
	}
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

func actionOp(a Action) string {
	if a.Module == "" {
		return a.Op
	}
	return a.Module + "." + a.Op
}
