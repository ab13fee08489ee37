package archive

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// viewMessages reads the messages through MessageViews, copied.
func viewMessages(r *Reader) ([]Message, error) {
	var ms []Message
	err := r.MessageViews(func(v *MessageView) error { ms = append(ms, v.Message()); return nil })
	return ms, err
}

// allMessages reads the messages through Messages.
func allMessages(r *Reader) ([]Message, error) {
	var ms []Message
	err := r.Messages(func(m Message) error { ms = append(ms, m); return nil })
	return ms, err
}

// TestMessageViewsAgree checks that MessageViews gives the messages
// Messages gives, in the writer's layout (one part or several) and in
// others that only encoding/json decodes.
func TestMessageViewsAgree(t *testing.T) {
	want := testRecords().Messages
	const m1 = "messages/000001.jsonl"
	otherLayouts := func(t *testing.T) string {
		es := validEntries(t)
		var data []byte
		for i, m := range want[:4] {
			line, err := json.Marshal(m) // escapes <, > and &, keys in struct order
			if err != nil {
				t.Fatal(err)
			}
			if i%2 == 1 {
				line = bytes.ReplaceAll(line, []byte(`":`), []byte(`" : `))
			}
			data = append(append(data, line...), '\n')
		}
		replacePart(t, es, m1, data)
		return writeFile(t, zipBytes(t, es))
	}
	tests := []struct {
		name string
		path func(t *testing.T) string
	}{
		{"one part", func(t *testing.T) string { return writeTest(t, WriterOptions{}) }},
		{"a part per message", func(t *testing.T) string { return writeTest(t, WriterOptions{ChunkMessages: 1}) }},
		{"encoding/json layouts", otherLayouts},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Open(tc.path(t))
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			got, err := viewMessages(r)
			if err != nil {
				t.Fatalf("MessageViews() = %v", err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("MessageViews mismatch with the written messages (-want +got):\n%s", diff)
			}
			msgs, err := allMessages(r)
			if err != nil {
				t.Fatalf("Messages() = %v", err)
			}
			if diff := cmp.Diff(msgs, got); diff != "" {
				t.Errorf("MessageViews mismatch with Messages (-Messages +MessageViews):\n%s", diff)
			}
		})
	}
}

