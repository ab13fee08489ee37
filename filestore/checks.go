package filestore

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/text/unicode/norm"

	"github.com/pcmig/pcmig/numtext"
)

// Unfit is a source file whose name a Windows store cannot hold as it is.
type Unfit struct {
	File    string `json:"file"`
	Problem string `json:"problem"`
}

// Conflict is a source file that the target already holds under its name
// (as the target's folder finds names) with other content: an upload of
// another pool, of the target pool's own users, or one put there by hand.
// The copy never writes over it.
type Conflict struct {
	File   string `json:"file"`   // the source's, relative to the store
	Target string `json:"target"` // the target's file of that name, as the target names it
	Reason string `json:"reason"`
}

// RefusedError is a copy refused before its first file: every file the
// copy would have written is listed, and nothing was copied.
type RefusedError struct {
	Src, Dst string
	// Folding says how the target folder was found to take names
	// (targetFolding).
	Folding string
	// Collisions are groups of source files that the target would take
	// as one file.
	Collisions [][]string
	// Unfit are source files whose names the target, a Windows store,
	// cannot hold as they are.
	Unfit []Unfit
	// Conflicts are target files that a source file would replace.
	Conflicts []Conflict
}

// Files are the source files the refusal concerns, each once.
func (e *RefusedError) Files() []string {
	var out []string
	for _, g := range e.Collisions {
		out = append(out, g...)
	}
	for _, u := range e.Unfit {
		out = append(out, u.File)
	}
	for _, c := range e.Conflicts {
		out = append(out, c.File)
	}
	return out
}

// refusedShow is how many of each kind a RefusedError names.
const refusedShow = 5

func (e *RefusedError) Error() string {
	var parts []string
	if n := len(e.Collisions); n > 0 {
		var gs []string
		for _, g := range e.Collisions {
			gs = append(gs, quoteAll(g))
		}
		parts = append(parts, fmt.Sprintf("%s of the source differ only by case or Unicode form, and the target folder (%s) would make each one file, "+
			"the last copied replacing the others: %s; a file cannot be renamed, since messages link to it by name",
			numtext.Count(n, "group of names", "groups of names"), e.Folding, numtext.First(gs, refusedShow)))
	}
	if n := len(e.Unfit); n > 0 {
		var us []string
		for _, u := range e.Unfit {
			us = append(us, fmt.Sprintf("%q %s", u.File, u.Problem))
		}
		parts = append(parts, fmt.Sprintf("%s of the source cannot be held by the target, a Windows file store: %s",
			numtext.Count(n, "file name", "file names"), numtext.First(us, refusedShow)))
	}
	if n := len(e.Conflicts); n > 0 {
		var cs []string
		for _, c := range e.Conflicts {
			s := fmt.Sprintf("%q", c.File)
			if c.Target != c.File {
				s += fmt.Sprintf(" (the target's %q)", c.Target)
			}
			cs = append(cs, s+": "+c.Reason)
		}
		parts = append(parts, fmt.Sprintf("%s holds other content under the name of a source file, and is not written over: %s; "+
			"if it is an earlier copy of that file, move it out of the target and run again",
			numtext.Count(n, "file of the target", "files of the target"), numtext.First(cs, refusedShow)))
	}
	return fmt.Sprintf("copy file store %s to %s: nothing was copied: %s", e.Src, e.Dst, strings.Join(parts, "; "))
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return numtext.And(q)
}

// check looks, before the first file is copied, for what the copy must
// not do: put two source files on one target file (names differing only
// by case or Unicode form, in a target folder that takes them as one),
// give a Windows store a name it cannot hold, or write over a target file
// of other content. It returns, for each file, whether the target already
// has it (the same size and time, or the same content), and a
// *RefusedError when the copy must not begin; res gets the collisions and
// unfit names that the target can take as they are.
func (c *copier) check(src string, rels []string, files []fs.FileInfo, res *Result) ([]bool, error) {
	slashed := make([]string, len(rels))
	for i, r := range rels {
		slashed[i] = filepath.ToSlash(r)
	}
	refused := &RefusedError{Src: src, Dst: c.dst}
	collisions := Collisions(slashed)
	var unfit []Unfit
	for _, r := range slashed {
		if p := WindowsNameProblem(r); p != "" {
			unfit = append(unfit, Unfit{File: r, Problem: p})
		}
	}
	folds, how := true, ""
	if len(collisions) > 0 || len(unfit) > 0 {
		folds, how = c.targetFolding()
	}
	if folds {
		refused.Collisions, refused.Folding = collisions, how
	} else {
		res.Collisions = collisions
	}
	if folds || runtime.GOOS == "windows" {
		refused.Unfit = unfit
	} else {
		res.Unfit = unfit
	}
	keep, conflicts, err := c.lookAtTarget(rels, files)
	if err != nil {
		return nil, err
	}
	refused.Conflicts = conflicts
	if len(refused.Collisions)+len(refused.Unfit)+len(refused.Conflicts) > 0 {
		return nil, refused
	}
	return keep, nil
}

