// Package exporter takes a Persistent Chat pool's content out of its mgc
// database into a pcmig archive: step 1 of the migration.
//
// Levels are the cmdlet's, cumulative:
//
//	User           principals (users, groups, containers, domains)
//	Category       + categories with allowed and denied members and creators
//	RoomDirectory  + add-ins, rooms, their settings and role lists
//	Content        + messages (limited by Since)
//	All            everything; the same set as Content, and the default
//
// Scope limits categories (and so rooms and messages) to the named ones;
// principals are always exported whole, because AD objects are pool-wide.
package exporter

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// Level is an export level.
type Level int

// Levels, in the order each includes the one before.
const (
	User Level = iota + 1
	Category
	RoomDirectory
	Content
	All
)

var levelNames = map[Level]string{User: "User", Category: "Category", RoomDirectory: "RoomDirectory", Content: "Content", All: "All"}

func (l Level) String() string { return levelNames[l] }

// ParseLevel accepts a level name in any case.
func ParseLevel(s string) (Level, error) {
	for l, n := range levelNames {
		if strings.EqualFold(n, s) {
			return l, nil
		}
	}
	return 0, fmt.Errorf("level %q: want All, User, Category, RoomDirectory or Content", s)
}

// Options are the export choices.
type Options struct {
	Level           Level    // default All
	Scope           []string // category names; empty: all
	Since           time.Time
	DisableExported bool   // disable every exported room in the source afterwards
	SourcePool      string // the pool's FQDN, recorded in the manifest
	ToolVersion     string
	Overwrite       bool
	// ReplaceUnpairedSurrogates exports text holding a UTF-16 surrogate
	// without its pair (SQL Server nvarchar) with U+FFFD in its place,
	// naming each value in a warning (KindReplacedSurrogates) and counting
	// them in the manifest; without it, the export refuses such text.
	ReplaceUnpairedSurrogates bool
	ChunkMessages             int // messages per archive part (tests); 0: the archive default
	Progress                  func(Progress)
	Now                       func() time.Time
	// Created, when not nil, is told of each temporary file the
	// archive's writer makes (archive.WriterOptions.Created).
	Created func(tmp string) error
}

// Progress reports how far an export has come.
type Progress struct {
	Phase    string // "structure", "messages", "verify", "disable"
	Done     int64
	Total    int64
	Room     string
	Finished bool
}

// Result is what an export did.
type Result struct {
	Archive  string         `json:"archive"`
	Level    string         `json:"level"`
	Scope    []string       `json:"scope,omitempty"`
	Since    *time.Time     `json:"since,omitempty"`
	Counts   archive.Counts `json:"counts"`
	Rooms    []RoomResult   `json:"rooms"`
	Disabled int            `json:"disabled_rooms"`
	// Warnings are every warning, in order; those that repeat once per
	// node have a kind (WarningKinds), so that a console can show the
	// first few of each and say how many there are.
	Warnings []string      `json:"warnings,omitempty"`
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration_ns"`
	// Manifest is the archive's manifest as the export committed it.
	Manifest archive.Manifest `json:"-"`
	// Replaced counts the values exported with U+FFFD in place of a
	// UTF-16 surrogate without its pair (Options.ReplaceUnpairedSurrogates),
	// each named by a warning of kind KindReplacedSurrogates; nil when
	// none was.
	Replaced *archive.Replaced `json:"replaced_unpaired_surrogates,omitempty"`

	counts    map[string]int64 // messages per room GUID
	warnKinds []string         // the kind of each of Warnings ("" for one that does not repeat)
}

// Kinds of the warnings that repeat once per node (WarningKinds).
const (
	KindUnknownPrincipals = "unknown_principals"
	KindNoCategory        = "no_category"
	KindNotUnderRoot      = "not_under_root"
	KindNullSettings      = "null_settings"
	KindRoomSettings      = "room_settings"
	KindCategoryDisabled  = "category_disabled"
	KindSharedName        = "shared_name"
	KindUncarriedAccess   = "uncarried_access"
	KindSourceChanged     = "source_changed"
	KindUnknownAuthor     = "unknown_author"
	KindReplacedSurrogate = "replaced_surrogate"
	KindRoomInvitations   = "room_invitations"
)

// warningWhat names each kind's warnings in the plural, for a console's
// summary line.
var warningWhat = map[string]string{
	KindUnknownPrincipals: "categories and rooms with grants or entries of prinIDs not in tblPrincipal (not exported)",
	KindNoCategory:        "rooms not in a category (not exported)",
	KindNotUnderRoot:      "categories not under the root (exported as top-level categories)",
	KindNullSettings:      "exported categories holding NULL in invitations (invite), file upload (filePost) or chat history (logged) (exported as off: the target's categories get 0)",
	KindRoomSettings:      "exported rooms with chat history (logged) or file upload (filePost) set (not exported: the target's rooms get NULL)",
	KindSharedName:        "names held twice (every import of this archive refuses it)",
	KindCategoryDisabled:  "exported categories with disabled 1 (not exported: the target's categories get 0)",
	KindUncarriedAccess:   "categories and rooms with role grants or entries an archive does not carry (not exported)",
	KindSourceChanged:     "rooms whose last chat ID moved during the export (stop the Persistent Chat services before exporting)",
	KindUnknownAuthor:     "categories and rooms whose nodeAddedBy or nodeUpdatedBy is not in tblPrincipal (exported as \"\": the import credits the target's system user)",
	KindRoomInvitations:   "rooms with invitations on in a category with invitations off (exported as False)",
	KindReplacedSurrogate: "values exported with U+FFFD in place of a UTF-16 surrogate without its pair (--replace-unpaired-surrogates; the manifest counts them)",
}

