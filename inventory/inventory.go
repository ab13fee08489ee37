// Package inventory describes what a Persistent Chat pool holds before a
// cut-over: principals by type and state, categories with their access
// lists, rooms with their settings, roles and message figures, the busiest
// rooms, add-ins, and the uploaded files (ma-filelink: links) that live in
// the pool's file store rather than in the database and must be copied by
// hand.
//
// Take reads it from a store; WriteText renders it for people and the
// Inventory marshals to JSON for machines. Neither holds connection
// secrets: the database is named by store.Store.Describe.
package inventory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pcmig/pcmig/filestore"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// Inventory is what one pool's database holds.
type Inventory struct {
	Database      string       `json:"database"`          // without secrets
	PoolID        string       `json:"pool_id,omitempty"` // tblConfig.configPoolID
	Principals    Principals   `json:"principals"`
	Totals        Totals       `json:"totals"`
	Categories    []Category   `json:"categories"` // by name, each with its rooms
	Busiest       []RoomFigure `json:"busiest_rooms"`
	DisabledRooms []string     `json:"disabled_rooms"`
	Addins        []Addin      `json:"addins"`
	Files         Files        `json:"uploaded_files"`
	Warnings      []string     `json:"warnings"`
}

// Principals counts tblPrincipal rows.
type Principals struct {
	Total    int              `json:"total"`
	Active   int              `json:"active"`
	Disabled int              `json:"disabled"` // prinDisabled 1: SIP disabled
	Deleted  int              `json:"deleted"`  // prinDisabled 2: AD object deleted
	ByType   []PrincipalCount `json:"by_type"`  // in tblPrincipalType order
}

// PrincipalCount counts the principals of one type by state.
type PrincipalCount struct {
	Type     string `json:"type"` // tblPrincipalType description: User, Group, Folder, DC, SystemUser
	Active   int    `json:"active"`
	Disabled int    `json:"disabled"`
	Deleted  int    `json:"deleted"`
	Total    int    `json:"total"`
}

// Totals are the pool-wide figures.
type Totals struct {
	Categories     int            `json:"categories"`
	Rooms          int            `json:"rooms"`
	DisabledRooms  int            `json:"disabled_rooms"`
	RoomsByPrivacy map[string]int `json:"rooms_by_privacy"`
	RoomsByType    map[string]int `json:"rooms_by_type"`
	Messages       int64          `json:"messages"`
	ContentBytes   int64          `json:"content_bytes"` // UTF-8 bytes of content plus rtf (store.RoomStats)
	FileLinks      int64          `json:"file_links"`    // messages carrying an ma-filelink: link
}

// Category is one category with its access lists counted and its rooms.
type Category struct {
	Name           string `json:"name"`
	Description    string `json:"description"`
	Invitations    bool   `json:"invitations"`
	FileUpload     bool   `json:"file_upload"`
	ChatHistory    bool   `json:"chat_history"`
	AllowedMembers int    `json:"allowed_members"`
	DeniedMembers  int    `json:"denied_members"`
	Creators       int    `json:"creators"`
	Messages       int64  `json:"messages"`
	ContentBytes   int64  `json:"content_bytes"`
	Rooms          []Room `json:"rooms"` // by name
}

// Room is one room's settings, role counts and message figures.
type Room struct {
	Name         string    `json:"name"`
	Category     string    `json:"category"`
	Privacy      string    `json:"privacy"`     // Open, Closed, Secret
	Type         string    `json:"type"`        // Normal, Auditorium
	Invitations  string    `json:"invitations"` // Inherit, False
	Disabled     bool      `json:"disabled"`
	Addin        string    `json:"addin,omitempty"`
	Members      int       `json:"members"`
	Managers     int       `json:"managers"`
	Presenters   int       `json:"presenters"`
	Messages     int64     `json:"messages"`
	ContentBytes int64     `json:"content_bytes"`
	FileLinks    int64     `json:"file_links"`
	FirstMessage time.Time `json:"first_message,omitzero"`
	LastMessage  time.Time `json:"last_message,omitzero"`
}

// RoomFigure is a room's place in the busiest list.
type RoomFigure struct {
	Room         string `json:"room"`
	Category     string `json:"category"`
	Messages     int64  `json:"messages"`
	ContentBytes int64  `json:"content_bytes"`
}

// Addin is a tblSiopWhiteList row and how many rooms use it.
type Addin struct {
	Name  string `json:"name"`
	URL   string `json:"url"`
	Rooms int    `json:"rooms"`
}

// Files are the uploaded files the messages link to.
type Files struct {
	Note  string     `json:"note"`
	Links []FileLink `json:"links"` // by room, then chat ID
	// Store is the file store the links were checked against ("" when
	// not checked); Missing counts the links whose file it lacks.
	Store   string `json:"file_store,omitempty"`
	Missing int    `json:"missing,omitempty"`
}

