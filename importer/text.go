package importer

import (
	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// Pre-flight checks of the archive's text against the target's columns:
// lengths in the columns' units (UTF-16 code units for nvarchar) and, for
// varchar columns such as tblChat.rtf, the characters their code page has.
// The store's Check* functions say what a column holds; the messages are
// summarised in the archive's pre-pass (store.TextSample), since they are
// read before the target is known.

// msgRef names an archive message: its room's GUID and its chat ID in the
// source.
type msgRef struct {
	room   string
	chatID int64
}

// textSample is the pre-pass's summary of the messages' text.
type textSample struct {
	content, rtf store.TextSample[msgRef]
}

// add adds the text of m, a message of room.
func (t *textSample) add(room string, m *archive.MessageView) {
	ref := msgRef{room, m.ChatID}
	t.content.AddBytes(m.Content, ref)
	if m.HasRTF {
		t.rtf.AddBytes(m.RTF, ref)
	}
}

// checkMessageText reports every character of the messages a tblChat
// column of the target cannot hold, at the first message that has it.
func (p *plan) checkMessageText() {
	names := map[string]string{}
	for _, r := range p.a.rooms {
		names[r.GUID] = r.Name
	}
	for _, c := range []struct {
		col    string
		sample *store.TextSample[msgRef]
	}{{"content", &p.a.text.content}, {"rtf", &p.a.text.rtf}} {
		for _, pr := range store.CheckSample(p.t.db, "tblChat", c.col, c.sample) {
			room := names[pr.Ref.room]
			if room == "" {
				room = pr.Ref.room
			}
			p.problem(Error, "room "+room, "message %d (chat ID in the source): %v", pr.Ref.chatID, pr.Err)
		}
	}
}

// checkPrincipalText reports a principal the import creates whose text the
// target's tblPrincipal columns cannot hold.
func (p *plan) checkPrincipalText(ap archive.Principal) {
	err := p.t.db.CheckPrincipal(pchat.Principal{URI: ap.URI, Name: ap.Name, DisplayName: ap.DisplayName,
		CompanyName: ap.CompanyName, Email: ap.Email, ADPath: ap.ADPath, UPN: ap.UPN})
	if err != nil {
		p.problem(Error, "principal "+ap.URI, "%v", err)
	}
}