// WarningWhat names the warnings of a kind in the plural ("" for no kind).
func WarningWhat(kind string) string { return warningWhat[kind] }

// WarningKinds returns the kind of each of r.Warnings, in order: one of
// the Kind constants, or "" for a warning that does not repeat per node.
// A Result read back from JSON has none.
func (r *Result) WarningKinds() []string { return r.warnKinds }

// warn adds a warning of a kind ("" for none).
func (r *Result) warn(kind, msg string) {
	for len(r.warnKinds) < len(r.Warnings) {
		r.warnKinds = append(r.warnKinds, "")
	}
	r.Warnings = append(r.Warnings, msg)
	r.warnKinds = append(r.warnKinds, kind)
}

// RoomResult is one exported room.
type RoomResult struct {
	Name     string `json:"name"`
	Category string `json:"category"`
	Messages int64  `json:"messages"`
	Disabled bool   `json:"disabled"`
}

// Export writes the archive at path. The archive is complete and verified,
// or absent: an interrupted export leaves no file under path.
func Export(ctx context.Context, s *store.Store, path string, opts Options) (*Result, error) {
	if opts.Level == 0 {
		opts.Level = All
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	progress := opts.Progress
	if progress == nil {
		progress = func(Progress) {}
	}
	res := &Result{Archive: path, Level: opts.Level.String(), Scope: opts.Scope, Started: opts.Now()}
	if !opts.Since.IsZero() {
		since := opts.Since.UTC()
		res.Since = &since
	}
	mark := s.WriteMark()
	if err := unreadable(ctx, s, false, nil); err != nil {
		return nil, err
	}
	src, err := load(ctx, s, opts)
	if err != nil {
		return nil, unreadable(ctx, s, true, err)
	}
	if err := src.refusedRows(); err != nil {
		return nil, err
	}
	if err := src.unpairedStructure(ctx, opts, res); err != nil {
		return nil, err
	}
	src.sharedNames(res)
	src.unknownPrincipals(res)
	src.authorsOfPrincipals(res)
	src.unknownAffiliations(res)
	src.roomInvitations(res)
	empty, err := s.PrincipalEmptyTexts(ctx)
	if err != nil {
		return nil, err
	}
	if len(empty) > 0 {
		res.warn("", store.EmptyTextsSummary(empty)+": exported as none (an archive holds an empty text as none), so the principals the import creates get NULL there")
	}
	for _, name := range src.orphans {
		res.warn(KindNoCategory, fmt.Sprintf("room %q is not in a category (its parent node is not a category): not exported", name))
	}
	if err := src.uncarried(ctx, s, opts, res); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("archive folder: %w", err)
	}
	w, err := archive.Create(path, archive.WriterOptions{Overwrite: opts.Overwrite, ChunkMessages: opts.ChunkMessages, Created: opts.Created})
	if err != nil {
		return nil, err
	}
	m, err := src.write(ctx, w, opts, progress, res)
	if err != nil {
		return nil, errors.Join(unreadable(ctx, s, true, err), w.Abort())
	}
	// Another process that wrote to the database while it was read (an
	// import begun after the export) makes the archive a mix: not written.
	if err := s.WrittenSince(mark); err != nil {
		return nil, errors.Join(fmt.Errorf("%w; the archive %s is not written", err, path), w.Abort())
	}
	if err := w.Commit(m); err != nil {
		return nil, errors.Join(err, w.Abort())
	}
	progress(Progress{Phase: "verify"})
	if res.Manifest, err = verify(ctx, path, m); errors.Is(err, errReplaced) {
		// Not this export's file: left as it is.
		return nil, fmt.Errorf("verify the new archive %s: %w", path, err)
	} else if err != nil {
		// An archive that was not verified is not complete: it goes, as
		// an interrupted one would.
		return nil, errors.Join(fmt.Errorf("verify the new archive %s (removed): %w", path, err), os.Remove(path))
	}
	if opts.DisableExported && len(src.rooms) > 0 {
		progress(Progress{Phase: "disable"})
		var ids []int32
		for _, r := range src.rooms {
			ids = append(ids, r.ID)
		}
		n, err := s.DisableRooms(ctx, ids, pchat.SystemUserID, pchat.TicksFromTime(opts.Now()))
		if err != nil {
			return res, fmt.Errorf("the archive %s is complete, but disabling the exported rooms failed: %w", path, err)
		}
		res.Disabled = n
	}
	res.Duration = opts.Now().Sub(res.Started)
	progress(Progress{Phase: "messages", Done: res.Counts.Messages, Total: res.Counts.Messages, Finished: true})
	return res, nil
}

