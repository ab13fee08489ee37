package lab

import (
	"fmt"
	"strings"
	"time"

	"github.com/pcmig/pcmig/pchat"
)

// category is a planned category with its access lists.
type category struct {
	c                         pchat.Category
	allowed, denied, creators []*prin
	rooms                     []*room
	// eligible caches eligibleUsers: every room of the category picks
	// from it, and working it out is a pass over every user.
	eligible []*prin
}

// room is a planned room with its role lists and message count.
type room struct {
	r                             pchat.Room
	cat                           *category
	members, managers, presenters []*prin
	messages                      int
}

// plan is everything Init writes into the 2015 pool.
type plan struct {
	opts     Options
	poolGUID string
	dir      *adPlan
	addins   []pchat.Addin
	cats     []*category
	rooms    []*room
}

var categoryNames = [][2]string{
	{"Engineering", "Build, release and architecture discussions"},
	{"Sales", "Deals, pipeline and customer news"},
	{"Finance", "Budgets, forecasts and the quarter close"},
	{"Support", "Customer escalations and the help desk"},
	{"Människor & Kultur", "People & culture: för alla medarbetare"},
	{"東京オフィス", "Tokyo office / 東京オフィスの連絡"},
	{"Projects", "Cross-team projects"},
	{"Operations", "Data centre, network and on-call"},
	{"Recherche & Développement", "R&D, prototypes and papers"},
	{"Announcements", "Company news"},
	{"Facilities", "Buildings, travel and office moves"},
	{"Security", "Advisories and incident response"},
}

var roomNames = []string{
	"Build Breaks", "Release Train", "Architecture Review", "Code Review Queue", "Incident Bridge",
	"Équipe Paris", "Entwicklung Außendienst", "品質保証チーム", "Zürich Sales", "Kundenfeedback",
	"Presupuesto 2024", "Łódź Dev Center", "Help Desk Tier 2", "Deal Desk", "Quarter Close",
	"New Joiners", "Town Hall Q&A", "Security Advisories", "Data Platform", "Mobile App",
	"Web Frontend", "Customer Escalations", "Partner Channel", "Forecast Review", "Expense Questions",
	"Payroll", "Facilities Requests", "Café ☕ Corner", "Hackathon 2019", "Book Club 📚",
	"Lunch Crew", "Travel Desk", "Vendor Management", "Brand & Design", "Marketing Campaigns",
	"Analytics", "Legal Reviews", "Procurement", "Wiki Gardeners", "Test Automation",
	"DevOps Guild", "Performance Lab", "Research Papers", "Patent Committee", "Ops On-Call",
}

var roomBlurbs = []string{
	"Day-to-day discussion", "Questions and answers", "Decisions and follow-ups", "Status and planning",
	"Ask here first", "Team channel", "Read-only announcements and Q&A", "Coordination room",
}

// planStructure plans the add-ins, categories and rooms.
func planStructure(o Options, d *adPlan, g gen) *plan {
	p := &plan{opts: o, poolGUID: g.guid(), dir: d}
	p.addins = []pchat.Addin{
		{ID: g.guid(), Name: "Contoso Wiki", URL: "https://wiki." + o.Domain + "/pchat/addin.aspx"},
		{ID: g.guid(), Name: "Ticket Tracker", URL: "https://tickets." + o.Domain + "/pchat"}, // used by no room
	}
	for i := range o.Categories {
		p.cats = append(p.cats, planCategory(d, g, i))
	}
	planRooms(p, g)
	return p
}

func planCategory(d *adPlan, g gen, i int) *category {
	name, desc := categoryNames[i%len(categoryNames)][0], categoryNames[i%len(categoryNames)][1]
	if n := i / len(categoryNames); n > 0 {
		name = fmt.Sprintf("%s %d", name, n+1)
	}
	on := g.between(categoriesFrom, categoriesTo)
	c := &category{c: pchat.Category{GUID: g.guid(), Name: name, Description: desc,
		Invitations: i%3 != 2, FileUpload: i%6 != 2, ChatHistory: true,
		AddedOn: on, UpdatedOn: on}}
	others := func(of *prin) []*prin { // ordinary users without that affiliation
		var out []*prin
		for _, u := range d.users[1:] {
			if of == nil || !affiliated(u, of) {
				out = append(out, u)
			}
		}
		return out
	}
	members := func(of *prin) []*prin { // ordinary users with it
		var out []*prin
		for _, u := range d.users[1:] {
			if affiliated(u, of) {
				out = append(out, u)
			}
		}
		return out
	}
	switch i % 6 {
	case 0: // an OU and a group, contractors kept out
		c.allowed = []*prin{d.ou, d.eng}
		c.denied = []*prin{d.contractor}
	case 1: // a group and a few named guests, one member kept out
		c.allowed = append([]*prin{d.sales}, pick(g, others(d.sales), 3)...)
		c.denied = pick(g, members(d.sales), 1)
	case 2: // a group and the administrator
		c.allowed = []*prin{d.finance, d.admin}
	case 3: // the whole domain but contractors and one user
		c.allowed = []*prin{d.domain}
		c.denied = append([]*prin{d.contractor}, pick(g, others(d.contractor), 1)...)
	case 4: // a distribution list, one member kept out
		c.allowed = []*prin{d.allStaff}
		c.denied = pick(g, members(d.allStaff), 1)
	case 5: // a hand-picked list of users
		c.allowed = append([]*prin{d.admin}, pick(g, others(nil), 6+g.IntN(5))...)
	}
	// Creators are ordinary active users within the category; the
	// administrator is not one: the estate adds it, as the documented
	// procedure asks after an import.
	var cands []*prin
	for _, u := range eligibleUsers(d, c) {
		if u != d.admin && u.p.State == pchat.Active {
			cands = append(cands, u)
		}
	}
	c.creators = pick(g, cands, 1+g.IntN(2))
	return c
}

