package importer

import (
	"strings"
	"time"

	"github.com/pcmig/pcmig/archive"
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

// Why ReadRecord (FindRecord) returns no record: stable words, shown to
// scripts by import.record.
const (
	NoJournal    = "no journal"        // no journal of this archive for this target
	OtherArchive = "another archive"   // the journal there is of another archive
	NoOutcomes   = "unfinished import" // the journal records no categories or rooms
)

// ReadRecord reads the journal that an import of the archive at
// archivePath (whose manifest is m) into a target keeps (see JournalPath).
// It returns nil and no error when there is none, or when the journal
// there is of another archive (see FindRecord for which).
func ReadRecord(archivePath string, m archive.Manifest, poolID, targetDesc string) (*Record, error) {
	rec, _, err := FindRecord(archivePath, m, poolID, targetDesc)
	return rec, err
}

// FindRecord is ReadRecord that also says, when there is no record, why:
// NoJournal or OtherArchive. A record with no outcomes (an import stopped
// before it wrote the structure) is returned with NoOutcomes.
func FindRecord(archivePath string, m archive.Manifest, poolID, targetDesc string) (*Record, string, error) {
	path := JournalPath(archivePath, poolID, targetDesc)
	d, err := readJournal(path)
	switch {
	case err != nil:
		return nil, "", err
	case d == nil:
		return nil, NoJournal, nil
	case d.Archive != archiveKey(m):
		return nil, OtherArchive, nil
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
	why := ""
	if len(rec.Outcomes) == 0 {
		why = NoOutcomes
	}
	return rec, why, nil
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
