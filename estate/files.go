package estate

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/pcmig/pcmig/fsguard"
)

// The files a run keeps in the estate's state folder.
const (
	RunJournalName = "run-journal.json"
	RunLockName    = "run.lock"
	// RunStepMarkName is the run journal's step mark, beside it: the step
	// a run is in (runtime's markPath).
	RunStepMarkName = RunJournalName + ".step"
	// FileCopyLedgerName records the file-store copies under way, so
	// that the temporary files of a killed one are removed (filestore).
	FileCopyLedgerName = "file-copies.json"
	// TempLedgerName records the temporary files of a run's outputs
	// written outside the state folder (atomicfile.Ledger).
	TempLedgerName = "temporaries.jsonl"
)

// sqlitePath is the file of an embedded database ("" for SQL Server),
// resolved against dir as Config resolves it.
func (d DB) sqlitePath(dir string) string {
	p, ok := strings.CutPrefix(d.DSN, "sqlite:")
	if !ok || p == "" {
		return ""
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	return p
}

// Files lists what a run of the estate writes (outputs) and what it reads
// and must never write over (inputs).
func (e *Estate) Files() (outputs, inputs []fsguard.File) {
	inputs = append(inputs, fsguard.File{Role: "estate file", Path: e.File})
	for _, p := range e.pools() {
		if path := p.DB.sqlitePath(e.Dir); path != "" {
			inputs = append(inputs, fsguard.File{Role: p.role + " database", Path: path})
		}
	}
	inputs = append(inputs, fsguard.File{Role: "topology", Path: e.Topology}, fsguard.File{Role: "directory", Path: e.Directory})
	if e.RoutesFile != "" {
		inputs = append(inputs, fsguard.File{Role: "routes file", Path: e.RoutesFile})
	}
	archive := func(role, path string) {
		outputs = append(outputs, fsguard.File{Role: role, Path: path})
		if path != "" {
			// The import writes its journal beside the archive.
			outputs = append(outputs, fsguard.File{Role: "import journal of the " + role, Path: path + ".import-*.json", Wild: true})
		}
	}
	archive("archive", e.Archive)
	for i, s := range e.Sources {
		archive(fmt.Sprintf("archive of sources[%d]", i+1), s.Archive)
	}
	outputs = append(outputs, fsguard.File{Role: "runbook", Path: e.Runbook}, fsguard.File{Role: "pool settings", Path: e.PoolSettings})
	if e.State != "" {
		outputs = append(outputs,
			fsguard.File{Role: "state folder", Path: e.State},
			fsguard.File{Role: "run journal (state)", Path: filepath.Join(e.State, RunJournalName)},
			fsguard.File{Role: "run journal's step mark (state)", Path: filepath.Join(e.State, RunStepMarkName)},
			fsguard.File{Role: "run lock (state)", Path: filepath.Join(e.State, RunLockName)},
			fsguard.File{Role: "file copy ledger (state)", Path: filepath.Join(e.State, FileCopyLedgerName)},
			fsguard.File{Role: "temporary files ledger (state)", Path: filepath.Join(e.State, TempLedgerName)})
	}
	return outputs, inputs
}

// rolePool is a pool of the estate with its role.
type rolePool struct {
	Pool
	role string
}

// pools are the estate's pools: the source or sources, then the target.
func (e *Estate) pools() []rolePool {
	var out []rolePool
	if e.Source != nil {
		out = append(out, rolePool{*e.Source, "source"})
	}
	for i, s := range e.Sources {
		role := fmt.Sprintf("sources[%d]", i+1)
		if s.Name != "" {
			role = fmt.Sprintf("source %q", s.Name)
		}
		out = append(out, rolePool{s, role})
	}
	return append(out, rolePool{e.Target, "target"})
}

// RolePool is a pool of the estate with its role: "source", "target",
// "sources[2]" or `source "emea"`.
type RolePool struct {
	Role string
	Pool Pool
}

// Roles are the estate's pools with their roles, sources first.
func (e *Estate) Roles() []RolePool {
	var out []RolePool
	for _, p := range e.pools() {
		out = append(out, RolePool{Role: p.role, Pool: p.Pool})
	}
	return out
}

// FileStores are the pools' file-store folders on this machine (not the
// UNC shares of a real estate): a run reads them whole, copying every file
// in the source's store into the target's.
func (e *Estate) FileStores() []fsguard.File {
	var out []fsguard.File
	for _, p := range e.pools() {
		if fs := p.FileStore; fs != "" && !IsShare(fs) {
			out = append(out, fsguard.File{Role: p.role + " file store", Path: fs})
		}
	}
	return out
}

// checkFileStores refuses a target file store that is a source's, is
// inside one, or holds one: the step "copy the uploaded files" copies
// every file of the source's store into the target's, and filestore.Copy
// refuses such a pair only when that step runs, after the export and the
// import have written. Shares are not compared (a real estate's runbook
// copies them).
func (e *Estate) checkFileStores() error {
	stores := e.FileStores()
	if len(stores) < 2 || e.Target.FileStore == "" || IsShare(e.Target.FileStore) {
		return nil
	}
	target := stores[len(stores)-1]
	var probs []string
	for _, src := range stores[:len(stores)-1] {
		switch {
		case fsguard.Same(src.Path, target.Path):
			probs = append(probs, fmt.Sprintf("%s %s is the %s %s", target.Role, target.Path, src.Role, src.Path))
		case fsguard.Outside([]fsguard.File{target}, []fsguard.File{src}) != nil:
			probs = append(probs, fmt.Sprintf("%s %s is inside the %s %s", target.Role, target.Path, src.Role, src.Path))
		case fsguard.Outside([]fsguard.File{src}, []fsguard.File{target}) != nil:
			probs = append(probs, fmt.Sprintf("%s %s is inside the %s %s", src.Role, src.Path, target.Role, target.Path))
		}
	}
	if len(probs) == 0 {
		return nil
	}
	return fmt.Errorf("estate %s: %s: the step \"copy the uploaded files\" copies each source's file store into the target's; give each pool a folder of its own",
		e.File, strings.Join(probs, "; "))
}

// IsShare reports whether a file store is a UNC share (\\server\share, or
// //server/share) rather than a folder.
func IsShare(p string) bool { return strings.HasPrefix(p, `\\`) || strings.HasPrefix(p, "//") }

// CheckOutputs refuses an estate (with the run's extra outputs, such as
// --report) whose outputs name one of its inputs or each other, or lie in
// a pool's file store: an archive path that names a database would
// otherwise replace the database with the archive, and a report in the
// source's file store would be copied into the target's as an uploaded
// file.
func (e *Estate) CheckOutputs(extra ...fsguard.File) error {
	outputs, inputs := e.Files()
	outputs = append(outputs, extra...)
	err := fsguard.Distinct(outputs, inputs)
	if err == nil {
		err = fsguard.Outside(outputs, e.FileStores())
	}
	if err != nil {
		return fmt.Errorf("estate %s: %w", e.File, err)
	}
	return nil
}

// Folders are the folders the estate names: its own, the folders of its
// files (databases, topology, directory, archives, runbook, pool
// settings), its state folder and its pools' file-store folders. Paths
// that scripts give are confined to them (and to what the operator allows
// on the command line).
func (e *Estate) Folders() []string {
	seen := map[string]bool{}
	var out []string
	add := func(dir string) {
		if dir != "" && !seen[dir] {
			seen[dir] = true
			out = append(out, dir)
		}
	}
	add(e.Dir)
	outputs, inputs := e.Files()
	for _, f := range append(inputs, outputs...) {
		if f.Path == "" || f.Wild {
			continue
		}
		if f.Role == "state folder" {
			add(f.Path)
		} else {
			add(filepath.Dir(f.Path))
		}
	}
	for _, fs := range e.FileStores() {
		add(fs.Path)
	}
	return out
}
