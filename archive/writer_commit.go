package archive

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pcmig/pcmig/atomicfile"
)

// roomSpool holds encoded rooms until Commit knows their message counts.
// Each line is a room's JSON up to and including `"messages":`, which the
// encoding puts last.
type roomSpool struct {
	f  *os.File
	bw *bufio.Writer
}

const roomTail = `"messages":"0"}` + "\n"

// spoolRoom keeps an encoded room (Messages 0) for Commit.
func (w *Writer) spoolRoom(line []byte) error {
	if !bytes.HasSuffix(line, []byte(roomTail)) {
		return fmt.Errorf("archive: internal error: room encoding does not end with %q", roomTail)
	}
	if w.rooms == nil {
		dir, base := filepath.Split(w.path)
		if dir == "" {
			dir = "."
		}
		f, err := atomicfile.CreateRecorded(dir, "."+base+".rooms-", w.opts.Created)
		if err != nil {
			return w.fail(err)
		}
		w.rooms = &roomSpool{f: f, bw: bufio.NewWriter(f)}
	}
	w.rooms.bw.Write(line[:len(line)-len(roomTail)+len(`"messages":`)])
	if err := w.rooms.bw.WriteByte('\n'); err != nil {
		return w.fail(err)
	}
	return nil
}

// writeRooms writes rooms.jsonl from the spool, with message counts.
func (w *Writer) writeRooms() error {
	if err := w.openPart(fixedPartName(KindRooms), KindRooms); err != nil {
		return err
	}
	if w.rooms != nil {
		if err := w.rooms.bw.Flush(); err != nil {
			return w.fail(err)
		}
		if _, err := w.rooms.f.Seek(0, io.SeekStart); err != nil {
			return w.fail(err)
		}
		br := bufio.NewReaderSize(w.rooms.f, 64<<10)
		var line []byte
		for _, t := range w.seq.roomOrder {
			var err error
			if line, err = readLine(br, line[:0]); err != nil {
				return w.fail(fmt.Errorf("read room spool: %w", err))
			}
			t.declared = t.seen
			line = append(line, '"')
			line = strconv.AppendInt(line, t.seen, 10)
			line = append(line, "\"}\n"...)
			if err := w.write(line); err != nil {
				return err
			}
		}
	}
	return w.closePart()
}

// readLine appends the next line of br, without its newline, to buf.
func readLine(br *bufio.Reader, buf []byte) ([]byte, error) {
	for {
		chunk, err := br.ReadSlice('\n')
		buf = append(buf, chunk...)
		switch {
		case err == nil:
			return buf[:len(buf)-1], nil
		case err != bufio.ErrBufferFull:
			return buf, err
		}
	}
}

// Commit writes the remaining parts and the manifest and moves the archive
// to its final path. It fills m's Format, Tool, Counts and Parts, sets
// Created to now when it is zero, and writes all times in UTC. The archive
// reaches its path complete or not at all: on any error Commit removes the
// temporary file. After Commit the Writer is closed.
func (w *Writer) Commit(m Manifest) (err error) {
	if err := w.enter(secDone); err != nil {
		w.Abort()
		return err
	}
	defer func() {
		if err != nil {
			w.Abort()
		}
	}()
	if err := checkManifestInput(&m); err != nil {
		return fmt.Errorf("commit archive %s: %w", w.path, err)
	}
	if err := w.writeRooms(); err != nil {
		return err
	}
	m.Format, m.Tool = FormatVersion, ToolName
	if m.Created.IsZero() {
		m.Created = time.Now()
	}
	m.Created = m.Created.UTC()
	if m.Since != nil {
		since := m.Since.UTC()
		m.Since = &since
	}
	m.Scope = orEmpty(m.Scope)
	m.Parts = append(append([]Part(nil), w.fixed[:]...), w.chunks...)
	m.Counts = Counts{}
	for _, p := range m.Parts {
		m.Counts.add(p.Kind, p.Records)
	}
	if err := checkLevel(&m); err != nil {
		// The reader refuses it (§7).
		return fmt.Errorf("commit archive %s: %w", w.path, err)
	}
	data, err := json.MarshalIndent(&m, "", "  ")
	if err != nil {
		return fmt.Errorf("commit archive %s: %w", w.path, err)
	}
	if len(data)+1 > w.maxManifest {
		// Readers refuse it (§6): the archive could never be imported.
		return fmt.Errorf("commit archive %s: its %s of %d parts would be %d bytes, over the limit of %d that readers accept; nothing was written",
			w.path, ManifestName, len(m.Parts), len(data)+1, w.maxManifest)
	}
	if err := w.stopSink(); err != nil {
		return err
	}
	entry, err := w.zw.CreateHeader(&zip.FileHeader{Name: ManifestName, Method: zip.Deflate, Modified: w.modTime})
	if err == nil {
		_, err = entry.Write(append(data, '\n'))
	}
	if err == nil {
		err = w.zw.Close()
	}
	if err == nil {
		err = w.f.Sync()
	}
	if err == nil {
		err = w.out.checkFile(w.f)
	}
	if err == nil {
		err = w.f.Close()
	}
	if err != nil {
		return w.fail(err)
	}
	if err := publish(w.tmpPath, w.path, w.opts.Overwrite); err != nil {
		return fmt.Errorf("commit archive: %w", err)
	}
	w.closed = true
	return w.removeSpool()
}

