package importer

import (
	"time"
)

// Problem severities.
const (
	Error   = "error"
	Warning = "warning"
)

// Problem is one line of pre-flight validation.
type Problem struct {
	Severity string `json:"severity"`
	Object   string `json:"object"`
	Message  string `json:"message"`
	// Kind names problems that one import may give for thousands of
	// objects (see the Kind constants), so that consoles can summarise
	// them; "" for the others.
	Kind string `json:"kind,omitempty"`
}

// Kinds of problems that repeat.
const (
	// KindInactivePrincipal: a disabled or deleted principal is named.
	KindInactivePrincipal = "inactive_principal"
	// KindNotAllowed: a role outside its category's allowed members minus
	// denied members, not granted.
	KindNotAllowed = "not_allowed"
	// KindPresenters: a room that is not an auditorium has presenters.
	KindPresenters = "presenters"
	// KindRoomMoved: a room an earlier import created was moved to
	// another category in the target.
	KindRoomMoved = "room_moved"
	// KindRoomHistory: a target room already holds a history the
	// archive's room does not continue (skipped, appended or refused).
	KindRoomHistory = "room_history"
	// KindListsDisagree: a principal allowed in the archive's category
	// and denied in the target's, or the other way round.
	KindListsDisagree = "lists_disagree"
	// KindUnknownPrincipal: a role or entry names a principal neither in
	// the archive nor in the target (an error).
	KindUnknownPrincipal = "unknown_principal"
)

// problemWhat names each kind's problems in the plural, for a console's
// summary line.
var problemWhat = map[string]string{
	KindInactivePrincipal: "disabled or deleted principals",
	KindNotAllowed:        "roles outside their category's allowed members minus denied members (not granted)",
	KindPresenters:        "rooms with presenters that are not auditorium rooms",
	KindRoomMoved:         "rooms moved to another category in the target since an earlier import",
	KindRoomHistory:       "rooms whose target room already holds another history",
	KindListsDisagree:     "principals allowed in the archive's category and denied in the target's, or the other way round (the target's entry is kept)",
	KindUnknownPrincipal:  "roles or entries naming a principal neither in the archive nor in the target",
}

// ProblemWhat names the problems of a kind in the plural ("" for no kind).
func ProblemWhat(kind string) string { return problemWhat[kind] }

// Conflict is a name the archive and the target share, and what was done.
type Conflict struct {
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	Resolution string `json:"resolution"`
	Detail     string `json:"detail,omitempty"`
}

// Result is the plan of an import and, unless it was a dry run, what it did.
type Result struct {
	Archive    string `json:"archive"`
	Target     string `json:"target"`
	DryRun     bool   `json:"dry_run"`
	OnConflict string `json:"on_conflict"`
	// Level is the archive's export level (User, Category, RoomDirectory,
	// Content or All): what it holds, so what the import can bring.
	Level      string    `json:"level"`
	Principals CountPlan `json:"principals"`
	// Affiliations counts the group, container and domain memberships
	// added to the principals the import creates.
	Affiliations int              `json:"add_affiliations"`
	Addins       CountPlan        `json:"addins"`
	Categories   []CategoryResult `json:"categories"`
	Rooms        []RoomResult     `json:"rooms"`
	Conflicts    []Conflict       `json:"conflicts"`
	Problems     []Problem        `json:"problems"`
	Messages     MessageCounts    `json:"messages"`
	Resumed      bool             `json:"resumed"`
	// Stopped is an import that began writing and did not finish (an
	// error, Ctrl-C), or that was cancelled (Ctrl-C, a time limit) before
	// its first write: the counts are what it wrote, and running it again
	// resumes it.
	Stopped bool `json:"stopped,omitempty"`
	// Refused is why an import that passed its pre-flight wrote nothing:
	// its first write was refused (Persistent Chat servers heartbeating, a
	// read-only or locked database) or failed, with nothing committed. A
	// cancelled import is Stopped, never Refused.
	Refused  string        `json:"refused,omitempty"`
	Duration time.Duration `json:"duration_ns"`
}

// CountPlan counts objects created and found.
type CountPlan struct {
	Create   int `json:"create"`
	Existing int `json:"existing"`
}

