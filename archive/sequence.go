package archive

import (
	"fmt"

	"github.com/pcmig/pcmig/numtext"
)

// sequence checks the rules that span records, for the Writer and the
// Reader alike: no GUID twice within a kind nor shared by a category and a
// room, no category or add-in name
// twice, every message's room in rooms.jsonl, messages grouped by room with
// chat IDs increasing, and each room's message count as declared. Its
// memory grows with principals, categories, add-ins and rooms, never with
// messages.
type sequence struct {
	principals    map[guidKey]struct{}
	categories    map[guidKey]struct{}
	categoryNames map[string]struct{}
	addins        map[guidKey]struct{}
	addinNames    map[string]struct{}
	rooms         map[string]*roomTally
	roomOrder     []*roomTally
	cur           *roomTally // room of the last message
	lastChat      int64
}

// roomTally counts one room's messages.
type roomTally struct {
	guid     string
	declared int64 // Room.Messages as read; the Writer sets it on Commit
	seen     int64
}

func newSequence() *sequence {
	return &sequence{
		principals:    make(map[guidKey]struct{}),
		categories:    make(map[guidKey]struct{}),
		categoryNames: make(map[string]struct{}),
		addins:        make(map[guidKey]struct{}),
		addinNames:    make(map[string]struct{}),
		rooms:         make(map[string]*roomTally),
	}
}

// once adds k to set, or reports that it is there already.
func once[K comparable](set map[K]struct{}, k K) bool {
	if _, dup := set[k]; dup {
		return false
	}
	set[k] = struct{}{}
	return true
}

func (s *sequence) principal(p *Principal) error {
	if !once(s.principals, keyOf(p.GUID)) {
		return fmt.Errorf("principal %s appears twice", p.GUID)
	}
	return nil
}

func (s *sequence) category(c *Category) error {
	if _, dup := s.categories[keyOf(c.GUID)]; dup {
		return fmt.Errorf("category %s appears twice", c.GUID)
	}
	if !once(s.categoryNames, c.Name) {
		return fmt.Errorf("category %s has the name of an earlier category", c.GUID)
	}
	s.categories[keyOf(c.GUID)] = struct{}{}
	return nil
}

func (s *sequence) addin(a *Addin) error {
	if _, dup := s.addins[keyOf(a.GUID)]; dup {
		return fmt.Errorf("add-in %s appears twice", a.GUID)
	}
	if !once(s.addinNames, a.Name) {
		return fmt.Errorf("add-in %s has the name of an earlier add-in", a.GUID)
	}
	s.addins[keyOf(a.GUID)] = struct{}{}
	return nil
}

func (s *sequence) room(r *Room) error {
	if _, dup := s.rooms[r.GUID]; dup {
		return fmt.Errorf("room %s appears twice", r.GUID)
	}
	// Categories and rooms are all nodes of tblNode, one nodeGuid each: a
	// room under a category's GUID would be written under a new one.
	if _, dup := s.categories[keyOf(r.GUID)]; dup {
		return fmt.Errorf("room %s has the GUID of a category (a node's GUID is its own)", r.GUID)
	}
	t := &roomTally{guid: r.GUID, declared: r.Messages}
	s.rooms[r.GUID] = t
	s.roomOrder = append(s.roomOrder, t)
	return nil
}

// curRoom returns the GUID of the last message's room, or "".
func (s *sequence) curRoom() string {
	if s.cur == nil {
		return ""
	}
	return s.cur.guid
}

// checkMessage checks m's place in the sequence without recording it.
func (s *sequence) checkMessage(m *Message) (*roomTally, error) {
	return checkPlace(s, m.Room, m.ChatID)
}

// checkPlace checks the place of the message of chat ID chatID in room
// (a GUID, as a string or as bytes: the lookups do not copy it) without
// recording it.
func checkPlace[T string | []byte](s *sequence, room T, chatID int64) (*roomTally, error) {
	if s.cur != nil && string(room) == s.cur.guid {
		if chatID <= s.lastChat {
			return nil, fmt.Errorf("room %s: chat_id %d follows chat_id %d: chat IDs must increase within a room",
				room, chatID, s.lastChat)
		}
		return s.cur, nil
	}
	t := s.rooms[string(room)]
	switch {
	case t == nil:
		return nil, fmt.Errorf("room %s of chat_id %d is not in rooms.jsonl", room, chatID)
	case t.seen > 0:
		return nil, fmt.Errorf("room %s: messages are not grouped by room (chat_id %d comes after other rooms' messages)",
			room, chatID)
	}
	return t, nil
}

// acceptMessage records a message that checkMessage accepted.
func (s *sequence) acceptMessage(t *roomTally, m *Message) {
	s.accept(t, m.ChatID)
}

// accept records the message of chat ID chatID that checkPlace accepted
// in t's room.
func (s *sequence) accept(t *roomTally, chatID int64) {
	s.cur = t
	s.lastChat = chatID
	t.seen++
}

// message checks and records m.
func (s *sequence) message(m *Message) error {
	t, err := s.checkMessage(m)
	if err != nil {
		return err
	}
	s.acceptMessage(t, m)
	return nil
}

// checkRoomCounts compares each room's messages with its declared count.
func (s *sequence) checkRoomCounts() error {
	for _, t := range s.roomOrder {
		if t.seen != t.declared {
			return fmt.Errorf("room %s declares %s but the archive holds %d", t.guid, numtext.Count(t.declared, "message", "messages"), t.seen)
		}
	}
	return nil
}
