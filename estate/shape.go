package estate

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// An estate file's table becomes an Estate through encoding/json, whose
// errors quote values ("cannot unmarshal number 1e+99") and name Go types
// and places in the JSON pcmig made of the table, which the user never
// sees. Before that, checkShape walks the table with Estate's type and
// says which field holds what kind of value instead, and where in the
// estate file (see where.go); it never quotes a value.

// step is one key or list index on the way to a value of the table.
type step struct {
	key   string // a table key, when index is 0
	index int    // a list index, 1-based as in Lua
}

// valueError is a value of the estate's table that pcmig cannot use.
type valueError struct {
	path []step
	msg  string // what is wrong; never the value
}

func (e *valueError) Error() string { return e.msg }

func at(path []step, s step) []step { return append(path[:len(path):len(path)], s) }

// estateType is what the table must fit.
var estateType = reflect.TypeFor[Estate]()

// dbType decodes itself: a DSN string or a table of DB's fields.
var dbType = reflect.TypeFor[DB]()

// checkShape reports the first value of v (the table as toGo made it)
// that a field of type t cannot hold, the way encoding/json would refuse
// it: key names match a field's json name exactly or else without regard
// to case; keys that match no field are left alone.
func checkShape(v any, t reflect.Type, path []step) *valueError {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil || t.Kind() == reflect.Interface {
		return nil
	}
	wrong := func(want string) *valueError {
		return &valueError{path, fmt.Sprintf("expected %s, found %s", want, found(v))}
	}
	if t == dbType {
		if _, ok := v.(string); ok {
			return nil
		}
		if _, ok := v.(map[string]any); !ok {
			return wrong("a DSN string or a table with instance and database")
		}
	}
	switch t.Kind() {
	case reflect.String:
		if _, ok := v.(string); !ok {
			return wrong("a string")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return wrong("true or false")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		f, ok := v.(float64)
		if !ok {
			return wrong("a whole number")
		}
		limit := math.Ldexp(1, t.Bits()-1)
		if f != math.Trunc(f) || f < -limit || f >= limit {
			return &valueError{path, fmt.Sprintf("expected a whole number from %d to %d, found a number outside that range or with a fraction",
				int64(-1)<<(t.Bits()-1), int64(math.MaxInt64>>(64-t.Bits())))}
		}
	case reflect.Float32, reflect.Float64:
		if _, ok := v.(float64); !ok {
			return wrong("a number")
		}
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			return wrong("a list")
		}
		for i, e := range list {
			if err := checkShape(e, t.Elem(), at(path, step{index: i + 1})); err != nil {
				return err
			}
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return wrong("a table")
		}
		for _, k := range sortedKeys(m) {
			if err := checkShape(m[k], t.Elem(), at(path, step{key: k})); err != nil {
				return err
			}
		}
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return wrong("a table")
		}
		for _, k := range sortedKeys(m) {
			if f, ok := field(t, k); ok {
				if err := checkShape(m[k], f.Type, at(path, step{key: k})); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func sortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

// field finds the field of struct type t that encoding/json fills from
// key: by its json name, else by that name without regard to case.
func field(t reflect.Type, key string) (reflect.StructField, bool) {
	var folded reflect.StructField
	found := false
	for i := range t.NumField() {
		f := t.Field(i)
		name, ok := jsonName(f)
		if !ok {
			continue
		}
		if name == key {
			return f, true
		}
		if !found && strings.EqualFold(name, key) {
			folded, found = f, true
		}
	}
	return folded, found
}

// jsonName is the key encoding/json reads field f from, and false when
// it reads f from none (unexported, or tagged "-").
func jsonName(f reflect.StructField) (string, bool) {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if !f.IsExported() || name == "-" {
		return "", false
	}
	if name == "" {
		name = f.Name
	}
	return name, true
}

// found words the kind of a value of the table.
func found(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "true or false"
	case []any:
		return "a list"
	case map[string]any:
		return "a table of named fields"
	}
	return "another kind of value"
}

// describe words a valueError: the fields of t on the way to the value
// (json names and list indexes, "sources[2].db.encrypt") and the message.
// A key that is no field of t (a category of creators, a field pcmig does
// not read) is the file's own text: it is never shown, only what it is.
func describe(e *valueError, t reflect.Type) string {
	var b strings.Builder
	tail := ""
walk:
	for _, s := range e.path {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch {
		case s.index > 0 && t.Kind() == reflect.Slice:
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
			t = t.Elem()
		case s.index == 0 && t.Kind() == reflect.Struct:
			f, ok := field(t, s.key)
			if !ok {
				tail = "a field pcmig does not read"
				break walk
			}
			name, _ := jsonName(f)
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(name)
			t = f.Type
		case t.Kind() == reflect.Map:
			tail = "an entry"
			break walk
		default:
			tail = "a value inside it"
			if b.Len() == 0 {
				tail = "a field pcmig does not read"
			}
			break walk
		}
	}
	parts := []string{}
	if b.Len() > 0 {
		parts = append(parts, b.String())
	}
	if tail != "" {
		parts = append(parts, tail)
	}
	return strings.Join(append(parts, e.msg), ": ")
}
