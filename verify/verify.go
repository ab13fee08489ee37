// Package verify reconciles a migrated target pool with its source pools,
// object by object, reading both and writing nothing: `pcmig verify` and
// the Lua verify module.
//
// For every category it compares the settings and the allowed members,
// denied members and creators by principal URI; for every room the
// category, settings, add-in, members, managers and presenters by URI, and
// the message history: count, first and last time, and a SHA-256 digest of
// the ordered history, where each message counts with its time, poster URI
// (lower case), alert flag, content and RTF. Equal digests mean identical
// histories; when they differ the first difference is named. Principals
// are matched by the rule the import matches them by, one function both
// use (internal/prinmatch), applied to the archive's principals (side.go:
// spell).
//
// What was meant to arrive is what the export took: the archive's manifest
// gives the level, the category scope and the content start date, and the
// archive's rooms give each room's state at export time (an export with
// disable_exported disables the source rooms afterwards). The import's
// journal beside the archive says what happened to every category and room
// (created, merged into a same-named one, renamed, skipped) and which of
// the target room's chat IDs hold the archive's messages, so renamed rooms
// are matched by that record, and merged rooms are compared only over the
// range the import wrote. Objects the import created must equal the source;
// objects merged into ones the target had must contain what the source
// had: a room the target had before (merged into, or found from an earlier
// run) with no journal range is compared as a multiset, each source message
// looked for anywhere in its history, as the import looks for it
// (multiset.go); so is a room with the source room's GUID and no journal
// range whose whole history is not the source's in order (users posted in
// it since the journal was lost). RoomFigure.Comparison says which. Several sources may be verified against one target at
// once. A target room whose whole history those comparisons did not cover
// (merged rooms, several sources in one room) must also hold each of the
// sources' messages exactly as many times as the source room that holds
// it most often (the maximum, not the sum: a message two sources hold is
// one message), so that a history appended twice is a difference
// (multiplicity.go).
//
// Messages are streamed from both sides at once in keyset pages, so memory
// does not grow with the history.
package verify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pcmig/pcmig/filestore"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/store"
)

// Verdicts.
const (
	Equal     = "EQUAL"
	Different = "DIFFERENT"
)

// Source is one source pool to reconcile with the target.
type Source struct {
	Label   string       // the pool's FQDN or name, for messages
	Store   *store.Store // opened read-only
	Archive string       // the archive the source was exported to; "" when unknown
	// Files is the source pool's file store (a folder or a UNC share);
	// a linked file missing from the target's store and from this one
	// too is noted, not a difference. "" when not known.
	Files string
	// Outcomes, when not nil, say what the import did (a dry run keeps
	// them in memory); otherwise the import journal beside Archive is read.
	Outcomes []importer.Outcome
}

// Options are the choices of a verification.
type Options struct {
	// Scope limits the comparison to these source categories (names, any
	// case) and their rooms; empty compares everything meant to arrive.
	Scope []string
	// ExtraCreators are creators the migration adds on top of the
	// source's, by category name ("*": every category), as the estate's
	// creators table names them. Other creators the target has besides the
	// source's are noted, not differences: step 6 of the procedure adds
	// creators on purpose.
	ExtraCreators map[string][]string
	// StructureOnly skips the message histories (dry runs, which import
	// no messages).
	StructureOnly bool
	// TargetFiles is the target pool's file store (a folder or a UNC
	// share): every ma-filelink: link in the compared target messages must
	// name a file in it. "" checks no file.
	TargetFiles string
	// Now is the clock for the duration; nil means time.Now.
	Now func() time.Time
}

// Result is a reconciliation.
type Result struct {
	Verdict     string           `json:"verdict"` // EQUAL or DIFFERENT
	Equal       bool             `json:"equal"`
	Target      string           `json:"target"`
	Sources     []SourceInfo     `json:"sources"`
	Totals      Totals           `json:"totals"`
	Categories  []CategoryFigure `json:"categories"`
	Rooms       []RoomFigure     `json:"rooms"`
	Differences []Difference     `json:"differences"`
	// NotCarried are the source's roles (room members, managers,
	// presenters, category creators) the target lacks because their
	// principal is outside the target category's allowed members minus
	// denied members: the import does not grant them, by the documented
	// rule, so they are not differences.
	NotCarried []NotCarried `json:"not_carried"`
	// NoCategory are the source's rooms in no category (at the root,
	// inside a room, their parent missing), which no export carries: not
	// differences; the text shows each as a note.
	NoCategory []NoCategoryRoom `json:"rooms_in_no_category"`
	// Notes say what was not compared and why (export level, scope,
	// start date, skipped objects, dry run), and what the target holds
	// besides.
	Notes      []string      `json:"notes"`
	Files      Files         `json:"uploaded_files"`
	Structure  bool          `json:"structure_only"`
	Started    time.Time     `json:"started"`
	DurationMS int64         `json:"duration_ms"`
	duration   time.Duration // for text
	// noteKinds is the kind of each note that repeats once per
	// category, room or role (the Note constants), by its text.
	noteKinds map[string]string
	// uncarried counts the source's role grants and allowed/denied
	// entries an archive has no place for (uncarriedNote), and
	// uncarriedNodes their nodes, for the verdict.
	uncarried, uncarriedNodes int64
}

