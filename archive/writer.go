package archive

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/klauspost/compress/flate"
	"github.com/pcmig/pcmig/atomicfile"
)

// WriterOptions tune a Writer. The zero value is ready to use.
type WriterOptions struct {
	// Overwrite allows Commit to replace an existing file at the path.
	Overwrite bool
	// ChunkMessages and ChunkBytes bound each messages part: a new part
	// starts before a message that would exceed either. Zero means
	// DefaultChunkMessages and DefaultChunkBytes. A single message larger
	// than ChunkBytes gets a part of its own.
	ChunkMessages int
	ChunkBytes    int64
	// Created, when not nil, is called with the path of each temporary
	// file the writer makes (".NAME.partial-*", ".NAME.rooms-*") before
	// the file exists (atomicfile.CreateRecorded): a ledger records it, so
	// that a process killed at any moment before Commit or Abort has it
	// removed later (atomicfile.Ledger). An error fails, with no file made.
	Created func(tmp string) error
}

// Sections, in the order records must be added.
const (
	secNone = iota
	secPrincipals
	secCategories
	secAddins
	secRooms
	secMessages
	secDone
)

var sectionKinds = [...]string{"", KindPrincipals, KindCategories, KindAddins, KindRooms, KindMessages, "manifest"}

// pendingFlush is how much of a part the Writer batches before hashing and
// compressing it.
const pendingFlush = 256 << 10

// Writer writes an archive. Add records section by section (principals,
// categories, add-ins, rooms, then messages; any section may be empty),
// then Commit. A Writer is not safe for concurrent use.
//
// Errors from Add methods that reject a record (invalid, duplicate, out of
// order) leave the Writer usable; I/O errors are sticky. Call Abort, for
// example deferred, to remove the temporary file of an archive that is not
// committed.
type Writer struct {
	path    string
	tmpPath string
	opts    WriterOptions
	f       *os.File
	out     *crcWriter // f, with a CRC-32 of what was written
	zw      *zip.Writer
	pz      *pdeflate
	modTime time.Time

	section int
	part    *Part     // open part, if any
	entry   io.Writer // its zip entry, when written here (sink nil)
	h       hash.Hash // its SHA-256
	pending []byte    // its lines not yet hashed and compressed
	sink    *zipSink  // writes the messages parts' zip entries
	fixed   [len(fixedKinds)]Part
	chunks  []Part
	seq     *sequence
	enc     *recordEncoder
	rooms   *roomSpool
	line    []byte      // message encoding buffer
	check   *msgDecoder // reads each message line back (see writer_check.go)

	// growEvery and maxManifest are chunkGrowEvery and MaxManifestBytes;
	// tests lower them.
	growEvery   int
	maxManifest int

	err    error // sticky I/O error
	closed bool
}

// Create starts an archive to be committed at path. It refuses an existing
// path unless opts.Overwrite. Until Commit, the data goes to a temporary
// file in the same directory, named ".NAME.partial-*", created with mode
// 0600 as the archive holds chat content.
func Create(path string, opts WriterOptions) (*Writer, error) {
	if opts.ChunkMessages < 0 || opts.ChunkBytes < 0 {
		return nil, fmt.Errorf("create archive %s: negative chunk size", path)
	}
	if opts.ChunkMessages == 0 {
		opts.ChunkMessages = DefaultChunkMessages
	}
	if opts.ChunkBytes == 0 {
		opts.ChunkBytes = DefaultChunkBytes
	}
	if !opts.Overwrite {
		if err := refuseExisting(path); err != nil {
			return nil, fmt.Errorf("create archive: %w", err)
		}
	} else if err := CheckReplaceable(path); err != nil {
		return nil, fmt.Errorf("create archive: %w", err)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := atomicfile.CreateRecorded(dir, "."+base+".partial-", opts.Created)
	if err != nil {
		return nil, fmt.Errorf("create archive: %w", err)
	}
	out := &crcWriter{w: f}
	w := &Writer{
		path: path, tmpPath: f.Name(), opts: opts, f: f, out: out,
		zw:      zip.NewWriter(out),
		pz:      newPdeflate(flate.BestSpeed),
		modTime: time.Now(),
		seq:     newSequence(),
		enc:     newRecordEncoder(),
		check:   newMsgDecoder(),
		h:       sha256.New(),

		growEvery:   chunkGrowEvery,
		maxManifest: MaxManifestBytes,
	}
	w.zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		w.pz.reset(out)
		return w.pz, nil
	})
	return w, nil
}

