package bindings

import (
	"fmt"
	"path/filepath"

	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/runbook"
)

// pathArgs are the arguments of each runbook call that are paths on this
// machine when the estate names a local folder: the file stores and log
// folder of "files", the report folders of "move" and "settings", the
// archive of "import". (An "export"'s archive is Export.FileName.)
var pathArgs = map[string][]int{"files": {2, 3, 4}, "move": {1}, "settings": {2}, "import": {1}}

// rebaseCalls makes the recorded calls' paths inside the estate folder
// they were recorded in (was) paths inside the estate folder of this run
// (now): a journal records absolute paths, and an estate folder moved or
// copied between a killed run and its resume must not have the runbook
// act on the old folder. A share (\\server\share) and a path outside the
// old folder are kept as they are. The calls are changed in place.
func rebaseCalls(calls []runbook.Op, was, now string) {
	if was == "" || now == "" || filepath.Clean(was) == filepath.Clean(now) {
		return
	}
	rebase := func(p string) string {
		if p == "" || estate.IsShare(p) || !filepath.IsAbs(p) {
			return p
		}
		rel, err := filepath.Rel(was, p)
		if err != nil || !filepath.IsLocal(rel) {
			return p
		}
		return filepath.Join(now, rel)
	}
	for i := range calls {
		c := &calls[i]
		for _, n := range pathArgs[c.Op] {
			if n < len(c.Args) {
				c.Args[n] = rebase(c.Args[n])
			}
		}
		if c.Export != nil {
			c.Export.FileName = rebase(c.Export.FileName)
		}
	}
}

// checkFileStores refuses a recorded file-store copy whose stores are not
// where the estate now names them: a journal of an estate whose folder
// moved, written by a pcmig that did not record the folder (rebaseCalls
// cannot place its paths), or damaged. The runbook would otherwise copy
// from or into a folder the estate no longer names.
func checkFileStores(calls []runbook.Op, est *estate.Estate, find func(string) (estate.Pool, bool)) error {
	if est == nil {
		return nil
	}
	for _, c := range calls {
		if c.Op != "files" || len(c.Args) < 4 {
			continue
		}
		for k, role := range []string{"old", "new"} {
			rec := c.Args[2+k]
			p, ok := find(c.Args[k])
			if !ok || rec == p.FileStore || rec == "" && p.FileStore == "" {
				continue
			}
			now := p.FileStore
			if now == "" {
				now = "none (looked up at run time)"
			}
			return fmt.Errorf("the journal's file-store copy names the %s pool %s's file store %s, but the estate now names %s "+
				"(was the estate folder moved by a pcmig that did not record it?): put the estate back where it was to --resume, or use --fresh",
				role, c.Args[k], rec, now)
		}
	}
	return nil
}