// Kinds of the notes that repeat once per category, room or role: the
// console shows the first few of each (NoteKind).
const (
	NoteSkipped        = "skipped"
	NoteMerged         = "merged"
	NoteRenamed        = "renamed"
	NoteMultiset       = "multiset"
	NoteBesides        = "besides"
	NoteFilesMissing   = "files_missing"
	NoteNotInArchive   = "not_in_archive"
	NoteUnknownPrinIDs = "unknown_prinids"
	NoteCreatorAdded   = "creator_added"
	NoteEntryKept      = "entry_kept"
	NoteShared         = "shared"
	NoteNullSettings   = "null_settings"
	NoteUncarried      = "uncarried"
	noteNoCategory     = "no_category"
	noteNotCarried     = "not_carried"
)

// noteWhat names each kind's notes in the plural, for a console's
// summary line.
var noteWhat = map[string]string{
	NoteSkipped:        "notes of categories and rooms the import skipped (--on-conflict skip)",
	NoteMerged:         "notes of categories and rooms merged into the target's",
	NoteRenamed:        "notes of categories and rooms renamed as the import renames them",
	NoteMultiset:       "notes of rooms compared as a multiset (no import journal range)",
	NoteBesides:        "notes of rooms holding messages besides this source's (not compared)",
	NoteFilesMissing:   "notes of rooms whose linked files are missing from both file stores",
	NoteNotInArchive:   "notes of source rooms not in the archive (not compared)",
	NoteUnknownPrinIDs: "notes of categories and rooms with roles or entries of prinIDs not in the source's tblPrincipal (not compared)",
	NoteCreatorAdded:   "notes of creators in the target, not in the source (added after the import)",
	NoteEntryKept:      "notes of allowed or denied entries whose target entry the merge kept",
	NoteShared:         "notes of rooms sharing messages with another source's room",
	NoteNullSettings:   "notes of source categories holding NULL settings, read as off",
	NoteUncarried:      "notes of source categories and rooms with roles or entries an archive has no place for (not compared)",
	noteNoCategory:     "source rooms in no category (no export carries them)",
	noteNotCarried:     "source roles not carried (outside their category's allowed members minus denied members)",
}

// NoteKind returns the kind of a note of r.Notes (one of the Note
// constants), or "" for a note that does not repeat per object. A Result
// read back from JSON has none.
func (r *Result) NoteKind(note string) string { return r.noteKinds[note] }

// NoteWhat names the notes of a kind in the plural.
func NoteWhat(kind string) string { return noteWhat[kind] }

// noteOf adds a note of a kind that repeats per object.
func (r *Result) noteOf(kind, format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	if r.noteKinds == nil {
		r.noteKinds = map[string]string{}
	}
	r.noteKinds[text] = kind
	r.Notes = append(r.Notes, text)
}

// SourceInfo says what was compared for one source.
type SourceInfo struct {
	Label    string     `json:"label"`
	Database string     `json:"database"` // without secrets
	Archive  string     `json:"archive,omitempty"`
	Journal  string     `json:"import_journal,omitempty"`
	Level    string     `json:"level"`
	Scope    []string   `json:"scope,omitempty"`
	Since    *time.Time `json:"since,omitempty"`
}

// Files are the uploaded files the compared target messages link to.
type Files struct {
	Store   string `json:"file_store,omitempty"` // "" when not checked
	Links   int64  `json:"links"`
	Missing int64  `json:"missing"`
	// MissingSourceToo are the links whose file the source's file store
	// (Source.Files) lacks as well: nothing could be copied, so they are
	// noted, not differences (not in Missing).
	MissingSourceToo int64 `json:"missing_from_source_too"`
	// Differ are the links whose file the target's file store holds
	// with other bytes than the source's file store (compared byte by
	// byte when Source.Files is known): differences.
	Differ int64 `json:"differ"`
}

