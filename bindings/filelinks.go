package bindings

import (
	"context"
	"fmt"
	"slices"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/filestore"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// linksShow is how many messages linkedFrom names for each file, and
// linkedFiles for how many files.
const (
	linksShow   = 3
	linkedFiles = 10
)

// linkedFrom says which messages of the pool p link to each of files
// (paths in its file store, slash-separated), as "; messages that link to
// them: "r/a.docx": room "Sales" (nodeID 12) message 40, ...". It reads
// the pool's messages, so it is called only for the few files a copy
// refuses or warns about; "" when the pool has no database to read or
// the read fails (the copy's own message stands without it).
func (e *Env) linkedFrom(L *lua.LState, p estate.Pool, files []string) string {
	if len(files) == 0 || p.DB.DSN == "" && p.DB.Instance == "" {
		return ""
	}
	return LinkedIn(L.Context(), e.store(L, p), poolLabel(p, "the source"), files)
}

// LinkedIn is linkedFrom on the opened database s of the pool label (pcmig
// doctor names the messages that link to the files of its findings).
func LinkedIn(ctx context.Context, s *store.Store, label string, files []string) string {
	var more int
	if files = slices.Compact(slices.Clone(files)); len(files) > linkedFiles {
		files, more = files[:linkedFiles], len(files)-linkedFiles
	}
	want := map[string][]string{}
	for _, f := range files {
		want[f] = nil
	}
	rooms, err := s.Rooms(ctx)
	if err != nil {
		return ""
	}
	name := map[int32]string{}
	for _, r := range rooms {
		name[r.ID] = r.Name
	}
	count := map[string]int{}
	err = s.StreamMessages(ctx, store.MessageFilter{}, func(m pchat.Message) error {
		for _, link := range filestore.Links(m.Content) {
			rel, ok := filestore.RelPath(link)
			if _, wanted := want[rel]; !ok || !wanted {
				continue
			}
			if count[rel]++; count[rel] <= linksShow {
				want[rel] = append(want[rel], fmt.Sprintf("room %q (nodeID %d) message %d", name[m.RoomID], m.RoomID, m.ChatID))
			}
		}
		return nil
	})
	if err != nil {
		return ""
	}
	var parts []string
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f] {
			continue
		}
		seen[f] = true
		if count[f] == 0 {
			parts = append(parts, fmt.Sprintf("%q: none", f))
			continue
		}
		parts = append(parts, fmt.Sprintf("%q: %s", f, numtext.More(want[f], count[f])))
	}
	if more > 0 {
		parts = append(parts, fmt.Sprintf("and %d more files", more))
	}
	return fmt.Sprintf("; messages of %s that link to them: %s", label, strings.Join(parts, "; "))
}

// warnNames warns about the source files a copy made as they are but a
// Windows file store would not hold so: names that differ only by case or
// Unicode form (one file there, the last copied replacing the others) and
// names Windows cannot hold. A lab's target folder that tells them apart
// takes them; a real pool's share would not.
func (e *Env) warnNames(L *lua.LState, from, to estate.Pool, res *filestore.Result) {
	var files []string
	var parts []string
	if n := len(res.Collisions); n > 0 {
		var gs []string
		for _, g := range res.Collisions {
			files = append(files, g...)
			q := make([]string, len(g))
			for i, f := range g {
				q[i] = fmt.Sprintf("%q", f)
			}
			gs = append(gs, numtext.And(q))
		}
		parts = append(parts, fmt.Sprintf("%s of the file store of %s differ only by case or Unicode form: %s; the file store of %s (%s) tells them apart, "+
			"but a Windows file store (NTFS) makes each one file, the last copied replacing the others",
			numtext.Count(n, "group of names", "groups of names"), from.Pool, numtext.First(gs, 5), to.Pool, to.FileStore))
	}
	if n := len(res.Unfit); n > 0 {
		var us []string
		for _, u := range res.Unfit {
			files = append(files, u.File)
			us = append(us, fmt.Sprintf("%q %s", u.File, u.Problem))
		}
		parts = append(parts, fmt.Sprintf("%s of the file store of %s cannot be held as they are by a Windows file store (NTFS); the file store of %s (%s) took them: %s",
			numtext.Count(n, "file name", "file names"), from.Pool, to.Pool, to.FileStore, numtext.First(us, 5)))
	}
	if len(parts) == 0 {
		return
	}
	warn(L, "%s%s", strings.Join(parts, "; "), e.linkedFrom(L, from, files))
}
