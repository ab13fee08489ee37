// Package filestore deals with the files users uploaded to Persistent Chat
// rooms. They are not in the mgc database: a message carries an
// ma-filelink: link, and the file itself is in the pool's file store, a
// file share that the topology names (documented). Neither
// Export-CsPersistentChatData nor Import-CsPersistentChatData copies it.
//
// What is not documented is the form of a link and the layout of the
// folders inside the share. pcmig reads a link as
// ma-filelink:///HOST/SHARE/PATH: the first segment is the file server, the
// second the share, and PATH (percent-decoded) the file's place inside the
// share, which is how the lab estate writes them. On a real pool, copy the
// whole share (the runbook does, with robocopy), so that whatever the
// layout is, it is kept.
package filestore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/pcmig/pcmig/fsguard"
)

// Scheme starts every file link.
const Scheme = "ma-filelink:"

// Links returns the ma-filelink: links in a message. A message that is one
// link on one line is taken whole (file names may hold spaces); otherwise a
// link ends at white space, a quote or an angle bracket.
func Links(content string) []string {
	if !strings.Contains(content, Scheme) {
		return nil
	}
	if t := strings.TrimSpace(content); strings.HasPrefix(t, Scheme) &&
		!strings.ContainsAny(t, "\r\n") && strings.Count(t, Scheme) == 1 {
		return []string{t}
	}
	var out []string
	for {
		i := strings.Index(content, Scheme)
		if i < 0 {
			return out
		}
		rest := content[i:]
		end := strings.IndexAny(rest, " \t\r\n\"'<>")
		if end < 0 {
			end = len(rest)
		}
		out = append(out, rest[:end])
		content = rest[end:]
	}
}

// Name is the last path segment of a link, percent-decoded.
func Name(link string) string {
	seg := link[strings.LastIndex(link, "/")+1:]
	if u, err := url.PathUnescape(seg); err == nil {
		return u
	}
	return seg
}

// RelPath is where a link's file is inside its share, as a slash-separated
// relative path: the link's path without the server and share segments,
// percent-decoded. ok is false for a link that names no file in a share or
// whose path climbs out of it.
func RelPath(link string) (rel string, ok bool) {
	p := strings.TrimLeft(strings.TrimPrefix(link, Scheme), "/")
	parts := strings.SplitN(p, "/", 3)
	if len(parts) < 3 || parts[2] == "" {
		return "", false
	}
	dec, err := url.PathUnescape(parts[2])
	if err != nil {
		return "", false
	}
	clean := path.Clean(dec)
	// No climbing out, no absolute or drive-letter path, no backslash
	// (a Windows separator or UNC), no NUL, nothing Windows reserves.
	if clean == "." || strings.HasPrefix(clean, "../") || clean == ".." || path.IsAbs(clean) ||
		strings.ContainsAny(clean, "\\:\x00") || !filepath.IsLocal(filepath.FromSlash(clean)) {
		return "", false
	}
	return clean, true
}

// Exists reports whether the file a link names is in the file store at
// root (a folder or a UNC path): a regular file reached without leaving the
// store (a symbolic link out of it does not count). To check many links,
// Open the store once.
func Exists(root, link string) bool {
	s, err := Open(root)
	if err != nil {
		return false
	}
	defer s.Close()
	return s.Has(link)
}

// Store is a file store opened to look links up: one handle for them all.
// It is safe for concurrent use.
type Store struct {
	root *os.Root
}

// Open opens the file store at root (a folder or a UNC path).
func Open(root string) (*Store, error) {
	if st, err := os.Stat(root); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("file store %s: not a folder", root)
	}
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, fmt.Errorf("file store %s: %w", root, err)
	}
	return &Store{root: r}, nil
}

// Has reports whether the file a link names is in the store, as Exists.
func (s *Store) Has(link string) bool {
	rel, ok := RelPath(link)
	if !ok {
		return false
	}
	st, err := s.root.Stat(filepath.FromSlash(rel))
	return err == nil && st.Mode().IsRegular()
}

