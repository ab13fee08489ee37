package importer_test

import (
	"database/sql"
	"slices"
	"testing"
	"time"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// content is a pool's data with every store ID normalised away: principals
// are keyed by GUID and referred to by URI, categories and rooms are keyed
// by name, add-ins are referred to by name, and messages are listed per
// room in chat ID order without their chat IDs (an import renumbers them).
type content struct {
	Principals map[string]principal
	Addins     map[string]string // name -> URL
	Categories map[string]category
	Rooms      map[string]room
	Messages   map[string][]message // room name -> messages
}

type principal struct {
	URI, Type                                          string
	Name, DisplayName, CompanyName, Email, ADPath, UPN string
	State                                              pchat.PrincipalState
	PoolID, PolicyID                                   *int32
	AddedOn, UpdatedOn                                 int64
	VerifiedOn                                         time.Time
	Affiliations                                       []string
}

type category struct {
	GUID, Description                    string
	Invitations, FileUpload, ChatHistory bool
	Allowed, Denied, Creators            []string
	AddedBy, UpdatedBy                   string
	AddedOn, UpdatedOn                   int64
}

type room struct {
	GUID, Description, Category   string
	Privacy                       pchat.Privacy
	Type                          pchat.RoomType
	Invitations                   pchat.Invitations
	Disabled                      bool
	Addin                         string
	Members, Managers, Presenters []string
	AddedBy, UpdatedBy            string
	AddedOn, UpdatedOn            int64
}

type message struct {
	Date    int64
	Poster  string
	Alert   bool
	Content string
	RTF     *string
}

// snapshot reads a database's content.
func snapshot(t *testing.T, path string) content {
	t.Helper()
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}()
	prins, err := s.Principals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	aff, err := s.Affiliations(ctx)
	if err != nil {
		t.Fatal(err)
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
	c := content{Principals: map[string]principal{}, Addins: map[string]string{}, Categories: map[string]category{},
		Rooms: map[string]room{}, Messages: map[string][]message{}}
	for _, p := range prins {
		c.Principals[p.GUID] = principal{URI: p.URI, Type: p.Type.String(), Name: p.Name, DisplayName: p.DisplayName,
			CompanyName: p.CompanyName, Email: p.Email, ADPath: p.ADPath, UPN: p.UPN, State: p.State, PoolID: p.PoolID,
			PolicyID: p.PolicyID, AddedOn: p.AddedOn, UpdatedOn: p.UpdatedOn, VerifiedOn: p.VerifiedOn, Affiliations: uris(aff[p.ID])}
	}
	addins, err := s.Addins(ctx)
	if err != nil {
		t.Fatal(err)
	}
	addinName := map[string]string{}
	for _, a := range addins {
		c.Addins[a.Name] = a.URL
		addinName[a.ID] = a.Name
	}
	cats, err := s.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	catName := map[int32]string{}
	for _, x := range cats {
		catName[x.ID] = x.Name
		c.Categories[x.Name] = category{GUID: x.GUID, Description: x.Description, Invitations: x.Invitations,
			FileUpload: x.FileUpload, ChatHistory: x.ChatHistory, Allowed: uris(x.AllowedMembers), Denied: uris(x.DeniedMembers),
			Creators: uris(x.Creators), AddedBy: uri[x.AddedBy], UpdatedBy: uri[x.UpdatedBy], AddedOn: x.AddedOn, UpdatedOn: x.UpdatedOn}
	}
	rooms, err := s.Rooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	roomName := map[int32]string{}
	for _, r := range rooms {
		roomName[r.ID] = r.Name
		c.Rooms[r.Name] = room{GUID: r.GUID, Description: r.Description, Category: catName[r.CategoryID], Privacy: r.Privacy,
			Type: r.Type, Invitations: r.Invitations, Disabled: r.Disabled, Addin: addinName[r.AddinID],
			Members: uris(r.Members), Managers: uris(r.Managers), Presenters: uris(r.Presenters),
			AddedBy: uri[r.AddedBy], UpdatedBy: uri[r.UpdatedBy], AddedOn: r.AddedOn, UpdatedOn: r.UpdatedOn}
	}
	err = s.StreamMessages(ctx, store.MessageFilter{}, func(m pchat.Message) error {
		name := roomName[m.RoomID]
		c.Messages[name] = append(c.Messages[name], message{Date: m.Date, Poster: uri[m.UserID], Alert: m.Alert, Content: m.Content, RTF: m.RTF})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// chatIDs are a room's chat ID figures.
type chatIDs struct {
	Messages, MaxChatID, LastChatID int64
}

// checkChatIDs checks that every room's tblLastChatId is its highest chat
// ID and returns the figures per nodeID.
func checkChatIDs(t *testing.T, path string) map[int32]chatIDs {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[int32]chatIDs{}
	rows, err := db.QueryContext(ctx, `SELECT channelId, COUNT(*), MAX(chatId) FROM tblChat GROUP BY channelId`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int32
		var c chatIDs
		if err := rows.Scan(&id, &c.Messages, &c.MaxChatID); err != nil {
			t.Fatal(err)
		}
		out[id] = c
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows, err = db.QueryContext(ctx, `SELECT nodeID, lastChatID FROM tblLastChatId`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int32
		var last int64
		if err := rows.Scan(&id, &last); err != nil {
			t.Fatal(err)
		}
		c := out[id]
		c.LastChatID = last
		out[id] = c
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for id, c := range out {
		if c.LastChatID != c.MaxChatID {
			t.Errorf("room %d: tblLastChatId %d, highest chatId %d", id, c.LastChatID, c.MaxChatID)
		}
	}
	return out
}
