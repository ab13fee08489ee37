package bindings

import (
	"maps"
	"slices"

	lua "github.com/yuin/gopher-lua"

	pcrt "github.com/pcmig/pcmig/runtime"
)

// categoryTargets is a targets option: which target category each source
// category maps to (an import's renames). Without the option every source
// category maps to the target category of its own name.
type categoryTargets struct {
	key   func(string) string // the source database's name key
	names map[string]string   // source name as given -> target name
	byKey map[string]string   // source name key -> target name
}

// optTargets reads the option targets = {[source name] = target name}.
func optTargets(L *lua.LState, o options, key func(string) string) categoryTargets {
	ct := categoryTargets{key: key}
	switch v := o.get(L, "targets").(type) {
	case *lua.LNilType:
		return ct
	case *lua.LTable:
		pcrt.CheckPlain(L, "", "option targets", v)
		ct.names, ct.byKey = map[string]string{}, map[string]string{}
		v.ForEach(func(k, val lua.LValue) {
			ks, kok := k.(lua.LString)
			vs, vok := val.(lua.LString)
			if !kok || !vok {
				// Data, not a call shape: the table is built from
				// import.record, so a bad entry is bad input.
				pcrt.RaiseError(L, pcrt.KindValidation, "option targets: a table of source category names to target category names expected, found a %s key with a %s value",
					k.Type(), val.Type())
			}
			ct.names[string(ks)] = string(vs)
			ct.byKey[key(string(ks))] = string(vs)
		})
		return ct
	}
	L.RaiseError("option targets: a table of category names to target category names expected")
	return ct
}

// given says whether the option was given (a target name may then differ
// from the source name).
func (ct categoryTargets) given() bool { return ct.byKey != nil }

// of is the target category of a source category; false when the option
// leaves the category out.
func (ct categoryTargets) of(name string) (string, bool) {
	if ct.byKey == nil {
		return name, true
	}
	t, ok := ct.byKey[ct.key(name)]
	return t, ok
}

func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
