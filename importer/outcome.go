package importer

import (
	"strings"
	"time"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/textwidth"
)

// Outcome is what an import did with one archive category or room: the
// record that lets `pcmig verify` match a renamed or merged object with its
// source, not only by name.
type Outcome struct {
	Kind     string `json:"kind"`   // "category" or "room"
	Name     string `json:"name"`   // in the archive
	Action   string `json:"action"` // ActCreate, ActMerge, ActSkip, ActRename or ActExists
	Target   string `json:"target_name"`
	TargetID int32  `json:"target_id,omitempty"`
}

// MessageRange is where an import put one room's messages: the target
// room's chat IDs Base+1 to Base+Total. Chat IDs at or below Base were in
// the room before (a merge); those above Base+Total came later.
type MessageRange struct {
	TargetID int32
	Base     int64
	Total    int64
}

// Record is what an import journal says about a finished or interrupted
// import of one archive into one target.
type Record struct {
	Path     string
	Updated  time.Time
	Outcomes map[string]Outcome      // by archive category or room GUID
	Messages map[string]MessageRange // by archive room GUID
	// Created are the GUIDs (lower case) of the principals the import
	// created in the target.
	Created map[string]bool
}

// Why FindRecord returns no record: stable words, shown to scripts by
// import.record.
const (
	NoJournal    = "no journal"        // no journal of this archive for this target
	OtherArchive = "another archive"   // the journal there is of another archive
	OtherTarget  = "another database"  // the only journal there is of another database with the target's pool ID (an older pcmig's, shared)
	NoOutcomes   = "unfinished import" // the journal records no categories or rooms
)

// Lookup is what FindRecord says besides the record: why there is none
// (or none with outcomes), and which journal it read.
type Lookup struct {
	Why     string // "" for a record with outcomes; NoJournal, OtherArchive, OtherTarget or NoOutcomes
	Journal string // the journal file looked for
	// Other is, for OtherTarget, the database the journal records
	// (shortened for messages: the file is not trusted).
	Other string
}

// FindRecord reads the journal that an import of the archive at
// archivePath (whose manifest is m) into target (pool ID poolID) keeps
// (see JournalPath), or, when there is none, the one an older pcmig kept
// there for every database with the pool ID (legacyJournalPath). It
// returns no record, and says why, when there is no journal, when the
// journal there is of another archive (OtherArchive), or of another
// database with the target's pool ID (OtherTarget: a restored copy of the
// target, or the target a copy was made of, that an older pcmig's shared
// journal records): its rooms' chat IDs and node IDs are not this
// target's, so neither verify nor the steps after an import may match this
// target's objects and messages by it. A record with no outcomes (an
// import stopped before it wrote the structure) is returned with
// NoOutcomes.
func FindRecord(archivePath string, m archive.Manifest, poolID string, target Target) (*Record, Lookup, error) {
	path := JournalPath(archivePath, poolID, target)
	d, err := readJournal(path)
	if err == nil && d == nil {
		if legacy := legacyJournalPath(archivePath, poolID, target); legacy != path {
			if d, err = readJournal(legacy); d != nil {
				path = legacy
			}
		}
	}
	look := Lookup{Journal: path}
	switch {
	case err != nil:
		return nil, look, err
	case d == nil:
		look.Why = NoJournal
		return nil, look, nil
	case !sameArchive(d, m):
		look.Why = OtherArchive
		return nil, look, nil
	case !sameTarget(path, d, target):
		look.Why, look.Other = OtherTarget, textwidth.Shorten(d.Target)
		return nil, look, nil
	}
	rec := &Record{Path: path, Updated: d.Updated, Outcomes: d.Outcomes, Messages: map[string]MessageRange{}}
	if rec.Outcomes == nil {
		rec.Outcomes = map[string]Outcome{}
	}
	rec.Created = make(map[string]bool, len(d.Principals))
	for _, g := range d.Principals {
		rec.Created[strings.ToLower(g)] = true
	}
	for guid, e := range d.Rooms {
		rec.Messages[guid] = MessageRange{TargetID: e.TargetID, Base: e.Base, Total: e.Total}
	}
	if len(rec.Outcomes) == 0 {
		look.Why = NoOutcomes
	}
	return rec, look, nil
}

// outcomes lists what the plan does with every archive category and room.
func (p *plan) outcomes() map[string]Outcome {
	out := make(map[string]Outcome, len(p.cats)+len(p.rooms))
	for _, cp := range p.cats {
		out[cp.arc.GUID] = Outcome{Kind: "category", Name: cp.arc.Name, Action: cp.action, Target: cp.name, TargetID: cp.targetID}
	}
	for _, rp := range p.rooms {
		out[rp.arc.GUID] = Outcome{Kind: "room", Name: rp.arc.Name, Action: rp.action, Target: rp.name, TargetID: rp.targetID}
	}
	return out
}

// recordOutcomes saves the outcomes once the structure is written. An
// object that a re-run finds already imported (ActExists) keeps the outcome
// of the run that imported it, so a rename stays known as one.
func (j *journal) recordOutcomes(o map[string]Outcome, now time.Time) error {
	if j == nil {
		return nil
	}
	if j.data.Outcomes == nil {
		j.data.Outcomes = map[string]Outcome{}
	}
	for guid, x := range o {
		if old, ok := j.data.Outcomes[guid]; ok && x.Action == ActExists && old.TargetID == x.TargetID {
			continue
		}
		j.data.Outcomes[guid] = x
	}
	return j.save(now)
}
