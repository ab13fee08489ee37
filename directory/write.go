package directory

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
)

// Bytes returns the directory in the dialect it was read in. Rows that were
// not changed by Move are written exactly as read; changed rows are written
// with every field quoted, the original delimiter and the row's own line
// ending.
func (d *Directory) Bytes() []byte {
	var b strings.Builder
	b.WriteString(d.prefix)
	for _, r := range d.rows {
		if !r.dirty {
			b.WriteString(r.raw)
			continue
		}
		writeRecord(&b, r.fields, d.delim)
		b.WriteString(r.eol)
	}
	return d.env.Encode([]byte(b.String()))
}

// Write writes Bytes to w.
func (d *Directory) Write(w io.Writer) error {
	if _, err := w.Write(d.Bytes()); err != nil {
		return fmt.Errorf("directory: write: %w", err)
	}
	return nil
}

// writeRecord writes fields the way Export-Csv does: each one quoted, with
// embedded quotes doubled.
func writeRecord(b *strings.Builder, fields []string, delim byte) {
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(delim)
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(f, `"`, `""`))
		b.WriteByte('"')
	}
}

// Generate writes users as Windows PowerShell 5.1 writes
// "Export-Csv -Encoding UTF8": a UTF-8 byte order mark, the #TYPE line, the
// columns SipAddress, UserPrincipalName and RegistrarPool followed by the
// sorted names of all Extra columns, every field quoted, CRLF line endings.
func Generate(users []User) []byte {
	var extra []string
	for _, u := range users {
		for k := range u.Extra {
			if !slices.Contains(extra, k) {
				extra = append(extra, k)
			}
		}
	}
	slices.Sort(extra)
	var b strings.Builder
	b.WriteString(TypeLine + "\r\n")
	writeRecord(&b, append([]string{ColumnSipAddress, ColumnUserPrincipalName, ColumnRegistrarPool}, extra...), ',')
	b.WriteString("\r\n")
	for _, u := range users {
		fields := []string{u.SipAddress, u.UserPrincipalName, u.RegistrarPool}
		for _, k := range extra {
			fields = append(fields, u.Extra[k])
		}
		writeRecord(&b, fields, ',')
		b.WriteString("\r\n")
	}
	return envelope{Enc: encUTF8, BOM: true}.Encode([]byte(b.String()))
}

// WriteFileAtomic replaces the file at path with data: it writes a
// temporary file in the same directory, flushes it to disk, gives it the
// permissions of the file it replaces (0644 for a new file) and renames it
// over path, so that readers see either the old or the new content. On
// systems other than Windows the directory is flushed too, so the rename
// survives a crash.
func WriteFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("directory: write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			err = errors.Join(err, ignoreNotExist(os.Remove(tmp)))
		}
	}()
	mode := os.FileMode(0o644)
	if fi, statErr := os.Stat(path); statErr == nil {
		mode = fi.Mode().Perm()
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("directory: write %s: %w", tmp, errors.Join(err, f.Close()))
	}
	if err := f.Chmod(mode); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("directory: chmod %s: %w", tmp, errors.Join(err, f.Close()))
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("directory: sync %s: %w", tmp, errors.Join(err, f.Close()))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("directory: close %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("directory: replace %s: %w", path, err)
	}
	if runtime.GOOS == "windows" {
		return nil
	}
	dh, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("directory: sync %s: %w", dir, err)
	}
	if err := dh.Sync(); err != nil {
		return fmt.Errorf("directory: sync %s: %w", dir, errors.Join(err, dh.Close()))
	}
	if err := dh.Close(); err != nil {
		return fmt.Errorf("directory: close %s: %w", dir, err)
	}
	return nil
}

func ignoreNotExist(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}
