package importer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/atomicfile"
	"github.com/pcmig/pcmig/fsguard"
	"github.com/pcmig/pcmig/jsonerr"
)

// JournalPath is where an import of the archive at archivePath into the
// target t (pool ID poolID) keeps its checkpoints: beside the archive, one
// journal per database. It is named by the pool ID (the target's
// description when it has none) and the database: its identity
// (store.Config.Identity), or for an SQLite file its path from the
// archive's folder, so that an estate folder moved or copied whole keeps
// its journals. A target and a restored copy of it with the same pool ID
// (a rehearsal) that import one archive each keep their own.
func JournalPath(archivePath, poolID string, t Target) string {
	return archivePath + ".import-" + shortHash(poolKey(poolID, t)+"\n"+targetKey(filepath.Dir(archivePath), t)) + ".json"
}

// legacyJournalPath is where pcmig kept an import's journal before it kept
// one per database: one per archive and pool ID, which every database
// with that pool ID shared. A journal found there is still read, and used
// when it records this target.
func legacyJournalPath(archivePath, poolID string, t Target) string {
	return archivePath + ".import-" + shortHash(poolKey(poolID, t)) + ".json"
}

func shortHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:6])
}

// poolKey is the target's pool ID, or its description when it has none.
func poolKey(poolID string, t Target) string {
	if poolID == "" {
		return t.Describe()
	}
	return poolID
}

// targetKey names the database in a journal's file name: an SQLite file
// by its path from dir (the journal's folder), anything else by what its
// journal records of it.
func targetKey(dir string, t Target) string {
	if rel := besideFrom(dir, t); rel != "" {
		return "sqlite from the journal's folder:" + rel
	}
	return targetOf(t)
}

// journal records, per room, the tblLastChatId the room had before pcmig's
// first message went in. It is written atomically before the first batch of
// messages, for every room at once.
type journal struct {
	path string // where it is saved
	read string // the file it was read from: path, or a legacy journal (legacyJournalPath)
	// legacy is a journal of this target at legacyJournalPath, removed
	// once the journal is saved at path.
	legacy string
	data   journalData
	stale  string // the archive an old journal at path belonged to, if any
	// other is the target an import of this archive recorded its rooms'
	// starting points for, when that is not this target (another database
	// with this pool ID: a restored copy); those starting points were
	// dropped.
	other string
	// note is told of the temporary files of killed saves that a save
	// removed (Options.Note).
	note func(string)
	// deferred keeps saves in memory (unsaved says one was asked for):
	// an import writing under a store hold saves its journal only once
	// the hold is confirmed, before its commit (overlap.go).
	deferred, unsaved bool
}

type journalData struct {
	Archive string `json:"archive"` // manifest created time + counts: which archive
	// ArchiveID is the archive's ArchiveID (every part's checksum): two
	// exports that agree on Archive (one built from the other by hand, a
	// part changed) are told apart. A journal written before it was
	// recorded is compared by Archive alone (sameArchive).
	ArchiveID string `json:"archive_id,omitempty"`
	Target    string `json:"target"` // which target (its identity, no secrets; before: its description)
	// Beside is, for an SQLite target, its file's path from the journal's
	// folder (symbolic links resolved in both): the estate folder moved or
	// copied whole, archive, journal and database together, keeps its
	// journal (see sameTarget).
	Beside  string                  `json:"target_from_journal,omitempty"`
	Updated time.Time               `json:"updated"`
	Rooms   map[string]journalEntry `json:"rooms"` // archive room GUID
	// Principals are the GUIDs of the principals this import creates,
	// recorded before they are: their affiliations go in afterwards, in
	// another transaction, and a resumed import must still add them.
	Principals []string `json:"created_principals,omitempty"`
	// Outcomes say, per archive category and room GUID, what the import
	// did with it (created, merged, renamed, skipped) and under which name
	// and node ID, so that verify matches renamed and merged objects.
	Outcomes map[string]Outcome `json:"outcomes,omitempty"`
}