// TestMessageViewsRefuse runs Messages and MessageViews over the same
// damaged archives: both must fail with the same error after passing on the
// same messages.
func TestMessageViewsRefuse(t *testing.T) {
	const m1, m3 = "messages/000001.jsonl", "messages/000003.jsonl"
	edit := func(name, old, new string) func(t *testing.T) []byte {
		return func(t *testing.T) []byte { return replaced(t, name, replaceFirst(old, new)) }
	}
	// declare changes the records the manifest declares for the first
	// messages part by delta.
	declare := func(delta int64) func(t *testing.T) []byte {
		return func(t *testing.T) []byte {
			es := validEntries(t)
			m, _ := manifestOf(t, es)
			m.Parts[4].Records += delta
			m.Counts.Messages += delta
			setManifest(t, es, m)
			return zipBytes(t, es)
		}
	}
	room, user := guid(300), guid(1)
	tests := []struct {
		name    string
		build   func(t *testing.T) []byte
		wantErr string
		wantIs  error
	}{
		{"invalid UTF-8 in content", edit(m1, "plain text", "plain \xff text"), "line 1: not valid UTF-8", ErrInvalidUTF8},
		{"invalid UTF-8 in a GUID", edit(m1, room, room[:35]+"\xff"), "line 1: not valid UTF-8", ErrInvalidUTF8},
		{"truncated UTF-8 sequence", edit(m1, "plain text", "plain \xe2\x82 text"), "line 1: not valid UTF-8", ErrInvalidUTF8},
		{"lone high surrogate", edit(m1, "plain text", `plain \ud800 text`), "line 1: column 184: a lone UTF-16 surrogate escape", nil},
		{"lone low surrogate", edit(m1, "plain text", `plain \udc00 text`), "line 1: column 184: a lone UTF-16 surrogate escape", nil},
		{"reversed surrogates", edit(m1, "plain text", `\ude00\ud83d`), "line 1: column 178: a lone UTF-16 surrogate escape", nil},
		{"lone surrogate in rtf", edit("messages/000002.jsonl", `\\par}"`, `\\par}\ud83d"`), "line 1: column", nil},
		{"raw control character", edit(m1, "plain text", "plain\ttext"), "line 1: column 183: a string holds a control character", nil},
		{"bad escape", edit(m1, "plain text", `plain \x text`), "line 1: column", nil},
		{"unknown field", edit(m1, `"alert"`, `"priority":1,"alert"`), "line 1: a field pcmig does not write", nil},
		{"field in other case", edit(m1, `"content"`, `"Content"`), "line 1: a field pcmig does not write", nil},
		{"duplicate field", edit(m1, `"alert":true`, `"alert":true,"alert":false`), `line 1: field "alert" appears twice`, nil},
		{"missing field", edit(m1, `,"rtf":null`, ``), `line 1: field "rtf" is missing`, nil},
		{"null content", edit(m1, `"content":"plain text"`, `"content":null`), `line 1: field "content" is null`, nil},
		{"chat_id as a number", edit(m1, `"chat_id":"1152921504606846976"`, `"chat_id":1152921504606846976`),
			"line 1: column 58: chat_id: expected a whole number", nil},
		{"chat_id overflow", edit(m1, `"chat_id":"1152921504606846976"`, `"chat_id":"9223372036854775808"`),
			"line 1: chat_id: expected a whole number from -9223372036854775808 to 9223372036854775807 written as a string, found a number of 19 digits, outside that range", nil},
		{"upper-case room", edit(m1, `"room":"`+room, `"room":"`+strings.ToUpper(room)), "line 1: room", nil},
		{"upper-case user", edit(m1, `"user":"`+user, `"user":"`+user[:35]+"A"), "line 1: user is not a canonical", nil},
		{"user too short", edit(m1, `"user":"`+user, `"user":"`+user[1:]), "line 1: user", nil},
		{"trailing data", edit(m1, `"rtf":null}`, `"rtf":null} {}`), "line 1: column", nil},
		{"unknown room", edit(m1, room, guid(399)),
			"archive part messages/000001.jsonl: line 1: room 0000018f-0000-4000-8000-00000000018f of chat_id 1152921504606846976 is not in rooms.jsonl", nil},
		{"chat IDs equal", edit(m1, `"chat_id":"1152921504606846977"`, `"chat_id":"1152921504606846976"`),
			"line 2: room 0000012c-0000-4000-8000-00000000012c: chat_id 1152921504606846976 follows chat_id 1152921504606846976", nil},
		{"chat IDs decreasing across parts", edit("messages/000002.jsonl", `"chat_id":"1152921504606846980"`, `"chat_id":"5"`),
			"archive part messages/000002.jsonl: line 1: room 0000012c-0000-4000-8000-00000000012c: chat_id 5 follows chat_id 1152921504606846979", nil},
		{"messages not grouped by room", func(t *testing.T) []byte {
			return replaced(t, m3, func(d []byte) []byte {
				lines := bytes.SplitAfter(d, []byte("\n"))
				return bytes.Join([][]byte{lines[1], lines[0], lines[2]}, nil)
			})
		}, "line 2: room 0000012c-0000-4000-8000-00000000012c: messages are not grouped by room", nil},
		{"room declares fewer messages", edit(fixedPartName(KindRooms), `"messages":"9"`, `"messages":"8"`),
			"archive part rooms.jsonl: room 0000012c-0000-4000-8000-00000000012c declares 8 messages but the archive holds 9", nil},
		{"room declares more messages", edit(fixedPartName(KindRooms), `"messages":"2"`, `"messages":"3"`),
			"archive part rooms.jsonl: room 0000012e-0000-4000-8000-00000000012e declares 3 messages but the archive holds 2", nil},
		{"empty line", func(t *testing.T) []byte {
			return replaced(t, m3, func(d []byte) []byte { return append(d, '\n') })
		}, "archive part messages/000003.jsonl: line 4: empty line", nil},
		{"no final newline", func(t *testing.T) []byte {
			return replaced(t, m3, func(d []byte) []byte { return d[:len(d)-1] })
		}, "archive part messages/000003.jsonl: line 3: last line does not end with a newline", nil},
		{"fewer records than declared", declare(1), "archive part messages/000001.jsonl: holds 4 records but the manifest declares 5", nil},
		{"more records than declared", declare(-1), "archive part messages/000001.jsonl: holds more than the 3 records the manifest declares", nil},
		{"modified part with a valid zip CRC", func(t *testing.T) []byte { return modified(t, m1, replaceFirst("plain", "PLAIN")) },
			"archive part messages/000001.jsonl: checksum mismatch (truncated or modified)", ErrChecksum},
		{"modified record with a valid zip CRC", func(t *testing.T) []byte { return modified(t, m1, replaceFirst(`"alert"`, `"Alert"`)) },
			"archive part messages/000001.jsonl: checksum mismatch (truncated or modified)", ErrChecksum},
		{"flipped byte in compressed part", func(t *testing.T) []byte { return flipByte(t, validBytes(t), "messages/000002.jsonl") },
			"archive part messages/000002.jsonl: checksum mismatch (truncated or modified)", ErrChecksum},
		{"zip directory understates the size (zip bomb)", bombEntries,
			"archive part messages/000001.jsonl: checksum mismatch (truncated or modified): data exceeds the declared", ErrChecksum},
		{"damaged rooms part", func(t *testing.T) []byte { return flipByte(t, validBytes(t), "rooms.jsonl") },
			"archive part rooms.jsonl: checksum mismatch", ErrChecksum},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, tc.build(t))
			open := func() *Reader {
				r, err := Open(path)
				if err != nil {
					t.Fatalf("Open() = %v", err)
				}
				t.Cleanup(func() { r.Close() })
				return r
			}
			// A Reader each, so that neither path gets rooms.jsonl from
			// the other's read.
			msgs, err := allMessages(open())
			if !errorContains(err, tc.wantErr) {
				t.Fatalf("Messages() error = %v, want %q", err, tc.wantErr)
			}
			views, verr := viewMessages(open())
			if verr == nil || verr.Error() != err.Error() {
				t.Fatalf("MessageViews() error = %v, want Messages' %v", verr, err)
			}
			if tc.wantIs != nil && (!errors.Is(err, tc.wantIs) || !errors.Is(verr, tc.wantIs)) {
				t.Errorf("errors %v and %v are not both %v", err, verr, tc.wantIs)
			}
			if diff := cmp.Diff(msgs, views); diff != "" {
				t.Errorf("messages before the error (-Messages +MessageViews):\n%s", diff)
			}
		})
	}
}

