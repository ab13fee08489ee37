package lab

import (
	"strings"

	"github.com/pcmig/pcmig/pchat"
)

// Summary is what Init generated, exactly, for people and for tests that
// compare it with an inventory of the 2015 database. It marshals to JSON.
type Summary struct {
	Seed       int64    `json:"seed"`
	Files      []string `json:"files"` // relative to the estate folder
	SourcePool string   `json:"source_pool"`
	TargetPool string   `json:"target_pool"`
	Admin      string   `json:"admin"` // the creator the estate adds to every category

	Users              int            `json:"users"`        // user principals in every state
	ActiveUsers        int            `json:"active_users"` // the users in users.csv
	Groups             int            `json:"groups"`       // groups and distribution lists
	PrincipalsByType   map[string]int `json:"principals_by_type"`
	DisabledPrincipals int            `json:"disabled_principals"` // prinDisabled 1
	DeletedPrincipals  int            `json:"deleted_principals"`  // prinDisabled 2
	Affiliations       int            `json:"affiliations"`        // besides self-affiliations

	Categories     int            `json:"categories"`
	Rooms          int            `json:"rooms"`
	RoomsByPrivacy map[string]int `json:"rooms_by_privacy"`
	RoomsByType    map[string]int `json:"rooms_by_type"`
	DisabledRooms  int            `json:"disabled_rooms"`
	Addins         int            `json:"addins"`

	Messages        int64            `json:"messages"`
	MessagesPerRoom map[string]int64 `json:"messages_per_room"` // every room, empty ones as 0
	ContentBytes    int64            `json:"content_bytes"`     // UTF-8 bytes of content plus rtf
	FileLinks       int64            `json:"file_links"`        // messages with an ma-filelink: link
	Alerts          int64            `json:"alerts"`

	// RemovedTemporary names the folders of earlier Inits, killed while
	// they built an estate in this folder, that this one removed.
	RemovedTemporary []string `json:"-"`
}

func newSummary(p *plan) *Summary {
	o := p.opts
	s := &Summary{Seed: o.Seed, Files: append([]string(nil), estateFiles...), SourcePool: o.SourcePool,
		TargetPool: o.TargetPool, Admin: p.dir.admin.p.URI,
		PrincipalsByType: map[string]int{pchat.TypeSystemUser.String(): 1},
		RoomsByPrivacy:   map[string]int{}, RoomsByType: map[string]int{}, MessagesPerRoom: map[string]int64{},
		Categories: len(p.cats), Rooms: len(p.rooms), Addins: len(p.addins)}
	for _, pr := range p.dir.all {
		s.PrincipalsByType[pr.p.Type.String()]++
		s.Affiliations += len(pr.aff)
		switch pr.p.State {
		case pchat.Disabled:
			s.DisabledPrincipals++
		case pchat.Deleted:
			s.DeletedPrincipals++
		}
		switch {
		case pr.isUser():
			s.Users++
			if pr.p.State == pchat.Active {
				s.ActiveUsers++
			}
		case pr.p.Type == pchat.TypeGroup:
			s.Groups++
		}
	}
	for _, r := range p.rooms {
		s.RoomsByPrivacy[string(r.r.Privacy)]++
		s.RoomsByType[string(r.r.Type)]++
		if r.r.Disabled {
			s.DisabledRooms++
		}
		s.MessagesPerRoom[r.r.Name] = 0
	}
	return s
}

// count adds one written message to the summary.
func (s *Summary) count(room string, m pchat.Message) {
	s.Messages++
	s.MessagesPerRoom[room]++
	s.ContentBytes += int64(len(m.Content))
	if m.RTF != nil {
		s.ContentBytes += int64(len(*m.RTF))
	}
	if strings.Contains(m.Content, "ma-filelink:") {
		s.FileLinks++
	}
	if m.Alert {
		s.Alerts++
	}
}
