package archive

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// FormatVersion is the archive format version this package writes and the
// only one it reads.
const FormatVersion = 1

// ToolName is Manifest.Tool in every pcmig archive.
const ToolName = "pcmig"

// ManifestName is the zip entry holding the manifest.
const ManifestName = "manifest.json"

// Part kinds, in the order their parts appear in Manifest.Parts.
const (
	KindPrincipals = "principals"
	KindCategories = "categories"
	KindAddins     = "addins"
	KindRooms      = "rooms"
	KindMessages   = "messages"
)

// Export levels, as Export-CsPersistentChatData's -Level names them.
const (
	LevelAll           = "All"
	LevelUser          = "User"
	LevelCategory      = "Category"
	LevelRoomDirectory = "RoomDirectory"
	LevelContent       = "Content"
)

// Limits of the format.
const (
	// MaxRecordBytes bounds one record line, newline included. The writer
	// refuses larger records and the reader refuses longer lines.
	MaxRecordBytes = 64 << 20
	// MaxManifestBytes bounds manifest.json.
	MaxManifestBytes = 16 << 20
	// DefaultChunkMessages and DefaultChunkBytes bound a messages part
	// unless WriterOptions say otherwise.
	DefaultChunkMessages = 10_000
	DefaultChunkBytes    = 64 << 20
)

// Errors that callers can test with errors.Is. Error messages always name
// the archive part or zip entry concerned.
var (
	// ErrNotArchive means the file is not a zip file or carries no pcmig
	// manifest.
	ErrNotArchive = errors.New("not a pcmig archive")
	// ErrChecksum means a part's bytes differ from what the manifest
	// declares: a wrong SHA-256 or size, a zip CRC error or a corrupt
	// compressed stream.
	ErrChecksum = errors.New("checksum mismatch (truncated or modified)")
	// ErrInvalidUTF8 means a string given to the Writer is not valid UTF-8.
	// The Writer refuses such records rather than altering them.
	ErrInvalidUTF8 = errors.New("not valid UTF-8")
)

// VersionError reports an archive whose format version this package does
// not read.
type VersionError struct {
	Version int
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("unsupported archive format version %d (this pcmig reads version %d only)", e.Version, FormatVersion)
}

// Manifest describes an archive. It is written last, as manifest.json,
// because it carries the checksums of all other parts.
type Manifest struct {
	Format         int        `json:"format"`
	Tool           string     `json:"tool"`
	ToolVersion    string     `json:"tool_version"`
	SourcePool     string     `json:"source_pool"`     // FQDN of the exported pool
	SourceDatabase string     `json:"source_database"` // redacted description, never a password
	Level          string     `json:"level"`           // All, User, Category, RoomDirectory or Content
	Scope          []string   `json:"scope"`           // category names; empty means all
	Since          *time.Time `json:"since"`           // start of the content window; nil means all
	Created        time.Time  `json:"created"`
	Counts         Counts     `json:"counts"`
	Parts          []Part     `json:"parts"`
	// Replaced, when not nil, counts the text values the export carried
	// with U+FFFD in place of a UTF-16 surrogate without its pair (export
	// --replace-unpaired-surrogates). Optional: nil (the key absent) when
	// the export replaced none.
	Replaced *Replaced `json:"replaced_unpaired_surrogates,omitempty"`
}

// Replaced counts the exported values whose text holds U+FFFD in place of
// a lone UTF-16 surrogate of the source (Manifest.Replaced).
type Replaced struct {
	Messages  int64 `json:"messages,string"`  // messages (content or rtf)
	Structure int64 `json:"structure,string"` // structure values (table, row, column)
}

// Counts are the number of records of each kind in an archive.
type Counts struct {
	Principals int64 `json:"principals,string"`
	Categories int64 `json:"categories,string"`
	Addins     int64 `json:"addins,string"`
	Rooms      int64 `json:"rooms,string"`
	Messages   int64 `json:"messages,string"`
}

// Part is one JSON Lines zip entry as the manifest declares it.
type Part struct {
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Records int64  `json:"records,string"`
	Bytes   int64  `json:"bytes,string"` // uncompressed
	SHA256  string `json:"sha256"`       // lower-case hex of the uncompressed bytes
}

// fixedKinds are the parts every archive has exactly one of, in order.
var fixedKinds = [...]string{KindPrincipals, KindCategories, KindAddins, KindRooms}

// fixedPartName names the single part of a fixed kind.
func fixedPartName(kind string) string { return kind + ".jsonl" }

// chunkName names the n-th messages part, counting from 1.
func chunkName(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 6 {
		s = "0" + s
	}
	return "messages/" + s + ".jsonl"
}

// add counts n records of a kind.
func (c *Counts) add(kind string, n int64) {
	switch kind {
	case KindPrincipals:
		c.Principals += n
	case KindCategories:
		c.Categories += n
	case KindAddins:
		c.Addins += n
	case KindRooms:
		c.Rooms += n
	case KindMessages:
		c.Messages += n
	}
}

// validLevel reports whether s is an export level.
func validLevel(s string) bool {
	switch s {
	case LevelAll, LevelUser, LevelCategory, LevelRoomDirectory, LevelContent:
		return true
	}
	return false
}
