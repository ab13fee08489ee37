package verify

import (
	"fmt"
	"time"

	"github.com/pcmig/pcmig/archive"
)

// NoCategoryRoom is a source room in no category: its parent node is the
// root, another room, or missing. Persistent Chat keeps every room in a
// category and the documented model has no place for one outside, so no
// export carries it or its history (the export warns and leaves it out):
// it is not a difference, but it is named with its messages, since a
// reconciliation that said nothing of it would pass a history that did
// not arrive in silence.
type NoCategoryRoom struct {
	Source   string `json:"source"`
	Name     string `json:"name"`
	Node     int32  `json:"node"`     // its tblNode.nodeID in the source
	Where    string `json:"where"`    // "at the root", "inside room ...", "its parent node N is missing"
	Messages int64  `json:"messages"` // the messages it holds (from the export's start date on)
	Text     string `json:"text"`     // the note, a sentence
}

// noCategory notes each source room in no category, when the export was
// meant to carry rooms and every category (a scope's note says the others
// are not compared).
func (c *comparison) noCategory(label string, s *side, m *meant, since *time.Time) {
	if levelRank(m.level) < levelRank(archive.LevelRoomDirectory) || m.scope != nil || len(c.opts.Scope) > 0 {
		return
	}
	root := s.store.RootID()
	for i := range s.rooms {
		r := &s.rooms[i]
		if _, ok := s.catByID[r.CategoryID]; ok {
			continue
		}
		where := fmt.Sprintf("its parent node %d is missing", r.CategoryID)
		if r.CategoryID == root {
			where = "at the root"
		} else if r.CategoryID == 0 {
			where = "it has no parent node"
		} else if p, ok := s.roomByID[r.CategoryID]; ok {
			where = fmt.Sprintf("inside room %q, node %d", p.Name, p.ID)
		}
		n := s.stats[r.ID].Messages
		from := ""
		if since != nil && n > 0 {
			from = " from " + since.UTC().Format(time.RFC3339) + " on"
		}
		text := fmt.Sprintf("%s: room %q (node %d) is in no category (%s) and holds %s%s: no export carries it (Persistent Chat keeps every room in a category), so it is not in the target and not compared",
			label, r.Name, r.ID, where, countOf(n, "message", "messages"), from)
		c.res.NoCategory = append(c.res.NoCategory, NoCategoryRoom{Source: label, Name: r.Name, Node: r.ID, Where: where, Messages: n, Text: text})
	}
}