// targetFolding tells whether the target folder takes two names of one
// FoldKey as one file, and how that was found. A copy that writes tries
// it: it creates a file of its own (named as its temporary files are, so
// that a killed copy's is removed) and looks it up by its name in capitals
// and in Unicode's decomposed form (NFD). A dry run writes nothing: it
// looks up a file or folder of the target under its name with the case
// of its letters swapped, or, in a target without one, the target folder
// itself (or the nearest folder above it that exists) in its parent. A
// target that none of this answers is taken to fold, as a Windows store
// does.
func (c *copier) targetFolding() (bool, string) {
	if c.folding != nil {
		return c.folding()
	}
	if c.to != nil {
		if folds, err := probeFolding(c.to, c.token); err == nil {
			if folds {
				return true, "tried: it finds a file under its name in capitals or in another Unicode form"
			}
			return false, ""
		}
		return true, "a test file could not be made in it, so it is taken to be a Windows store"
	}
	dir := Resolve(c.dst)
	if folds, ok := foldingOfEntries(dir); ok {
		if folds {
			return true, "its files are found under their names in other case"
		}
		return false, ""
	}
	for d := dir; ; d = filepath.Dir(d) {
		if folds, ok := foldingOfName(d); ok {
			if folds {
				return true, fmt.Sprintf("%s is found under its name in other case", d)
			}
			return false, ""
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return true, "whether it tells case apart could not be found without writing, so it is taken to be a Windows store"
}

// swapCase is name with the case of each letter swapped; "" when that
// changes nothing.
func swapCase(name string) string {
	s := strings.Map(func(r rune) rune {
		if u := strings.ToUpper(string(r)); u != string(r) {
			return []rune(u)[0]
		}
		if l := strings.ToLower(string(r)); l != string(r) {
			return []rune(l)[0]
		}
		return r
	}, name)
	if s == name {
		return ""
	}
	return s
}

// sameEntry reports whether the names a and b are one entry of a folder.
func sameEntry(a, b string) (same, ok bool) {
	sa, err := os.Lstat(a)
	if err != nil {
		return false, false
	}
	sb, err := os.Lstat(b)
	if errors.Is(err, fs.ErrNotExist) {
		return false, true
	}
	if err != nil {
		return false, false
	}
	return os.SameFile(sa, sb), true
}

// foldingOfEntries looks up the entries of dir (up to a few dozen) under
// their names with the case of their letters swapped.
func foldingOfEntries(dir string) (folds, ok bool) {
	f, err := os.Open(dir)
	if err != nil {
		return false, false
	}
	names, _ := f.Readdirnames(64)
	f.Close()
	for _, n := range names {
		if s := swapCase(n); s != "" {
			if same, ok := sameEntry(filepath.Join(dir, n), filepath.Join(dir, s)); ok {
				return same, true
			}
		}
	}
	return false, false
}

// foldingOfName looks up the folder dir in its parent under its name with
// the case of its letters swapped.
func foldingOfName(dir string) (folds, ok bool) {
	s := swapCase(filepath.Base(dir))
	if s == "" || filepath.Dir(dir) == dir {
		return false, false
	}
	return sameEntry(dir, filepath.Join(filepath.Dir(dir), s))
}

// probeFolding creates a file in to (".pcmig-case-é.pcmig-copy-TOKEN",
// which the ledger's sweep removes should the copy be killed) and looks
// it up in ASCII capitals and in NFD, then removes it.
func probeFolding(to *os.Root, token string) (bool, error) {
	name := ".pcmig-case-\u00e9" + tempMark + token
	f, err := to.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return false, err
	}
	defer to.Remove(name)
	if err := f.Close(); err != nil {
		return false, err
	}
	st, err := to.Lstat(name)
	if err != nil {
		return false, err
	}
	upper := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, name)
	for _, other := range []string{upper, norm.NFD.String(name)} {
		o, err := to.Lstat(other)
		if err == nil && os.SameFile(st, o) {
			return true, nil
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return false, err
		}
	}
	return false, nil
}

// lookAtTarget looks up each source file in the target (copyWorkers at
// once): one the target has with the same size and modification time, or
// with the same content, is kept; one the target has with other content,
// or as a folder, is a Conflict.
func (c *copier) lookAtTarget(rels []string, files []fs.FileInfo) ([]bool, []Conflict, error) {
	keep := make([]bool, len(rels))
	conflict := make([]*Conflict, len(rels))
	errs := make([]error, len(rels))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(copyWorkers, len(rels)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				keep[i], conflict[i], errs[i] = c.lookAt(rels[i], files[i])
			}
		}()
	}
	for i := range rels {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	var out []Conflict
	for i := range rels {
		if errs[i] != nil {
			return nil, nil, errs[i]
		}
		if conflict[i] != nil {
			out = append(out, *conflict[i])
		}
	}
	return keep, out, nil
}