// refuseExisting reports an error if path exists.
func refuseExisting(path string) error {
	_, err := os.Lstat(path)
	switch {
	case err == nil:
		return fmt.Errorf("%s: %w (overwrite not allowed)", path, fs.ErrExist)
	case errors.Is(err, fs.ErrNotExist):
		return nil
	}
	return err
}

// AddPrincipal adds a principal.
func (w *Writer) AddPrincipal(p Principal) error {
	if err := w.enter(secPrincipals); err != nil {
		return err
	}
	p.VerifiedOn = p.VerifiedOn.UTC()
	line, err := w.record(&p, p.validate)
	if err == nil {
		err = w.seq.principal(&p)
	}
	if err != nil {
		return fmt.Errorf("add principal %q: %w", p.GUID, err)
	}
	return w.write(line)
}

// AddCategory adds a category.
func (w *Writer) AddCategory(c Category) error {
	if err := w.enter(secCategories); err != nil {
		return err
	}
	c.AllowedMembers, c.DeniedMembers, c.Creators = orEmpty(c.AllowedMembers), orEmpty(c.DeniedMembers), orEmpty(c.Creators)
	line, err := w.record(&c, c.validate)
	if err == nil {
		err = w.seq.category(&c)
	}
	if err != nil {
		return fmt.Errorf("add category %q: %w", c.Name, err)
	}
	return w.write(line)
}

// AddAddin adds an add-in.
func (w *Writer) AddAddin(a Addin) error {
	if err := w.enter(secAddins); err != nil {
		return err
	}
	line, err := w.record(&a, a.validate)
	if err == nil {
		err = w.seq.addin(&a)
	}
	if err != nil {
		return fmt.Errorf("add add-in %q: %w", a.Name, err)
	}
	return w.write(line)
}

// AddRoom adds a room. It ignores r.Messages: Commit writes the number of
// messages added for the room. Rooms are held in a temporary file next to
// the archive until Commit.
func (w *Writer) AddRoom(r Room) error {
	if err := w.enter(secRooms); err != nil {
		return err
	}
	r.Members, r.Managers, r.Presenters = orEmpty(r.Members), orEmpty(r.Managers), orEmpty(r.Presenters)
	r.Messages = 0
	line, err := w.record(&r, r.validate)
	if err == nil {
		err = w.seq.room(&r)
	}
	if err != nil {
		return fmt.Errorf("add room %q: %w", r.Name, err)
	}
	return w.spoolRoom(line)
}

// AddMessage adds a message. Messages must come grouped by room, in
// increasing chat ID order within each room, and their room must have been
// added.
func (w *Writer) AddMessage(m Message) error {
	if err := w.enter(secMessages); err != nil {
		return err
	}
	if err := m.validate(w.seq.curRoom()); err != nil {
		return fmt.Errorf("add message %d of room %q: %w", m.ChatID, m.Room, err)
	}
	t, err := w.seq.checkMessage(&m)
	if err == nil {
		w.line, err = appendMessage(w.line[:0], &m)
	}
	if err == nil && !w.check.matches(w.line[:len(w.line)-1], &m) {
		err = errors.New("internal error: the message's encoding does not decode to the message")
	}
	if err == nil && len(w.line) > MaxRecordBytes {
		err = fmt.Errorf("record of %d bytes exceeds the limit of %d", len(w.line), MaxRecordBytes)
	}
	if err != nil {
		return fmt.Errorf("add message %d of room %s: %w", m.ChatID, m.Room, err)
	}
	if p := w.part; p != nil && (p.Records >= w.chunkLimit() ||
		p.Bytes+int64(len(w.line)) > w.opts.ChunkBytes) {
		if err := w.closePart(); err != nil {
			return err
		}
	}
	if w.part == nil {
		if err := w.openPart(chunkName(len(w.chunks)+1), KindMessages); err != nil {
			return err
		}
	}
	w.seq.acceptMessage(t, &m)
	return w.write(w.line)
}

// chunkGrowEvery is how many messages parts the writer writes before it
// raises their size by ChunkMessages again: the n-th part (from 0) holds
// up to ChunkMessages × (1 + n/chunkGrowEvery) messages. Each part costs
// the manifest about 215 bytes, so parts of a fixed 10,000 messages would
// take an archive of some 800 million messages past MaxManifestBytes,
// which readers refuse; growing, 80,000 parts hold about 4 billion.
const chunkGrowEvery = 10_000

// chunkLimit is how many messages the open part may hold.
func (w *Writer) chunkLimit() int64 {
	return int64(w.opts.ChunkMessages) * int64(1+(len(w.chunks))/w.growEvery)
}

