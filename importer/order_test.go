package importer_test

import (
	"testing"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
)

// New rooms are created in the order of their messages in the archive, so
// that their rising node IDs make the messages, which the import appends
// room by room in that order, land at the end of tblChat's primary key
// (channelId, chatId). The archive lists the rooms by name, which is not
// that order. (An import that writes while it reads creates them before
// it knows that order, in the order it guesses from the messages parts'
// first records, overlap.go: here the sequential one.)
func TestNewRoomsTakeIDsInMessageOrder(t *testing.T) {
	e := newEstate(t)
	e.export(t, exporter.Options{})
	if _, err := importInto(t, e.target, e.archive, importer.Options{Sequential: true}); err != nil {
		t.Fatal(err)
	}
	r, err := archive.Open(e.archive)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var order []string
	if err := r.Messages(func(m archive.Message) error {
		if len(order) == 0 || order[len(order)-1] != m.Room {
			order = append(order, m.Room)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	rooms, err := open(t, e.target, true).Rooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := map[string]int32{}
	for _, x := range rooms {
		id[x.GUID] = x.ID
	}
	if len(order) < 10 {
		t.Fatalf("only %d rooms with messages", len(order))
	}
	for i := 1; i < len(order); i++ {
		if id[order[i]] <= id[order[i-1]] {
			t.Fatalf("room %s (message order %d) got node ID %d, after room %s with %d", order[i], i, id[order[i]], order[i-1], id[order[i-1]])
		}
	}
}
