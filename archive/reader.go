package archive

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/pcmig/pcmig/fsguard"
	"github.com/pcmig/pcmig/jsonerr"
)

// Reader reads an archive that Open has checked. Its accessors may be
// called any number of times, each streaming the parts again; a Reader is
// safe for concurrent use by accessors.
type Reader struct {
	path      string
	f         *os.File
	size      int64
	zr        *zip.Reader
	inflaters inflaters
	manifest  Manifest
	entries   map[string]*zip.File // part name → entry
	// rooms is what Messages needs of rooms.jsonl (each room's GUID and
	// declared message count, in order), kept from the first complete and
	// valid read of that part: an import reads the messages twice after
	// reading the rooms, and decoding 20,000 room records again each time
	// was a tenth of its CPU time.
	roomsMu sync.Mutex
	rooms   []roomTally
	// categories holds the category GUIDs of the first complete and valid
	// read of categories.jsonl (by Categories or Rooms), against which
	// Rooms checks that no room has a category's GUID: an import reads
	// the categories, then the rooms, and read the categories twice.
	categories map[guidKey]struct{}
	// seals proves parts read again the bytes checked before (partread.go).
	seals seals
	// maxLine bounds a record line, newline included: MaxRecordBytes,
	// lowered by tests.
	maxLine int
	// scans counts the parts read (a test hook).
	scans atomic.Int64
}

// Open opens the archive at path and checks its structure before any
// record can be read: the zip directory, safe entry names, a pcmig manifest
// of FormatVersion whose counts add up, exactly one zip entry for each part
// it lists and no other entry, and sizes in the zip directory equal to the
// manifest's. Record data is checked as it is read (Verify, accessors).
//
// Only a regular file is an archive, and path is looked at before it is
// opened: opening a named pipe for reading blocks until something writes
// to it (an import given one hung, deaf to SIGTERM), and a folder is no
// "truncated or corrupt" zip file.
func Open(path string) (*Reader, error) {
	if st, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open archive: %w", err)
	} else if !st.Mode().IsRegular() {
		return nil, notRegular(path, st)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open archive: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open archive: %w", err)
	}
	if !st.Mode().IsRegular() { // replaced since the look
		f.Close()
		return nil, notRegular(path, st)
	}
	r := &Reader{path: path, f: f, size: st.Size(), maxLine: MaxRecordBytes}
	if err := r.open(); err != nil {
		f.Close()
		return nil, fmt.Errorf("open archive %s: %w", path, Damaged(err))
	}
	return r, nil
}

// notRegular is Open's error for a path that is not a regular file.
func notRegular(path string, st os.FileInfo) error {
	what := "not a file"
	if st.IsDir() {
		what = "a folder"
	}
	return fmt.Errorf("open archive %s: %w (%s; an archive is a zip file)", path, fsguard.ErrNotRegular, what)
}

// Close closes the archive file.
func (r *Reader) Close() error { return r.f.Close() }

// Manifest returns the archive's manifest.
func (r *Reader) Manifest() Manifest {
	m := r.manifest
	m.Scope = append([]string(nil), m.Scope...)
	m.Parts = append([]Part(nil), m.Parts...)
	if m.Since != nil {
		since := *m.Since
		m.Since = &since
	}
	return m
}

func (r *Reader) open() error {
	zr, err := zip.NewReader(r.f, r.size)
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		return fmt.Errorf("%w: not a valid zip file (truncated or corrupt): %v", ErrNotArchive, err)
	}
	zr.RegisterDecompressor(zip.Deflate, r.inflaters.decompressor)
	r.zr = zr
	if err := r.checkBounds(); err != nil {
		return err
	}
	byName := make(map[string]*zip.File, len(zr.File))
	// Entries are named by their place in the zip: until the manifest is
	// read the zip may be anyone's, and its names are its content.
	for i, f := range zr.File {
		if err := checkEntryName(f.Name); err != nil {
			return fmt.Errorf("zip entry %d %w", i+1, err)
		}
		if byName[f.Name] != nil {
			return fmt.Errorf("zip entry %d has the name of an earlier entry", i+1)
		}
		byName[f.Name] = f
	}
	mf := byName[ManifestName]
	if mf == nil {
		return fmt.Errorf("%w: no %s", ErrNotArchive, ManifestName)
	}
	if err := r.readManifest(mf); err != nil {
		return err
	}
	delete(byName, ManifestName)
	r.entries = make(map[string]*zip.File, len(r.manifest.Parts))
	for _, p := range r.manifest.Parts {
		f := byName[p.Name]
		if f == nil {
			return fmt.Errorf("part %s listed in the manifest is missing from the zip", p.Name)
		}
		if err := checkEntry(f, p.Bytes); err != nil {
			return err
		}
		r.entries[p.Name] = f
		delete(byName, p.Name)
	}
	for i, f := range zr.File { // in zip order, for a stable message
		if byName[f.Name] != nil {
			return fmt.Errorf("zip entry %d is not listed in the manifest", i+1)
		}
	}
	return nil
}