// record validates and encodes one low-volume record.
func (w *Writer) record(v any, validate func() error) ([]byte, error) {
	if err := validate(); err != nil {
		return nil, err
	}
	line, err := w.enc.encode(v)
	if err != nil {
		return nil, err
	}
	if len(line) > MaxRecordBytes {
		return nil, fmt.Errorf("record of %d bytes exceeds the limit of %d", len(line), MaxRecordBytes)
	}
	return line, nil
}

// enter moves the Writer to section sec, finishing the sections between.
func (w *Writer) enter(sec int) error {
	switch {
	case w.err != nil:
		return w.err
	case w.closed:
		return errors.New("archive writer is closed")
	case sec < w.section:
		return fmt.Errorf("archive: %s must be added before %s", sectionKinds[sec], sectionKinds[w.section])
	}
	for w.section < sec {
		if w.part != nil {
			if err := w.closePart(); err != nil {
				return err
			}
		}
		w.section++
		if w.section <= secAddins {
			kind := sectionKinds[w.section]
			if err := w.openPart(fixedPartName(kind), kind); err != nil {
				return err
			}
		}
	}
	return nil
}

// fail makes an I/O error sticky.
func (w *Writer) fail(err error) error {
	if w.err == nil {
		w.err = fmt.Errorf("write archive %s: %w", w.path, err)
	}
	return w.err
}

// openPart starts a zip entry. The messages parts are written by a
// zipSink, started at the first of them and stopped at the next part of
// another kind; the few other parts are written here.
func (w *Writer) openPart(name, kind string) error {
	switch {
	case kind == KindMessages && w.sink == nil:
		w.sink, w.entry, w.pending = newZipSink(w.zw, w.modTime), nil, nil
	case kind != KindMessages && w.sink != nil:
		if err := w.stopSink(); err != nil {
			return err
		}
	}
	if w.sink != nil {
		if err := w.sinkErr(); err != nil {
			return err
		}
		w.sink.create(name)
	} else {
		entry, err := w.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: w.modTime})
		if err != nil {
			return w.fail(err)
		}
		w.entry = entry
	}
	w.part = &Part{Name: name, Kind: kind}
	w.h.Reset()
	return nil
}

// write appends one line to the open part.
func (w *Writer) write(line []byte) error {
	w.part.Records++
	w.part.Bytes += int64(len(line))
	if len(w.pending)+len(line) > pendingFlush {
		if err := w.flush(); err != nil {
			return err
		}
		if len(line) >= pendingFlush {
			w.h.Write(line)
			if w.sink != nil {
				w.sink.write(bytes.Clone(line), false)
				return w.sinkErr()
			}
			if _, err := w.entry.Write(line); err != nil {
				return w.fail(err)
			}
			return nil
		}
	}
	if w.pending == nil && w.sink != nil {
		w.pending = w.sink.buffer()
	}
	w.pending = append(w.pending, line...)
	return nil
}

// flush hashes and compresses the batched lines.
func (w *Writer) flush() error {
	if len(w.pending) == 0 {
		return nil
	}
	w.h.Write(w.pending)
	if w.sink != nil {
		w.sink.write(w.pending, true)
		w.pending = nil
		return w.sinkErr()
	}
	_, err := w.entry.Write(w.pending)
	w.pending = w.pending[:0]
	if err != nil {
		return w.fail(err)
	}
	return nil
}

// sinkErr makes the sink's first error, if any, the Writer's sticky one.
func (w *Writer) sinkErr() error {
	if err := w.sink.failure(); err != nil {
		return w.fail(err)
	}
	return nil
}

// stopSink waits for the sink to write all it was given and stops it;
// the Writer then writes the zip itself.
func (w *Writer) stopSink() error {
	if w.sink == nil {
		return nil
	}
	err := w.sink.stop()
	w.sink = nil
	if err != nil {
		return w.fail(err)
	}
	return nil
}

// closePart finishes the open part and files it for the manifest. The zip
// entry itself ends when the next one starts.
func (w *Writer) closePart() error {
	if err := w.flush(); err != nil {
		return err
	}
	p := *w.part
	w.part, w.entry = nil, nil
	p.SHA256 = hex.EncodeToString(w.h.Sum(nil))
	if p.Kind == KindMessages {
		w.chunks = append(w.chunks, p)
		return nil
	}
	for i, k := range fixedKinds {
		if k == p.Kind {
			w.fixed[i] = p
		}
	}
	return nil
}