// CategoryResult is one category's plan.
type CategoryResult struct {
	Name        string `json:"name"`
	Target      string `json:"target_name"`
	Action      string `json:"action"`
	AddAllowed  int    `json:"add_allowed"`
	AddDenied   int    `json:"add_denied"`
	AddCreators int    `json:"add_creators"`
	Rooms       int    `json:"rooms"`
}

// RoomResult is one room's plan.
type RoomResult struct {
	Name          string `json:"name"`
	Target        string `json:"target_name"`
	Category      string `json:"category"`
	Action        string `json:"action"`
	AddMembers    int    `json:"add_members"`
	AddManagers   int    `json:"add_managers"`
	AddPresenters int    `json:"add_presenters"`
	Messages      int64  `json:"messages"`
	AlreadyThere  int64  `json:"already_imported"`
	Imported      int64  `json:"imported"`
}

// MessageCounts sums the messages.
type MessageCounts struct {
	InArchive    int64 `json:"in_archive"`
	AlreadyThere int64 `json:"already_imported"`
	ToImport     int64 `json:"to_import"`
	Imported     int64 `json:"imported"`
	Skipped      int64 `json:"skipped"`
}

// Errors counts error problems.
func (r *Result) Errors() int { return r.count(Error) }

// Warnings counts warning problems.
func (r *Result) Warnings() int { return r.count(Warning) }

func (r *Result) count(sev string) int {
	n := 0
	for _, p := range r.Problems {
		if p.Severity == sev {
			n++
		}
	}
	return n
}

// Changes reports whether the import would change (or changed) the target.
func (r *Result) Changes() bool {
	if r.Principals.Create > 0 || r.Affiliations > 0 || r.Addins.Create > 0 || r.Messages.ToImport > 0 {
		return true
	}
	for _, c := range r.Categories {
		if c.Action == ActCreate || c.Action == ActRename || c.AddAllowed+c.AddDenied+c.AddCreators > 0 {
			return true
		}
	}
	for _, rm := range r.Rooms {
		if rm.Action == ActCreate || rm.Action == ActRename || rm.AddMembers+rm.AddManagers+rm.AddPresenters > 0 {
			return true
		}
	}
	return false
}

func (p *plan) result(path, targetDesc string, opts Options) *Result {
	res := &Result{Archive: path, Target: targetDesc, DryRun: opts.DryRun, OnConflict: opts.OnConflict,
		Level: p.a.manifest.Level, Conflicts: p.conflicts, Problems: p.problems}
	res.Principals = CountPlan{Create: len(p.prinCreate), Existing: len(p.a.prins) - len(p.prinCreate)}
	for _, a := range p.affAdd {
		res.Affiliations += len(a.of)
	}
	res.Addins = CountPlan{Create: len(p.addinCreate), Existing: len(p.a.addins) - len(p.addinCreate)}
	rooms := map[*catPlan]int{}
	for _, rp := range p.rooms {
		rooms[rp.cat]++
	}
	for _, cp := range p.cats {
		res.Categories = append(res.Categories, CategoryResult{Name: cp.arc.Name, Target: cp.name, Action: cp.action,
			AddAllowed: len(cp.addAllowed), AddDenied: len(cp.addDenied), AddCreators: len(cp.addCreators), Rooms: rooms[cp]})
	}
	for _, rp := range p.rooms {
		res.Rooms = append(res.Rooms, rp.result())
	}
	res.sumMessages()
	return res
}

func (rp *roomPlan) result() RoomResult {
	return RoomResult{Name: rp.arc.Name, Target: rp.name, Category: rp.arc.Category, Action: rp.action,
		AddMembers: len(rp.addMembers), AddManagers: len(rp.addManagers), AddPresenters: len(rp.addPresenters),
		Messages: rp.messages, AlreadyThere: rp.done}
}

func (r *Result) sumMessages() {
	imported := r.Messages.Imported
	r.Messages = MessageCounts{Imported: imported}
	for _, rm := range r.Rooms {
		r.Messages.InArchive += rm.Messages
		if rm.Action == ActSkip {
			r.Messages.Skipped += rm.Messages
			continue
		}
		r.Messages.AlreadyThere += rm.AlreadyThere
		r.Messages.ToImport += rm.Messages - rm.AlreadyThere
	}
}
