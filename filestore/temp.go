package filestore

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pcmig/pcmig/atomicfile"
	"github.com/pcmig/pcmig/fsguard"
	"github.com/pcmig/pcmig/numtext"
)

// tempMark is in the name of every temporary file of a copy, before its
// token.
const tempMark = ".pcmig-copy-"

// newToken is a copy's random token: 16 hexadecimal digits.
func newToken() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("temporary file names: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// createTemp creates, exclusively, the temporary file into which rel is
// copied, beside rel: ".NAME.pcmig-copy-TOKEN", or ".pcmig-copy-TOKEN"
// for a long NAME (file systems allow 255 bytes in a name), with "-1",
// "-2", ... added while the name is taken. A file already there, whoever
// made it, is never opened.
func createTemp(to *os.Root, rel, token string) (*os.File, string, error) {
	name := "." + filepath.Base(rel) + tempMark + token
	if len(name) > 230 {
		name = tempMark + token
	}
	base := filepath.Join(filepath.Dir(rel), name)
	for i := 0; i < 100; i++ {
		tmp := base
		if i > 0 {
			tmp = fmt.Sprintf("%s-%d", base, i)
		}
		f, err := to.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			return f, tmp, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, "", fmt.Errorf("%s: %w", filepath.ToSlash(rel), err)
		}
	}
	return nil, "", fmt.Errorf("%s: the target holds %s and its next 99 variants: no temporary name is free", filepath.ToSlash(rel), filepath.ToSlash(base))
}

// isTemp reports whether name is a temporary file's name made with token.
func isTemp(name, token string) bool {
	if !strings.HasPrefix(name, ".") {
		return false
	}
	i := strings.LastIndex(name, tempMark+token)
	if i < 0 {
		return false
	}
	rest := name[i+len(tempMark+token):]
	if rest == "" {
		return true
	}
	return len(rest) > 1 && rest[0] == '-' && strings.Trim(rest[1:], "0123456789") == ""
}

// ledgerEntry is a copy under way: its target store and token. FromLedger
// is the store's path relative to the ledger's folder (the state folder),
// where it can be written so: an estate folder moved with its state
// folder and stores inside keeps it true (storeNow).
type ledgerEntry struct {
	Store      string `json:"store"`
	Token      string `json:"token"`
	FromLedger string `json:"store_from_ledger,omitempty"`
}

// ledger is Options.Ledger for the copy into store (storeKey); note, when
// not nil, is told what begin removed (Options.Note).
type ledger struct {
	path, store string
	note        func(string)
}

// storeKey is how the ledger names a target store: its absolute path
// (begin also finds the store under another path).
func storeKey(dst string) string {
	if a, err := filepath.Abs(dst); err == nil {
		return filepath.Clean(a)
	}
	return filepath.Clean(dst)
}

// read returns the ledger's entries; an absent ledger has none. A ledger
// that cannot be read as one is an error: what it proves is unknown, so
// nothing is removed on its word, and it is not written over.
func (l ledger) read() ([]ledgerEntry, error) {
	b, err := os.ReadFile(l.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ledger of file copies %s: %w", l.path, err)
	}
	var es []ledgerEntry
	if err := json.Unmarshal(b, &es); err != nil {
		return nil, fmt.Errorf("ledger of file copies %s is not valid: remove it, then remove by hand any file named .NAME%sTOKEN that a killed copy left in the target store", l.path, tempMark)
	}
	return es, nil
}

func (l ledger) write(es []ledgerEntry) error {
	if len(es) == 0 {
		if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("ledger of file copies: %w", err)
		}
		return nil
	}
	b, err := json.MarshalIndent(es, "", "  ")
	if err != nil {
		return fmt.Errorf("ledger of file copies: %w", err)
	}
	return atomicfile.Write(l.path, append(b, '\n'))
}