// checkManifestInput checks what the caller supplies in a manifest.
func checkManifestInput(m *Manifest) error {
	if !validLevel(m.Level) {
		return fmt.Errorf("level %q: want All, User, Category, RoomDirectory or Content", m.Level)
	}
	if err := checkStrings("tool_version", m.ToolVersion, "source_pool", m.SourcePool,
		"source_database", m.SourceDatabase); err != nil {
		return err
	}
	for _, s := range m.Scope {
		if s == "" || !utf8.ValidString(s) {
			return fmt.Errorf("scope entry %q is empty or not valid UTF-8", s)
		}
	}
	if hasPassword(m.SourceDatabase) {
		return errors.New("source_database seems to hold a password: give a redacted description")
	}
	return nil
}

// hasPassword reports whether a database description carries a password,
// in connection-string or URL form.
func hasPassword(s string) bool {
	l := strings.ReplaceAll(strings.ToLower(s), " ", "")
	if strings.Contains(l, "password=") || strings.Contains(l, "pwd=") {
		return true
	}
	if u, err := url.Parse(s); err == nil && u.User != nil {
		_, set := u.User.Password()
		return set
	}
	return false
}

// publish moves the finished temporary file to path. Without overwrite it
// links the file into place, which fails if path exists, so a file created
// meanwhile is never replaced; where hard links are unsupported it checks
// and renames.
func publish(tmp, path string, overwrite bool) error {
	if overwrite {
		// Checked again at the last moment: a file put there during the
		// export is replaced only if it is an archive too.
		if err := CheckReplaceable(path); err != nil {
			return err
		}
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
		return syncDir(path)
	}
	err := os.Link(tmp, path)
	switch {
	case err == nil:
		if err := os.Remove(tmp); err != nil {
			return fmt.Errorf("archive is complete at %s, but: %w", path, err)
		}
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%s: %w (overwrite not allowed)", path, fs.ErrExist)
	default:
		if err := refuseExisting(path); err != nil {
			return err
		}
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
	}
	return syncDir(path)
}

// syncDir makes a rename durable. Windows cannot sync directories.
func syncDir(path string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}

// Abort discards an archive that is not committed and removes its
// temporary files. It does nothing after Commit or a previous Abort.
func (w *Writer) Abort() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.sink != nil {
		w.sink.abandon() // its error is the archive's, which goes
		w.sink = nil
	}
	w.pz.discard()
	err := w.f.Close()
	if errors.Is(err, os.ErrClosed) {
		err = nil
	}
	if rmErr := os.Remove(w.tmpPath); rmErr != nil && !errors.Is(rmErr, fs.ErrNotExist) {
		err = errors.Join(err, rmErr)
	}
	return errors.Join(err, w.removeSpool())
}

func (w *Writer) removeSpool() error {
	if w.rooms == nil {
		return nil
	}
	f := w.rooms.f
	w.rooms = nil
	return errors.Join(f.Close(), os.Remove(f.Name()))
}
