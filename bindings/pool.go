package bindings

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/filestore"
	"github.com/pcmig/pcmig/fqdn"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/poolsettings"
	"github.com/pcmig/pcmig/runbook"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// poolLoader: require("pool"): what a pool has outside its database.
//
//	pool.copy_files(from, to) -> {runbook, source = {files, bytes},
//	    target = {files, bytes}, copied, kept, missing = {path...}}
//
// copies the uploaded files from one pool's file store (the pool's
// file_store in the estate) to the other's. A lab estate: pcmig copies the
// folder itself (files the target has with the same size are kept) and
// then checks that every source file is in the target with its size;
// missing lists those that are not (in a dry run: those it would copy, and
// nothing is written). A real estate: the runbook gets the copy (robocopy,
// restartable, logged, then a count and size comparison), with each share
// resolved at run time when the estate gives none; runbook is true and the
// figures are 0 (with scope, source.files is the number of files the
// runbook lists). opts.scope: only the files that the messages of the rooms
// of these categories link to (a real estate: the runbook lists them).
// Raises argument (a lab pool without file_store), not_found, io.
//
//	pool.carry_settings(from, to) -> {runbook, changes = {{kind, object,
//	    action, detail}...}}
//
// gives the new pool the old pool's own settings: Persistent Chat
// configuration and compliance configuration at its service scope, and its
// endpoints, moved to the new pool with the same SIP address. A lab estate
// keeps them in estate.pool_settings, which is rewritten (not in a dry
// run); kind is configuration, compliance or endpoint, action create,
// update, move or unchanged. A real estate: the runbook gets a section that
// reads them at run time and recreates them, with a CSV report of every
// change; changes is empty. Raises argument (a lab estate without
// pool_settings), io.
func (e *Env) poolLoader(L *lua.LState) int {
	t := L.NewTable()
	setFuncs(L, t, "pool", map[string]lua.LGFunction{"copy_files": e.poolCopyFiles, "carry_settings": e.poolCarrySettings})
	L.Push(t)
	return 1
}

// stateDir is the estate's state folder, or "" without an estate.
func (e *Env) stateDir() string {
	if e.Estate == nil || e.Estate.State == "" {
		return ""
	}
	return e.Estate.State
}

type copyResult struct {
	Runbook bool `json:"runbook"`
	*filestore.Result
}

