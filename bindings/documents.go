package bindings

import (
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/fsguard"
)

// documentPath reads the optional path argument of topology.load and
// user.load: the estate's file when it is absent, resolved against the
// estate's folder.
func (e *Env) documentPath(L *lua.LState, estateDefault string) string {
	path := L.OptString(1, "")
	if path == "" {
		path = estateDefault
	}
	if path == "" {
		L.ArgError(1, "path expected")
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