// lookAt looks up the source file rel in the target.
func (c *copier) lookAt(rel string, info fs.FileInfo) (keep bool, _ *Conflict, _ error) {
	if err := c.ctx.Err(); err != nil {
		return false, nil, err
	}
	st, err := c.statTarget(rel)
	if err != nil {
		// Absent, or not reachable (a symbolic link out of the store):
		// the copy says what is wrong when it writes there.
		return false, nil, nil
	}
	slash := filepath.ToSlash(rel)
	conflict := func(reason string) (bool, *Conflict, error) {
		return false, &Conflict{File: slash, Target: c.targetName(rel), Reason: reason}, nil
	}
	switch {
	case !st.Mode().IsRegular():
		return conflict("it is a folder or another kind of entry in the target")
	case st.Size() != info.Size():
		return conflict(fmt.Sprintf("%s in the target, %s in the source",
			numtext.Count(st.Size(), "byte", "bytes"), numtext.Count(info.Size(), "byte", "bytes")))
	case sameTime(st.ModTime(), info.ModTime()):
		return true, nil, nil
	}
	same, err := c.sameContent(rel)
	if err != nil {
		return false, nil, fmt.Errorf("compare %s with the target's file: %w", slash, err)
	}
	if same {
		return true, nil, nil
	}
	return conflict("the same size, other content")
}

// target is the target store to read: the copy's, or in a dry run the
// store opened to be read (nil when it does not exist yet).
func (c *copier) target() *os.Root {
	if c.to != nil {
		return c.to
	}
	return c.view
}

// statTarget is Stat of rel in the target (never leaving it).
func (c *copier) statTarget(rel string) (fs.FileInfo, error) {
	if c.target() == nil {
		return nil, fs.ErrNotExist
	}
	return c.target().Stat(rel)
}

// openTarget opens rel in the target to read it.
func (c *copier) openTarget(rel string) (*os.File, error) {
	if c.target() == nil {
		return nil, fs.ErrNotExist
	}
	return c.target().Open(rel)
}

// targetName is the name under which the target's folder lists the file
// it finds as rel (slash-separated): rel itself, or the name of another
// case or Unicode form that a case-insensitive target found.
func (c *copier) targetName(rel string) string {
	slash := filepath.ToSlash(rel)
	dir, base := path.Split(slash)
	d := filepath.FromSlash(dir)
	if d == "" {
		d = "."
	}
	f, err := c.openTarget(d)
	if err != nil {
		return slash
	}
	defer f.Close()
	names, _ := f.Readdirnames(-1)
	for _, n := range names {
		if n == base {
			return slash
		}
	}
	for _, n := range names {
		if FoldKey(n) == FoldKey(base) {
			return dir + n
		}
	}
	return slash
}

// sameContent reports whether the source's and the target's files rel
// hold the same bytes.
func (c *copier) sameContent(rel string) (bool, error) {
	a, err := c.from.OpenFile(rel, os.O_RDONLY|openNonBlock, 0)
	if err != nil {
		return false, err
	}
	defer a.Close()
	b, err := c.openTarget(rel)
	if err != nil {
		return false, err
	}
	defer b.Close()
	return sameBytes(ctxReader{c.ctx, a}, ctxReader{c.ctx, b})
}

// sameChunk is how much of each file sameBytes reads at a time.
const sameChunk = 64 << 10

// sameBufs are sameBytes' two buffers, reused: a reconciliation compares
// every linked file (2,464 in the large lab), and two buffers allocated
// per file were 320 MB to allocate, zero and collect, about 1 s of CPU
// of its 5.
var sameBufs = sync.Pool{New: func() any {
	b := make([]byte, 2*sameChunk)
	return &b
}}

// sameBytes reports whether ra and rb read the same bytes.
func sameBytes(ra, rb io.Reader) (bool, error) {
	buf := sameBufs.Get().(*[]byte)
	defer sameBufs.Put(buf)
	ba, bb := (*buf)[:sameChunk], (*buf)[sameChunk:]
	for {
		na, ea := io.ReadFull(ra, ba)
		nb, eb := io.ReadFull(rb, bb)
		if !bytes.Equal(ba[:na], bb[:nb]) {
			return false, nil
		}
		aEnd := errors.Is(ea, io.EOF) || errors.Is(ea, io.ErrUnexpectedEOF)
		bEnd := errors.Is(eb, io.EOF) || errors.Is(eb, io.ErrUnexpectedEOF)
		switch {
		case ea != nil && !aEnd:
			return false, ea
		case eb != nil && !bEnd:
			return false, eb
		case aEnd || bEnd:
			return aEnd == bEnd, nil
		}
	}
}

// List is every file of the store at root: its path (relative,
// slash-separated) and size, in the order of the walk.
func List(root string) (rels []string, sizes []int64, err error) {
	err = eachFile(root, func(rel string, info fs.FileInfo) error {
		rels, sizes = append(rels, filepath.ToSlash(rel)), append(sizes, info.Size())
		return nil
	})
	return rels, sizes, err
}

// SameFiles reports whether the files a and b hold the same bytes.
func SameFiles(a, b string) (bool, error) {
	fa, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false, err
	}
	defer fb.Close()
	return sameBytes(fa, fb)
}

// Folds tells, without writing, whether the folder dir (a target store)
// takes two names of one FoldKey as one file, and how that was found, as
// a dry run's copy finds it.
func Folds(dir string) (bool, string) {
	return (&copier{dst: dir}).targetFolding()
}
