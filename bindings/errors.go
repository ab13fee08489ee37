package bindings

import (
	"context"
	"errors"
	"io/fs"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/importer"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// raise turns a Go error into a typed Lua error whose kind says what went
// wrong, so scripts can pcall and decide.
func raise(L *lua.LState, err error) {
	kind := pcrt.KindDatabase
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		kind = pcrt.KindTimeout
	case errors.Is(err, context.Canceled):
		kind = pcrt.KindCancelled
	case errors.Is(err, importer.ErrValidation):
		kind = pcrt.KindValidation
	case errors.Is(err, store.ErrNotFound):
		kind = pcrt.KindNotFound
	case errors.Is(err, store.ErrLivePool), errors.Is(err, store.ErrReadOnly):
		kind = pcrt.KindConflict
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrPermission), errors.Is(err, fs.ErrExist):
		kind = pcrt.KindIO
	}
	pcrt.Raise(L, &pcrt.ScriptError{Kind: kind, Message: err.Error(), Err: err})
}

// check raises err if it is not nil.
func check(L *lua.LState, err error) {
	if err != nil {
		raise(L, err)
	}
}
