package verify

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/filestore"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/internal/prinmatch"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// comparison is one run of Run.
type comparison struct {
	res    *Result
	t      *side
	poolID string      // the target's tblConfig pool ID, which names its import journals
	files  *fileStores // the file stores links are checked in; nil: none
	opts   Options
	// lists holds, per target node, what its role lists must hold.
	lists map[int32]*nodeLists
	objs  []differ         // the source objects matched, by index (nodeLists refer to them)
	uid   map[string]int32 // lower-case URI -> index in uris
	uris  []string
	// matched are the target nodes some source object was matched with.
	matched map[int32]bool
	// jobs are the current source's rooms whose messages are compared.
	jobs []*msgJob
	// feeds are, per target room, the source rooms compared with it, in
	// the order the target rooms were first met (multiplicity.go).
	feeds     map[int32][]feed
	feedOrder []int32
	// historyDiffers are the target rooms whose history a comparison
	// found different, each once however many source rooms went into it:
	// Totals.RoomsHistoryDiffers counts them.
	historyDiffers map[int32]bool
	// counted are the target rooms whose tblLastChatId was checked
	// (counter.go), each once however many source rooms went into it.
	counted map[int32]bool
	// notCarried are the source roles the target lacks whose principal is
	// outside the target category's allowed members minus denied members,
	// with that category's name (within.go).
	notCarried map[wanted]string
	// addinNoted are the source add-ins (source label, NUL, siopID) noted
	// as the target's add-in of their name.
	addinNoted map[string]bool
}

// meant is what one source's export took, from its archive.
type meant struct {
	level string
	scope map[string]bool // category names by the source's name key; nil: all
	since int64
	// arc are the archive's rooms in archive order, arcAt their indexes
	// by GUID (nil: no archive).
	arc    []arcRoom
	arcAt  map[string]int32
	record *importer.Record
	// byName are the import's outcomes given with the source (a dry run
	// keeps no journal), by kind + "\x00" + the target's name key of the
	// archive name: as the import matched names (byOutcomeName).
	byName map[string]importer.Outcome
	// prins are the archive's principals, which the import matched with
	// the target's (nil: no archive); dropped once the source's are
	// spelled (side.spell).
	prins []prinmatch.Principal
	// kinds are the archive's principals' GUIDs, URIs and kinds
	// (tblPrincipalType descriptions), in archive order.
	kinds []arcKind
	// addins are the archive's add-ins (nil: no archive).
	addins []archive.Addin
	notes  []string            // for the result
	key    func(string) string // the target's NameKey, for byName
}

// arcKind is an archive principal's kind.
type arcKind struct{ guid, uri, kind string }

// arcRoom is what verify needs of an archive room.
type arcRoom struct {
	guid, name, category string
	messages             int64
	disabled             bool // at export time
	// accounted: compared or explained (skipped by the import, created
	// after the export...).
	accounted bool
}

// archived returns the archive's room of a GUID, or nil.
func (m *meant) archived(guid string) *arcRoom {
	if i, ok := m.arcAt[guid]; ok {
		return &m.arc[i]
	}
	return nil
}

// inArchive reports whether a source room was meant to arrive: it is in
// the archive, or there is no archive to tell.
func (m *meant) inArchive(guid string) bool { return m.arcAt == nil || m.archived(guid) != nil }

func (m *meant) outcome(kind, guid, name string) (importer.Outcome, bool) {
	if m.record != nil {
		if o, ok := m.record.Outcomes[guid]; ok && o.Kind == kind {
			return o, true
		}
	}
	if len(m.byName) == 0 {
		return importer.Outcome{}, false
	}
	o, ok := m.byName[kind+"\x00"+m.key(name)]
	return o, ok
}

// byOutcomeName keys outcomes by kind and the target's name key of their
// archive name (key, the target's NameKey): the import found names as the
// target's collation compares them, so a case-sensitive or Turkish target
// keeps "Sales" and "sales", or "Istanbul" and "istanbul", apart, and every
// target finds "Sales " equal to "Sales". Lower-cased names merged the
// first two pairs and kept the last apart.
func (m *meant) byOutcomeName(outs []importer.Outcome, key func(string) string) {
	m.key = key
	m.byName = make(map[string]importer.Outcome, len(outs))
	for _, o := range outs {
		m.byName[o.Kind+"\x00"+key(o.Name)] = o
	}
}

