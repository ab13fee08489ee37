package bindings

import (
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	pcrt "github.com/pcmig/pcmig/runtime"
)

// optionTables are the tables of named options the binding functions take,
// by the name scripts call them by: "module.function", or "module:method"
// for the methods of topology documents ("topology:") and user
// directories ("user:"). It is the one list of their keys: each function
// refuses any other key before it does anything (setFuncs), validate
// reports one written in the call (pcrt.Module.Options), its reader reads
// no other (options.get), and docs/lua-api.md and docs/pcmig.d.lua list
// the same (TestDocsListEveryOption).
func optionTables() map[string]pcrt.OptionTable {
	doctor := []string{"role", "file", "size_from"}
	return map[string]pcrt.OptionTable{
		"export.run":         {Arg: 2, Keys: []string{"file", "level", "scope", "since", "disable_exported", "replace_unpaired_surrogates", "overwrite"}},
		"import.run":         {Arg: 2, Keys: []string{"file", "on_conflict"}},
		"import.record":      {Arg: 2, Keys: []string{"file"}},
		"category.compare":   {Arg: 3, Keys: []string{"targets"}},
		"category.create":    {Arg: 2, Keys: []string{"name", "description", "invitations", "file_upload", "chat_history", "allowed_members", "denied_members", "creators"}},
		"category.update":    {Arg: 3, Keys: []string{"new_name", "description", "invitations", "file_upload", "chat_history"}},
		"creator.carry_over": {Arg: 3, Keys: []string{"categories", "targets", "file"}},
		"room.list":          {Arg: 2, Keys: []string{"category"}},
		"room.create": {Arg: 2, Keys: []string{"name", "category", "description", "privacy", "type", "invitations", "addin",
			"members", "managers", "presenters", "creator"}},
		"topology:can_set_default_pool": {Arg: 4, Keys: []string{"allow_other_site"}},
		"topology:set_default_pool":     {Arg: 4, Keys: []string{"allow_other_site"}},
		"user:select":                   {Arg: 2, Keys: []string{"pool"}},
		"user:move":                     {Arg: 4, Keys: []string{"batch"}},
		"verify.run":                    {Arg: 3, Keys: []string{"archive", "scope"}},
		"pool.copy_files":               {Arg: 3, Keys: []string{"scope"}},
		"pool.carry_settings":           {Arg: 3, Keys: []string{"existing", "endpoints_to"}},
		"doctor.check":                  {Arg: 2, Keys: doctor},
		"doctor.require":                {Arg: 2, Keys: doctor},
	}
}

// moduleOptions are the option tables of module's own functions (not its
// objects' methods), by function name, for pcrt.Module.Options.
func moduleOptions(module string) map[string]pcrt.OptionTable {
	out := map[string]pcrt.OptionTable{}
	for name, ot := range optionTables() {
		if fn, ok := strings.CutPrefix(name, module+"."); ok {
			out[fn] = ot
		}
	}
	return out
}

// setFuncs is pcrt.SetFuncs for a module's table: each function that
// takes a table of named options refuses an unknown key first.
func setFuncs(L *lua.LState, tbl *lua.LTable, module string, funcs map[string]lua.LGFunction) {
	pcrt.SetFuncs(L, tbl, module, checkingOptions(module, ".", funcs))
}

// setMethods is setFuncs for the methods of module's objects.
func setMethods(L *lua.LState, tbl *lua.LTable, module string, funcs map[string]lua.LGFunction) {
	pcrt.SetFuncs(L, tbl, module, checkingOptions(module, ":", funcs))
}

func checkingOptions(module, sep string, funcs map[string]lua.LGFunction) map[string]lua.LGFunction {
	tables := optionTables()
	out := make(map[string]lua.LGFunction, len(funcs))
	for name, fn := range funcs {
		out[name] = fn
		if ot, ok := tables[module+sep+name]; ok {
			op := module + "." + name
			out[name] = func(L *lua.LState) int {
				pcrt.CheckOptions(L, op, ot)
				return fn(L)
			}
		}
	}
	return out
}

// options is a binding's table of named options as it reads them.
type options struct {
	name string // as in optionTables
	ot   pcrt.OptionTable
	t    *lua.LTable
}

// opts reads the options table of the function called name in
// optionTables (nil or absent gives an empty table).
func opts(L *lua.LState, name string) options {
	ot, ok := optionTables()[name]
	if !ok {
		pcrt.Raise(L, &pcrt.ScriptError{Kind: pcrt.KindInternal, Message: fmt.Sprintf("%s reads options that optionTables does not list", name)})
	}
	switch v := L.Get(ot.Arg).(type) {
	case *lua.LNilType:
		return options{name: name, ot: ot, t: L.NewTable()}
	case *lua.LTable:
		return options{name: name, ot: ot, t: v}
	}
	L.ArgError(ot.Arg, "options table expected")
	return options{}
}

// get is the value of key. A key that optionTables does not list for the
// function is a mistake in the binding (the function would refuse the key
// a script gives), raised as internal.
func (o options) get(L *lua.LState, key string) lua.LValue {
	if !o.ot.Has(key) {
		pcrt.Raise(L, &pcrt.ScriptError{Kind: pcrt.KindInternal, Message: fmt.Sprintf("%s reads option %s, which optionTables does not list", o.name, key)})
	}
	return o.t.RawGetString(key)
}

func optString(L *lua.LState, o options, key, def string) string {
	switch v := o.get(L, key).(type) {
	case *lua.LNilType:
		return def
	case lua.LString:
		return string(v)
	}
	L.RaiseError("option %s: string expected", key)
	return ""
}

// optEnum is an enumerated option: one of values, given in any letter case
// (as export's level and a room's privacy are), returned as values spell
// it; def when the option is absent. Any other value raises argument,
// naming the values.
func optEnum(L *lua.LState, o options, key, def string, values ...string) string {
	v := optString(L, o, key, def)
	for _, want := range values {
		if strings.EqualFold(v, want) {
			return want
		}
	}
	pcrt.RaiseError(L, pcrt.KindArgument, "%s %q: want %s", key, v, orList(values))
	return ""
}

// orList is "a, b or c".
func orList(values []string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}

func optBool(L *lua.LState, o options, key string, def bool) bool {
	switch v := o.get(L, key).(type) {
	case *lua.LNilType:
		return def
	case lua.LBool:
		return bool(v)
	}
	L.RaiseError("option %s: boolean expected", key)
	return false
}

func optStrings(L *lua.LState, o options, key string) []string {
	switch v := o.get(L, key).(type) {
	case *lua.LNilType:
		return nil
	case lua.LString:
		return []string{string(v)}
	case *lua.LTable:
		pcrt.CheckPlain(L, "", "option "+key, v)
		return stringList(L, v, key)
	}
	L.RaiseError("option %s: list of strings expected", key)
	return nil
}
