package jsonerr

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/pcmig/pcmig/internal/nearest"
)

var unmarshaler = reflect.TypeFor[json.Unmarshaler]()

// found is what locate found.
type found struct {
	field  string       // as encoding/json names fields: JSON names joined by dots, map keys left out
	off    int64        // where the value (or the key) begins
	typ    reflect.Type // the value's type; nil for a key
	quoted bool         // a ",string" field: the number or bool is written in a string
	near   string       // for an unknown key: the struct's key nearest to it, or ""
}

// locate walks data as json.Unmarshal does into a value of type t and
// returns the first value that a type decoding itself (json.Unmarshaler)
// refuses, or a ",string" field whose string does not hold a value of its
// type, or (with unknown) the first key no field of a struct takes, as a
// decoder with DisallowUnknownFields refuses.
func locate(data []byte, t reflect.Type, unknown bool) (found, bool) {
	w := walker{data: data, dec: json.NewDecoder(bytes.NewReader(data)), unknown: unknown}
	if !w.value(t, nil, false) {
		return found{}, false
	}
	w.found.field = strings.Join(w.path, ".")
	return w.found, true
}

type walker struct {
	data    []byte
	dec     *json.Decoder
	unknown bool
	path    []string
	found
}

// start is the offset where the next value begins.
func (w *walker) start() int64 {
	off := w.dec.InputOffset()
	for off < int64(len(w.data)) && strings.IndexByte(" \t\r\n:,", w.data[off]) >= 0 {
		off++
	}
	return off
}

// value reads one value of type t; true when it found the refused value
// (in w), false when the value decodes or the walk cannot go on.
func (w *walker) value(t reflect.Type, path []string, quoted bool) bool {
	for t.Kind() == reflect.Pointer && !t.Implements(unmarshaler) {
		t = t.Elem()
	}
	at := w.start()
	if quoted {
		var raw json.RawMessage
		if w.dec.Decode(&raw) != nil {
			return false
		}
		var inner string
		if string(raw) == "null" {
			return false
		}
		if json.Unmarshal(raw, &inner) != nil || json.Unmarshal([]byte(inner), reflect.New(t).Interface()) != nil {
			w.path, w.off, w.typ, w.quoted = path, at, t, true
			return true
		}
		return false
	}
	if t.Implements(unmarshaler) || reflect.PointerTo(t).Implements(unmarshaler) {
		var raw json.RawMessage
		if w.dec.Decode(&raw) != nil {
			return false
		}
		target := reflect.New(t)
		if t.Kind() == reflect.Pointer {
			target = reflect.New(t.Elem())
		}
		if target.Interface().(json.Unmarshaler).UnmarshalJSON(raw) != nil {
			w.path, w.off, w.typ = path, at, t
			return true
		}
		return false
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map, reflect.Slice, reflect.Array:
	default:
		var raw json.RawMessage
		_ = w.dec.Decode(&raw)
		return false
	}
	tok, err := w.dec.Token()
	if err != nil {
		return false
	}
	d, isDelim := tok.(json.Delim)
	if !isDelim || (d != '{' && d != '[') {
		return false
	}
	for w.dec.More() {
		var et reflect.Type
		p, q := path, false
		if d == '{' {
			keyAt := w.start()
			key, err := w.dec.Token()
			name, isStr := key.(string)
			if err != nil || !isStr {
				return false
			}
			switch t.Kind() {
			case reflect.Struct:
				f, known := fieldNamed(t, name)
				if !known && w.unknown {
					w.path, w.off, w.typ = path, keyAt, nil
					w.near = nearest.Name(name, fieldNames(t))
					return true
				}
				if !known {
					var raw json.RawMessage
					if w.dec.Decode(&raw) != nil {
						return false
					}
					continue
				}
				et, p, q = f.typ, append(path[:len(path):len(path)], f.name), f.quoted
			case reflect.Map:
				et = t.Elem()
			default:
				return false
			}
		} else {
			if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
				return false
			}
			et = t.Elem()
		}
		if w.value(et, p, q) {
			return true
		}
	}
	_, _ = w.dec.Token() // the closing delimiter
	return false
}

type field struct {
	name   string
	typ    reflect.Type
	quoted bool // ",string": a number or bool written as a JSON string
}

// fieldNamed finds the exported field that key names, as encoding/json
// does: by its JSON name, or without case.
// fieldNames are the JSON names of t's fields, in field order.
func fieldNames(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case !f.IsExported() || name == "-":
			continue
		case name == "":
			name = f.Name
		}
		names = append(names, name)
	}
	return names
}

func fieldNamed(t reflect.Type, key string) (field, bool) {
	var fold *field
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		quoted := false
		for o := range strings.SplitSeq(opts, ",") {
			switch f.Type.Kind() {
			case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
				reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
				reflect.Float32, reflect.Float64, reflect.String:
				quoted = quoted || o == "string"
			}
		}
		if name == key {
			return field{name, f.Type, quoted}, true
		}
		if fold == nil && strings.EqualFold(name, key) {
			fold = &field{name, f.Type, quoted}
		}
	}
	if fold != nil {
		return *fold, true
	}
	return field{}, false
}
