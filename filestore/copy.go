package filestore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// copyWorkers is how many files are copied at once. A file store holds
// many small files, and each copy waits for the disk (its flush before the
// rename) far longer than it works: on the 20,000-room lab estate (2,489
// files, 8 MB) one file at a time took 6-9 s of a run, most of it waiting
// in fsync, mkdirat and openat, which the file system serves for several
// files in one journal commit when they come together. Measured on that
// store on a busy machine, 8 to 32 at once took a third to a half of the
// time 1 or 4 took; more than 16 gained nothing clear.
const copyWorkers = 16

// copier copies the files of one CopyWith: up to copyWorkers files are
// made ready at once (looked at and, unless the target has them, copied
// into a flushed temporary file with the source's time), and the calling
// goroutine puts each in place (the rename), counts it and reports its
// progress in the order of the walk. So a copy that stops (ctx, an error)
// has put in place exactly the files before the one it stopped at, as a
// copy of one file at a time would; the temporary files of the files after
// it are removed.
type copier struct {
	ctx    context.Context
	from   *os.Root
	to     *os.Root // nil in a dry run
	view   *os.Root // a dry run's target, opened to be read (nil if absent)
	dst    string
	token  string
	dryRun bool
	// folding is Options.folding.
	folding func() (bool, string)
	// keep says, for each file of the walk, that the target already has
	// it (check).
	keep []bool

	mu   sync.Mutex
	dirs map[string]bool // folders of the target made (or found) by this copy
	bufs sync.Pool       // *[]byte, up to copyChunk
}

// ready is one file made ready to be put in place.
type ready struct {
	kept bool   // the target has it, with its size and time
	tmp  string // the flushed temporary file to rename over it ("" in a dry run)
	err  error
}

