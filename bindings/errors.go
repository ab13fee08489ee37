package bindings

import (
	"context"
	"errors"
	"io/fs"
	"syscall"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/directory"
	"github.com/pcmig/pcmig/fsguard"
	"github.com/pcmig/pcmig/importer"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/topology"
)

// validationErrors are the Go errors that mean the input is wrong (an
// archive that is not one, a damaged archive, a name that is not in the
// topology or directory), rather than that a database failed.
var validationErrors = []error{
	importer.ErrValidation, errSamePool,
	archive.ErrNotArchive, archive.ErrChecksum, archive.ErrInvalidUTF8, archive.ErrDamaged,
	store.ErrNotPersistentChat, store.ErrText,
	directory.ErrUnknownUser,
	topology.ErrUnknownSite, topology.ErrUnknownPool, topology.ErrNotPersistentChatPool, topology.ErrOtherSite,
}

// errSamePool is wrapped when two pools of a run are one pool.
var errSamePool = errors.New("one pool named twice")

// errorKind says which typed error kind a Go error from the domain
// packages is raised as.
func errorKind(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return pcrt.KindTimeout
	case errors.Is(err, context.Canceled):
		return pcrt.KindCancelled
	case errors.Is(err, store.ErrNotFound):
		return pcrt.KindNotFound
	case errors.Is(err, store.ErrLivePool), errors.Is(err, store.ErrReadOnly), errors.Is(err, store.ErrSchemaExists), errors.Is(err, store.ErrLocked),
		errors.Is(err, store.ErrLockLost), errors.Is(err, store.ErrLockTimeout), errors.Is(err, store.ErrDeadlock),
		errors.Is(err, importer.ErrArchiveReplaced):
		// Another session holds what pcmig needs (its writer lock, a row
		// or table lock past LOCK_TIMEOUT, a deadlock after the retries):
		// nothing was written and a later rerun resumes.
		return pcrt.KindConflict
	}
	if k := driverKind(err); k != "" {
		return k
	}
	for _, v := range validationErrors {
		if errors.Is(err, v) {
			return pcrt.KindValidation
		}
	}
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) || errors.Is(err, fs.ErrExist) ||
		errors.Is(err, fsguard.ErrNotRegular) || errors.Is(err, fsguard.ErrTooLarge) {
		return pcrt.KindIO
	}
	// Any other failure of an operation on a path (a NUL byte in it, a
	// name too long for the file system, a folder where a file belongs,
	// too many links) is the file's, not a database's.
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return pcrt.KindIO
	}
	return pcrt.KindDatabase
}

// raise turns a Go error into a typed Lua error whose kind says what went
// wrong, so scripts can pcall and decide.
func raise(L *lua.LState, err error) {
	pcrt.Raise(L, &pcrt.ScriptError{Kind: errorKind(err), Message: err.Error(), Err: err})
}

// check raises err if it is not nil.
func check(L *lua.LState, err error) {
	if err != nil {
		raise(L, err)
	}
}

// driverKind classifies what the databases and the disk say: a database
// that is read-only or refuses pcmig's login the right to write is a
// conflict (the pool refuses writes), and so is a statement another
// session's locks stopped (a lock timeout, a deadlock) that reaches here
// without the store's ErrLockTimeout or ErrDeadlock; a full disk,
// database or log is io.
// SQLite errors carry result codes (modernc.org/sqlite's Code), SQL Server
// errors numbers (go-mssqldb's SQLErrorNumber); neither driver is imported
// here.
func driverKind(err error) string {
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		switch coded.Code() & 0xff { // the primary result code
		case 8, 3, 23: // SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH
			return pcrt.KindConflict
		case 13, 10, 14: // SQLITE_FULL, SQLITE_IOERR, SQLITE_CANTOPEN
			return pcrt.KindIO
		}
	}
	var numbered interface{ SQLErrorNumber() int32 }
	if errors.As(err, &numbered) {
		switch numbered.SQLErrorNumber() {
		case 3906, 229, 230, 262, 297, 300: // read-only database; permission denied
			return pcrt.KindConflict
		case 1222, 1205: // lock request time out; deadlock victim
			return pcrt.KindConflict
		case 1101, 1105, 9002: // filegroup full; transaction log full
			return pcrt.KindIO
		}
	}
	if errors.Is(err, syscall.ENOSPC) {
		return pcrt.KindIO
	}
	return ""
}