// Close lets the store go.
func (s *Store) Close() error { return s.root.Close() }

// SameAs reports whether the file a link names holds the same bytes in
// the store and in the store o. Both must be regular files there (Has);
// an error says one could not be read.
func (s *Store) SameAs(o *Store, link string) (bool, error) {
	rel, ok := RelPath(link)
	if !ok {
		return false, fmt.Errorf("not a file store link")
	}
	rel = filepath.FromSlash(rel)
	open := func(r *os.Root) (*os.File, error) {
		f, err := r.OpenFile(rel, os.O_RDONLY|openNonBlock, 0)
		if err != nil {
			return nil, err
		}
		if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
			f.Close()
			return nil, fmt.Errorf("%s: not a regular file", Name(link))
		}
		return f, nil
	}
	a, err := open(s.root)
	if err != nil {
		return false, err
	}
	defer a.Close()
	b, err := open(o.root)
	if err != nil {
		return false, err
	}
	defer b.Close()
	sa, err := a.Stat()
	if err != nil {
		return false, err
	}
	sb, err := b.Stat()
	if err != nil {
		return false, err
	}
	if sa.Size() != sb.Size() {
		return false, nil
	}
	return sameBytes(a, b)
}

// Totals are the files of a file store tree.
type Totals struct {
	Files int64 `json:"files"`
	Bytes int64 `json:"bytes"`
}

// Result is what Copy did.
type Result struct {
	Source  Totals   `json:"source"`
	Target  Totals   `json:"target"` // after the copy
	Copied  int64    `json:"copied"` // files written
	Kept    int64    `json:"kept"`   // files the target had with the same content
	Missing []string `json:"missing,omitempty"`
	// Collisions are the groups of source files whose names a Windows
	// store takes as one (case, Unicode form: FoldKey), copied as
	// separate files because the target folder tells them apart (a
	// target that does not is refused: RefusedError).
	Collisions [][]string `json:"collisions,omitempty"`
	// Unfit are the source files whose names a Windows store cannot
	// hold as they are (WindowsNameProblem), copied because the target
	// is not one (a target that is one is refused: RefusedError).
	Unfit []Unfit `json:"unfit,omitempty"`
}

// Copy copies every file of the store at src into the store at dst,
// keeping the layout; files the target already has with the same size and
// modification time (to 2 s), as robocopy keeps them, or with the same
// content, are kept, and each copied file gets the source's modification
// time (a re-run copies only what is missing). No file of the target is
// ever written over: before its first file the copy refuses
// (*RefusedError, in a dry run too) a target file of other content under
// a source file's name, source names that the target folder takes as one
// (case, Unicode form: it is tried), and names a Windows store cannot
// hold when the target is one (checks.go). Each file is streamed
// into a temporary file and renamed into place (see CopyWith for the
// temporary files' names). Nothing is read or written
// outside the two folders: symbolic links are not copied, and one in the
// target that leads out of it is an error. It then compares: every source
// file must be in the target with its size; Missing lists those that are
// not. With dryRun nothing is written and Missing lists what would be
// copied. Two stores of which one is inside the other are refused. A store
// given as a symbolic link to a folder is that folder (Resolve); a target
// that is a link to nothing is refused.
//
// ctx stops the copy: it is checked before each file and between the
// chunks of a file's copy, and a copy it stops removes its temporary file
// and returns ctx's error; the files copied so far are complete, and a
// re-run copies the rest. progress, when not nil, is called before the
// first file with (0, total) and after each file with the number of files
// looked at (copied or kept) so far.
func Copy(ctx context.Context, src, dst string, dryRun bool, progress func(done, total int64)) (*Result, error) {
	return CopyWith(ctx, src, dst, Options{DryRun: dryRun, Progress: progress})
}