// FileLink is one ma-filelink: link in a message.
type FileLink struct {
	Room   string    `json:"room"`
	ChatID int64     `json:"chat_id,string"`
	Posted time.Time `json:"posted"`
	Poster string    `json:"poster"` // the poster's URI
	File   string    `json:"file"`   // the file name, the last segment of the link
	Link   string    `json:"link"`
	// Missing is set when CheckFiles found no file for the link.
	Missing bool `json:"missing,omitempty"`
}

// CheckFiles checks every link against the pool's file store at root (a
// folder or a share): a link whose file is not there is marked Missing.
// Where a link's file lies inside the store is pcmig's reading of the link
// (package filestore); the layout is not documented.
func (inv *Inventory) CheckFiles(root string) error {
	fstore, err := filestore.Open(root)
	if err != nil {
		return fmt.Errorf("file store %s is not a folder this machine can read", root)
	}
	defer fstore.Close()
	inv.Files.Store, inv.Files.Missing = root, 0
	for i := range inv.Files.Links {
		l := &inv.Files.Links[i]
		l.Missing = !fstore.Has(l.Link)
		if l.Missing {
			inv.Files.Missing++
		}
	}
	return nil
}

// FilesNote says what uploaded files need.
const FilesNote = "Uploaded files are not in the database: the messages only link to them " +
	"(ma-filelink:), and the files themselves are in the pool's Persistent Chat file store " +
	"(a file share named in the topology). Export-CsPersistentChatData and pcmig export do not copy them; " +
	"pcmig run does, in the bundled migration's step \"copy the uploaded files\" (pool.copy_files): it copies " +
	"a lab estate's file store itself, and for a real estate writes the copy (robocopy, then a comparison " +
	"of file counts and sizes) into the runbook. Give --file-store to name the links whose file is missing."

// BusiestRooms is how many rooms the busiest list holds.
const BusiestRooms = 10

// Take reads the inventory of the pool the store holds. It reads the
// message figures with one aggregate query and reads message text only in
// rooms that have file links.
func Take(ctx context.Context, s *store.Store) (*Inventory, error) {
	inv := &Inventory{Database: s.Describe(), Warnings: []string{}, DisabledRooms: []string{},
		Busiest: []RoomFigure{}, Addins: []Addin{}, Categories: []Category{},
		Files:  Files{Note: FilesNote, Links: []FileLink{}},
		Totals: Totals{RoomsByPrivacy: map[string]int{}, RoomsByType: map[string]int{}}}
	var err error
	if inv.PoolID, err = s.PoolID(ctx); err != nil {
		return nil, err
	}
	prins, err := s.Principals(ctx)
	if err != nil {
		return nil, err
	}
	inv.Principals = countPrincipals(prins)
	cats, err := s.Categories(ctx)
	if err != nil {
		return nil, err
	}
	rooms, err := s.Rooms(ctx)
	if err != nil {
		return nil, err
	}
	addins, err := s.Addins(ctx)
	if err != nil {
		return nil, err
	}
	stats, err := s.MessageStats(ctx, 0)
	if err != nil {
		return nil, err
	}
	inv.build(cats, rooms, addins, stats)
	if err := inv.readFileLinks(ctx, s, rooms, stats, prins); err != nil {
		return nil, err
	}
	return inv, nil
}

func countPrincipals(prins []pchat.Principal) Principals {
	var out Principals
	byType := map[pchat.PrincipalType]*PrincipalCount{}
	var types []pchat.PrincipalType
	for _, p := range prins {
		c := byType[p.Type]
		if c == nil {
			c = &PrincipalCount{Type: p.Type.String()}
			byType[p.Type] = c
			types = append(types, p.Type)
		}
		c.Total++
		out.Total++
		switch p.State {
		case pchat.Active:
			c.Active++
			out.Active++
		case pchat.Disabled:
			c.Disabled++
			out.Disabled++
		default:
			c.Deleted++
			out.Deleted++
		}
	}
	slices.Sort(types)
	out.ByType = []PrincipalCount{}
	for _, t := range types {
		out.ByType = append(out.ByType, *byType[t])
	}
	return out
}