// Totals are the figures compared, source beside target. The messages
// are what was meant to arrive and what of it the target holds: a message
// that several source rooms merged into one target room hold alike (the
// same time to the tick, poster, alert flag, content and RTF) is one
// message there, expected as many times as the source room that holds it
// most often (multiplicity.go), so Source.Messages counts it so, and
// Target.Messages counts the copies of the sources' messages such a room
// holds. SharedMessages are the sources' messages left out of
// Source.Messages for that reason: the sources hold Source.Messages +
// SharedMessages.
type Totals struct {
	Source         Counts `json:"source"`
	Target         Counts `json:"target"`
	SharedMessages int64  `json:"shared_messages"`
	// TargetObjects are the target's categories and rooms that source
	// ones were matched with: fewer than Target's when several sources'
	// categories or rooms were merged into one.
	TargetObjects Objects `json:"target_objects"`
	// RoomsHistoryDiffers counts the target rooms whose history differs
	// from what the sources meant to arrive (a message's content, order or
	// count), each once however many source rooms were merged into it:
	// Target.Messages counts their messages present, not intact.
	RoomsHistoryDiffers int `json:"rooms_history_differs"`
}

// Objects are categories and rooms.
type Objects struct {
	Categories int `json:"categories"`
	Rooms      int `json:"rooms"`
}

// Counts are categories, rooms and messages.
type Counts struct {
	Categories int   `json:"categories"`
	Rooms      int   `json:"rooms"`
	Messages   int64 `json:"messages"`
}

// CategoryFigure is one source category beside its target category.
type CategoryFigure struct {
	Source         string `json:"source"`
	Name           string `json:"name"`
	TargetName     string `json:"target_name"` // "" when missing
	Action         string `json:"import_action,omitempty"`
	SourceRooms    int    `json:"source_rooms"`
	TargetRooms    int    `json:"target_rooms"`
	SourceMessages int64  `json:"source_messages"`
	TargetMessages int64  `json:"target_messages"`
	// SharedMessages are the rooms' SharedMessages summed.
	SharedMessages int64 `json:"shared_messages"`
	Differences    int   `json:"differences"`
}

// RoomFigure is one source room beside its target room.
type RoomFigure struct {
	Source     string `json:"source"`
	Category   string `json:"category"`
	Name       string `json:"name"`
	TargetName string `json:"target_name"` // "" when missing
	Action     string `json:"import_action,omitempty"`
	// Comparison says how the room's history was compared: whole,
	// journal range, multiset or none (CompareWhole...); "" when it was
	// not compared.
	Comparison     string `json:"comparison,omitempty"`
	SourceMessages int64  `json:"source_messages"`
	TargetMessages int64  `json:"target_messages"`
	// SharedMessages are the room's messages that a source room compared
	// before it (another source's, merged into the same target room)
	// holds too: they are expected there once, not once per source.
	SharedMessages int64     `json:"shared_messages"`
	First          time.Time `json:"first_message,omitzero"`
	Last           time.Time `json:"last_message,omitzero"`
	SourceDigest   string    `json:"source_digest,omitempty"`
	TargetDigest   string    `json:"target_digest,omitempty"`
	Equal          bool      `json:"equal"`
}

// Difference is one way the target differs from what was meant to arrive.
type Difference struct {
	Source   string `json:"source"`
	Category string `json:"category,omitempty"` // the source category it concerns
	Object   string `json:"object"`             // "category NAME" or "room NAME"
	Text     string `json:"text"`               // a sentence that starts with Object
	// kind is what kind of difference it is (the Diff constants), for
	// a console's summary (Difference.Kind); "" read back from JSON.
	kind string
}

// Kind returns the kind of the difference: one of the Diff constants, ""
// for one read back from JSON.
func (d Difference) Kind() string { return d.kind }

// Kinds of differences, which one reconciliation may give once per
// category, room, role or principal: the console shows the first few of
// each (DifferenceWhat).
const (
	DiffReaddressed      = "readdressed"
	DiffPrincipalMissing = "principal_missing"
	DiffPrincipalKind    = "principal_kind"
	DiffChatCounter      = "chat_counter"
	DiffNotFound         = "not_found"
	DiffCategoryMissing  = "category_missing"
	DiffCategoryNamed    = "category_named"
	DiffCategoryPlace    = "category_place"
	DiffHistory          = "history"
	DiffFilesMissing     = "files_missing"
	DiffFilesDiffer      = "files_differ"
	DiffSetting          = "setting"
	DiffRoleOther        = "role_other"
	DiffRoleMissing      = "role_missing"
	DiffRoleExtra        = "role_extra"
	DiffRoomMissing      = "room_missing"
	DiffRoomNamed        = "room_named"
	DiffRoomCategory     = "room_category"
	DiffAddin            = "addin"
)