// Options are CopyWith's.
type Options struct {
	// DryRun writes nothing; Missing lists what would be copied.
	DryRun bool
	// Progress, when not nil, follows the copy (see Copy).
	Progress func(done, total int64)
	// Ledger, when not "", is a file in a folder pcmig owns (the run's
	// state folder) that records the copies under way, so that a copy
	// killed with a temporary file in the target has it removed by the
	// next copy into that target (see CopyWith).
	Ledger string
	// Note, when not nil, is told, in a sentence, what the copy removed
	// from the target before it began: the temporary files a killed copy
	// left (how many, some of their names, and the store).
	Note func(string)
	// Only, when not nil, chooses the source files copied and compared
	// (by their slash-separated path in the store): the others are
	// neither copied nor counted, as if the source store did not hold
	// them. A copy of some rooms' files (pool.copy_files' scope) takes
	// only the files their messages link to.
	Only func(rel string) bool

	// folding, when set (tests: this machine's file systems all tell case
	// apart), answers whether the target takes two names of one FoldKey
	// as one file, in place of copier.targetFolding's look at it.
	folding func() (bool, string)
}

// CopyWith is Copy with options. Each temporary file is created
// exclusively, named ".NAME.pcmig-copy-TOKEN" (".pcmig-copy-TOKEN" for a
// long NAME; "-1", "-2", ... added to a name that is taken), TOKEN being
// random and new for each copy: a file of the target store's own, of any
// name, is never written over, renamed or removed. With a Ledger the copy
// records its target and TOKEN there before its first temporary file and
// forgets them when it succeeds; a copy into a target the ledger names
// first removes the files of that target named with that ledger's tokens,
// which only a killed copy can have left, and nothing else.
func CopyWith(ctx context.Context, src, dst string, opts Options) (res *Result, err error) {
	dryRun, progress := opts.DryRun, opts.Progress
	res = &Result{}
	if st, err := os.Stat(src); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("file store %s: not a folder", src)
	}
	if err := apart(src, dst); err != nil {
		return nil, err
	}
	from, err := os.OpenRoot(src)
	if err != nil {
		return nil, fmt.Errorf("file store %s: %w", src, err)
	}
	defer from.Close()
	var to *os.Root
	if !dryRun {
		if err := dangling(dst); err != nil {
			return nil, fmt.Errorf("file store %s %w", dst, err)
		}
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return nil, fmt.Errorf("file store %s: %w", dst, err)
		}
		if to, err = os.OpenRoot(dst); err != nil {
			return nil, fmt.Errorf("file store %s: %w", dst, err)
		}
		defer to.Close()
	}
	var token string
	if !dryRun {
		l := ledger{path: opts.Ledger, store: storeKey(dst), note: opts.Note}
		if token, err = l.begin(to); err != nil {
			return nil, fmt.Errorf("copy file store %s to %s: %w", src, dst, err)
		}
		defer func() {
			if res != nil {
				err = errors.Join(err, l.end(token))
			}
		}()
	}
	// The source is listed once: the progress's total and the copy
	// come from one walk.
	var files []fs.FileInfo
	var rels []string
	if err := eachFile(src, func(rel string, info fs.FileInfo) error {
		if opts.Only != nil && !opts.Only(filepath.ToSlash(rel)) {
			return nil
		}
		files, rels = append(files, info), append(rels, rel)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("copy file store %s to %s: %w", src, dst, err)
	}
	c := &copier{ctx: ctx, from: from, to: to, dst: dst, token: token, dryRun: dryRun, folding: opts.folding}
	if dryRun {
		// The target is read, never written, and only inside it.
		if st, err := os.Stat(dst); err == nil && st.IsDir() {
			if c.view, err = os.OpenRoot(dst); err != nil {
				return nil, fmt.Errorf("file store %s: %w", dst, err)
			}
			defer c.view.Close()
		}
	}
	// Before the first file: names the target would take as one, names
	// a Windows store cannot hold, and files of the target that another
	// file of the same name would replace. Nothing is copied while one
	// of them stands (checks.go).
	keep, err := c.check(src, rels, files, res)
	if err != nil {
		return res, err
	}
	c.keep = keep
	if progress != nil {
		progress(0, int64(len(files)))
	}
	if err := c.run(rels, files, res, progress); err != nil {
		return nil, fmt.Errorf("copy file store %s to %s: %w", src, dst, err)
	}
	if dryRun {
		return res, nil
	}
	if res.Target, err = Count(dst); err != nil {
		return nil, err
	}
	// Compare: every source file in the target, with its size (the source
	// walked again: a file added to it meanwhile is found missing).
	err = eachFile(src, func(rel string, info fs.FileInfo) error {
		if opts.Only != nil && !opts.Only(filepath.ToSlash(rel)) {
			return nil
		}
		if st, err := to.Stat(rel); err != nil || st.Size() != info.Size() {
			res.Missing = append(res.Missing, filepath.ToSlash(rel))
		}
		return nil
	})
	return res, err
}

