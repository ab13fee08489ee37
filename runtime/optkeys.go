package runtime

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/internal/nearest"
)

// A misspelt option key (levl for level) would otherwise be ignored and
// the function run with the default: a different migration from the one
// the script says. A function that takes a table of named options declares
// its keys once, as an OptionTable; CheckOptions refuses any other key when
// the function is called, before it does anything, and [Validate] (and
// [Run], before the script starts) reports one written as a constant key of
// a table constructor in the call (see apiChecker). Both word it the same,
// "file:line: export.run: argument: option levl is not known; did you mean
// level?", validate adding the column.

// OptionTable is a function's table of named options: the argument that
// holds it and the keys it takes.
type OptionTable struct {
	Arg  int      // the argument, from 1; a method's self is argument 1
	Keys []string // every key the function reads
}

// Has says whether the table takes key.
func (ot OptionTable) Has(key string) bool { return slices.Contains(ot.Keys, key) }

// optionName is a key that may be shown in a message: a Lua name. Any
// other key is described, never shown.
var optionName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// CheckOptions raises an argument error for the operation op when argument
// ot.Arg is a table with a metatable (see CheckPlain) or with a key ot does
// not take (see CheckKeys). Anything but a table is left to the function.
func CheckOptions(L *lua.LState, op string, ot OptionTable) {
	if t, ok := L.Get(ot.Arg).(*lua.LTable); ok {
		CheckPlain(L, op, "options", t)
		CheckKeys(L, op, "option", t, ot.Keys)
	}
}

// CheckPlain raises an argument error for the operation op (empty: the
// current one) when t has a metatable. Options and pool tables are read by
// their own keys only, as CheckKeys checks them: a value that __index
// would supply (setmetatable({}, { __index = { level = "Category" } }))
// would be silently ignored, and following __index could run any code.
// what names the table in the message ("options": "options must be a
// plain table, ...").
func CheckPlain(L *lua.LState, op, what string, t *lua.LTable) {
	if t.Metatable != nil && t.Metatable != lua.LNil {
		Raise(L, &ScriptError{Kind: KindArgument, Op: op,
			Message: what + " must be a plain table, without a metatable (pcmig reads only the keys the table holds itself)"})
	}
}

// CheckKeys raises an argument error for the operation op (empty: the
// current one) when t has a key that keys does not list: a string key it
// does not list, or any other key (a value without a name). Of several,
// the first position, else the first key in sorted order, is named. what
// names a key in the message ("option": "option levl is not known; did you
// mean level?").
func CheckKeys(L *lua.LState, op, what string, t *lua.LTable, keys []string) {
	ot := OptionTable{Keys: keys}
	var bad []string // unknown string keys
	var other string // the message for the first other key
	otherAt := math.Inf(1)
	t.ForEach(func(k, _ lua.LValue) {
		switch k := k.(type) {
		case lua.LString:
			if !ot.Has(string(k)) {
				bad = append(bad, string(k))
			}
		case lua.LNumber:
			if f := float64(k); f < otherAt {
				other, otherAt = positionalKey(what, f, ot), f
			}
		default:
			if otherAt == math.Inf(1) && other == "" {
				other = otherKey(what, k.Type().String(), ot)
			}
		}
	})
	msg := other
	if msg == "" && len(bad) > 0 {
		slices.Sort(bad)
		msg = unknownKey(what, bad[0], ot)
	}
	if msg != "" {
		Raise(L, &ScriptError{Kind: KindArgument, Op: op, Message: msg})
	}
}

// unknownOption words a string key that ot does not take.
func unknownOption(key string, ot OptionTable) string { return unknownKey("option", key, ot) }

func unknownKey(what, key string, ot OptionTable) string {
	if !optionName.MatchString(key) {
		return fmt.Sprintf("a key that is not a name is not known (the %ss are: %s)", what, strings.Join(ot.Keys, ", "))
	}
	msg := what + " " + key + " is not known"
	if near := nearest.Name(key, ot.Keys); near != "" {
		return msg + "; did you mean " + near + "?"
	}
	return msg + " (the " + what + "s are: " + strings.Join(ot.Keys, ", ") + ")"
}

// positionalOption words a number key n: a value without a name when it
// is a position (1, 2, ...).
func positionalOption(n float64, ot OptionTable) string { return positionalKey("option", n, ot) }

func positionalKey(what string, n float64, ot OptionTable) string {
	if n >= 1 && n == math.Trunc(n) && n <= 1<<53 {
		return fmt.Sprintf("%s #%d is a value without a name; the %ss are named (%s)", what, int64(n), what, strings.Join(ot.Keys, ", "))
	}
	return otherKey(what, "number", ot)
}

// otherKeyOption words an option key of another type (number, boolean,
// table, ...).
func otherKeyOption(typ string, ot OptionTable) string { return otherKey("option", typ, ot) }

func otherKey(what, typ string, ot OptionTable) string {
	return fmt.Sprintf("a %s key is not known; the %ss are named (%s)", typ, what, strings.Join(ot.Keys, ", "))
}
