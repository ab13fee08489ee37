package estate

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/pcmig/pcmig/internal/nearest"
)

// An estate file's tables (the estate, each pool, a database given as a
// table, export) take only the keys docs/estate.md documents: a misspelt
// key (on_conflcit) would otherwise be ignored and the run go on with the
// default. checkKeys finds every key no field takes, names it with its
// place and line and the known key it is close to. A password is refused
// whatever its place: passwords go in environment variables (password_env).
// The script table is free-form, for scripts of one's own; creators is
// keyed by category names.

// scriptKey is the estate's free-form table (Estate.Script).
const scriptKey = "script"

// identifier is a key that may be quoted in an error: a Lua name. Any other
// key is the file's own text and is described, never shown.
var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// tableNames words the tables whose keys are checked.
var tableNames = map[reflect.Type]string{
	estateType:                "the estate",
	reflect.TypeFor[Pool]():   "a pool",
	dbType:                    "a database table",
	reflect.TypeFor[Export](): "export",
}

// checkKeys returns one problem per unknown key of v (the table as toGo
// made it) for type t, each "line N: place: ...". src is the estate file.
func checkKeys(src []byte, v any, t reflect.Type, path []step) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var probs []string
	switch t.Kind() {
	case reflect.Slice:
		if list, ok := v.([]any); ok {
			for i, e := range list {
				probs = append(probs, checkKeys(src, e, t.Elem(), at(path, step{index: i + 1}))...)
			}
		}
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return nil // a DSN string, or a value checkShape refuses
		}
		for _, k := range sortedKeys(m) {
			f, known := exactField(t, k)
			switch {
			case isPassword(k):
				probs = append(probs, passwordProblem(src, path, k))
			case !known:
				probs = append(probs, lineAt(src, at(path, step{key: k}))+unknownKey(t, path, k))
			case t == estateType && k == scriptKey:
				// free-form, but no place for a password either
				probs = append(probs, scriptPasswords(src, m[k], at(path, step{key: k}))...)
			default:
				probs = append(probs, checkKeys(src, m[k], f.Type, at(path, step{key: k}))...)
			}
		}
	}
	return probs
}

const passwordAdvice = ": passwords never go in the estate file: put the password in an environment variable and name it with password_env = \"VARIABLE\""

// passwordProblem words a password key under path, never its value.
func passwordProblem(src []byte, path []step, key string) string {
	return lineAt(src, at(path, step{key: key})) + placed(path, key) + passwordAdvice
}

// scriptPasswords finds password keys at any depth of the script table v
// (path is its place). Keys on the way are shown only when they are names.
func scriptPasswords(src []byte, v any, path []step) []string {
	var probs []string
	switch x := v.(type) {
	case []any:
		for i, e := range x {
			probs = append(probs, scriptPasswords(src, e, at(path, step{index: i + 1}))...)
		}
	case map[string]any:
		for _, k := range sortedKeys(x) {
			switch {
			case isPassword(k):
				place := placed(path, k)
				for _, s := range path {
					if s.index == 0 && !identifier.MatchString(s.key) {
						place = scriptKey + " (inside it) " + k
						break
					}
				}
				probs = append(probs, lineAt(src, at(path, step{key: k}))+place+passwordAdvice)
			default:
				probs = append(probs, scriptPasswords(src, x[k], at(path, step{key: k}))...)
			}
		}
	}
	return probs
}

// exactField finds the field of struct type t whose json name is key.
func exactField(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		if name, ok := jsonName(t.Field(i)); ok && name == key {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

// jsonNames are the keys struct type t takes.
func jsonNames(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		if name, ok := jsonName(t.Field(i)); ok {
			names = append(names, name)
		}
	}
	return names
}

// PoolKeys are the keys a pool table takes (as in the estate file), and
// DBKeys those of a database table: the bindings read pool tables that
// scripts pass (estate.sources' entries, or tables of their own) with the
// same keys.
func PoolKeys() []string { return jsonNames(reflect.TypeFor[Pool]()) }

// DBKeys: see PoolKeys.
func DBKeys() []string { return jsonNames(dbType) }

func isPassword(key string) bool {
	switch strings.ToLower(key) {
	case "password", "passwd", "pwd", "pass":
		return true
	}
	return false
}

// unknownKey words a key of table t at path that no field takes.
func unknownKey(t reflect.Type, path []step, key string) string {
	where := tableNames[t]
	if len(path) > 0 {
		where = placed(path, "") + " (" + where + ")"
	}
	if !identifier.MatchString(key) {
		return fmt.Sprintf("%s: a key that pcmig does not know, which is not a name", where)
	}
	msg := fmt.Sprintf("%s: no such key in %s", placed(path, key), tableNames[t])
	if near := nearest.Name(key, jsonNames(t)); near != "" {
		return msg + fmt.Sprintf(" (did you mean %s?)", near)
	}
	if t == estateType {
		return msg + fmt.Sprintf(" (the keys are in docs/estate.md; data for a script of your own goes in %s = { ... })", scriptKey)
	}
	return msg + " (the keys are in docs/estate.md)"
}

// placed is the dotted place of key under path: "sources[2].db.key"
// (path holds the json names of known fields and list indexes only).
func placed(path []step, key string) string {
	var b strings.Builder
	for _, s := range path {
		if s.index > 0 {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	if key != "" {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(key)
	}
	return b.String()
}