// eachFile calls fn with the path (relative to root) and the file info of every
// regular file under root. A root that is a symbolic link is followed
// (Resolve); inside the tree, symbolic links and other entries that are
// not regular files are passed over.
func eachFile(root string, fn func(rel string, info fs.FileInfo) error) error {
	root = Resolve(root)
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		return fn(rel, info)
	})
}

// Resolve is the folder a file store's root names: root with its symbolic
// links followed (filepath.EvalSymlinks), or root itself when they cannot
// be (it does not exist yet). filepath.WalkDir does not descend into a
// root that is a link, and counted a store given as a link to a folder as
// empty; every walk of a store starts from Resolve.
func Resolve(root string) string {
	if r, err := filepath.EvalSymlinks(root); err == nil {
		return r
	}
	return root
}

// apart refuses two stores that are one folder or of which one is inside
// the other: the copy would read what it writes.
func apart(src, dst string) error {
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			a = p
		}
		if r, err := filepath.EvalSymlinks(a); err == nil {
			a = r
		} else if r, err := filepath.EvalSymlinks(filepath.Dir(a)); err == nil {
			a = filepath.Join(r, filepath.Base(a)) // a target not made yet
		}
		return filepath.Clean(a)
	}
	s, d := abs(src), abs(dst)
	inside := func(a, b string) bool { // a inside b
		rel, err := filepath.Rel(b, a)
		return err == nil && rel != "." && filepath.IsLocal(rel)
	}
	switch {
	case s == d || fsguard.Same(src, dst):
		return fmt.Errorf("file stores %s and %s are one folder", src, dst)
	case inside(d, s):
		return fmt.Errorf("file store %s is inside the file store %s it would be copied from", dst, src)
	case inside(s, d):
		return fmt.Errorf("file store %s is inside the file store %s it would be copied to", src, dst)
	}
	return nil
}

// Count totals the files of a store tree (an absent folder holds none).
func Count(root string) (Totals, error) {
	var t Totals
	if _, err := os.Lstat(root); errors.Is(err, fs.ErrNotExist) {
		return t, nil
	}
	err := eachFile(root, func(_ string, info fs.FileInfo) error {
		t.Files++
		t.Bytes += info.Size()
		return nil
	})
	return t, err
}

// sameTime reports whether two modification times are one, to the 2 s
// that FAT and some file servers keep (robocopy's /FFT allowance).
func sameTime(a, b time.Time) bool {
	d := a.Sub(b)
	return d > -2*time.Second && d < 2*time.Second
}

// copyChunk is how much of a file is copied between two looks at the
// context.
const copyChunk = 1 << 20

// ctxReader reads r until ctx is done: a large file's copy stops between
// chunks. (It also keeps io.CopyBuffer from handing the copy to the
// operating system whole.)
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
