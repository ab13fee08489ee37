package archive

import (
	"bytes"
	"fmt"
	"strconv"
)

// The exact line layout appendMessage writes and msgDecoder.fast reads;
// any other valid layout goes through encoding/json.
const (
	msgRoom    = `{"room":"`
	msgChatID  = `","chat_id":"`
	msgDate    = `","date":"`
	msgUser    = `","user":"`
	msgAlertT  = `","alert":true,"content":`
	msgAlertF  = `","alert":false,"content":`
	msgRTF     = `,"rtf":`
	msgRTFNull = `,"rtf":null}`
)

var messageKeys = []keyRule{
	{key: "room"}, {key: "chat_id", digits: true}, {key: "date", digits: true}, {key: "user"}, {key: "alert"},
	{key: "content"}, {key: "rtf", nullable: true},
}

// appendMessage appends m as one JSON line, newline included, without
// reflection. Room and User must be canonical GUIDs (validated), so they
// need no escaping. It reports the field that is not valid UTF-8, if any.
func appendMessage(b []byte, m *Message) ([]byte, error) {
	b = append(b, msgRoom...)
	b = append(b, m.Room...)
	b = append(b, msgChatID...)
	b = strconv.AppendInt(b, m.ChatID, 10)
	b = append(b, msgDate...)
	b = strconv.AppendInt(b, m.Date, 10)
	b = append(b, msgUser...)
	b = append(b, m.User...)
	if m.Alert {
		b = append(b, msgAlertT...)
	} else {
		b = append(b, msgAlertF...)
	}
	var ok bool
	if b, ok = appendString(b, m.Content); !ok {
		return b, fmt.Errorf("content: %w", ErrInvalidUTF8)
	}
	if m.RTF == nil {
		b = append(b, msgRTFNull...)
	} else {
		b = append(b, msgRTF...)
		if b, ok = appendString(b, *m.RTF); !ok {
			return b, fmt.Errorf("rtf: %w", ErrInvalidUTF8)
		}
		b = append(b, '}')
	}
	return append(b, '\n'), nil
}

// maxInternedUsers bounds msgDecoder.users, so that an archive with a
// distinct user on every message cannot grow it without limit.
const maxInternedUsers = 1 << 16

// msgDecoder decodes message lines. It reuses room and user GUID strings
// and keeps one scratch buffer, so a message costs one allocation for its
// text, and one more for the RTF pointer if it has RTF.
type msgDecoder struct {
	room    string
	users   map[string]string
	scratch []byte
}

func newMsgDecoder() *msgDecoder {
	return &msgDecoder{users: make(map[string]string)}
}

// decode decodes one line (without its newline) and validates the
// message's GUIDs. Both paths refuse invalid UTF-8.
func (d *msgDecoder) decode(line []byte, m *Message) error {
	if d.fast(line, m) {
		return nil
	}
	*m = Message{}
	if err := decodeStrict(line, messageKeys, m); err != nil {
		return err
	}
	return m.validate("")
}

// fastFields are the fields of a message line in the writer's layout, as
// parseFast found them; text is content followed by rtf, in the decoder's
// scratch buffer.
type fastFields struct {
	room, user   []byte
	chatID, date int64
	alert        bool
	text         []byte
	n            int // len(content)
	hasRTF       bool
}