type journalEntry struct {
	TargetID int32 `json:"target_id"`
	Base     int64 `json:"base_last_chat_id"`
	Total    int64 `json:"messages"`
}

// ArchiveID identifies an archive by its manifest: when it was created,
// from which pool and database, and every part's record count and
// checksum. Another export, even of the same pool at the same level, has
// another ID. A run that exports an archive and imports it in a later step
// passes the ID its export wrote (Options.Archive), so that an archive
// another process wrote over in between is refused, not imported.
func ArchiveID(m archive.Manifest) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%q\n%q\n%q\n", m.Created.UTC().Format(time.RFC3339Nano), m.SourcePool, m.SourceDatabase, m.Level)
	for _, p := range m.Parts {
		fmt.Fprintf(h, "%q %q %d %d %s\n", p.Name, p.Kind, p.Records, p.Bytes, p.SHA256)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// DescribeArchive says which export an archive is, for messages: its pool,
// database, time and counts (no secret: the manifest's database is
// described without one).
func DescribeArchive(m archive.Manifest) string {
	pool := m.SourcePool
	if pool == "" {
		pool = "(no pool named)"
	}
	return fmt.Sprintf("exported from %s (%s) at %s: %d rooms, %d messages", pool, m.SourceDatabase,
		m.Created.UTC().Format(time.RFC3339Nano), m.Counts.Rooms, m.Counts.Messages)
}

// ErrArchiveReplaced is wrapped by the error Import returns when the
// archive is not the one Options.Archive names.
var ErrArchiveReplaced = errors.New("the archive is not the one this run exported")

func archiveKey(m archive.Manifest) string {
	return fmt.Sprintf("%s %s %d %d", m.Created.UTC().Format(time.RFC3339Nano), m.SourcePool, m.Counts.Rooms, m.Counts.Messages)
}

// sameArchive reports whether a journal d is of the archive whose
// manifest is m: by its ArchiveID, every part's checksum, when it records
// one; by creation time, source pool and counts (archiveKey) when it was
// written before journals recorded the ID.
func sameArchive(d *journalData, m archive.Manifest) bool {
	return d.Archive == archiveKey(m) && (d.ArchiveID == "" || d.ArchiveID == ArchiveID(m))
}

// Target is the database an import journal is of (a *store.Store).
type Target interface {
	Describe() string // for people, without secrets
	Identity() string // the database itself (store.Config.Identity); "" if unknown
}

// targetOf is what a journal records of its target: the database's
// identity, else its description.
func targetOf(t Target) string {
	if id := t.Identity(); id != "" {
		return id
	}
	return t.Describe()
}

// sameTarget reports whether a journal at path that recorded the target d
// is of t. Journals record t's identity (store.Config.Identity: an SQLite
// file's absolute path, symbolic links resolved; SQL Server's host,
// instance, port and database, whatever the login and options), and for
// an SQLite file also its path from the journal's folder: a folder moved
// or copied whole with the archive, its journal and the database (an
// estate) keeps the journal, and a database elsewhere (a copy in another
// folder or under another name, whichever the archive is) does not. One
// written before pcmig recorded identities recorded the description: it is
// compared as it was then, an SQLite path as an absolute path (a relative
// one read against the current directory), a SQL Server description as a
// whole. A journal that records no target is of any.
func sameTarget(path string, d *journalData, t Target) bool {
	if d.Target == "" {
		return true
	}
	id := t.Identity()
	if id != "" && d.Target == id {
		return true
	}
	if p, ok := strings.CutPrefix(id, "sqlite:"); ok && d.Beside != "" {
		if filepath.Join(fsguard.Resolve(filepath.Dir(path)), filepath.FromSlash(d.Beside)) == p {
			return true
		}
	}
	return legacyTarget(d.Target) == legacyTarget(t.Describe())
}

// besideOf is an SQLite target's path from the journal's folder (slashes
// for separators); "" for SQL Server, or when there is none.
func besideOf(path string, t Target) string {
	return besideFrom(filepath.Dir(path), t)
}

// besideFrom is an SQLite target's path from the folder dir.
func besideFrom(dir string, t Target) string {
	p, ok := strings.CutPrefix(t.Identity(), "sqlite:")
	if !ok || p == "" {
		return ""
	}
	rel, err := filepath.Rel(fsguard.Resolve(dir), p)
	if err != nil {
		return ""
	}
	return filepath.ToSlash(rel)
}

// legacyTarget is a description as journals compared it before they
// recorded identities: an SQLite database by its file's absolute path
// (symbolic links resolved), anything else by the whole description.
func legacyTarget(desc string) string {
	p, ok := strings.CutPrefix(desc, "sqlite:")
	if !ok || p == "" {
		return desc
	}
	return "sqlite:" + fsguard.Resolve(p)
}

// openJournal reads the target's journal at path if there is one, else
// the one an earlier pcmig kept at legacy for every database with the
// pool ID ("" for none); it writes nothing. A legacy journal of this target
// is saved at path from the first save on, and removed then.
func openJournal(path, legacy string, m archive.Manifest, t Target) (*journal, error) {
	target := targetOf(t)
	beside := besideOf(path, t)
	j := &journal{path: path, read: path, data: journalData{Archive: archiveKey(m), ArchiveID: ArchiveID(m), Target: target, Beside: beside, Rooms: map[string]journalEntry{}}}
	d, err := readJournal(path)
	if err == nil && d == nil && legacy != "" && legacy != path {
		j.read = legacy
		d, err = readJournal(legacy)
	}
	if err != nil || d == nil {
		return j, err
	}
	ours := sameTarget(j.read, d, t)
	if ours && j.read != path {
		j.legacy = j.read
	}
	if !sameArchive(d, m) {
		// A new export under the same file name: the old checkpoints do not
		// apply. Rooms an earlier import created are still recognised by
		// their GUIDs; the first record overwrites this journal.
		j.stale = d.Archive
		return j, nil
	}
	if d.Rooms == nil {
		d.Rooms = map[string]journalEntry{}
	}
	if !ours {
		// Another database with this pool ID (a restored copy of the
		// target, a rehearsal), whose journal an earlier pcmig kept under
		// the name every database with the pool ID shared: its rooms' last
		// chat IDs say nothing of this one's, where users may have posted
		// since the copy was made. Trusted, they would count those posts as
		// this archive's messages and skip as many of the archive's. Each
		// room is looked for in its history instead (exact.go), as without
		// a journal; the principals and outcomes recorded stay, in this
		// database's own journal (the other's is left as it is).
		j.other = d.Target
		d.Rooms = map[string]journalEntry{}
	}
	// Recorded as this target's identity from the next save on (a journal
	// written before identities recorded the description), and with the
	// archive's ID (one written before it was recorded).
	d.Target, d.Beside, d.ArchiveID = target, beside, j.data.ArchiveID
	j.data = *d
	return j, nil
}

// readJournal reads the journal at path; nil when there is none.
func readJournal(path string) (*journalData, error) {
	b, err := fsguard.ReadFile(path, fsguard.MaxJournal, "import journal")
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := unsealJournal(path, b); err != nil {
		return nil, err
	}
	var d journalData
	if err := json.Unmarshal(b, &d); err != nil {
		// The words say where and what was expected, never the file's
		// bytes or values (jsonerr).
		return nil, fmt.Errorf("the import journal %s is damaged: %s; if no import of this archive into this target ever ran, remove it", path, jsonerr.Describe(b, err, &d))
	}
	return &d, nil
}

func (j *journal) entry(room string) (journalEntry, bool) {
	if j == nil {
		return journalEntry{}, false
	}
	e, ok := j.data.Rooms[room]
	return e, ok
}

// created reports the principals an earlier run of this import created.
func (j *journal) created() []string {
	if j == nil {
		return nil
	}
	return j.data.Principals
}

// recordPrincipals saves the GUIDs of principals about to be created.
func (j *journal) recordPrincipals(guids []string, now time.Time) error {
	if j == nil {
		return nil
	}
	have := map[string]bool{}
	for _, g := range j.data.Principals {
		have[g] = true
	}
	for _, g := range guids {
		if !have[g] {
			j.data.Principals = append(j.data.Principals, g)
		}
	}
	return j.save(now)
}

// recordRooms saves rooms' bases (by archive room GUID) before their first
// messages are written, in one save.
func (j *journal) recordRooms(entries map[string]journalEntry, now time.Time) error {
	if j == nil || len(entries) == 0 {
		return nil
	}
	for room, e := range entries {
		j.data.Rooms[room] = e
	}
	return j.save(now)
}

// A journal is sealed as the run journal is: its first member, "checksum",
// is the SHA-256 of the file without that member ("{" and everything after
// the member's comma). The import trusts each room's starting point it
// records: a number changed on disk or by hand, the file still JSON, would
// have the import skip archive messages or write some twice. A journal
// without a checksum is refused too: pcmig before 66dde48 (30 November
// 2026) wrote them so, but so does anyone who edits a sealed one and
// deletes the member, and nothing in the file tells the two apart (it
// records no version, and every byte of it can be edited). The checksum
// catches damage and edits made without recomputing it; it is not a
// signature: whoever may write the archive's folder may also write a
// journal pcmig reads as its own.
const sealStart = `{"checksum":"sha256:`

// sealJournal puts the checksum of body, a JSON object, in front of it.
func sealJournal(body []byte) []byte {
	sum := sha256.Sum256(body)
	out := make([]byte, 0, len(body)+len(sealStart)+2*sha256.Size+2)
	out = append(out, sealStart...)
	out = hex.AppendEncode(out, sum[:])
	out = append(out, `",`...)
	return append(out, body[1:]...)
}

// unsealJournal checks the checksum of a sealed journal file b.
func unsealJournal(path string, b []byte) error {
	if !bytes.HasPrefix(b, []byte(`{"checksum"`)) {
		return fmt.Errorf("the import journal %s has no checksum: a pcmig before 30 November 2026 wrote it, or it was edited, and the import trusts where it says each room's messages start; remove it: an import then finds what earlier imports of this archive wrote in each room's history (slower, as exact), and verify matches objects by GUID and name", path)
	}
	n := len(sealStart) + 2*sha256.Size
	ok := len(b) > n+2 && bytes.HasPrefix(b, []byte(sealStart)) && string(b[n:n+2]) == `",`
	if ok {
		sum := sha256.Sum256(append([]byte{'{'}, b[n+2:]...))
		ok = hex.EncodeToString(sum[:]) == string(b[len(sealStart):n])
	}
	if !ok {
		return fmt.Errorf("the import journal %s is damaged or was edited: its content does not match its checksum, and the import trusts where it says each room's messages start; remove it: an import then finds what earlier imports of this archive wrote in each room's history (slower, as exact), and verify matches objects by GUID and name", path)
	}
	return nil
}

func (j *journal) save(now time.Time) error {
	if j.deferred {
		j.unsaved = true
		return nil
	}
	j.data.Updated = now.UTC()
	body, err := json.Marshal(j.data)
	if err != nil {
		return err
	}
	b := sealJournal(body)
	// Recorded beside the journal while it exists: a kill during a save
	// leaves no .NAME.tmp-DIGITS for good; the next save removes it and
	// says so.
	removed, err := atomicfile.WriteRecorded(j.path, b)
	if j.note != nil {
		for _, f := range removed {
			j.note(fmt.Sprintf("Removed %s, the temporary file of an import that was stopped while it saved its journal.", f))
		}
	}
	if err != nil || j.legacy == "" {
		return err
	}
	// Saved in the target's own file: the one an earlier pcmig kept for
	// the pool ID is this target's and goes (a kill before this leaves
	// both; the own one is read first).
	if err := os.Remove(j.legacy); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("the import journal is now %s; remove %s, its copy under the name earlier versions of pcmig used: %w", j.path, j.legacy, err)
	}
	j.legacy = ""
	return nil
}