func (e *Env) poolCopyFiles(L *lua.LState) int {
	from, to := e.pool(L, 1), e.pool(L, 2)
	scope := optStrings(L, opts(L, "pool.copy_files"), "scope")
	if e.Estate != nil && !e.Estate.IsLab() {
		if len(scope) > 0 {
			// The runbook copies the files the scope's rooms link to,
			// listed now from the source's messages, and no other.
			_, cats, files := e.linkedFiles(L, from, scope)
			list := make([]string, 0, len(files))
			bad := 0
			for _, f := range files {
				if _, err := runbook.WindowsRelPath(f); err != nil {
					bad++ // no file of a Windows share has such a name
					continue
				}
				list = append(list, f)
			}
			if bad > 0 {
				warn(L, "pool.copy_files: %d of the %d files that the messages of %s's rooms link to have a path no file of a Windows share can have "+
					"(\" < > | * ? : or a control character, or a .. folder): the runbook does not copy them", bad, len(files), strings.Join(cats, ", "))
			}
			e.runbookSection(L)
			check(L, e.Runbook.CopyFileStoreScope(from.Pool, to.Pool, from.FileStore, to.FileStore, "", cats, list))
			record(L, pcrt.Action{Module: "pool", Op: "copy files", Target: to.Pool, Count: int64(len(list)),
				Detail: fmt.Sprintf("runbook: robocopy the %d files of the file store of %s linked from the rooms of %s to that of %s, then compare sizes",
					len(list), from.Pool, strings.Join(cats, ", "), to.Pool)})
			L.Push(toLua(L, copyResult{Runbook: true, Result: &filestore.Result{Source: filestore.Totals{Files: int64(len(list))}}}))
			return 1
		}
		e.runbookSection(L)
		check(L, e.Runbook.CopyFileStore(from.Pool, to.Pool, from.FileStore, to.FileStore, ""))
		record(L, pcrt.Action{Module: "pool", Op: "copy files", Target: to.Pool,
			Detail: fmt.Sprintf("runbook: robocopy the file store of %s to that of %s, then compare counts and sizes", from.Pool, to.Pool)})
		L.Push(toLua(L, copyResult{Runbook: true, Result: &filestore.Result{}}))
		return 1
	}
	for _, p := range []struct{ name, dir string }{{from.Pool, from.FileStore}, {to.Pool, to.FileStore}} {
		if p.dir == "" {
			pcrt.RaiseError(L, pcrt.KindArgument, "pool %s has no file_store in the estate", p.name)
		}
	}
	dry := dryRun(L)
	var progress func(done, total int64)
	if !dry { // a dry run only compares listings: there is no copy to follow
		pl := e.progressLog(L, "copy files")
		progress = func(done, total int64) { pl.update("uploaded files", done, total) }
	}
	opts := filestore.Options{DryRun: dry, Progress: progress}
	of := ""
	if len(scope) > 0 {
		var cats []string
		opts.Only, cats, _ = e.linkedFiles(L, from, scope)
		of = " linked from the rooms of " + strings.Join(cats, ", ")
	}
	if st, err := os.Stat(e.stateDir()); err == nil && st.IsDir() {
		// A copy killed with a temporary file in the target: the next
		// copy removes it, and only it (filestore.CopyWith). The state
		// folder is the run's (pcmig run makes it, with its lock).
		opts.Ledger = filepath.Join(e.Estate.State, estate.FileCopyLedgerName)
		opts.Note = func(msg string) { say(L, "%s", msg) }
	}
	res, err := filestore.CopyWith(L.Context(), from.FileStore, to.FileStore, opts)
	if err != nil {
		if L.Context().Err() != nil { // Ctrl-C, --timeout: the run says why it stopped
			raise(L, err)
		}
		var refused *filestore.RefusedError
		if errors.As(err, &refused) {
			kind := pcrt.KindValidation
			if len(refused.Conflicts) > 0 {
				kind = pcrt.KindConflict
			}
			pcrt.RaiseError(L, kind, "%v%s", err, e.linkedFrom(L, from, refused.Files()))
		}
		pcrt.RaiseError(L, pcrt.KindIO, "%v", err)
	}
	e.warnNames(L, from, to, res)
	n := res.Copied
	if dry {
		n = int64(len(res.Missing))
	}
	if n > 0 {
		record(L, pcrt.Action{Module: "pool", Op: "copy files", Target: to.Pool, Count: n,
			Detail: fmt.Sprintf("copy %d of the %d uploaded files of %s%s into the file store of %s", n, res.Source.Files, from.Pool, of, to.Pool)})
	}
	L.Push(toLua(L, copyResult{Result: res}))
	return 1
}

// linkedFiles chooses the files of the pool p's file store that the
// messages of the rooms of the scope's categories link to (as
// filestore.RelPath reads a link; compared without case, as a Windows
// file store finds names), for a copy of those rooms' files only, and the
// categories' names as the pool has them, and the files' paths (sorted;
// of paths that differ only by case, the first one read). A scope name the
// pool lacks raises not_found, as export.run's scope does.
func (e *Env) linkedFiles(L *lua.LState, p estate.Pool, scope []string) (func(string) bool, []string, []string) {
	s := e.store(L, p)
	var missing, names []string
	var ids []int32
	rooms := e.rooms(L, s)
	seen := map[int32]bool{}
	for _, name := range scope {
		c, ok := e.categoryByName(L, s, name)
		if !ok {
			missing = append(missing, fmt.Sprintf("%q", name))
			continue
		}
		if seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		names = append(names, c.Name)
		for _, r := range rooms.byCat[c.ID] {
			ids = append(ids, r.ID)
		}
	}
	if len(missing) > 0 {
		pcrt.RaiseError(L, pcrt.KindNotFound, "pool.copy_files: scope names categories that are not in %s: %s", p.Pool, strings.Join(missing, ", "))
	}
	want := map[string]bool{}
	var files []string
	if len(ids) > 0 {
		check(L, s.StreamMessages(L.Context(), store.MessageFilter{Rooms: ids, AnyOrder: true}, func(m pchat.Message) error {
			for _, link := range filestore.Links(m.Content) {
				if rel, ok := filestore.RelPath(link); ok && !want[strings.ToLower(rel)] {
					want[strings.ToLower(rel)] = true
					files = append(files, rel)
				}
			}
			return nil
		}))
	}
	slices.Sort(files)
	return func(rel string) bool { return want[strings.ToLower(rel)] }, names, files
}

type settingsResult struct {
	Runbook bool                  `json:"runbook"`
	Changes []poolsettings.Change `json:"changes"`
}

