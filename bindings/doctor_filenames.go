package bindings

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/filestore"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// The doctor's "uploaded file names" line, on the target's report of an
// estate: what the step "copy the uploaded files" would refuse, or copy
// so that a Windows file store would not hold it, found before the export
// rather than when that step runs, after the import has written. Every
// source store is looked at as a dry run's copy into the target looks at
// it (filestore.CopyWith: names the target would take as one, names a
// Windows store cannot hold, target files of other content under a source
// file's name), and the sources are compared with one another: two that
// hold a file at one path with other content (the second's copy would be
// refused), or at paths that differ only by case or Unicode form.

// FileNamesCheckName is the check's name in a doctor report.
const FileNamesCheckName = "uploaded file names"

// linksOf names the messages of a pool that link to files, as linkedIn
// ("; messages of POOL that link to them: ..."), or "".
type linksOf func(p estate.Pool, files []string) string

// FileNamesCheck is the "uploaded file names" line of the target's doctor
// report; ok is false for an estate without a target file store or a
// source file store this machine can read (a real estate's shares from a
// host that is not Windows: the file store line says so). only, when not
// nil, says which files of a source's store the estate copies (nil: all):
// an estate of some categories (export.scope, routes) copies only the
// files their rooms' messages link to (ScopeFiles), and the line looks at
// those only.
func FileNamesCheck(ctx context.Context, est *estate.Estate, links linksOf, only func(estate.Pool) func(string) bool) (store.DoctorCheck, bool) {
	dst := PoolFiles(est, est.Target)
	if dst == "" {
		return store.DoctorCheck{}, false
	}
	type source struct {
		pool  estate.Pool
		role  string
		dir   string
		only  func(string) bool
		rels  []string
		sizes []int64
	}
	var srcs []source
	var unread []string
	roles := est.Roles() // the sources, then the target
	for _, rp := range roles[:len(roles)-1] {
		dir := PoolFiles(est, rp.Pool)
		if dir == "" {
			if rp.Pool.FileStore != "" {
				unread = append(unread, rp.Pool.FileStore)
			}
			continue
		}
		s := source{pool: rp.Pool, role: rp.Role, dir: dir}
		if only != nil {
			s.only = only(rp.Pool)
		}
		srcs = append(srcs, s)
	}
	if len(srcs) == 0 {
		return store.DoctorCheck{}, false
	}
	c := store.DoctorCheck{Check: FileNamesCheckName}
	label := func(s source) string { return poolLabel(s.pool, s.role) }
	var fails, warns []string
	files := 0
	for i := range srcs {
		s := &srcs[i]
		rels, sizes, err := filestore.List(s.dir)
		if err != nil {
			// The file store line says what is wrong with the folder.
			continue
		}
		if s.only != nil {
			var rs []string
			var ss []int64
			for i, r := range rels {
				if s.only(r) {
					rs, ss = append(rs, r), append(ss, sizes[i])
				}
			}
			rels, sizes = rs, ss
		}
		s.rels, s.sizes = rels, sizes
		files += len(rels)
		res, err := filestore.CopyWith(ctx, s.dir, dst, filestore.Options{DryRun: true, Only: s.only})
		var refused *filestore.RefusedError
		switch {
		case errors.As(err, &refused):
			fails = append(fails, fmt.Sprintf("from %s: %s%s", label(*s), strings.TrimPrefix(err.Error(), fmt.Sprintf("copy file store %s to %s: nothing was copied: ", s.dir, dst)),
				links(s.pool, refused.Files())))
		case err != nil:
			continue
		default:
			if w := namesWarning(res); w != "" {
				var fs []string
				for _, g := range res.Collisions {
					fs = append(fs, g...)
				}
				for _, u := range res.Unfit {
					fs = append(fs, u.File)
				}
				warns = append(warns, fmt.Sprintf("from %s: %s%s", label(*s), w, links(s.pool, fs)))
			}
		}
	}
	// The sources against one another: the first copied is in the target
	// when the next is copied.
	if len(srcs) > 1 {
		folds, how := filestore.Folds(dst)
		type at struct {
			src int
			rel string
			idx int
		}
		byKey := map[string][]at{}
		var keys []string
		for si, s := range srcs {
			for i, r := range s.rels {
				k := filestore.FoldKey(r)
				if _, ok := byKey[k]; !ok {
					keys = append(keys, k)
				}
				byKey[k] = append(byKey[k], at{si, r, i})
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			list := byKey[k]
			if len(list) < 2 || !slices.ContainsFunc(list, func(a at) bool { return a.src != list[0].src }) {
				continue // one source's own names: its copy's check above
			}
			first := list[0]
			for _, a := range list[1:] {
				if a.src == first.src {
					continue
				}
				s0, s1 := srcs[first.src], srcs[a.src]
				what := ""
				if a.rel != first.rel {
					what = fmt.Sprintf("%s holds %q and %s %q, names that differ only by case or Unicode form", label(s0), first.rel, label(s1), a.rel)
					if !folds {
						warns = append(warns, what+": the target folder tells them apart, but a Windows file store (NTFS) makes them one file"+
							links(s0.pool, []string{first.rel})+links(s1.pool, []string{a.rel}))
						continue
					}
					what += fmt.Sprintf(", which the target folder (%s) takes as one file", how)
				} else {
					same := s0.sizes[first.idx] == s1.sizes[a.idx]
					if same {
						var err error
						same, err = filestore.SameFiles(filepath.Join(s0.dir, filepath.FromSlash(first.rel)), filepath.Join(s1.dir, filepath.FromSlash(a.rel)))
						if err != nil {
							continue
						}
					}
					if same {
						continue
					}
					what = fmt.Sprintf("%s and %s both hold %q, with other content", label(s0), label(s1), a.rel)
				}
				fails = append(fails, what+fmt.Sprintf(": the copy of %s would be refused, since no upload is written over another", label(s1))+
					links(s0.pool, []string{first.rel})+links(s1.pool, []string{a.rel}))
			}
		}
	}
	copier := "the step \"copy the uploaded files\" (pool.copy_files)"
	if !est.IsLab() {
		copier = "the runbook's robocopy (which would replace a target file of other content)"
	}
	switch {
	case len(fails) > 0:
		c.Status = store.DoctorFail
		c.Message = strings.Join(append(fails, warns...), "; ")
		c.Action = "no upload can be renamed (messages link to it by name): move the target's file out of the way if it is an earlier copy, " +
			"or keep the two pools' files apart (a target file store of each); " + copier + " stops at them"
	case len(warns) > 0:
		c.Status = store.DoctorWarn
		c.Message = strings.Join(warns, "; ")
		c.Action = "these names are copied here, but a Windows file store cannot hold them as they are: rehearse on a folder that folds case as NTFS does"
	default:
		c.Status = store.DoctorOK
		c.Message = fmt.Sprintf("%s of %s: no two land on one file of the target file store %s, none replaces a file of the target, and Windows can hold every name",
			numtext.Count(files, "uploaded file", "uploaded files"), numtext.Count(len(srcs), "source file store", "source file stores"), dst)
	}
	if len(srcs) == 1 && srcs[0].only != nil {
		c.Message += fmt.Sprintf(" (the files that the messages of the rooms of export.scope's %s link to: the estate copies those only)",
			numtext.Count(len(est.Export.Scope), "category", "categories"))
	}
	if len(unread) > 0 {
		c.Message += fmt.Sprintf(" (not looked at: %s, not a folder this host can read)", strings.Join(unread, ", "))
	}
	return c, true
}

// namesWarning is what a copy took that a Windows store would not hold as
// it is (filestore.Result's Collisions and Unfit), or "".
func namesWarning(res *filestore.Result) string {
	var parts []string
	if n := len(res.Collisions); n > 0 {
		var gs []string
		for _, g := range res.Collisions {
			q := make([]string, len(g))
			for i, f := range g {
				q[i] = fmt.Sprintf("%q", f)
			}
			gs = append(gs, numtext.And(q))
		}
		parts = append(parts, fmt.Sprintf("%s differ only by case or Unicode form: %s; the target folder tells them apart, but a Windows file store (NTFS) makes each one file",
			numtext.Count(n, "group of names", "groups of names"), numtext.First(gs, 5)))
	}
	if n := len(res.Unfit); n > 0 {
		var us []string
		for _, u := range res.Unfit {
			us = append(us, fmt.Sprintf("%q %s", u.File, u.Problem))
		}
		parts = append(parts, fmt.Sprintf("%s cannot be held as they are by a Windows file store (NTFS): %s",
			numtext.Count(n, "file name", "file names"), numtext.First(us, 5)))
	}
	return strings.Join(parts, "; ")
}

// ScopeFiles says which files of a pool's store the messages of the rooms
// of the named categories link to (as filestore.RelPath reads a link,
// compared without case, as pool.copy_files' scope chooses them). The
// names are found as export.run finds its scope's (the database's name
// comparison); a name the pool lacks chooses nothing.
func ScopeFiles(ctx context.Context, s *store.Store, scope []string) (func(string) bool, error) {
	roomIDs, err := s.ScopeRooms(ctx, scope)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	if len(roomIDs) > 0 {
		err = s.StreamMessages(ctx, store.MessageFilter{Rooms: roomIDs, AnyOrder: true}, func(m pchat.Message) error {
			for _, link := range filestore.Links(m.Content) {
				if rel, ok := filestore.RelPath(link); ok {
					want[strings.ToLower(rel)] = true
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return func(rel string) bool { return want[strings.ToLower(rel)] }, nil
}