func (inv *Inventory) build(cats []pchat.Category, rooms []pchat.Room, addins []pchat.Addin, stats map[int32]store.RoomStats) {
	addinName := map[string]string{}
	addinUse := map[string]int{}
	for _, a := range addins {
		addinName[strings.ToLower(a.ID)] = a.Name
	}
	catIndex := map[int32]int{}
	for _, c := range cats {
		catIndex[c.ID] = len(inv.Categories)
		inv.Categories = append(inv.Categories, Category{Name: c.Name, Description: c.Description,
			Invitations: c.Invitations, FileUpload: c.FileUpload, ChatHistory: c.ChatHistory,
			AllowedMembers: len(c.AllowedMembers), DeniedMembers: len(c.DeniedMembers), Creators: len(c.Creators),
			Rooms: []Room{}})
	}
	inv.Totals.Categories = len(cats)
	seen := map[int32]bool{}
	for _, r := range rooms {
		seen[r.ID] = true
		st := stats[r.ID]
		ci, ok := catIndex[r.CategoryID]
		if !ok {
			inv.Warnings = append(inv.Warnings, fmt.Sprintf("room %q is not in a category (parent node %d): it cannot be migrated as it is", r.Name, r.CategoryID))
			continue
		}
		c := &inv.Categories[ci]
		room := Room{Name: r.Name, Category: c.Name, Privacy: string(r.Privacy), Type: string(r.Type),
			Invitations: string(r.Invitations), Disabled: r.Disabled,
			Members: len(r.Members), Managers: len(r.Managers), Presenters: len(r.Presenters),
			Messages: st.Messages, ContentBytes: st.ContentBytes, FileLinks: st.FileLinks}
		if st.Messages > 0 {
			room.FirstMessage, room.LastMessage = pchat.TimeFromTicks(st.FirstTick), pchat.TimeFromTicks(st.LastTick)
		}
		if r.AddinID != "" {
			room.Addin = addinName[strings.ToLower(r.AddinID)]
			if room.Addin == "" {
				room.Addin = r.AddinID
				inv.Warnings = append(inv.Warnings, fmt.Sprintf("room %q uses add-in %s, which tblSiopWhiteList does not hold", r.Name, r.AddinID))
			}
			addinUse[strings.ToLower(r.AddinID)]++
		}
		c.Rooms = append(c.Rooms, room)
		c.Messages += st.Messages
		c.ContentBytes += st.ContentBytes
		t := &inv.Totals
		t.Rooms++
		t.RoomsByPrivacy[room.Privacy]++
		t.RoomsByType[room.Type]++
		t.Messages += st.Messages
		t.ContentBytes += st.ContentBytes
		t.FileLinks += st.FileLinks
		if r.Disabled {
			t.DisabledRooms++
			inv.DisabledRooms = append(inv.DisabledRooms, r.Name)
		}
		inv.Busiest = append(inv.Busiest, RoomFigure{Room: r.Name, Category: c.Name, Messages: st.Messages, ContentBytes: st.ContentBytes})
	}
	for _, a := range addins {
		inv.Addins = append(inv.Addins, Addin{Name: a.Name, URL: a.URL, Rooms: addinUse[strings.ToLower(a.ID)]})
	}
	var orphans []int32
	for id, st := range stats {
		if !seen[id] && st.Messages > 0 {
			orphans = append(orphans, id)
		}
	}
	slices.Sort(orphans)
	for _, id := range orphans {
		inv.Warnings = append(inv.Warnings, fmt.Sprintf("tblChat holds %s of node %d, which is not a room", numtext.Count(stats[id].Messages, "message", "messages"), id))
	}
	slices.SortStableFunc(inv.Busiest, func(a, b RoomFigure) int {
		return cmp.Or(cmp.Compare(b.Messages, a.Messages), cmp.Compare(a.Room, b.Room))
	})
	n := 0
	for n < len(inv.Busiest) && n < BusiestRooms && inv.Busiest[n].Messages > 0 {
		n++
	}
	inv.Busiest = inv.Busiest[:n]
}

// readFileLinks streams the messages of the rooms that have file links and
// collects the links.
func (inv *Inventory) readFileLinks(ctx context.Context, s *store.Store, rooms []pchat.Room, stats map[int32]store.RoomStats, prins []pchat.Principal) error {
	uri := map[int32]string{}
	for _, p := range prins {
		uri[p.ID] = p.URI
	}
	var ids []int32
	name := map[int32]string{}
	for _, r := range rooms {
		if stats[r.ID].FileLinks > 0 {
			ids = append(ids, r.ID)
			name[r.ID] = r.Name
		}
	}
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	err := s.StreamMessages(ctx, store.MessageFilter{Rooms: ids}, func(m pchat.Message) error {
		for _, link := range filestore.Links(m.Content) {
			poster := uri[m.UserID]
			if poster == "" {
				poster = fmt.Sprintf("prinID %d", m.UserID)
			}
			inv.Files.Links = append(inv.Files.Links, FileLink{Room: name[m.RoomID], ChatID: m.ChatID,
				Posted: pchat.TimeFromTicks(m.Date), Poster: poster, File: filestore.Name(link), Link: link})
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortStableFunc(inv.Files.Links, func(a, b FileLink) int {
		return cmp.Or(cmp.Compare(a.Room, b.Room), cmp.Compare(a.ChatID, b.ChatID))
	})
	return nil
}
