package jsonerr

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
)

var unmarshaler = reflect.TypeFor[json.Unmarshaler]()

// locate walks data as json.Unmarshal does into a value of type t and
// returns the first value that a type decoding itself (json.Unmarshaler)
// refuses: its field path (as encoding/json names fields: JSON names
// joined by dots, map keys left out), its offset and its type.
func locate(data []byte, t reflect.Type) (field string, off int64, ft reflect.Type, ok bool) {
	w := walker{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	ok = w.value(t, nil)
	if ok {
		field, off, ft = strings.Join(w.path, "."), w.off, w.typ
	}
	return field, off, ft, ok
}

type walker struct {
	data []byte
	dec  *json.Decoder
	path []string
	off  int64
	typ  reflect.Type
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
func (w *walker) value(t reflect.Type, path []string) bool {
	for t.Kind() == reflect.Pointer && !t.Implements(unmarshaler) {
		t = t.Elem()
	}
	at := w.start()
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
		p := path
		if d == '{' {
			key, err := w.dec.Token()
			name, isStr := key.(string)
			if err != nil || !isStr {
				return false
			}
			switch t.Kind() {
			case reflect.Struct:
				f, known := fieldNamed(t, name)
				if !known {
					var raw json.RawMessage
					if w.dec.Decode(&raw) != nil {
						return false
					}
					continue
				}
				et, p = f.typ, append(path[:len(path):len(path)], f.name)
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
		if w.value(et, p) {
			return true
		}
	}
	_, _ = w.dec.Token() // the closing delimiter
	return false
}

type field struct {
	name string
	typ  reflect.Type
}

// fieldNamed finds the exported field that key names, as encoding/json
// does: by its JSON name, or without case.
func fieldNamed(t reflect.Type, key string) (field, bool) {
	var fold *field
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if name == key {
			return field{name, f.Type}, true
		}
		if fold == nil && strings.EqualFold(name, key) {
			fold = &field{name, f.Type}
		}
	}
	if fold != nil {
		return *fold, true
	}
	return field{}, false
}
