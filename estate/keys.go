package estate

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/pcmig/pcmig/internal/nearest"
)

// An estate file's tables (the estate, each pool, a database given as a
// table, export) take only the keys docs/estate.md documents: a misspelt
// key (on_conflcit) would otherwise be ignored and the run go on with the
// default. checkKeys finds every key no field takes, names it with its
// place and line and the known key it is close to. A key that looks like a
// secret (secretKey: password, db_password, client_secret, token, api_key,
// ...) is refused whatever its place, inside the script table at any depth
// too: secrets go in environment variables, named by keys ending in _env
// (password_env), whose value must then be a variable's name. The script
// table is free-form, for scripts of one's own; creators and routes are
// keyed by category and pool names, which are not checked.

// scriptKey is the estate's free-form table (Estate.Script).
const scriptKey = "script"

// identifier is a key that may be quoted in an error: a Lua name. Any other
// key is the file's own text and is described, never shown.
var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// envName is what the value of a secret's _env key must be: the name of
// an environment variable (letters, digits and _, not a digit first).
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)

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
			case secretKey(k):
				probs = append(probs, secretProblem(src, path, k, keyPlace(path, k), t))
			case secretEnvKey(k) && !isEnvName(m[k]):
				probs = append(probs, envProblem(src, path, k, keyPlace(path, k)))
			case !known:
				probs = append(probs, lineAt(src, at(path, step{key: k}))+unknownKey(t, path, k))
			case t == estateType && k == scriptKey:
				// free-form, but no place for a secret either
				probs = append(probs, scriptSecrets(src, m[k], at(path, step{key: k}))...)
			default:
				probs = append(probs, checkKeys(src, m[k], f.Type, at(path, step{key: k}))...)
			}
		}
	}
	return probs
}

// secretWords are the words of a key (keyWords) that make it a secret's;
// secretParts make it one wherever they are in a word (dbpassword,
// clientSecret, accesstoken).
var (
	secretWords = []string{"pass", "pwd", "passwd", "password", "passwords", "passphrase",
		"secret", "secrets", "token", "tokens", "apikey", "credential", "credentials", "privatekey"}
	secretParts = []string{"password", "passwd", "passphrase", "secret", "token", "apikey", "credential"}
	// secretPairs are two words that make a secret's key together (api_key).
	secretPairs = [][2]string{{"api", "key"}, {"private", "key"}, {"access", "key"}}
)

// keyWords splits a key into its lower-case words: at anything but a
// letter or digit, and where a lower-case letter or digit is followed by
// an upper-case one (clientSecret).
func keyWords(key string) []string {
	var words []string
	var cur []rune
	prevLower := false
	for _, r := range key {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			if len(cur) > 0 {
				words = append(words, strings.ToLower(string(cur)))
			}
			cur, prevLower = nil, false
			continue
		case unicode.IsUpper(r) && prevLower:
			words = append(words, strings.ToLower(string(cur)))
			cur = nil
		}
		cur = append(cur, r)
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
	}
	if len(cur) > 0 {
		words = append(words, strings.ToLower(string(cur)))
	}
	return words
}

// envSuffix ends the key that names a secret's environment variable.
const envSuffix = "_env"

// secretKey reports whether key looks like one that holds a secret
// itself: a key ending in _env (password_env) names a variable instead.
func secretKey(key string) bool {
	if strings.HasSuffix(strings.ToLower(key), envSuffix) {
		return false
	}
	return secretWordsIn(key)
}

// secretEnvKey reports whether key names the environment variable of a
// secret (password_env, api_token_env).
func secretEnvKey(key string) bool {
	if len(key) <= len(envSuffix) || !strings.HasSuffix(strings.ToLower(key), envSuffix) {
		return false
	}
	return secretWordsIn(key[:len(key)-len(envSuffix)])
}

func secretWordsIn(key string) bool {
	words := keyWords(key)
	for i, w := range words {
		if slices.Contains(secretWords, w) {
			return true
		}
		for _, p := range secretParts {
			if strings.Contains(w, p) {
				return true
			}
		}
		if i > 0 {
			for _, p := range secretPairs {
				if words[i-1] == p[0] && w == p[1] {
					return true
				}
			}
		}
	}
	return false
}

// isEnvName reports whether v is the name of an environment variable.
func isEnvName(v any) bool {
	s, ok := v.(string)
	return ok && envName.MatchString(s)
}

// secretProblem words a secret's key (at place, under path, in a table of
// type t; nil for the script table), never its value, and says where the
// secret goes instead.
func secretProblem(src []byte, path []step, key, place string, t reflect.Type) string {
	msg := lineAt(src, at(path, step{key: key})) + place +
		": looks like a secret, and secrets never go in the estate file (its value is not shown): put it in an environment variable and "
	envKey := key + envSuffix
	if !identifier.MatchString(envKey) {
		envKey = "NAME" + envSuffix
	}
	switch t {
	case dbType:
		return msg + "name the variable with password_env = \"VARIABLE\" (the database's password is the only secret pcmig reads)"
	case nil:
		return msg + "name the variable with " + envKey + " = \"VARIABLE\" (a database's password goes in its db table's password_env)"
	default:
		return msg + "name the variable with " + scriptKey + " = { " + envKey + " = \"VARIABLE\" } for a script of your own (pcmig reads no secret there; a database's password goes in its db table's password_env)"
	}
}

// envProblem words a secret's _env key whose value is not the name of an
// environment variable (it may be the secret itself: it is not shown).
func envProblem(src []byte, path []step, key, place string) string {
	return lineAt(src, at(path, step{key: key})) + place +
		": want the name of an environment variable (letters, digits and _, not starting with a digit), whose value is the secret; the value given is not one (not shown: it may be the secret itself)"
}

// keyPlace is the place of key under path for an error: placed's dotted
// place when every key is a name; a key that is not one is the file's own
// text and is described instead ("a key of script.app that is not a
// name"), and under such a key the place is "script (inside it)".
func keyPlace(path []step, key string) string {
	for _, s := range path {
		if s.index == 0 && !identifier.MatchString(s.key) {
			if !identifier.MatchString(key) {
				return scriptKey + " (inside it) a key that is not a name"
			}
			return scriptKey + " (inside it) " + key
		}
	}
	if identifier.MatchString(key) {
		return placed(path, key)
	}
	if len(path) == 0 {
		return "a key of the estate that is not a name"
	}
	return "a key of " + placed(path, "") + " that is not a name"
}

// scriptSecrets finds secret keys at any depth of the script table v
// (path is its place). Keys on the way are shown only when they are names.
func scriptSecrets(src []byte, v any, path []step) []string {
	var probs []string
	switch x := v.(type) {
	case []any:
		for i, e := range x {
			probs = append(probs, scriptSecrets(src, e, at(path, step{index: i + 1}))...)
		}
	case map[string]any:
		for _, k := range sortedKeys(x) {
			secret, env := secretKey(k), secretEnvKey(k) && !isEnvName(x[k])
			if !secret && !env {
				probs = append(probs, scriptSecrets(src, x[k], at(path, step{key: k}))...)
				continue
			}
			place := keyPlace(path, k)
			if secret {
				probs = append(probs, secretProblem(src, path, k, place, nil))
			} else {
				probs = append(probs, envProblem(src, path, k, place))
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
