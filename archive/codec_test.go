package archive

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func codecMessages() []Message {
	ms := testRecords().Messages
	return append(ms,
		Message{Room: guid(1), ChatID: -1 << 63, Date: -1, User: guid(2), Content: strings.Repeat("long é ", 5000)},
		Message{Room: guid(1), ChatID: 0, Date: 0, User: guid(2), Content: "\x00", RTF: ptr("\x00\u2029")},
	)
}

// TestMessageCodec checks that the fast encoder's lines decode to the same
// message through the fast path, through encoding/json, and that lines
// from encoding/json decode to it too.
func TestMessageCodec(t *testing.T) {
	for _, want := range codecMessages() {
		line, err := appendMessage(nil, &want)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(line) || line[len(line)-1] != '\n' || strings.Count(string(line), "\n") != 1 {
			t.Fatalf("line %q is not one valid UTF-8 line", line)
		}
		line = line[:len(line)-1]
		std, err := json.Marshal(&want) // escapes <, >, & and orders keys alike
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name   string
			decode func() (Message, error)
		}{
			{"fast", func() (Message, error) {
				var m Message
				if !newMsgDecoder().fast(line, &m) {
					t.Errorf("fast path refused the writer's line %q", line)
				}
				return m, nil
			}},
			{"encoding/json", func() (Message, error) {
				var m Message
				err := decodeStrict(line, messageKeys, &m)
				return m, err
			}},
			{"decode of encoding/json output", func() (Message, error) {
				var m Message
				err := newMsgDecoder().decode(std, &m)
				return m, err
			}},
		}
		for _, tc := range tests {
			got, err := tc.decode()
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: message mismatch (-want +got):\n%s", tc.name, diff)
			}
		}
	}
}