// parseFast parses the writer's own layout. It reports false for anything
// else. Given want, it compares content and rtf with want's where they
// stand in the line, copying nothing (f.text is then empty), and reports
// false if they differ: the Writer's check (matches).
func (d *msgDecoder) parseFast(line []byte, want *Message) (f fastFields, ok bool) {
	i, ok := expect(line, 0, msgRoom)
	if !ok || i+36 > len(line) {
		return f, false
	}
	f.room = line[i : i+36]
	if i, ok = expect(line, i+36, msgChatID); !ok {
		return f, false
	}
	if f.chatID, i, ok = parseInt(line, i); !ok {
		return f, false
	}
	if i, ok = expect(line, i, msgDate); !ok {
		return f, false
	}
	if f.date, i, ok = parseInt(line, i); !ok {
		return f, false
	}
	if i, ok = expect(line, i, msgUser); !ok || i+36 > len(line) {
		return f, false
	}
	f.user = line[i : i+36]
	i += 36
	switch {
	case bytes.HasPrefix(line[i:], []byte(msgAlertF)):
		f.alert, i = false, i+len(msgAlertF)
	case bytes.HasPrefix(line[i:], []byte(msgAlertT)):
		f.alert, i = true, i+len(msgAlertT)
	default:
		return f, false
	}
	buf := d.scratch[:0]
	if want != nil {
		if i, ok = matchString(line, i, want.Content); !ok {
			return f, false
		}
	} else if buf, i, ok = parseString(buf, line, i); !ok {
		return f, false
	}
	f.n = len(buf)
	if bytes.Equal(line[i:], []byte(msgRTFNull)) {
		i = len(line)
	} else {
		if i, ok = expect(line, i, msgRTF); !ok {
			return f, false
		}
		if want != nil {
			if want.RTF == nil {
				return f, false
			}
			if i, ok = matchString(line, i, *want.RTF); !ok {
				return f, false
			}
		} else if buf, i, ok = parseString(buf, line, i); !ok {
			return f, false
		}
		if i, ok = expect(line, i, "}"); !ok || i != len(line) {
			return f, false
		}
		f.hasRTF = true
	}
	d.scratch = buf
	f.text = buf
	return f, true
}

// fast decodes the writer's own layout. It reports false, leaving m in an
// undefined state, for anything else.
func (d *msgDecoder) fast(line []byte, m *Message) bool {
	f, ok := d.parseFast(line, nil)
	if !ok {
		return false
	}
	if !d.knownRoom(f.room) {
		return false
	}
	m.Room = d.room
	if m.User, ok = d.user(f.user); !ok {
		return false
	}
	m.ChatID, m.Date, m.Alert = f.chatID, f.date, f.alert
	s := string(f.text) // one allocation for content and rtf
	m.Content = s[:f.n]
	m.RTF = nil
	if f.hasRTF {
		rtf := s[f.n:]
		m.RTF = &rtf
	}
	return true
}

// knownRoom reports whether room is a canonical GUID, and keeps it as
// d.room: messages come in runs of one room, so only the first of a run
// is checked and copied.
func (d *msgDecoder) knownRoom(room []byte) bool {
	if string(room) != d.room {
		if !isGUID(room) {
			return false
		}
		d.room = string(room)
	}
	return true
}

// matches reports whether line decodes to m by the fast path, without
// allocating or copying the texts: the Writer's check of its own encoding.
func (d *msgDecoder) matches(line []byte, m *Message) bool {
	f, ok := d.parseFast(line, m)
	return ok && string(f.room) == m.Room && string(f.user) == m.User && f.chatID == m.ChatID && f.date == m.Date &&
		f.alert == m.Alert && f.hasRTF == (m.RTF != nil)
}

// user returns the GUID string for b, reusing earlier strings.
func (d *msgDecoder) user(b []byte) (string, bool) {
	if s, ok := d.users[string(b)]; ok {
		return s, true
	}
	if !isGUID(b) {
		return "", false
	}
	s := string(b)
	if len(d.users) < maxInternedUsers {
		d.users[s] = s
	}
	return s, true
}

// expect checks that line[i:] starts with lit and returns the index after it.
func expect(line []byte, i int, lit string) (int, bool) {
	if len(line)-i < len(lit) || string(line[i:i+len(lit)]) != lit {
		return 0, false
	}
	return i + len(lit), true
}

// parseInt parses the canonical decimal int64 at line[i:] (no sign but
// '-', no leading zeros), up to the closing quote, which it leaves.
func parseInt(line []byte, i int) (int64, int, bool) {
	j := i
	neg := j < len(line) && line[j] == '-'
	if neg {
		j++
	}
	start := j
	var u uint64
	for j < len(line) && line[j] >= '0' && line[j] <= '9' {
		if j-start >= 19 {
			return 0, 0, false // 20 digits or more: let strconv decide
		}
		u = u*10 + uint64(line[j]-'0')
		j++
	}
	switch {
	case j == start, j-start > 1 && line[start] == '0', j >= len(line):
		return 0, 0, false
	case neg && u > 1<<63, !neg && u > 1<<63-1, neg && u == 0:
		return 0, 0, false
	}
	v := int64(u)
	if neg {
		v = -v
	}
	return v, j, true
}