// affiliated reports whether u is, or belongs to, of.
func affiliated(u, of *prin) bool {
	if u == of {
		return true
	}
	for _, a := range u.aff {
		if a == of {
			return true
		}
	}
	return false
}

// within reports whether p is in the category's allowed members minus its
// denied members, directly or through its affiliations.
func within(p *prin, c *category) bool {
	in, out := false, false
	for _, a := range c.allowed {
		in = in || affiliated(p, a)
	}
	for _, a := range c.denied {
		out = out || affiliated(p, a)
	}
	return in && !out
}

func eligibleUsers(d *adPlan, c *category) []*prin {
	if c.eligible != nil {
		return c.eligible
	}
	out := []*prin{}
	for _, u := range d.users {
		if within(u, c) {
			out = append(out, u)
		}
	}
	c.eligible = out
	return out
}

type roomKind struct {
	privacy pchat.Privacy
	typ     pchat.RoomType
}

// planRooms spreads the rooms over the categories (each category gets one
// before any gets two), with every privacy and type among the first rooms,
// some disabled, some with the add-in and some not inheriting invitations.
func planRooms(p *plan, g gen) {
	o, d := p.opts, p.dir
	privacies := []pchat.Privacy{pchat.Open, pchat.Closed, pchat.Secret}
	kinds := make([]roomKind, o.Rooms)
	for i := range kinds {
		kinds[i] = roomKind{privacies[i%3], pchat.Normal}
		if i%5 == 4 {
			kinds[i].typ = pchat.Auditorium
		}
	}
	kindOrder := g.Perm(o.Rooms)
	// some picks one room in share at random (at least one), when there
	// are at least least rooms.
	some := func(share, least int) map[int]bool {
		out := map[int]bool{}
		if o.Rooms >= least {
			for _, i := range g.Perm(o.Rooms)[:max(1, o.Rooms/share)] {
				out[i] = true
			}
		}
		return out
	}
	disabled, noInvites, withAddin, groupMember := some(8, 4), some(4, 2), some(4, 2), some(3, 2)
	nameOrder := g.Perm(len(roomNames))
	for i := range o.Rooms {
		c := p.cats[i%len(p.cats)]
		if i >= len(p.cats) {
			c = p.cats[g.IntN(len(p.cats))]
		}
		name := roomNames[nameOrder[i%len(roomNames)]]
		if n := i / len(roomNames); n > 0 {
			name = fmt.Sprintf("%s %d", name, n+1)
		}
		k := kinds[kindOrder[i]]
		on := g.between(roomsFrom, roomsTo)
		r := &room{cat: c, r: pchat.Room{GUID: g.guid(), Name: name,
			Description: roomBlurbs[g.IntN(len(roomBlurbs))] + " · " + strings.ToLower(c.c.Name),
			Privacy:     k.privacy, Type: k.typ, Invitations: pchat.Inherit, Disabled: disabled[i],
			AddedOn: on, UpdatedOn: on + g.Int64N(int64(365*24*time.Hour/100))}}
		if noInvites[i] {
			r.r.Invitations = pchat.InvitationsFalse
		}
		if withAddin[i] {
			r.r.AddinID = p.addins[0].ID
		}
		planRoles(r, d, g, groupMember[i])
		c.rooms = append(c.rooms, r)
		p.rooms = append(p.rooms, r)
	}
}

// planRoles picks members among the users within the category (and with
// group, a group or container the category allows), managers among the
// members, and presenters among the members of auditorium rooms.
func planRoles(r *room, d *adPlan, g gen, group bool) {
	elig := eligibleUsers(d, r.cat)
	r.members = pick(g, elig, 2+g.IntN(min(len(elig), 14)))
	var containers []*prin
	for _, a := range r.cat.allowed {
		if !a.isUser() {
			containers = append(containers, a)
		}
	}
	if len(containers) > 0 && group {
		r.members = append(r.members, containers[g.IntN(len(containers))])
	}
	var users, active []*prin
	for _, m := range r.members {
		if m.isUser() {
			users = append(users, m)
			if m.p.State == pchat.Active {
				active = append(active, m)
			}
		}
	}
	if len(active) == 0 {
		active = users
	}
	r.managers = pick(g, active, 1+g.IntN(2))
	if r.r.Type == pchat.Auditorium {
		r.presenters = pick(g, users, 1+g.IntN(3))
	}
}