func (c *copier) run(rels []string, files []fs.FileInfo, res *Result, progress func(done, total int64)) error {
	n := len(files)
	out := make([]chan ready, n)
	for i := range out {
		out[i] = make(chan ready, 1)
	}
	jobs := make(chan int)
	stop := make(chan struct{})
	slots := make(chan struct{}, copyWorkers) // files made ready and not yet in place
	var wg sync.WaitGroup
	for range min(copyWorkers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				select {
				case <-stop: // the copy stopped before this file
					out[i] <- ready{err: context.Canceled}
				default:
					out[i] <- c.prepare(rels[i], files[i], c.keep[i])
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range n {
			select {
			case slots <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case jobs <- i:
			case <-stop:
				return
			}
		}
	}()
	var err error
	i := 0
	for ; i < n; i++ {
		r := <-out[i]
		if err = r.err; err == nil {
			err = c.ctx.Err()
		}
		if err == nil {
			err = c.place(rels[i], r, res)
		}
		if err != nil {
			if r.tmp != "" {
				_ = c.to.Remove(r.tmp)
			}
			break
		}
		res.Source.Files++
		res.Source.Bytes += files[i].Size()
		<-slots
		if progress != nil {
			progress(res.Source.Files, int64(n))
		}
	}
	close(stop)
	wg.Wait()
	// The files after the one the copy stopped at: those made ready are
	// not put in place.
	for i++; i < n; i++ {
		select {
		case r := <-out[i]:
			if r.tmp != "" {
				_ = c.to.Remove(r.tmp)
			}
		default:
		}
	}
	return err
}

// place puts a file made ready in place and counts it.
func (c *copier) place(rel string, r ready, res *Result) error {
	switch {
	case r.kept:
		res.Kept++
	case c.dryRun:
		res.Missing = append(res.Missing, filepath.ToSlash(rel))
	default:
		// The target had no file of this name when the copy began
		// (check); one that has come since is not written over.
		if _, err := c.to.Lstat(rel); !errors.Is(err, fs.ErrNotExist) {
			if err == nil {
				err = errors.New("a file of this name has come into the target since the copy began; it is not written over")
			}
			return fmt.Errorf("%s: %w", filepath.ToSlash(rel), err)
		}
		if err := c.to.Rename(r.tmp, rel); err != nil {
			return fmt.Errorf("%s: %w", filepath.ToSlash(rel), err)
		}
		res.Copied++
	}
	return nil
}

// prepare (checking ctx first) copies the file rel into a temporary
// file (copyFile), unless the target has it (keep: check looked).
func (c *copier) prepare(rel string, info fs.FileInfo, keep bool) ready {
	if err := c.ctx.Err(); err != nil {
		return ready{err: err}
	}
	if keep {
		return ready{kept: true}
	}
	if c.dryRun {
		return ready{}
	}
	tmp, err := c.copyFile(rel, info.Size())
	return ready{tmp: tmp, err: err}
}

// copyFile streams the file rel of from into a temporary file beside its
// place in to (createTemp, named with the copy's token), flushed to disk
// and given the source's modification time, and returns its name.
func (c *copier) copyFile(rel string, size int64) (_ string, err error) {
	// The walk saw a regular file, but the share may have changed since:
	// a named pipe would block an ordinary open for good.
	in, err := c.from.OpenFile(rel, os.O_RDONLY|openNonBlock, 0)
	if err != nil {
		return "", err
	}
	defer in.Close()
	if st, err := in.Stat(); err != nil {
		return "", err
	} else if !st.Mode().IsRegular() {
		return "", fmt.Errorf("%s: not a regular file (it was one when the store was listed)", filepath.ToSlash(rel))
	}
	if err := c.mkdirAll(filepath.Dir(rel)); err != nil {
		return "", err
	}
	out, tmp, err := createTemp(c.to, rel, c.token)
	if err != nil {
		return "", fmt.Errorf("%s: %w", filepath.ToSlash(rel), err)
	}
	defer func() {
		if err != nil {
			_ = c.to.Remove(tmp)
		}
	}()
	buf := c.buffer(size)
	_, err = io.CopyBuffer(out, ctxReader{c.ctx, in}, *buf)
	c.bufs.Put(buf)
	if err != nil {
		return "", fmt.Errorf("%s: %w", filepath.ToSlash(rel), errors.Join(err, out.Close()))
	}
	if err := out.Sync(); err != nil {
		return "", fmt.Errorf("%s: %w", filepath.ToSlash(rel), errors.Join(err, out.Close()))
	}
	if err := out.Close(); err != nil {
		return "", fmt.Errorf("%s: %w", filepath.ToSlash(rel), err)
	}
	// The source's modification time, as robocopy gives it: a re-run
	// keeps the file by its size and time.
	if info, err := in.Stat(); err == nil {
		if err := c.to.Chtimes(tmp, info.ModTime(), info.ModTime()); err != nil {
			return "", fmt.Errorf("%s: %w", filepath.ToSlash(rel), err)
		}
	}
	return tmp, nil
}

// mkdirAll makes the target's folder dir (and its parents) once per copy.
func (c *copier) mkdirAll(dir string) error {
	c.mu.Lock()
	made := c.dirs[dir]
	c.mu.Unlock()
	if made {
		return nil
	}
	if err := c.to.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s: %w", filepath.ToSlash(dir), err)
	}
	c.mu.Lock()
	if c.dirs == nil {
		c.dirs = map[string]bool{}
	}
	c.dirs[dir] = true
	c.mu.Unlock()
	return nil
}

// buffer is a copy buffer for a file of size bytes: one more byte than
// the file, so that a small file is read whole and its end found in two
// reads, and at most copyChunk; buffers are reused (a store of many small
// files allocated a copyChunk for each).
func (c *copier) buffer(size int64) *[]byte {
	want := int(min(max(size+1, 32<<10), copyChunk))
	if b, ok := c.bufs.Get().(*[]byte); ok && cap(*b) >= want {
		*b = (*b)[:want]
		return b
	}
	b := make([]byte, want)
	return &b
}