// errReplaced is verify's error for an archive that is not the one the
// export committed.
var errReplaced = errors.New("another process wrote another archive over it as it was committed (another export to the same file?); the export must be run again")

// verify opens the new archive as an import will. The Writer checked
// every record, checksum and compressed block as it wrote them and the
// file's bytes when it committed it (archive/writer_check.go), so its
// parts are not read again.
//
// It returns the archive's manifest (Result.Manifest). An archive whose
// manifest is not the one committed (m, by its creation time and source)
// was written over by another process since the rename.
func verify(ctx context.Context, path string, m archive.Manifest) (archive.Manifest, error) {
	if err := ctx.Err(); err != nil {
		return archive.Manifest{}, err
	}
	r, err := archive.Open(path)
	if err != nil {
		return archive.Manifest{}, err
	}
	got := r.Manifest()
	if !got.Created.Equal(m.Created) || got.SourcePool != m.SourcePool || got.SourceDatabase != m.SourceDatabase {
		return archive.Manifest{}, errors.Join(errReplaced, r.Close())
	}
	return got, r.Close()
}

// source is what will be exported, read before anything is written.
type source struct {
	prins     []pchat.Principal
	aff       map[int32][]int32
	guidOf    map[int32]string
	cats      []pchat.Category
	catName   map[int32]string // the exported categories
	allCats   map[int32]string // every category, by ID
	allRooms  map[int32]string // every room, by ID (RoomDirectory and above)
	addins    []pchat.Addin
	addinName map[string]string
	rooms     []pchat.Room
	store     *store.Store
	// orphans are rooms whose parent is not a category: Persistent Chat
	// puts every room in exactly one category, so they cannot be exported.
	orphans []string
}

func load(ctx context.Context, s *store.Store, opts Options) (*source, error) {
	src := &source{store: s, guidOf: map[int32]string{}, catName: map[int32]string{}, allCats: map[int32]string{}, allRooms: map[int32]string{}, addinName: map[string]string{}}
	var err error
	if src.prins, err = s.Principals(ctx); err != nil {
		return nil, err
	}
	if src.aff, err = s.Affiliations(ctx); err != nil {
		return nil, err
	}
	for _, p := range src.prins {
		src.guidOf[p.ID] = p.GUID
	}
	if opts.Level < Category {
		return src, nil
	}
	cats, err := s.Categories(ctx)
	if err != nil {
		return nil, err
	}
	if src.cats, err = scoped(cats, opts.Scope, s.NameKey); err != nil {
		return nil, err
	}
	for _, c := range src.cats {
		src.catName[c.ID] = c.Name
	}
	for _, c := range cats {
		src.allCats[c.ID] = c.Name
	}
	if opts.Level < RoomDirectory {
		return src, nil
	}
	if src.addins, err = s.Addins(ctx); err != nil {
		return nil, err
	}
	for _, a := range src.addins {
		src.addinName[a.ID] = a.Name
	}
	rooms, err := s.Rooms(ctx)
	if err != nil {
		return nil, err
	}
	isCategory := map[int32]bool{}
	for _, c := range cats {
		isCategory[c.ID] = true
	}
	for _, r := range rooms {
		src.allRooms[r.ID] = r.Name
		if _, ok := src.catName[r.CategoryID]; ok {
			src.rooms = append(src.rooms, r)
		} else if !isCategory[r.CategoryID] {
			src.orphans = append(src.orphans, r.Name)
		}
	}
	return src, nil
}

// ParseDate reads a --since date as administrators write it: 2006-01-02,
// 2006-01-02T15:04:05 or RFC 3339; dates without a zone are UTC.
func ParseDate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf(`date %q: want "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" (UTC)`, s)
}

// scoped keeps the named categories, and names every unknown one.
func scoped(cats []pchat.Category, scope []string, key func(string) string) ([]pchat.Category, error) {
	if len(scope) == 0 {
		return cats, nil
	}
	var out []pchat.Category
	var unknown []string
	chosen := map[int32]bool{}
	for _, name := range scope {
		found := false
		for _, c := range cats {
			if key(c.Name) == key(name) {
				// A category named twice (Sales, sales) is exported once.
				if !chosen[c.ID] {
					out = append(out, c)
				}
				chosen[c.ID] = true
				found = true
				break
			}
		}
		if !found {
			unknown = append(unknown, fmt.Sprintf("%q", name))
		}
	}
	if len(unknown) > 0 {
		names := make([]string, len(cats))
		for i, c := range cats {
			names[i] = fmt.Sprintf("%q", c.Name)
		}
		return nil, fmt.Errorf("--scope names categories the pool does not have: %s (it has %s)", strings.Join(unknown, ", "), strings.Join(names, ", "))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