// checkBounds refuses bytes before the zip's first entry or after its end
// of central directory record (and comment), which archive/zip reads past
// without a word: a self-extracting program, a zip appended to another
// file, or garbage appended to an archive is not a pcmig archive (a pcmig
// archive is a zip file, §1), and what the extra bytes are is unknown.
func (r *Reader) checkBounds() error {
	const eocdLen = 22 // end of central directory record, without comment
	end := r.size - eocdLen - int64(len(r.zr.Comment))
	var b [30]byte
	if end < 0 {
		return fmt.Errorf("%w: not a valid zip file (truncated or corrupt)", ErrNotArchive)
	}
	if _, err := r.f.ReadAt(b[:eocdLen], end); err != nil {
		return fmt.Errorf("%w: %v", ErrNotArchive, err)
	}
	if binary.LittleEndian.Uint32(b[:]) != 0x06054b50 || int(binary.LittleEndian.Uint16(b[20:])) != len(r.zr.Comment) {
		return fmt.Errorf("%w: data follows the end of the zip (an archive is a zip file alone; appended bytes are not pcmig's): copy the archive again from where pcmig wrote it, as a binary file", ErrNotArchive)
	}
	first, at := (*zip.File)(nil), int64(-1)
	for _, f := range r.zr.File {
		off, err := f.DataOffset()
		if err != nil {
			return fmt.Errorf("%w: not a valid zip file (truncated or corrupt): %v", ErrNotArchive, err)
		}
		if at < 0 || off < at {
			first, at = f, off
		}
	}
	if first == nil {
		return nil // no entry: no manifest.json, refused below
	}
	if _, err := r.f.ReadAt(b[:], 0); err != nil {
		return fmt.Errorf("%w: not a valid zip file (truncated or corrupt)", ErrNotArchive)
	}
	n, extra := int64(binary.LittleEndian.Uint16(b[26:])), int64(binary.LittleEndian.Uint16(b[28:]))
	if binary.LittleEndian.Uint32(b[:]) != 0x04034b50 || 30+n+extra != at {
		return fmt.Errorf("%w: data precedes the zip's first entry (a self-extracting or prefixed file; an archive is a zip file alone): use the .zip file pcmig wrote, not a file made from it", ErrNotArchive)
	}
	return nil
}

// checkEntryName refuses names that could escape a directory if the archive
// were ever extracted, and names pcmig never writes. The error says what
// is wrong with the name ("escapes the archive"), never the name.
func checkEntryName(name string) error {
	switch {
	case name == "":
		return errors.New("has an empty name")
	case strings.IndexByte(name, 0) >= 0:
		return errors.New("contains a NUL byte")
	case len(name) >= 2 && name[1] == ':' && (name[0]|0x20 >= 'a' && name[0]|0x20 <= 'z'):
		return errors.New("has a drive letter")
	case strings.IndexByte(name, '\\') >= 0:
		return errors.New("contains a backslash")
	case name[0] == '/':
		return errors.New("is an absolute path")
	case strings.IndexByte(name, ':') >= 0:
		return errors.New("contains a colon")
	}
	for _, elem := range strings.Split(name, "/") {
		switch elem {
		case "..":
			return errors.New("escapes the archive")
		case "", ".":
			return errors.New("is not a clean file path")
		}
	}
	return nil
}

// checkEntry checks a part's zip entry against its declared size.
func checkEntry(f *zip.File, declared int64) error {
	switch {
	case f.Flags&0x1 != 0:
		return fmt.Errorf("zip entry %q is encrypted", f.Name)
	case f.Method != zip.Store && f.Method != zip.Deflate:
		return fmt.Errorf("zip entry %q uses compression method %d (want 0, stored, or 8, deflate)", f.Name, f.Method)
	case !f.Mode().IsRegular():
		return fmt.Errorf("zip entry %q is not a regular file", f.Name)
	case f.UncompressedSize64 > uint64(declared):
		return fmt.Errorf("zip entry %q holds %d bytes but the manifest declares %d (possible zip bomb)",
			f.Name, f.UncompressedSize64, declared)
	case f.UncompressedSize64 < uint64(declared):
		return fmt.Errorf("zip entry %q holds %d bytes but the manifest declares %d (truncated)",
			f.Name, f.UncompressedSize64, declared)
	case f.Method == zip.Store && f.CompressedSize64 != f.UncompressedSize64:
		return fmt.Errorf("zip entry %q is stored with inconsistent sizes", f.Name)
	}
	return nil
}

