package bindings_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// poolContent is what a pool holds, keyed by names and URIs rather than
// the pool's own IDs, so that two pools can be compared.
type poolContent struct {
	Categories map[string]categoryContent
	Rooms      map[string]roomContent
	Messages   map[string][]messageContent // by room name, in chat ID order
}

type categoryContent struct {
	Description                 string
	Invitations, Files, History bool
	Allowed, Denied, Creators   []string
}

type roomContent struct {
	Category, Description         string
	Privacy, Type, Invitations    string
	Disabled                      bool
	Addin                         string
	Members, Managers, Presenters []string
}

type messageContent struct {
	Date    int64
	User    string
	Alert   bool
	Content string
	RTF     string
}

// readPool reads the embedded database at path.
func readPool(t testing.TB, path string) poolContent {
	t.Helper()
	c, err := readPoolErr(context.Background(), path)
	if err != nil {
		t.Fatalf("read %s: %v", filepath.Base(path), err)
	}
	return c
}

func readPoolErr(ctx context.Context, path string) (c poolContent, err error) {
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, ReadOnly: true})
	if err != nil {
		return c, err
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	prins, err := s.Principals(ctx)
	if err != nil {
		return c, err
	}
	uri := map[int32]string{}
	for _, p := range prins {
		uri[p.ID] = p.URI
	}
	uris := func(ids []int32) []string {
		out := []string{}
		for _, id := range ids {
			out = append(out, uri[id])
		}
		slices.Sort(out)
		return out
	}
	cats, err := s.Categories(ctx)
	if err != nil {
		return c, err
	}
	addins, err := s.Addins(ctx)
	if err != nil {
		return c, err
	}
	addin := map[string]string{}
	for _, a := range addins {
		addin[a.ID] = a.Name
	}
	rooms, err := s.Rooms(ctx)
	if err != nil {
		return c, err
	}
	c = poolContent{Categories: map[string]categoryContent{}, Rooms: map[string]roomContent{}, Messages: map[string][]messageContent{}}
	catName := map[int32]string{}
	for _, x := range cats {
		catName[x.ID] = x.Name
		c.Categories[x.Name] = categoryContent{Description: x.Description, Invitations: x.Invitations, Files: x.FileUpload,
			History: x.ChatHistory, Allowed: uris(x.AllowedMembers), Denied: uris(x.DeniedMembers), Creators: uris(x.Creators)}
	}
	roomName := map[int32]string{}
	for _, r := range rooms {
		roomName[r.ID] = r.Name
		c.Rooms[r.Name] = roomContent{Category: catName[r.CategoryID], Description: r.Description, Privacy: string(r.Privacy),
			Type: string(r.Type), Invitations: string(r.Invitations), Disabled: r.Disabled, Addin: addin[r.AddinID],
			Members: uris(r.Members), Managers: uris(r.Managers), Presenters: uris(r.Presenters)}
	}
	err = s.StreamMessages(ctx, store.MessageFilter{}, func(m pchat.Message) error {
		mc := messageContent{Date: m.Date, User: uri[m.UserID], Alert: m.Alert, Content: m.Content}
		if m.RTF != nil {
			mc.RTF = *m.RTF
		}
		c.Messages[roomName[m.RoomID]] = append(c.Messages[roomName[m.RoomID]], mc)
		return nil
	})
	return c, err
}

// messageCount is the number of messages of a pool.
func (c poolContent) messageCount() int {
	n := 0
	for _, l := range c.Messages {
		n += len(l)
	}
	return n
}