func levelRank(l string) int {
	return map[string]int{archive.LevelUser: 1, archive.LevelCategory: 2, archive.LevelRoomDirectory: 3, archive.LevelContent: 4, archive.LevelAll: 5}[l]
}

// readArchive reads what the export meant to carry and what the import
// into the target (pool ID poolID) recorded. Its notes go in m.notes, for
// the result in the source's turn.
func readArchive(src Source, poolID string, target importer.Target, info *SourceInfo) (*meant, error) {
	m := &meant{level: archive.LevelAll}
	if src.Archive == "" {
		return m, nil
	}
	r, err := archive.Open(src.Archive)
	if err != nil {
		return nil, fmt.Errorf("verify %s: %w", src.Label, err)
	}
	defer r.Close()
	man := r.Manifest()
	m.level = man.Level
	if len(man.Scope) > 0 {
		m.scope = map[string]bool{}
		for _, s := range man.Scope {
			m.scope[src.Store.NameKey(s)] = true // as the export matched it
		}
	}
	if man.Since != nil {
		m.since = pchat.TicksFromTime(*man.Since)
		info.Since = man.Since
	}
	info.Level, info.Scope = man.Level, man.Scope
	if rp := man.Replaced; rp != nil && rp.Messages+rp.Structure > 0 {
		// The source is read as the export read it (U+FFFD in place of
		// the surrogate): EQUAL must not hide that the texts differ.
		m.notes = append(m.notes, fmt.Sprintf("%s: the archive %s carries %s and %s with U+FFFD in place of a UTF-16 surrogate without its pair (export --replace-unpaired-surrogates; the export's warnings name them): "+
			"they are compared as the SQL Server driver reads the source (U+FFFD too), so the target holds U+FFFD where the source database holds the surrogate",
			src.Label, src.Archive, numtext.Count(rp.Messages, "message", "messages"), numtext.Count(rp.Structure, "structure value", "structure values")))
	}
	m.addins = []archive.Addin{}
	if err := r.Addins(func(a archive.Addin) error {
		m.addins = append(m.addins, a)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("verify %s: archive %s: %w", src.Label, src.Archive, err)
	}
	m.prins = []prinmatch.Principal{}
	if err := r.Principals(func(p archive.Principal) error {
		m.prins = append(m.prins, prinmatch.OfArchive(p))
		m.kinds = append(m.kinds, arcKind{guid: p.GUID, uri: p.URI, kind: p.Type})
		return nil
	}); err != nil {
		return nil, fmt.Errorf("verify %s: archive %s: %w", src.Label, src.Archive, err)
	}
	m.arcAt = map[string]int32{}
	if err := r.Rooms(func(ar archive.Room) error {
		if _, dup := m.arcAt[ar.GUID]; !dup {
			m.arcAt[ar.GUID] = int32(len(m.arc))
			m.arc = append(m.arc, arcRoom{guid: ar.GUID, name: ar.Name, category: ar.Category, messages: ar.Messages, disabled: ar.Disabled})
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("verify %s: archive %s: %w", src.Label, src.Archive, err)
	}
	if src.Outcomes == nil {
		var look importer.Lookup
		if m.record, look, err = importer.FindRecord(src.Archive, man, poolID, target); err != nil {
			return nil, fmt.Errorf("verify %s: %w", src.Label, err)
		}
		switch {
		case m.record != nil:
			info.Journal = m.record.Path
		case look.Why == importer.OtherTarget:
			// One journal per archive and pool ID: the last import's. Its
			// node IDs and chat ranges are another database's.
			m.notes = append(m.notes, fmt.Sprintf("%s: the import journal %s records an import of %s into another database with this pool ID (%q), not this target: it is not used; objects are matched by GUID and name",
				src.Label, look.Journal, src.Archive, look.Other))
		default:
			m.notes = append(m.notes, fmt.Sprintf("%s: no import journal of %s for this target: objects are matched by GUID and name", src.Label, src.Archive))
		}
	}
	return m, nil
}

// fetched is a source's archive and import journal, read before its turn
// (fetch).
type fetched struct {
	info SourceInfo
	m    *meant
	err  error
}

// fetch reads a source's archive and import journal on another goroutine,
// while the target's pool (for the first source) or the source before is
// read and compared. The channel gives the result. The source's pool is
// read in its turn, after the target's, so that the two reads' transient
// memory does not add up.
func fetch(src Source, poolID string, target importer.Target) <-chan fetched {
	ch := make(chan fetched, 1)
	go func() {
		f := fetched{info: SourceInfo{Label: src.Label, Database: src.Store.Describe(), Archive: src.Archive, Level: archive.LevelAll}}
		f.m, f.err = readArchive(src, poolID, target, &f.info)
		ch <- f
	}()
	return ch
}

// source compares one source, its archive read by fetch, with the target.
// What a source made of a --scope name (comparison.source's scopeSeen).
const (
	scopeNone        = iota // no source has the category
	scopeNotExported        // a source has it, outside its export's scope
	scopeCompared           // a source has it and its export took it
)

func (c *comparison) source(ctx context.Context, src Source, f fetched, scopeSeen map[string]int) error {
	info, m := f.info, f.m
	m.byOutcomeName(src.Outcomes, c.t.store.NameKey)
	for _, n := range m.notes {
		c.res.note("%s", n)
	}
	c.res.Sources = append(c.res.Sources, info)
	s, err := loadSide(ctx, src.Store, m.since, c.t.uris, c.t, m.prins)
	m.prins = nil
	if err != nil {
		return err
	}
	for _, name := range c.opts.Scope {
		key := s.store.NameKey(name)
		if _, ok := s.catByName[key]; !ok {
			continue
		}
		if m.scope != nil && !m.scope[key] {
			// The source has it, but this source's export did not
			// take it: nothing of it was meant to arrive.
			if scopeSeen[name] == scopeNone {
				scopeSeen[name] = scopeNotExported
			}
			continue
		}
		scopeSeen[name] = scopeCompared
	}
	if len(c.opts.Scope) == 0 {
		// The import creates every principal of the archive that the
		// rule matches with none of the target's (whatever the level
		// and its scope), under its GUID: one the rule still matches with
		// none is not there, with whatever roles and memberships it held.
		for _, p := range s.absent {
			d := differ{c: c, source: src.Label, object: "principal " + p}
			d.add(DiffPrincipalMissing, "in the archive, not in the target (the import creates each principal of the archive it matches with none of the target's)")
		}
		// The target's principal of an archive principal's GUID is the
		// same AD object (the import created it of the archive's kind, or
		// the target's AD Sync did), whose kind AD never changes; the
		// server decides by it whom a role or an allowed member reaches
		// (a user, or a group's members).
		for _, k := range m.kinds {
			id, ok := c.t.match.ByGUID(k.guid)
			if !ok {
				continue
			}
			if got := c.t.kind[id].String(); got != k.kind {
				d := differ{c: c, source: src.Label, object: "principal " + k.uri + " (GUID " + k.guid + ")"}
				d.add(DiffPrincipalKind, "a %s in the target, a %s in the archive", got, k.kind)
			}
		}
	}
	if len(c.opts.Scope) == 0 && m.record != nil {
		// Principals are the pool's, compared unless a scope limits the
		// comparison to categories. Only those the import created (its
		// journal says which): a principal the target had before keeps
		// the address its own AD Sync gave it, which may be behind the
		// source's.
		for _, r := range s.readdressed {
			if !m.record.Created[strings.ToLower(r.guid)] {
				continue
			}
			d := differ{c: c, source: src.Label, object: "principal " + r.uri + " (GUID " + r.guid + ")"}
			d.add(DiffReaddressed, "%s in the target: its roles and messages are held there under that address", r.target)
		}
	}
	rank := levelRank(m.level)
	if rank < levelRank(archive.LevelCategory) {
		c.res.note("%s: the export took level %s: categories, rooms and messages were not meant to arrive and are not compared", src.Label, m.level)
		return nil
	}
	switch {
	case rank < levelRank(archive.LevelRoomDirectory):
		c.res.note("%s: the export took level %s: rooms and messages were not meant to arrive and are not compared", src.Label, m.level)
	case rank < levelRank(archive.LevelContent):
		c.res.note("%s: the export took level %s: messages were not meant to arrive and are not compared", src.Label, m.level)
	}
	if m.scope != nil {
		// Named as the source has them ("engineering" in a routes file
		// is the source's Engineering), as the export found them.
		names := make([]string, len(info.Scope))
		for i, name := range info.Scope {
			names[i] = name
			if cat, ok := s.catByName[s.store.NameKey(name)]; ok {
				names[i] = cat.Name
			}
		}
		c.res.note("%s: the export took only the categories %s; the others are not compared", src.Label, strings.Join(names, ", "))
	}
	if info.Since != nil {
		c.res.note("%s: the export took messages from %s on; older ones are not compared", src.Label, info.Since.UTC().Format(time.RFC3339))
	}
	want := map[string]bool{}
	for _, name := range c.opts.Scope {
		want[s.store.NameKey(name)] = true
	}
	rooms := map[int32][]*pchat.Room{}
	for i := range s.rooms {
		r := &s.rooms[i]
		rooms[r.CategoryID] = append(rooms[r.CategoryID], r)
	}
	for i := range s.cats {
		cat := &s.cats[i]
		key := s.store.NameKey(cat.Name)
		if (m.scope != nil && !m.scope[key]) || (len(want) > 0 && !want[key]) {
			continue
		}
		if err := c.category(ctx, src.Label, s, m, cat, rooms[cat.ID]); err != nil {
			return err
		}
	}
	c.noCategory(src.Label, s, m, info.Since)
	if err := c.uncarriedNote(ctx, src.Label, s, m); err != nil {
		return err
	}
	if len(c.opts.Scope) == 0 {
		c.poolAddins(src.Label, s, m)
	}
	if len(s.toSystem) > 1 || len(s.toSystemAD) > 0 {
		of := map[bool]string{true: "the archive", false: "the source"}[s.ofArchive]
		ad := ""
		if n := len(s.toSystemAD); n > 0 {
			verb := "have"
			if n == 1 {
				verb = "has"
			}
			ad = fmt.Sprintf("; %s %s an AD path or user principal name, which a system user does not have", strings.Join(s.toSystemAD, ", "), verb)
		}
		c.res.note("%s: %s credited to the target's system user (prinID 1), as the import does: %s%s; their messages and roles are compared as the target system user's",
			src.Label, numtext.Count(len(s.toSystem), "principal of "+of+" is", "principals of "+of+" are"), strings.Join(s.toSystem, ", "), ad)
	}
	if c.files != nil {
		c.files.setSource(nil)
		if src.Files != "" {
			sf, err := filestore.Open(src.Files)
			if err != nil {
				c.res.note("%s: the source's file store %s is not a folder this machine can read: a linked file missing from the target's is a difference, and the files are not compared with the source's", src.Label, src.Files)
			} else {
				c.files.setSource(sf)
				defer func() { sf.Close(); c.files.setSource(nil) }()
			}
		} else {
			c.res.note("%s: the source's file store is not known: the uploaded files are looked for in the target's file store, not compared with the source's", src.Label)
		}
	}
	if err := c.messages(ctx, src.Label, s, m.since); err != nil {
		return err
	}
	c.unaccounted(src.Label, s, m)
	return nil
}

// unaccounted makes a difference of every archive room whose source room
// is still in the source but was not compared: whatever kept it out (a
// name matched otherwise than the export matched it, a room moved out of
// the scope), EQUAL must not stand on a room nobody looked at. Archive
// rooms gone from the source since the export are noted.
func (c *comparison) unaccounted(label string, s *side, m *meant) {
	if m.arcAt == nil || len(c.opts.Scope) > 0 || levelRank(m.level) < levelRank(archive.LevelRoomDirectory) {
		return
	}
	var gone []string
	for _, ar := range m.arc {
		if ar.accounted {
			continue
		}
		d := differ{c: c, source: label, category: ar.category, object: "room " + ar.name}
		if r, ok := s.roomByGUID[ar.guid]; ok {
			where := "no category"
			if cat, ok := s.catByID[r.CategoryID]; ok {
				where = fmt.Sprintf("category %q", cat.Name)
			}
			d.add(DiffNotFound, "in the archive (category %q) and in the source (%s), but not compared: the source room was not found where the export took it from", ar.category, where)
			continue
		}
		gone = append(gone, fmt.Sprintf("%q", ar.name))
	}
	if len(gone) > 0 {
		slices.Sort(gone)
		c.res.note("%s: %s of the archive %s no longer in the source and %s not compared: %s", label, countOf(int64(len(gone)), "room", "rooms"),
			numtext.Noun(len(gone), "is", "are"), numtext.Noun(len(gone), "is", "are"), numtext.First(gone, 5))
	}
}

// nullNote notes a source category whose invite, filePost or logged is
// NULL. The store reads NULL as off, in both pools, so a target category
// of 0 (what the import writes for it: an archive holds the settings as
// on or off) compares equal; what NULL means on a category is not
// documented, so the administrator is told which settings were read so.
// One query of the source's tblNode, the first time.
func (c *comparison) nullNote(ctx context.Context, label string, s *side, cat *pchat.Category) error {
	if !s.nullsRead {
		s.nullsRead = true
		nulls, err := s.store.CategoryNullSettings(ctx)
		if err != nil {
			return err
		}
		s.nulls = make(map[int32]store.NodeSettings, len(nulls))
		for _, n := range nulls {
			s.nulls[n.ID] = n
		}
	}
	n, ok := s.nulls[cat.ID]
	if !ok {
		return nil
	}
	c.res.noteOf(NoteNullSettings, "%s: category %s: %s NULL in the source, which verify reads as off, as the export carried %s and the import wrote 0 (the reference does not say what NULL means on a category): compared as off (a 0 in the target is equal); check with Get-CsPersistentChatCategory that off is what the pool meant",
		label, cat.Name, n.Describe()+" "+numtext.Noun(len(n.Settings), "is", "are"), numtext.Noun(len(n.Settings), "it", "them"))
	return nil
}

// category compares one source category and its rooms.
func (c *comparison) category(ctx context.Context, label string, s *side, m *meant, cat *pchat.Category, rooms []*pchat.Room) error {
	obj := "category " + cat.Name
	fig := CategoryFigure{Source: label, Name: cat.Name}
	for _, r := range rooms {
		if a := m.archived(r.GUID); a != nil {
			a.accounted = true // compared below, or explained with the category
		}
	}
	o, known := m.outcome("category", cat.GUID, cat.Name)
	fig.Action = o.Action
	c.res.Totals.Source.Categories++
	if known && o.Action == importer.ActSkip {
		_, sameGUID := c.t.catByGUID[cat.GUID]
		if _, named := c.t.catByName[c.t.store.NameKey(cat.Name)]; named && !sameGUID {
			c.res.noteOf(NoteSkipped, "%s: category %s was skipped by the import (--on-conflict skip): the target's category of that name is its own; not compared", label, cat.Name)
			c.res.Totals.Source.Categories--
			return nil
		}
		// The import skips a category only for a target category of its
		// name that is not its own: the journal does not describe this
		// target, and is not believed.
		c.res.note("%s: category %s: the import journal says the import skipped it, but the target holds %s: it is compared", label, cat.Name,
			map[bool]string{true: "the source's own category (same GUID)", false: "no category of that name"}[sameGUID])
		o, known = importer.Outcome{}, false
		fig.Action = ""
	}
	tc := counterpart(c, o, known, cat.GUID, cat.Name, c.t.catByID, c.t.catByGUID, c.t.catByName)
	d := differ{c: c, source: label, category: cat.Name, object: obj}
	if tc == nil {
		var n int
		var msgs int64
		for _, r := range rooms {
			if m.inArchive(r.GUID) {
				n++
				msgs += s.stats[r.ID].Messages
			}
		}
		d.add(DiffCategoryMissing, "in the source, not in the target (with its %s and %s)", countOf(int64(n), "room", "rooms"), countOf(msgs, "message", "messages"))
		fig.SourceRooms, fig.SourceMessages, fig.Differences = n, msgs, 1
		c.res.Totals.Source.Rooms += n
		c.res.Totals.Source.Messages += msgs
		c.res.Categories = append(c.res.Categories, fig)
		return nil
	}
	c.matched[tc.ID] = true
	c.res.Totals.Target.Categories++
	fig.TargetName = tc.Name
	merged := c.isMerge(label, "category", cat.Name, o, known, cat.GUID, tc.GUID)
	if want := expectedName(o, known, cat.Name); tc.Name != want && sameName(c, known, merged, tc.Name, want) {
		// Merged by name with no journal to say so: the target keeps its
		// own spelling of a name its database finds equal.
		c.res.noteOf(NoteMerged, "%s: category %s was merged into the target's category %q, a name the target's database finds equal", label, cat.Name, tc.Name)
	} else if tc.Name != want {
		other, held := c.t.catByName[c.t.store.NameKey(cat.Name)]
		if !known && held && other != tc && renamedByImport(cat.Name, tc.Name, cat.GUID, tc.GUID) {
			c.res.noteOf(NoteRenamed, "%s: category %s is %q in the target: no import journal says so, but that is how the import renames an object whose name the target holds (--on-conflict rename)", label, cat.Name, tc.Name)
		} else {
			d.add(DiffCategoryNamed, "named %q in the target, %q expected%s", tc.Name, want, codesApart(tc.Name, want))
		}
	}
	if where := c.t.whereCategory(tc.ID); where != "" {
		// Persistent Chat keeps one level of categories under the root;
		// the import creates every category there.
		if merged {
			c.res.noteOf(NoteMerged, "%s: category %s was merged into the target's category %q, which is %s, not under the root", label, cat.Name, tc.Name, where)
		} else {
			d.add(DiffCategoryPlace, "%s in the target, under the root expected", where)
		}
	}
	if merged {
		var k kept
		k.text("description", cat.Description, tc.Description)
		k.field("invitations", onOff(cat.Invitations), onOff(tc.Invitations))
		k.field("file upload", onOff(cat.FileUpload), onOff(tc.FileUpload))
		k.field("chat history", onOff(cat.ChatHistory), onOff(tc.ChatHistory))
		k.note(c, label, "category", cat.Name, tc.Name)
	}
	if !merged {
		d.field("description", cat.Description, tc.Description)
		d.field("invitations", onOff(cat.Invitations), onOff(tc.Invitations))
		d.field("file upload", onOff(cat.FileUpload), onOff(tc.FileUpload))
		d.field("chat history", onOff(cat.ChatHistory), onOff(tc.ChatHistory))
		if err := c.nullNote(ctx, label, s, cat); err != nil {
			return err
		}
	}
	extra := append(slices.Clone(c.opts.ExtraCreators["*"]), c.opts.ExtraCreators[cat.Name]...)
	extra = append(extra, c.opts.ExtraCreators[tc.Name]...)
	b := &bounds{name: tc.Name, tc: tc, src: cat, s: s, merged: merged}
	if err := c.expect(ctx, tc.ID, b, d, !merged, s,
		[]roleIDs{{roleAllowed, cat.AllowedMembers}, {roleDenied, cat.DeniedMembers}, {roleCreator, cat.Creators}},
		[]roleIDs{{roleAllowed, tc.AllowedMembers}, {roleDenied, tc.DeniedMembers}, {roleCreator, tc.Creators}},
		map[role][]string{roleCreator: c.t.uris.all(extra)}); err != nil {
		return err
	}
	if levelRank(m.level) >= levelRank(archive.LevelRoomDirectory) {
		for _, r := range rooms {
			if !m.inArchive(r.GUID) {
				c.res.noteOf(NoteNotInArchive, "%s: room %s is in the source but not in the archive (created after the export?): not compared", label, r.Name)
				continue
			}
			rf, err := c.room(ctx, label, s, m, cat, tc, b, r)
			if err != nil {
				return err
			}
			if rf == nil {
				continue
			}
			fig.SourceRooms++
			fig.SourceMessages += rf.SourceMessages
			if rf.TargetName != "" {
				fig.TargetRooms++
				fig.TargetMessages += rf.TargetMessages
			}
		}
	}
	c.res.Categories = append(c.res.Categories, fig)
	return nil
}

// isMerge reports whether a source object went into an object the target
// already had: then the target keeps its settings, and its lists and
// history hold the target's own entries besides the source's.
func isMerge(o importer.Outcome, known bool, srcGUID, tgtGUID string) bool {
	if known {
		return o.Action == importer.ActMerge
	}
	return !strings.EqualFold(srcGUID, tgtGUID)
}

// isMerge is the package's isMerge, but for a journal's "merge" whose
// target object holds the source's GUID: the import merges only into an
// object the target had, which is not the source's, so such a journal
// (stale, of another import, edited) is not believed, and the object is
// compared as created (a note says so). Believed, it would have kept the
// target's settings and extra entries out of the comparison.
func (c *comparison) isMerge(label, kind, name string, o importer.Outcome, known bool, srcGUID, tgtGUID string) bool {
	merged := isMerge(o, known, srcGUID, tgtGUID)
	if merged && known && strings.EqualFold(srcGUID, tgtGUID) {
		c.res.note("%s: %s %s: the import journal says the import merged it into the target's, but the target's holds the source's GUID (the import merges only into an object of the target's own): compared as created", label, kind, name)
		return false
	}
	return merged
}

// renamedByImport reports whether a target object of the source's GUID
// has the name the import gives an object it renames (--on-conflict
// rename, importer/plan.go: NAME (imported), then NAME (imported) 2...).
// Without the import journal that says so, this is how verify knows a
// renamed object, found by its GUID; the caller checks that the target
// holds another object of the source's name (why the import renamed it).
func renamedByImport(name, got, srcGUID, tgtGUID string) bool {
	rest, ok := strings.CutPrefix(got, name+" (imported)")
	if !ok || !strings.EqualFold(srcGUID, tgtGUID) {
		return false
	}
	if rest == "" {
		return true
	}
	n, ok := strings.CutPrefix(rest, " ")
	return ok && n != "" && n[0] != '0' && strings.Trim(n, "0123456789") == "" && n != "1"
}

// sameName reports whether a target object that a source one was merged
// into by name, with no import journal to record its name (known is
// false), has a name the target's database finds equal to want: the import
// found it by that name and keeps the target's spelling (case, trailing
// spaces), so it is the name meant, not a difference.
func sameName(c *comparison, known, merged bool, got, want string) bool {
	return merged && !known && c.t.store.NameKey(got) == c.t.store.NameKey(want)
}

// expectedName is the name the import meant a source category or room to
// have in the target: the one its journal recorded, else its own.
func expectedName(o importer.Outcome, known bool, name string) string {
	if known && o.Target != "" {
		return o.Target
	}
	return name
}

// counterpart finds the target's category or room for a source one with
// guid and name: by the node ID the import journal recorded, else by GUID,
// else by the expected name (the target database's name key).
func counterpart[T any](c *comparison, o importer.Outcome, known bool, guid, name string,
	byID map[int32]*T, byGUID, byName map[string]*T) *T {
	if known && o.TargetID != 0 {
		if x, ok := byID[o.TargetID]; ok {
			return x
		}
	}
	if x, ok := byGUID[guid]; ok {
		return x
	}
	return byName[c.t.store.NameKey(expectedName(o, known, name))]
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// kept collects a merged object's settings that the target holds
// otherwise: the import keeps the target's object and its settings (it
// says so, a conflict), so they are not differences; verify notes them,
// so that what the source had and did not arrive is said.
type kept []string

func (k *kept) field(name, source, target string) {
	if source != target {
		*k = append(*k, fmt.Sprintf("%s %s in the source, %s in the target", name, source, target))
	}
}

// text is field for a text that may be long: named, not shown.
func (k *kept) text(name, source, target string) {
	if source != target {
		*k = append(*k, name+" differs")
	}
}

func (k kept) note(c *comparison, label, kind, name, target string) {
	if len(k) == 0 {
		return
	}
	c.res.noteOf(NoteMerged, "%s: %s %s was merged into the target's %s %q, whose settings the import keeps: %s; not compared",
		label, kind, name, kind, target, strings.Join(k, "; "))
}