// begin removes from the target store (to) the temporary files of earlier
// copies that the ledger records (killed copies), then records a new
// token for this copy and returns it. Without a ledger it only makes the
// token.
//
// An entry names its store by the path the store had when that copy
// began, which need not be the path it has now: the estate folder moved
// or renamed with its store inside, a linked folder, a mapped drive for
// the share. So the store is searched for the files of every token the
// ledger records, not only its entries for this path: a file named with
// one of them (a random token this ledger recorded before the copy made
// any file) is a killed copy's, whatever path the store had then. The
// entries forgotten are those of this store: its path, another path to
// the same folder, or a token whose files were found here, and those of
// a store that no longer exists (deleted, or moved or renamed apart from
// the state folder): their files were searched for here and removed or
// absent, and an entry kept for good would make every later copy search
// its whole target store (a large share) and look at the dead path
// again. An entry of another store that exists, at its path or where the
// ledger's own move took it (storeNow), stays until a copy into that
// store: an estate with two target stores, moved after a copy into the
// second was killed, has the first copy of the next run search only the
// first store.
//
// What is removed is told to l.note: how many files, and where.
func (l ledger) begin(to *os.Root) (string, error) {
	token, err := newToken()
	if err != nil || l.path == "" {
		return token, err
	}
	es, err := l.read()
	if err != nil {
		return "", err
	}
	var tokens []string
	for _, e := range es {
		if len(e.Token) == len(token) && strings.Trim(e.Token, "0123456789abcdef") == "" {
			tokens = append(tokens, e.Token)
		}
	}
	found := map[string]bool{}
	if len(tokens) > 0 {
		var removed []string
		if found, removed, err = sweep(to, tokens); err != nil {
			return "", err
		}
		if len(removed) > 0 && l.note != nil {
			l.note(removedNote(l.store, removed))
		}
	}
	keep := slices.DeleteFunc(es, func(e ledgerEntry) bool {
		if e.Store == l.store || found[e.Token] {
			return true
		}
		now := l.storeNow(e)
		return now == "" || fsguard.Same(now, l.store)
	})
	e := ledgerEntry{Store: l.store, Token: token}
	if rel, err := filepath.Rel(l.dir(), l.store); err == nil {
		e.FromLedger = rel
	}
	return token, l.write(append(keep, e))
}

// end forgets the copy of token: it left no temporary file.
func (l ledger) end(token string) error {
	if l.path == "" {
		return nil
	}
	es, err := l.read()
	if err != nil {
		return err
	}
	return l.write(slices.DeleteFunc(es, func(e ledgerEntry) bool { return e.Store == l.store && e.Token == token }))
}

// storeNow is where the store of e is now: the path e recorded while
// something is there; otherwise, when the ledger's folder moved with the
// store (an estate folder moved or renamed with its state folder and
// stores inside), the store's path relative to the ledger's folder, if
// something is there; "" when the store is at neither.
func (l ledger) storeNow(e ledgerEntry) string {
	if !gone(e.Store) {
		return e.Store
	}
	if e.FromLedger == "" || filepath.IsAbs(e.FromLedger) {
		return ""
	}
	if p := filepath.Join(l.dir(), e.FromLedger); !gone(p) {
		return p
	}
	return ""
}

// dir is the ledger's folder, absolute when it can be made so.
func (l ledger) dir() string {
	return storeKey(filepath.Dir(l.path))
}

// gone reports whether nothing is at path.
func gone(path string) bool {
	_, err := os.Lstat(path)
	return errors.Is(err, fs.ErrNotExist)
}

// removedNote says what begin removed from store: the files (paths
// relative to the store, slash-separated), counted, the first few named.
func removedNote(store string, files []string) string {
	return fmt.Sprintf("Removed %s (%s) from the file store %s, left by a file copy that was stopped before it finished.",
		numtext.Count(len(files), "temporary file", "temporary files"), numtext.First(files, 3), store)
}

// sweep removes the regular files of the store named as temporary files
// with one of tokens, and returns the tokens it found and the files it
// removed (relative to the store, slash-separated).
func sweep(to *os.Root, tokens []string) (map[string]bool, []string, error) {
	var gone []string
	found := map[string]bool{}
	err := fs.WalkDir(to.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		for _, t := range tokens {
			if isTemp(d.Name(), t) {
				gone = append(gone, p)
				found[t] = true
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("look for the temporary files of a killed copy: %w", err)
	}
	var removed []string
	for _, p := range gone {
		err := to.Remove(filepath.FromSlash(p))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("remove the temporary file %s of a killed copy: %w", p, err)
		}
		if err == nil {
			removed = append(removed, p)
		}
	}
	return found, removed, nil
}
