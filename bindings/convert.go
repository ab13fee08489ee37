package bindings

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"time"

	lua "github.com/yuin/gopher-lua"

	pcrt "github.com/pcmig/pcmig/runtime"
)

// toLua converts Go values for scripts: maps and structs become tables
// keyed by their json names (snake_case), slices become arrays, times
// RFC 3339 strings and durations numbers of nanoseconds (as encoding/json
// writes them; the fields are named *_ns). Integers become numbers; one that
// a float64 cannot hold exactly becomes a string, so no 64-bit value is ever
// rounded. Identifiers and tick time stamps are passed as strings by the
// modules themselves.
func toLua(L *lua.LState, v any) lua.LValue {
	return convert(L, reflect.ValueOf(v))
}

// maxExact is the largest integer every smaller one of which a float64
// (a Lua number) holds exactly.
const maxExact = 1 << 53

func convert(L *lua.LState, v reflect.Value) lua.LValue {
	if !v.IsValid() || !v.CanInterface() {
		return lua.LNil
	}
	if t, ok := v.Interface().(time.Time); ok {
		if t.IsZero() {
			return lua.LNil
		}
		return lua.LString(t.UTC().Format(time.RFC3339Nano))
	}
	if d, ok := v.Interface().(time.Duration); ok {
		return lua.LNumber(d.Nanoseconds())
	}
	if lv, ok := v.Interface().(lua.LValue); ok {
		return lv
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return lua.LNil
		}
		return convert(L, v.Elem())
	case reflect.Bool:
		return lua.LBool(v.Bool())
	case reflect.String:
		return lua.LString(v.String())
	case reflect.Int, reflect.Int64:
		if n := v.Int(); n > maxExact || n < -maxExact {
			return lua.LString(strconv.FormatInt(n, 10))
		}
		return lua.LNumber(v.Int())
	case reflect.Int8, reflect.Int16, reflect.Int32:
		return lua.LNumber(v.Int())
	case reflect.Uint, reflect.Uint64, reflect.Uintptr:
		if n := v.Uint(); n > maxExact {
			return lua.LString(strconv.FormatUint(n, 10))
		}
		return lua.LNumber(v.Uint())
	case reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return lua.LNumber(v.Uint())
	case reflect.Float32, reflect.Float64:
		return lua.LNumber(v.Float())
	case reflect.Slice, reflect.Array:
		t := L.CreateTable(v.Len(), 0)
		for i := 0; i < v.Len(); i++ {
			t.Append(convert(L, v.Index(i)))
		}
		return t
	case reflect.Map:
		t := L.CreateTable(0, v.Len())
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		for _, k := range keys {
			t.RawSetString(fmt.Sprint(k.Interface()), convert(L, v.MapIndex(k)))
		}
		return t
	case reflect.Struct:
		t := L.CreateTable(0, v.NumField())
		typ := v.Type()
		for i := 0; i < v.NumField(); i++ {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			name := jsonName(f)
			if name == "-" {
				continue
			}
			// As encoding/json does: the fields of an embedded struct are
			// promoted.
			if f.Anonymous && f.Tag.Get("json") == "" {
				if inner, ok := convert(L, v.Field(i)).(*lua.LTable); ok {
					inner.ForEach(func(k, val lua.LValue) { t.RawSet(k, val) })
					continue
				}
			}
			t.RawSetString(name, convert(L, v.Field(i)))
		}
		return t
	}
	return lua.LString(fmt.Sprint(v.Interface()))
}

func jsonName(f reflect.StructField) string {
	tag := f.Tag.Get("json")
	if tag == "" {
		return snake(f.Name)
	}
	for i := 0; i < len(tag); i++ {
		if tag[i] == ',' {
			if i == 0 {
				return snake(f.Name)
			}
			return tag[:i]
		}
	}
	return tag
}

// snake turns a Go field name into a Lua snake_case name.
func snake(s string) string {
	out := make([]byte, 0, len(s)+4)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			if i > 0 && (s[i-1] < 'A' || s[i-1] > 'Z') {
				out = append(out, '_')
			}
			c += 'a' - 'A'
		}
		out = append(out, c)
	}
	return string(out)
}

func stringList(L *lua.LState, t *lua.LTable, what string) []string {
	var out []string
	for i := 1; i <= t.Len(); i++ {
		s, ok := t.RawGetInt(i).(lua.LString)
		if !ok {
			L.RaiseError("%s[%d]: string expected", what, i)
		}
		out = append(out, string(s))
	}
	return out
}

// checkStrings reads a list of strings argument (a single string counts as
// a list of one).
func checkStrings(L *lua.LState, n int) []string {
	switch v := L.Get(n).(type) {
	case lua.LString:
		return []string{string(v)}
	case *lua.LTable:
		what := fmt.Sprintf("argument #%d", n)
		pcrt.CheckPlain(L, "", what, v)
		return stringList(L, v, what)
	}
	L.ArgError(n, "string or list of strings expected")
	return nil
}