// diffWhat names each kind's differences in the plural, for a console's
// summary line.
var diffWhat = map[string]string{
	DiffReaddressed:      "differences of principals the import created that the target holds under another address",
	DiffPrincipalMissing: "differences of the archive's principals not in the target",
	DiffPrincipalKind:    "differences of principals the target holds by their GUID as another kind",
	DiffChatCounter:      "differences of rooms whose tblLastChatId is behind their highest chat ID",
	DiffNotFound:         "differences of archive rooms not found in the source where the export took them from (not compared)",
	DiffCategoryMissing:  "differences of categories in the source, not in the target",
	DiffCategoryNamed:    "differences of categories named otherwise in the target",
	DiffCategoryPlace:    "differences of categories not under the root in the target",
	DiffHistory:          "differences of rooms' message history",
	DiffFilesMissing:     "differences of rooms whose linked files are missing from the target's file store",
	DiffFilesDiffer:      "differences of rooms whose linked files hold other bytes in the target's file store",
	DiffSetting:          "differences of categories' and rooms' settings",
	DiffRoleOther:        "differences of principals with another role in the target",
	DiffRoleMissing:      "differences of roles in the source, not in the target",
	DiffRoleExtra:        "differences of roles in the target, not in the source",
	DiffRoomMissing:      "differences of rooms in the source, not in the target",
	DiffRoomNamed:        "differences of rooms named otherwise in the target",
	DiffRoomCategory:     "differences of rooms in another category in the target",
	DiffAddin:            "differences of add-ins",
}

// DifferenceWhat names the differences of a kind in the plural.
func DifferenceWhat(kind string) string { return diffWhat[kind] }

// NotCarried is a source role the documented rule keeps out of the target.
type NotCarried struct {
	Source    string `json:"source"`
	Category  string `json:"category,omitempty"` // the source category it concerns
	Object    string `json:"object"`             // "category NAME" or "room NAME"
	Role      string `json:"role"`               // member, manager, presenter or creator
	Principal string `json:"principal"`          // the principal's URI
	Text      string `json:"text"`               // a sentence that starts with Object
}

// IsEqual reports whether the verification found no difference.
func (r *Result) IsEqual() bool { return r.Verdict == Equal }

// Run reconciles the sources with the target. It writes nothing. Bad
// options (a scope naming no source category) and read failures are
// errors; differences are in the Result.
func Run(ctx context.Context, sources []Source, target *store.Store, opts Options) (*Result, error) {
	return run(ctx, sources, target, opts, target.URIKey)
}

