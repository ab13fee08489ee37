package importer

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/pchat"
)

// prePassSummary is what the pre-pass gathers from the messages.
type prePassSummary struct {
	RoomMessages   map[string]int64
	StreamPos      map[string]int
	UnknownPosters map[string]int64
	BadDates       map[string]*badDates
	Text           textSample
}

// referencePrePass gathers the summary from Messages, one message at a
// time, as the pre-pass did before it read views.
func referencePrePass(t *testing.T, r *archive.Reader, prins map[string]bool) prePassSummary {
	s := prePassSummary{RoomMessages: map[string]int64{}, StreamPos: map[string]int{}, UnknownPosters: map[string]int64{},
		BadDates: map[string]*badDates{}}
	current := ""
	err := r.Messages(func(m archive.Message) error {
		if m.Room != current {
			current = m.Room
			s.StreamPos[m.Room] = len(s.StreamPos)
		}
		s.RoomMessages[m.Room]++
		if !pchat.ValidTicks(m.Date) {
			if s.BadDates[m.Room] == nil {
				s.BadDates[m.Room] = &badDates{}
			}
			s.BadDates[m.Room].add(m.ChatID, m.Date)
		}
		ref := msgRef{m.Room, m.ChatID}
		s.Text.content.Add(m.Content, ref)
		if m.RTF != nil {
			s.Text.rtf.Add(*m.RTF, ref)
		}
		if !prins[m.User] {
			s.UnknownPosters[m.User]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestPrePassSummary checks that the pre-pass, which reads message views
// and works per run of a room, gathers what reading each message in full
// gathers: messages per room and the rooms' order, posters who are no
// principal, dates outside the DateTime range and the text sample.
func TestPrePassSummary(t *testing.T) {
	guid := func(n int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012x", n, n) }
	path := filepath.Join(t.TempDir(), "prepass.zip")
	w, err := archive.Create(path, archive.WriterOptions{ChunkMessages: 7})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	prins := map[string]bool{}
	for i := 1; i <= 3; i++ {
		prins[guid(i)] = true
		if err := w.AddPrincipal(archive.Principal{GUID: guid(i), URI: fmt.Sprintf("sip:u%d@contoso.com", i),
			Type: archive.PrincipalUser, State: pchat.Active}); err != nil {
			t.Fatal(err)
		}
	}
	// Rooms in an order other than their messages', one without messages.
	for _, n := range []int{303, 300, 302, 301} {
		if err := w.AddRoom(archive.Room{GUID: guid(n), Name: fmt.Sprintf("Room %d", n), Category: "C",
			Privacy: pchat.Open, Type: pchat.Normal, Invitations: pchat.Inherit}); err != nil {
			t.Fatal(err)
		}
	}
	texts := []string{"plain", "Grüße", "😀 and \"quotes\"", "", "日本語 \\ back", "longer plain text than the others here", "Ω"}
	var n int
	for _, room := range []int{301, 300, 302} {
		for chat := int64(1); chat <= 12; chat++ {
			n++
			m := archive.Message{Room: guid(room), ChatID: chat, Date: 636761959004172541 + chat, User: guid(1 + n%5),
				Content: texts[n%len(texts)]}
			if room == 300 && chat%4 == 0 {
				m.Date = -chat // outside the DateTime range
			}
			if n%3 == 0 {
				rtf := `{\rtf1 ` + texts[(n+1)%len(texts)] + `\par}`
				m.RTF = &rtf
			}
			if err := w.AddMessage(m); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Commit(archive.Manifest{Level: archive.LevelAll, Created: time.Unix(0, 0)}); err != nil {
		t.Fatal(err)
	}
	r, err := archive.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	a, err := readParts(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	got := prePassSummary{RoomMessages: a.roomMessages, StreamPos: a.streamPos, UnknownPosters: a.unknownPosters,
		BadDates: a.badDates, Text: a.text}
	want := referencePrePass(t, r, prins)
	if len(want.UnknownPosters) == 0 || len(want.BadDates) == 0 || len(want.StreamPos) != 3 {
		t.Fatalf("the archive lacks what the test is about: %+v", want)
	}
	if diff := cmp.Diff(want, got, cmp.Exporter(func(reflect.Type) bool { return true })); diff != "" {
		t.Errorf("pre-pass summary mismatch (-reference +got):\n%s", diff)
	}
	// Every room is described: the only problem is the dates.
	if len(a.problems) != 1 || a.problems[0].Object != "room Room 300" {
		t.Errorf("problems %v, want one, of the dates in Room 300", a.problems)
	}
}
