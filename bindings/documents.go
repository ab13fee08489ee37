package bindings

import (
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/fsguard"
	pcrt "github.com/pcmig/pcmig/runtime"
)

// documentPath reads the optional path argument of topology.load and
// user.load: the estate's file when it is absent, resolved against the
// estate's folder.
// Without either it raises argument, naming the estate's key (key, as
// example gives it, of what writes the file: what).
func (e *Env) documentPath(L *lua.LState, estateDefault, key, example, what string) string {
	path := L.OptString(1, "")
	if path == "" {
		path = estateDefault
	}
	if path == "" {
		if e.Estate == nil {
			L.ArgError(1, "path expected")
		}
		pcrt.RaiseError(L, pcrt.KindArgument, "no path, and the estate names no %s: give %s = %q in the estate file (what %s writes)", key, key, example, what)
	}
	return e.file(L, path)
}

// loadDocument pushes the document at path as userdata of typeName. A run
// reads each file once: later loads get the same document, with the changes
// earlier steps made to it (in a dry run or for a real estate, those exist
// only in memory).
//
// The file is read up to limit bytes (fsguard.ReadFile): a larger one, a
// device or a file that never ends raises io.
func loadDocument[T any](L *lua.LState, e *Env, cache *map[string]*T, path, typeName string, limit int64, parse func(data []byte) *T) int {
	e.mu.Lock()
	d, ok := (*cache)[path]
	e.mu.Unlock()
	if !ok {
		data, err := fsguard.ReadFile(path, limit, strings.TrimPrefix(typeName, "pcmig."))
		check(L, err)
		d = parse(data)
		e.mu.Lock()
		if *cache == nil {
			*cache = map[string]*T{}
		}
		(*cache)[path] = d
		e.mu.Unlock()
	}
	ud := L.NewUserData()
	ud.Value = d
	L.SetMetatable(ud, L.GetTypeMetatable(typeName))
	L.Push(ud)
	return 1
}