// run is Run with the rule that tells principal URIs apart: the target's
// (Store.URIKey, its prinUri collation), as the import matched them. Tests
// give another rule (a case-sensitive collation, which the embedded store
// does not have).
func run(ctx context.Context, sources []Source, target *store.Store, opts Options, uriKey func(string) string) (*Result, error) {
	if len(sources) == 0 {
		return nil, fmt.Errorf("verify: no source pool")
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	// Another process that writes to a database while it is compared (an
	// import begun after verify opened it) makes the verdict one of no
	// pool that ever was: marked here, checked before the verdict.
	stores := []*store.Store{target}
	for _, src := range sources {
		stores = append(stores, src.Store)
	}
	marks := make([]store.WriteMark, len(stores))
	for i, s := range stores {
		marks[i] = s.WriteMark()
	}
	start := now()
	poolID, err := distinct(ctx, sources, target)
	if err != nil {
		return nil, err
	}
	// The first source's archive is read while the target's pool is,
	// and each next one's while the source before is compared; every
	// read is waited for before Run returns.
	next := fetch(sources[0], poolID, target)
	pending := true
	defer func() {
		if pending {
			<-next
		}
	}()
	t, err := loadSide(ctx, target, 0, newURIs(uriKey), nil, nil)
	if err != nil {
		return nil, err
	}
	res := &Result{Target: target.Describe(), Structure: opts.StructureOnly, Started: start.UTC(),
		Sources: []SourceInfo{}, Categories: []CategoryFigure{}, Rooms: []RoomFigure{}, Differences: []Difference{}, NotCarried: []NotCarried{}, NoCategory: []NoCategoryRoom{}, Notes: []string{}}
	var files *fileStores
	if opts.TargetFiles != "" && !opts.StructureOnly {
		tf, err := filestore.Open(opts.TargetFiles)
		if err != nil {
			return nil, fmt.Errorf("verify: the target's file store %s is not a folder this machine can read", opts.TargetFiles)
		}
		defer tf.Close()
		files = &fileStores{target: tf}
		res.Files.Store = opts.TargetFiles
	}
	if opts.StructureOnly {
		res.note("dry run: the structure is compared with the simulated target; messages are not imported in a dry run and are not compared")
	}
	c := &comparison{res: res, t: t, poolID: poolID, files: files, opts: opts, lists: map[int32]*nodeLists{}, matched: map[int32]bool{}, uid: map[string]int32{},
		notCarried: map[wanted]string{}, addinNoted: map[string]bool{}, historyDiffers: map[int32]bool{}, counted: map[int32]bool{}}
	scopeSeen := map[string]int{}
	for i, src := range sources {
		f := <-next
		pending = false
		if i+1 < len(sources) {
			next, pending = fetch(sources[i+1], poolID, target), true
		}
		if f.err != nil {
			return nil, f.err
		}
		if err := c.source(ctx, src, f, scopeSeen); err != nil {
			return nil, err
		}
	}
	var unknown, notExported []string
	for _, name := range opts.Scope {
		switch scopeSeen[name] {
		case scopeNone:
			unknown = append(unknown, fmt.Sprintf("%q", name))
		case scopeNotExported:
			notExported = append(notExported, fmt.Sprintf("%q", name))
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("verify: --scope names categories no source has: %s", strings.Join(unknown, ", "))
	}
	if len(notExported) > 0 {
		// Compared, they would be 0 of 0 and EQUAL: nothing of them was
		// meant to reach this target.
		return nil, fmt.Errorf("verify: --scope names categories the archive's export did not take (outside its export scope, so nothing of them was meant to reach this target; verify them with the estate or archive that migrated them): %s", strings.Join(notExported, ", "))
	}
	if err := c.multiplicity(ctx); err != nil {
		return nil, err
	}
	res.Totals.RoomsHistoryDiffers = len(c.historyDiffers)
	c.roleLists()
	c.extras()
	for i, s := range stores {
		if err := s.WrittenSince(marks[i]); err != nil {
			return nil, fmt.Errorf("verify: %w; so it gives no verdict", err)
		}
	}
	res.Verdict, res.Equal = Equal, true
	if len(res.Differences) > 0 {
		res.Verdict, res.Equal = Different, false
	}
	res.duration = now().Sub(start)
	res.DurationMS = res.duration.Milliseconds()
	return res, nil
}

func (r *Result) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// distinct refuses a source that is the target, or two sources that are
// one pool: one store given twice, or a copy of one pool's database (the
// same tblConfig pool ID). Comparing a pool with itself would say EQUAL
// and prove nothing; a source given twice would count its history twice.
// It returns the target's pool ID.
func distinct(ctx context.Context, sources []Source, target *store.Store) (string, error) {
	tid, err := target.PoolID(ctx)
	if err != nil {
		return "", err
	}
	seen := map[string]string{} // pool ID -> source label
	for i, src := range sources {
		for _, other := range sources[:i] {
			if other.Store == src.Store {
				return "", fmt.Errorf("verify: sources %s and %s are one database (%s): each source is compared once", other.Label, src.Label, src.Store.Describe())
			}
		}
		if src.Store == target {
			return "", fmt.Errorf("verify: source %s is the target (%s): verify compares a migrated target with its source", src.Label, target.Describe())
		}
		sid, err := src.Store.PoolID(ctx)
		if err != nil {
			return "", err
		}
		if first, ok := seen[sid]; ok && sid != "" {
			return "", fmt.Errorf("verify: sources %s and %s are the same pool (pool ID %s in tblConfig of both): each source is compared once", first, src.Label, sid)
		}
		seen[sid] = src.Label
		if sid != "" && sid == tid {
			return "", fmt.Errorf("verify: source %s (%s) and the target (%s) are the same pool (pool ID %s in tblConfig of both): a copy of a pool's database is not its migration target",
				src.Label, src.Store.Describe(), target.Describe(), sid)
		}
	}
	return tid, nil
}
