package archive

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pcmig/pcmig/pchat"
)

// roomLine is a valid room record, as the writer encodes it.
func roomLine(t testing.TB) []byte {
	t.Helper()
	const a = "0f0f0f0f-0000-4000-8000-00000000000a"
	r := Room{GUID: "0f0f0f0f-0000-4000-8000-000000000002", Name: "Room \"one\"", Description: "a {b} [c], d: e",
		Category: "Sales", Privacy: pchat.Closed, Type: pchat.Normal, Invitations: pchat.Inherit,
		Members: []string{a, "0f0f0f0f-0000-4000-8000-00000000000b"}, Managers: []string{a}, Presenters: []string{},
		AddedBy: a, AddedOn: 5, UpdatedBy: a, UpdatedOn: 6, Messages: 7}
	line, err := newRecordEncoder().encode(&r)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.TrimSuffix(string(line), "\n"))
}

// quickKeys says what encoding/json's tokenizer says of every line it
// answers for, and leaves malformed lines to it.
func TestQuickKeysAgreesWithTokenizer(t *testing.T) {
	ok := string(roomLine(t))
	lines := []string{
		ok,
		strings.Replace(ok, `"name"`, `"n\u0061me"`, 1),                        // escaped key, same name
		strings.Replace(ok, `"name"`, `"Name"`, 1),                             // case differs
		strings.Replace(ok, `"name"`, `"nickname"`, 1),                         // unknown
		strings.Replace(ok, `"description"`, `"name"`, 1),                      // twice
		strings.Replace(ok, `"addin":""`, `"addin":null`, 1),                   // null
		strings.Replace(ok, `,"messages":"7"`, ``, 1),                          // missing
		strings.Replace(ok, `{`, ` { `, 1),                                     // spaces
		strings.ReplaceAll(strings.ReplaceAll(ok, `":`, `" : `), `,"`, ` , "`), // spaces everywhere
		strings.Replace(ok, `"members":[`, `"members":[{"x":["]"]},`, 1),       // nested brackets in strings
		`{}`, `{ }`, `[]`, `"x"`, `{"guid"}`, `{"guid":}`, `{"guid":"a"`, `{"guid":"a",}`, `{"guid" "a"}`,
		`{"guid":"a"}x`, `{"guid":[1,2}`, `{"guid":"\"}`, ``, `{`, `{"`, `{"guid":"a" "name":"b"}`,
	}
	for _, line := range lines {
		quick, qerr := quickKeys([]byte(line), roomKeys)
		slow := checkKeysSlow([]byte(line), roomKeys)
		if !quick {
			if json.Valid([]byte(line)) && strings.HasPrefix(strings.TrimSpace(line), "{") {
				t.Errorf("quickKeys left the well-formed object %s to the tokenizer", line)
			}
			continue
		}
		if errText(qerr) != errText(slow) {
			t.Errorf("%s:\nquickKeys: %v\ntokenizer: %v", line, qerr, slow)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// FuzzQuickKeys: on every well-formed JSON line quickKeys answers as
// encoding/json's tokenizer does (decodeStrict refuses invalid UTF-8
// before either runs).
func FuzzQuickKeys(f *testing.F) {
	f.Add(string(roomLine(f)))
	f.Add(`{"guid":"a","name":null}`)
	f.Add(`{"guid":"a","guid":"b"}`)
	f.Fuzz(func(t *testing.T, line string) {
		quick, qerr := quickKeys([]byte(line), roomKeys)
		if !quick || !json.Valid([]byte(line)) || !utf8.ValidString(line) {
			return
		}
		if slow := checkKeysSlow([]byte(line), roomKeys); errText(qerr) != errText(slow) {
			t.Errorf("%q:\nquickKeys: %v\ntokenizer: %v", line, qerr, slow)
		}
	})
}

// BenchmarkDecodeRoom decodes a room record; -bench 'DecodeRoom' shows
// the key check's share beside the tokenizer's (BenchmarkCheckKeysSlow).
func BenchmarkDecodeRoom(b *testing.B) {
	line := roomLine(b)
	b.ReportAllocs()
	for b.Loop() {
		var r Room
		if err := decodeRoom(line, &r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckKeys(b *testing.B) {
	line := roomLine(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := checkKeys(line, roomKeys); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckKeysSlow(b *testing.B) {
	line := roomLine(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := checkKeysSlow(line, roomKeys); err != nil {
			b.Fatal(err)
		}
	}
}