func TestMessageDecodeOtherLayouts(t *testing.T) {
	room, user := guid(300), guid(1)
	want := Message{Room: room, ChatID: 5, Date: bigTicks, User: user, Content: "é😀/\u2028", RTF: ptr("")}
	tests := []struct {
		name string
		line string
	}{
		{"keys reordered", `{"rtf":"","user":"` + user + `","content":"é😀/\u2028","alert":false,"date":"638512345678901237","chat_id":"5","room":"` + room + `"}`},
		{"whitespace", ` { "room" : "` + room + `" , "chat_id" : "5" , "date" : "638512345678901237" , "user" : "` + user + `" , "alert" : false , "content" : "é😀/\u2028" , "rtf" : "" } `},
		// docs/archive-format.md §2: a CR before the LF is JSON white space.
		{"CR before the line feed", `{"room":"` + room + `","chat_id":"5","date":"638512345678901237","user":"` + user + `","alert":false,"content":"é😀/\u2028","rtf":""}` + "\r"},
		{"escapes", `{"room":"` + room + `","chat_id":"5","date":"638512345678901237","user":"` + user + `","alert":false,"content":"\u00e9\ud83d\ude00\/\u2028","rtf":""}`},
		{"upper-case hex escapes", `{"room":"` + room + `","chat_id":"5","date":"638512345678901237","user":"` + user + `","alert":false,"content":"\u00E9\uD83D\uDE00\/` + "\u2028" + `","rtf":""}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got Message
			if err := newMsgDecoder().decode([]byte(tc.line), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("decode mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMessageDecodeRejects(t *testing.T) {
	room, user := guid(300), guid(1)
	ok := `{"room":"` + room + `","chat_id":"5","date":"6","user":"` + user + `","alert":false,"content":"c","rtf":null}`
	tests := []struct {
		name    string
		line    string
		wantErr string
	}{
		{"valid", ok, ""},
		{"raw control character", strings.Replace(ok, `"c"`, "\"a\tb\"", 1), "a string holds a control character"},
		{"lone high surrogate", strings.Replace(ok, `"c"`, `"\ud83d"`, 1), "column 144: a lone UTF-16 surrogate escape"},
		{"lone low surrogate", strings.Replace(ok, `"c"`, `"\ude00x"`, 1), "column 144: a lone UTF-16 surrogate escape"},
		{"reversed surrogates", strings.Replace(ok, `"c"`, `"\ude00\ud83d"`, 1), "a lone UTF-16 surrogate escape"},
		{"escaped backslash before u", strings.Replace(ok, `"c"`, `"\\ud800"`, 1), ""},
		{"bad escape", strings.Replace(ok, `"c"`, `"\x"`, 1), "expected an escape"},
		{"chat_id overflow", strings.Replace(ok, `"5"`, `"9223372036854775808"`, 1), "chat_id: expected a whole number"},
		{"chat_id not a number", strings.Replace(ok, `"5"`, `"five"`, 1), "chat_id: expected a whole number from -9223372036854775808 to 9223372036854775807 written as a string, found characters other than decimal digits"},
		{"alert as string", strings.Replace(ok, `false`, `"false"`, 1), "alert: expected true or false, found a string"},
		{"rtf as number", strings.Replace(ok, `null`, `1`, 1), "rtf: expected a string, found a number"},
		{"room not canonical", strings.Replace(ok, room, strings.ToUpper(room), 1), "room"},
		{"user empty", strings.Replace(ok, user, "", 1), `user is not a canonical`},
		{"not an object", `["a"]`, "not a JSON object"},
		{"truncated", ok[:len(ok)-1], "the line ends before its JSON does"},
		{"trailing data", ok + "x", "expected the end of the line after the JSON value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var m Message
			err := newMsgDecoder().decode([]byte(tc.line), &m)
			if !errorContains(err, tc.wantErr) {
				t.Errorf("decode(%s) error = %v, want %q", tc.line, err, tc.wantErr)
			}
		})
	}
}

// TestAppendString checks that every valid string survives encoding/json
// exactly and that invalid UTF-8 is refused.
func TestAppendString(t *testing.T) {
	var all strings.Builder
	for r := rune(0); r < 0x3000; r++ {
		all.WriteRune(r)
	}
	tests := []struct {
		in     string
		wantOK bool
	}{
		{all.String(), true},
		{"\U0010FFFF\U0001F600\uFFFF", true},
		{"\xff", false},
		{"ok\xc3", false},
		{"\xed\xa0\x80", false}, // UTF-8 encoded surrogate
		{"\xc0\x80", false},     // overlong NUL
	}
	for _, tc := range tests {
		b, ok := appendString(nil, tc.in)
		if ok != tc.wantOK {
			t.Errorf("appendString(%q) ok = %v, want %v", tc.in, ok, tc.wantOK)
			continue
		}
		if !ok {
			continue
		}
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("appendString(%q) = %s: %v", tc.in, b, err)
		}
		if got != tc.in {
			t.Errorf("appendString(%q) does not round-trip: %s", tc.in, b)
		}
		if strings.ContainsAny(string(b), "\u2028\u2029") {
			t.Errorf("appendString left U+2028/U+2029 unescaped")
		}
	}
}

// FuzzMessageCodec checks that any message with valid UTF-8 text
// round-trips through the writer's encoding and the reader's decoder.
func FuzzMessageCodec(f *testing.F) {
	for _, m := range testRecords().Messages {
		f.Add(m.Content, m.RTF != nil, m.ChatID, m.Date)
	}
	f.Fuzz(func(t *testing.T, content string, hasRTF bool, chat, date int64) {
		want := Message{Room: guid(1), ChatID: chat, Date: date, User: guid(2), Content: content}
		if hasRTF {
			want.RTF = ptr(content + "\\par")
		}
		line, err := appendMessage(nil, &want)
		if !utf8.ValidString(content) {
			if err == nil {
				t.Fatalf("appendMessage accepted invalid UTF-8 %q", content)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		var got Message
		d := newMsgDecoder()
		if !d.fast(line[:len(line)-1], &got) {
			t.Fatalf("fast path refused %q", line)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("round trip mismatch (-want +got):\n%s", diff)
		}
	})
}