var manifestKeys = []keyRule{
	{key: "format"}, {key: "tool"}, {key: "tool_version"}, {key: "source_pool"},
	{key: "source_database"}, {key: "level"}, {key: "scope", nullable: true},
	{key: "since", nullable: true}, {key: "created"}, {key: "counts"}, {key: "parts"},
	{key: "replaced_unpaired_surrogates", optional: true},
}

// readManifest reads and checks manifest.json.
func (r *Reader) readManifest(f *zip.File) error {
	if f.UncompressedSize64 > MaxManifestBytes {
		return fmt.Errorf("%s: %d bytes exceeds the limit of %d", ManifestName, f.UncompressedSize64, MaxManifestBytes)
	}
	if err := checkEntry(f, int64(f.UncompressedSize64)); err != nil {
		return err
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%s: %w", ManifestName, err)
	}
	data, err := io.ReadAll(io.LimitReader(rc, MaxManifestBytes+1))
	rc.Close()
	switch {
	case err != nil:
		return fmt.Errorf("%s: %w: %v", ManifestName, ErrChecksum, err)
	case len(data) > MaxManifestBytes:
		return fmt.Errorf("%s: exceeds the limit of %d bytes", ManifestName, MaxManifestBytes)
	}
	if data, err = manifestText(data); err != nil {
		return err
	}
	data = wholeNumbers(data, "format")
	// Tool and version first, so that a newer or foreign manifest gets a
	// clear message rather than a complaint about its fields.
	var head struct {
		Format *json.RawMessage `json:"format"`
		Tool   *string          `json:"tool"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return fmt.Errorf("%w: %s is not a JSON object: %s", ErrNotArchive, ManifestName, jsonerr.Describe(data, err, &head))
	}
	if head.Tool == nil || *head.Tool != ToolName {
		return fmt.Errorf("%w: %s does not name tool %q", ErrNotArchive, ManifestName, ToolName)
	}
	var format int
	if head.Format == nil || json.Unmarshal(*head.Format, &format) != nil {
		return fmt.Errorf("%s: format is missing or not an integer", ManifestName)
	}
	if format != FormatVersion {
		return &VersionError{Version: format}
	}
	m := &r.manifest
	data = upperTimes(data, "created", "since")
	if !utf8.Valid(data) {
		return fmt.Errorf("%s: %w", ManifestName, ErrInvalidUTF8)
	}
	if err := checkSurrogates(data); err != nil {
		return fmt.Errorf("%s: %w", ManifestName, err)
	}
	if err := checkKeys(data, manifestKeys); err != nil {
		return fmt.Errorf("%s: %w", ManifestName, err)
	}
	// The nested objects' keys before decoding, so that an int64 string
	// of counts or a part is refused naming it and what it holds, not
	// with encoding/json's words; but an unknown key by the decoder's
	// error, which names the key meant.
	nested := checkNestedKeys(data)
	if nested != nil && !errors.Is(nested, errUnknownField) {
		return fmt.Errorf("%s: %w", ManifestName, nested)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(m); err != nil {
		return fmt.Errorf("%s: %s", ManifestName, jsonerr.Describe(data, err, m))
	}
	if nested != nil {
		return fmt.Errorf("%s: %w", ManifestName, nested)
	}
	m.Scope = orNil(m.Scope)
	m.Created = m.Created.UTC()
	if m.Since != nil {
		since := m.Since.UTC()
		m.Since = &since
	}
	if err := checkManifest(m); err != nil {
		return fmt.Errorf("%s: %w", ManifestName, err)
	}
	return nil
}

// manifestText returns the manifest's bytes with a UTF-8 byte order mark
// at its start made a space (JSON white space, and one column as the
// mark was, so that errors' columns stay right): Windows Notepad writes
// one when it saves a file it edited as UTF-8, and RFC 8259 §8.1 lets a
// parser ignore it. The manifest carries no checksum of itself, and the
// mark is no part of its text. A manifest saved as UTF-16 (Notepad's
// "Unicode") is refused saying so.
func manifestText(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte(utf8BOM)):
		return append([]byte{' '}, data[len(utf8BOM):]...), nil
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}), bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		return nil, fmt.Errorf("%w: %s is UTF-16 text (saved as \"Unicode\"): save it as UTF-8", ErrNotArchive, ManifestName)
	}
	return data, nil
}

// utf8BOM is U+FEFF in UTF-8, the byte order mark.
const utf8BOM = "\ufeff"

var (
	countsKeys = []keyRule{{key: KindPrincipals, digits: true}, {key: KindCategories, digits: true},
		{key: KindAddins, digits: true}, {key: KindRooms, digits: true}, {key: KindMessages, digits: true}}
	replacedKeys = []keyRule{{key: "messages", digits: true}, {key: "structure", digits: true}}
	partKeys     = []keyRule{{key: "name"}, {key: "kind"}, {key: "records", digits: true}, {key: "bytes", digits: true}, {key: "sha256"}}
)

// checkNestedKeys checks the keys of counts and of each part as checkKeys
// does the manifest's own (encoding/json takes a missing or null key as
// zero and a repeated one's last value), and that scope names no empty
// name (a JSON null in it decodes as one). data has decoded into a
// Manifest.
func checkNestedKeys(data []byte) error {
	var raw struct {
		Scope    []*string         `json:"scope"`
		Counts   json.RawMessage   `json:"counts"`
		Parts    []json.RawMessage `json:"parts"`
		Replaced json.RawMessage   `json:"replaced_unpaired_surrogates"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return errors.New(jsonerr.Describe(data, err, &raw))
	}
	for i, s := range raw.Scope {
		if s == nil || *s == "" {
			return fmt.Errorf("scope: name %d is empty", i+1)
		}
	}
	if err := checkKeys(raw.Counts, countsKeys); err != nil {
		return fmt.Errorf("counts: %w", err)
	}
	if raw.Replaced != nil {
		if err := checkKeys(raw.Replaced, replacedKeys); err != nil {
			return fmt.Errorf("replaced_unpaired_surrogates: %w", err)
		}
	}
	for i, p := range raw.Parts {
		if err := checkKeys(p, partKeys); err != nil {
			return fmt.Errorf("part %d: %w", i+1, err)
		}
	}
	return nil
}