func (e *Env) poolCarrySettings(L *lua.LState) int {
	from, to := e.pool(L, 1), e.pool(L, 2)
	o := opts(L, "pool.carry_settings")
	keep := optEnum(L, o, "existing", "replace", "replace", "keep") == "keep"
	// endpoints_to: the pool the old pool's endpoints go to (to_pool by
	// default); another pool's estate moves them, and this call leaves
	// them (one source's categories routed to several pools).
	leaveTo := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(optString(L, o, "endpoints_to", ""))), ".")
	if leaveTo != "" && !fqdn.Valid(leaveTo) {
		L.ArgError(3, "endpoints_to: want a pool's FQDN")
	}
	if leaveTo == strings.TrimSuffix(strings.ToLower(to.Pool), ".") {
		leaveTo = ""
	}
	if leaveTo != "" && keep {
		L.ArgError(3, "endpoints_to: not with existing = \"keep\"")
	}
	if e.Estate != nil && !e.Estate.IsLab() {
		e.runbookSection(L)
		detail := fmt.Sprintf("runbook: Persistent Chat and compliance configuration of service:PersistentChatServer:%s and its endpoints, recreated for %s", from.Pool, to.Pool)
		if leaveTo != "" {
			check(L, e.Runbook.CarryPoolSettingsLeavingEndpoints(from.Pool, to.Pool, "", leaveTo))
			detail = fmt.Sprintf("runbook: Persistent Chat and compliance configuration of service:PersistentChatServer:%s, recreated for %s; its endpoints left for the runbook of %s",
				from.Pool, to.Pool, leaveTo)
		} else if keep {
			check(L, e.Runbook.CarryPoolSettingsKeeping(from.Pool, to.Pool, ""))
			detail = fmt.Sprintf("runbook: the endpoints of %s moved to %s; its Persistent Chat and compliance configuration created for %s where it has none (its own are kept)", from.Pool, to.Pool, to.Pool)
		} else {
			check(L, e.Runbook.CarryPoolSettings(from.Pool, to.Pool, ""))
		}
		record(L, pcrt.Action{Module: "pool", Op: "carry settings", Target: to.Pool, Detail: detail})
		L.Push(toLua(L, settingsResult{Runbook: true, Changes: []poolsettings.Change{}}))
		return 1
	}
	if e.Estate == nil || e.Estate.PoolSettings == "" {
		pcrt.RaiseError(L, pcrt.KindArgument, "the estate names no pool_settings file")
	}
	path := e.Estate.PoolSettings
	s, err := poolsettings.Load(e.input(path))
	if err != nil {
		pcrt.RaiseError(L, pcrt.KindIO, "%v", err)
	}
	carry := s.Carry
	if keep {
		carry = s.CarryKeeping
	}
	if leaveTo != "" {
		carry = func(from, to string) []poolsettings.Change { return s.CarryLeavingEndpoints(from, to, leaveTo) }
	}
	changes := carry(from.Pool, to.Pool)
	changed := 0
	for _, c := range changes {
		if c.Action != "unchanged" && c.Action != "kept" && c.Action != "left" {
			changed++
			record(L, pcrt.Action{Module: "pool", Op: "carry " + c.Kind, Target: c.Object, Detail: c.Action + ": " + c.Detail})
		}
	}
	if changed > 0 {
		out, err := e.output(L, path)
		check(L, err)
		if err := s.Save(out); err != nil {
			pcrt.RaiseError(L, pcrt.KindIO, "%v", err)
		}
	}
	if changes == nil {
		changes = []poolsettings.Change{}
	}
	L.Push(toLua(L, settingsResult{Changes: changes}))
	return 1
}

// targetFiles is the file store verify checks the target's links against
// during a run: a lab estate's. A real estate's files are copied by the
// runbook after the run; pcmig verify checks them once it has run.
func (e *Env) targetFiles(target string) string {
	if e.Estate == nil || !e.Estate.IsLab() || !strings.EqualFold(target, e.Estate.Target.Pool) {
		return ""
	}
	return TargetFiles(e.Estate)
}

// TargetFiles is the estate's file_store of the target pool, where verify
// checks the target's file links: a lab estate's always, a real estate's
// when this machine can read the share.
func TargetFiles(est *estate.Estate) string {
	return PoolFiles(est, est.Target)
}

// PoolFiles is a pool's file_store as verify reads it: a lab estate's
// always, a real estate's when this machine can read the share; "" else.
// Verify reads a source's to tell a file the target lacks that the source
// lacks too (nothing to copy) from one the copy missed.
func PoolFiles(est *estate.Estate, p estate.Pool) string {
	dir := p.FileStore
	if dir != "" && !est.IsLab() {
		// A real estate's share is checked only where it can be read.
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return ""
		}
	}
	return dir
}
