package bindings

import (
	"context"
	"errors"
	"io/fs"

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
	archive.ErrNotArchive, archive.ErrChecksum, archive.ErrInvalidUTF8,
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
	case errors.Is(err, store.ErrLivePool), errors.Is(err, store.ErrReadOnly), errors.Is(err, store.ErrSchemaExists), errors.Is(err, store.ErrLocked):
		return pcrt.KindConflict
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