// checkManifest checks the manifest's own consistency: level, part names
// and order, sizes and record counts, and parts with records only of the
// kinds the level covers.
func checkManifest(m *Manifest) error {
	if !validLevel(m.Level) {
		return errors.New("level: want All, User, Category, RoomDirectory or Content")
	}
	if hasPassword(m.SourceDatabase) {
		// The writer refuses it (§3); pcmig inspect would print it.
		return errors.New("source_database seems to hold a password (an archive's is a redacted description)")
	}
	if len(m.Parts) < len(fixedKinds) {
		return fmt.Errorf("lists %d parts; every archive has at least %d", len(m.Parts), len(fixedKinds))
	}
	var sum Counts
	for i, p := range m.Parts {
		want, kind := chunkName(i-len(fixedKinds)+1), KindMessages
		if i < len(fixedKinds) {
			kind = fixedKinds[i]
			want = fixedPartName(kind)
		}
		if p.Name != want || p.Kind != kind {
			return fmt.Errorf("part %d: want %q of kind %q", i+1, want, kind)
		}
		if err := checkPartNumbers(p); err != nil {
			return fmt.Errorf("part %s: %w", p.Name, err)
		}
		sum.add(p.Kind, p.Records)
	}
	if sum != m.Counts {
		return fmt.Errorf("counts do not match the parts: %s", m.Counts.differ(sum))
	}
	if r := m.Replaced; r != nil && (r.Messages < 0 || r.Structure < 0 || r.Messages > m.Counts.Messages) {
		return errors.New("replaced_unpaired_surrogates: messages and structure are counts: not negative, and messages at most counts.messages")
	}
	return checkLevel(m)
}

// differ names the kinds whose counts c and o disagree on (the counts
// are the file's: not quoted).
func (c Counts) differ(o Counts) string {
	var kinds []string
	for _, k := range []struct {
		name string
		a, b int64
	}{{KindPrincipals, c.Principals, o.Principals}, {KindCategories, c.Categories, o.Categories},
		{KindAddins, c.Addins, o.Addins}, {KindRooms, c.Rooms, o.Rooms}, {KindMessages, c.Messages, o.Messages}} {
		if k.a != k.b {
			kinds = append(kinds, k.name)
		}
	}
	return strings.Join(kinds, ", ")
}

// minLine is the shortest record line, "{}\n".
const minLine = 3

func checkPartNumbers(p Part) error {
	switch {
	case p.Records < 0 || p.Bytes < 0:
		return errors.New("negative size or record count")
	case p.Kind == KindMessages && p.Records == 0:
		return errors.New("a messages part holds no records")
	case (p.Records == 0) != (p.Bytes == 0):
		return errors.New("records and bytes disagree: one of them is 0")
	case p.Records > p.Bytes/minLine:
		return errors.New("records cannot fit in its bytes")
	case !isSHA256Hex(p.SHA256):
		return errors.New("sha256 is not 64 lower-case hex digits")
	}
	return nil
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
