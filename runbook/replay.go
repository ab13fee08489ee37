package runbook

import (
	"fmt"
	"slices"
)

// Op is one call of a runbook adder, kept so that it can be stored (as
// JSON) and made again on another runbook: a resumed run carries the
// commands of the steps that earlier runs finished this way (see Since and
// Replay). An Op holds the adder's arguments, never rendered lines, so a
// replayed call is validated and quoted as the first one was.
type Op struct {
	// Op names the adder: section, comment, site, move, creators, export,
	// import, files or settings.
	Op string `json:"op"`
	// Step is the step number of a section.
	Step int `json:"step,omitempty"`
	// Args are the adder's string arguments, in its order.
	Args []string `json:"args,omitempty"`
	// Values are its list of SIP addresses (move, creators) or of files
	// (files-scope).
	Values []string `json:"values,omitempty"`
	// Names are the categories of files-scope.
	Names []string `json:"names,omitempty"`
	// Batch is MoveUsers' batch size.
	Batch int `json:"batch,omitempty"`
	// Export holds ExportData's parameters.
	Export *Export `json:"export,omitempty"`
}

// Mark is a position in a runbook's calls; see Since.
type Mark int

// Mark returns the current position, for Since.
func (r *Runbook) Mark() Mark { return Mark(len(r.ops)) }

// Since returns the calls made after m, in order.
func (r *Runbook) Since(m Mark) []Op {
	if int(m) < 0 || int(m) > len(r.ops) {
		return []Op{}
	}
	return append([]Op{}, r.ops[m:]...)
}

// logged records op when the adder it describes succeeded (*err is nil):
// adders that fail add nothing, to the script or to the calls.
func (r *Runbook) logged(err *error, op Op) {
	if *err == nil {
		r.ops = append(r.ops, op)
	}
}

// Replay makes the calls of ops again, in order, with the same checks as
// the first time. It stops at the first call that fails, or that is not a
// call an adder records, naming it.
func (r *Runbook) Replay(ops []Op) error {
	for i, op := range ops {
		if err := r.replay(op); err != nil {
			return fmt.Errorf("runbook: call %d of %d (%s): %w", i+1, len(ops), op.Op, err)
		}
	}
	return nil
}

func (r *Runbook) replay(op Op) error {
	want := map[string]int{"section": 1, "comment": 1, "site": 2, "move": 2, "creators": 2,
		"export": 0, "import": 2, "files": 5, "files-scope": 5, "settings": 3, "settings-no-endpoints": 4}
	n, ok := want[op.Op]
	switch {
	case !ok:
		return fmt.Errorf("not a runbook call")
	case op.Op == "settings" && len(op.Args) == n+1 && op.Args[n] == keepExisting:
		return r.CarryPoolSettingsKeeping(op.Args[0], op.Args[1], op.Args[2])
	case len(op.Args) != n:
		return fmt.Errorf("%d arguments, want %d", len(op.Args), n)
	}
	a := op.Args
	switch op.Op {
	case "section":
		r.AddSection(op.Step, a[0])
		return nil
	case "comment":
		r.Comment(a[0])
		return nil
	case "site":
		return r.SetSiteDefaultPool(a[0], a[1])
	case "move":
		return r.MoveUsers(a[0], op.Values, op.Batch, a[1])
	case "creators":
		return r.AddCategoryCreators(a[0], a[1], op.Values)
	case "export":
		if op.Export == nil {
			return fmt.Errorf("no export parameters")
		}
		return r.ExportData(*op.Export)
	case "import":
		return r.ImportData(a[0], a[1])
	case "files":
		return r.CopyFileStore(a[0], a[1], a[2], a[3], a[4])
	case "settings-no-endpoints":
		return r.CarryPoolSettingsLeavingEndpoints(a[0], a[1], a[2], a[3])
	case "files-scope":
		return r.CopyFileStoreScope(a[0], a[1], a[2], a[3], a[4], op.Names, op.Values)
	default: // settings
		return r.CarryPoolSettings(a[0], a[1], a[2])
	}
}

// clone copies e, so that a recorded call does not share the caller's
// slice or time.
func (e Export) clone() *Export {
	c := e
	c.Scopes = slices.Clone(e.Scopes)
	if e.StartDate != nil {
		t := *e.StartDate
		c.StartDate = &t
	}
	return &c
}
