// Package jsonerr describes why encoding/json refused a file without
// quoting the file.
//
// encoding/json's errors quote what they stopped at: the character
// ("invalid character '\x00'"), the number ("cannot unmarshal number
// 99999999999") or, through time.Time, the whole string. A file pcmig reads
// back (a journal, a lock) may have been replaced by anything, and file
// contents never appear in pcmig's errors: Describe says where (line and
// column) and what was expected there, in words of its own.
package jsonerr

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
)

// syntaxWords words the context of a *json.SyntaxError, which follows the
// quoted character in its message ("invalid character 'x' after object
// key"); the character itself is never used.
var syntaxWords = []struct{ context, words string }{
	{"looking for beginning of value", "expected a value (an object, an array, a string, a number, true, false or null)"},
	{"looking for beginning of object key string", "expected a quoted key or '}'"},
	{"after object key:value pair", "expected ',' or '}' after a value in an object"},
	{"after object key", "expected ':' after a key"},
	{"after array element", "expected ',' or ']' after a value in an array"},
	{"after top-level value", "expected the end of the file after the JSON value"},
	{"in string literal", "a string holds a control character (JSON writes them as \\u escapes)"},
	{"in string escape code", "expected an escape (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\u) after a backslash"},
	{"in \\u hexadecimal character escape", "expected four hexadecimal digits after \\u"},
	{"numeric literal", "a malformed number"},
	{"in literal ", "a malformed true, false or null"},
}

// Describe says what is wrong with data, which json.Unmarshal(data, v)
// refused with err: where (line and column, or line) and what was
// expected. It never quotes data. v (may be nil) lets it find the value
// a type that decodes itself (time.Time) refused.
func Describe(data []byte, err error, v any) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var pe *time.ParseError
	switch {
	case errors.As(err, &se):
		if se.Error() == "unexpected end of JSON input" {
			return "the file ends before its JSON does (is it truncated?)"
		}
		what := "not valid JSON"
		if strings.HasSuffix(se.Error(), "exceeded max depth") {
			// encoding/json stops at 10,000 levels of arrays and objects.
			what = "arrays or objects nested more than 10000 deep"
		}
		if rest, ok := strings.CutPrefix(se.Error(), "invalid character "); ok {
			for _, w := range syntaxWords {
				if strings.Contains(afterQuoted(rest), w.context) {
					what = w.words
					break
				}
			}
		}
		return at(data, se.Offset-1, true) + what
	case errors.As(err, &te):
		field := ""
		if te.Field != "" {
			field = te.Field + ": "
		}
		found := te.Value
		if i := strings.IndexByte(found, ' '); i >= 0 {
			found = found[:i] // "number 99999999999": the kind, never the value
		}
		found = "found " + article(found)
		if strings.HasPrefix(te.Value, "number ") && isInteger(te.Type) {
			found = "found a number outside that range or with a fraction"
		}
		return at(data, te.Offset-1, false) + field + "expected " + expected(te.Type) + ", " + found
	}
	// A type that decodes itself (time.Time) failed, a ",string" field did
	// not hold its value, or a strict decoder met an unknown key: the error
	// quotes the value or key and names no place; find it by walking data
	// with v's type.
	unknown := strings.HasPrefix(err.Error(), "json: unknown field ")
	where := ""
	var f found
	if v != nil {
		var ok bool
		if f, ok = locate(data, reflect.TypeOf(v), unknown); ok {
			where = at(data, f.off, true)
			if f.field != "" {
				where += f.field + ": "
			}
		}
	}
	t := f.typ
	switch {
	case unknown && f.near != "":
		// The key meant is pcmig's own name; the key found is never quoted.
		return where + "a key pcmig does not write (did you mean " + f.near + "?)"
	case unknown:
		return where + "a key pcmig does not write"
	case f.quoted:
		return where + "expected " + expected(t) + " written as a string"
	case errors.As(err, &pe) && pe.Message == ": second out of range" && leapSecond(pe.Value):
		// RFC 3339 allows a leap second; neither SQL Server's datetime
		// nor .NET's DateTime holds one, so no pool's time is one.
		return where + "a leap second (second 60), which no SQL Server datetime or .NET DateTime holds: refused rather than read as another time"
	case errors.As(err, &pe) || strings.HasPrefix(err.Error(), "Time.UnmarshalJSON") || t == reflect.TypeFor[time.Time]():
		return where + "expected a time in RFC 3339 form (such as \"2025-03-01T22:00:00Z\")"
	case t != nil:
		return where + "expected " + expected(t)
	}
	return where + "a value is not what pcmig writes there"
}

// InLine is Describe for data that is one line (a record of a JSON Lines
// file, whose line the caller names): the place is its column alone.
func InLine(data []byte, err error, v any) string {
	s := Describe(data, err, v)
	s = strings.Replace(s, "the file ends before its JSON does", "the line ends before its JSON does", 1)
	s = strings.Replace(s, "the end of the file after", "the end of the line after", 1)
	if rest, ok := strings.CutPrefix(s, "line 1, "); ok {
		return rest
	}
	return strings.TrimPrefix(s, "line 1: ")
}

// afterQuoted drops the quoted character that opens rest ("'x' after ...",
// "'\” after ...", "'\x00' after ...").
func afterQuoted(rest string) string {
	if len(rest) > 1 {
		if i := strings.Index(rest[1:], "' "); i >= 0 {
			return rest[i+3:]
		}
	}
	return ""
}

// at names the line and column of byte off of data (1-based; the column
// counts characters), or only the line.
func at(data []byte, off int64, column bool) string {
	if off < 0 || off >= int64(len(data)) {
		off = max(0, int64(len(data))-1)
	}
	head := data[:off]
	line := 1 + strings.Count(string(head), "\n")
	if !column {
		return fmt.Sprintf("line %d: ", line)
	}
	start := strings.LastIndexByte(string(head), '\n') + 1
	return fmt.Sprintf("line %d, column %d: ", line, utf8.RuneCount(head[start:])+1)
}

func isInteger(t reflect.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	}
	return false
}

// expected words the Go type a value was decoded into.
func expected(t reflect.Type) string {
	if t == nil {
		return "another kind of value"
	}
	if t == reflect.TypeFor[time.Time]() {
		return "a time in RFC 3339 form"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		bits := t.Bits()
		return fmt.Sprintf("a whole number from %d to %d", int64(-1)<<(bits-1), int64(math.MaxInt64>>(64-bits)))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return fmt.Sprintf("a whole number from 0 to %d", uint64(math.MaxUint64>>(64-t.Bits())))
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Pointer:
		return expected(t.Elem())
	}
	return "another kind of value"
}

// article puts "a" or "an" before one of encoding/json's value kinds.
func article(kind string) string {
	switch kind {
	case "array", "object":
		return "an " + kind
	case "bool":
		return "true or false"
	case "number", "string":
		return "a " + kind
	}
	return "another kind of value"
}

// leapSecond reports whether the RFC 3339 date-time s has 60 seconds.
func leapSecond(s string) bool {
	return len(s) >= 19 && s[16] == ':' && s[17:19] == "60"
}