// FuzzMessageViewDecode checks that decodeView accepts exactly the lines
// decode accepts, with the same error or the same message, after a valid
// line has set the decoders' room.
func FuzzMessageViewDecode(f *testing.F) {
	room, user := guid(300), guid(1)
	ok := `{"room":"` + room + `","chat_id":"5","date":"6","user":"` + user + `","alert":false,"content":"c","rtf":null}`
	for _, s := range []string{ok, strings.Replace(ok, `"c"`, `"\ud83d"`, 1), strings.Replace(ok, `"c"`, "\"\xff\"", 1),
		strings.Replace(ok, `null`, `"\\par \u00e9"`, 1), strings.Replace(ok, room, strings.ToUpper(room), 1),
		strings.Replace(ok, user, guid(2), 1), strings.Replace(ok, `"alert"`, `"Alert"`, 1), `{"rtf":"","user":"` + user +
			`","content":"é","alert":true,"date":"1","chat_id":"5","room":"` + room + `"}`} {
		f.Add([]byte(s))
	}
	first := []byte(ok)
	f.Fuzz(func(t *testing.T, line []byte) {
		d, dv := newMsgDecoder(), newMsgDecoder()
		var m Message
		var v MessageView
		if err := d.decode(first, &m); err != nil {
			t.Fatal(err)
		}
		if err := dv.decodeView(first, &v); err != nil {
			t.Fatal(err)
		}
		err := d.decode(line, &m)
		verr := dv.decodeView(line, &v)
		if (err == nil) != (verr == nil) || err != nil && err.Error() != verr.Error() {
			t.Fatalf("decode(%q) = %v but decodeView = %v", line, err, verr)
		}
		if err == nil {
			if diff := cmp.Diff(m, v.Message()); diff != "" {
				t.Errorf("decode(%q) mismatch (-decode +decodeView):\n%s", line, diff)
			}
		}
	})
}

// TestMessageViewsDoNotAllocate checks that streaming views costs no
// allocation per message, where Messages costs at least one.
func TestMessageViewsDoNotAllocate(t *testing.T) {
	const n = 20_000
	path := filepath.Join(t.TempDir(), "views.zip")
	writeBench(t, path, newBenchCorpus(), n, 0, nil)
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	mallocs := func(read func() (int, error)) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		got, err := read()
		runtime.ReadMemStats(&after)
		if err != nil || got != n {
			t.Fatalf("read %d messages: %v", got, err)
		}
		return after.Mallocs - before.Mallocs
	}
	all := mallocs(func() (int, error) {
		var k int
		return k, r.Messages(func(Message) error { k++; return nil })
	})
	views := mallocs(func() (int, error) {
		var k int
		return k, r.MessageViews(func(*MessageView) error { k++; return nil })
	})
	if all < n {
		t.Fatalf("Messages made %d allocations for %d messages: the comparison measures nothing", all, n)
	}
	if views > n/20 {
		t.Errorf("MessageViews made %d allocations for %d messages, want under %d (Messages: %d)", views, n, n/20, all)
	}
}

func TestMessageViewsErrorPassesThrough(t *testing.T) {
	r, err := Open(writeTest(t, WriterOptions{ChunkMessages: 2}))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	stop := errors.New("stop")
	var n int
	err = r.MessageViews(func(*MessageView) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	if err != stop || n != 3 {
		t.Errorf("MessageViews() = %v after %d messages, want the callback's error unchanged after 3", err, n)
	}
}
