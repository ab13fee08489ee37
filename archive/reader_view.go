package archive

// MessageView is one message as MessageViews streams it, without copying:
// its byte slices point into the Reader's buffers and are valid only until
// the function it was passed to returns. Room and User are canonical
// GUIDs, Content and RTF valid UTF-8, as in a Message.
type MessageView struct {
	Room    []byte
	ChatID  int64
	Date    int64 // .NET ticks, UTC
	User    []byte
	Alert   bool
	Content []byte
	RTF     []byte // the RTF when HasRTF, else empty
	HasRTF  bool   // false when the column is NULL
}

// Message returns a copy of v as a Message.
func (v *MessageView) Message() Message {
	m := Message{Room: string(v.Room), ChatID: v.ChatID, Date: v.Date, User: string(v.User), Alert: v.Alert,
		Content: string(v.Content)}
	if v.HasRTF {
		rtf := string(v.RTF)
		m.RTF = &rtf
	}
	return m
}

// MessageViews streams the messages like Messages, with every check and
// error of Messages, as views that cost no allocation per message: for a
// pass that looks at each message once and keeps little of it, such as an
// import's pre-pass. Copy what must outlive fn.
func (r *Reader) MessageViews(fn func(*MessageView) error) error {
	return r.MessageViewsByPart(fn, nil)
}

// MessageViewsByPart is MessageViews that also calls verified, when it is
// not nil, after each messages part whose size, SHA-256 checksum and
// record count have been checked, before the next part's first message
// (and before the rooms' message counts, checked across parts, are). Every
// message passed to fn before a call of verified came from a part whose
// bytes are the ones the manifest describes: a writer that commits only
// at those calls never commits a message of a part that turns out damaged,
// even one changed on disk since an earlier pass read it.
func (r *Reader) MessageViewsByPart(fn func(*MessageView) error, verified func() error) error {
	seq, err := r.roomSequence()
	if err != nil {
		return err
	}
	if err := r.messageViews(seq, fn, verified); err != nil {
		return err
	}
	return r.roomCounts(seq)
}

func (r *Reader) messageViews(seq *sequence, fn func(*MessageView) error, verified func() error) error {
	d := newMsgDecoder()
	var v MessageView
	since, bounded := r.sinceTicks()
	return r.messageLines(verified, func(line []byte) error {
		if err := d.decodeView(line, &v); err != nil {
			return &recordError{err}
		}
		if bounded && v.Date < since {
			return &recordError{r.beforeSince(string(v.Room), v.ChatID)}
		}
		t, err := checkPlace(seq, v.Room, v.ChatID)
		if err != nil {
			return &recordError{err}
		}
		seq.accept(t, v.ChatID)
		return fn(&v)
	})
}

// decodeView decodes one line (without its newline) as decode does, with
// the same checks and errors, into a view of line and d's scratch buffer.
// The writer's own layout, with canonical GUIDs, costs no allocation; any
// other line goes through decode.
func (d *msgDecoder) decodeView(line []byte, v *MessageView) error {
	if f, ok := d.parseFast(line, nil); ok && d.knownRoom(f.room) && isGUID(f.user) {
		*v = MessageView{Room: f.room, ChatID: f.chatID, Date: f.date, User: f.user, Alert: f.alert,
			Content: f.text[:f.n], RTF: f.text[f.n:], HasRTF: f.hasRTF}
		return nil
	}
	var m Message
	if err := d.decode(line, &m); err != nil {
		return err
	}
	*v = MessageView{Room: []byte(m.Room), ChatID: m.ChatID, Date: m.Date, User: []byte(m.User), Alert: m.Alert,
		Content: []byte(m.Content)}
	if m.RTF != nil {
		v.RTF, v.HasRTF = []byte(*m.RTF), true
	}
	return nil
}
