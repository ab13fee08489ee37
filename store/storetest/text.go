package storetest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// The text of messages round trips through the database's own columns:
// tblChat.content is nvarchar(max), tblChat.rtf varchar(max) in its
// collation's code page.

// rtfSamples are RTF texts with characters in and out of Windows-1252.
var rtfSamples = []struct {
	name, rtf string
}{
	{"é", `{\rtf1\ansi caf` + "é" + `}`},
	{"€", `{\rtf1\ansi 10 ` + "€" + `}`},
	{"日本", `{\rtf1\ansi ` + "日本" + `}`},
}

// testRTFRoundTrip appends messages whose RTF holds é, € and 日本, in a
// batch of 10 (INSERT statements on SQL Server) and of 1,234 (bulk copy),
// and reads them back unchanged; or, where the rtf column's code page lacks
// a character (日本 in code page 1252), the whole batch is refused with
// store.ErrText and nothing is written.
func testRTFRoundTrip(t *testing.T, s *store.Store) {
	u := AddUser(t, s, 1)
	cid := must(s.CreateCategory(ctx, pchat.Category{Name: "c"}))
	for _, sample := range rtfSamples {
		for _, n := range []int{10, 1234} {
			t.Run(fmt.Sprintf("%s x%d", sample.name, n), func(t *testing.T) {
				// Not must: a panic would not cross this subtest's goroutine.
				rid, err := s.CreateRoom(ctx, pchat.Room{Name: fmt.Sprintf("%s %d", sample.name, n), CategoryID: cid, Privacy: pchat.Open, Type: pchat.Normal})
				if err != nil {
					t.Fatal(err)
				}
				msgs := Msgs(n, u)
				for i := range msgs {
					r := fmt.Sprintf("%s %d", sample.rtf, i)
					msgs[i].RTF = &r
					msgs[i].Content = sample.name + " " + msgs[i].Content
				}
				fits := s.CheckText("tblChat", "rtf", sample.rtf) == nil
				_, err = s.AppendMessages(ctx, rid, msgs)
				var got []pchat.Message
				if err := s.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{rid}}, func(m pchat.Message) error { got = append(got, m); return nil }); err != nil {
					t.Fatal(err)
				}
				if !fits {
					if !errors.Is(err, store.ErrText) {
						t.Fatalf("AppendMessages(%s in a column whose code page lacks it) = %v, want store.ErrText", sample.name, err)
					}
					if len(got) != 0 {
						t.Errorf("a refused batch left %d messages", len(got))
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				for i := range msgs {
					msgs[i].RoomID, msgs[i].ChatID = rid, int64(i+1)
				}
				if diff := cmp.Diff(msgs, got); diff != "" {
					t.Errorf("round trip of %s at %d messages (-sent +read):\n%s", sample.name, n, diff)
				}
			})
		}
	}
	// é and € are in every Windows Latin code page and in UTF-8: a
	// database that cannot hold them in tblChat.rtf is not one Persistent
	// Chat runs on.
	for _, sample := range rtfSamples[:2] {
		if err := s.CheckText("tblChat", "rtf", sample.rtf); err != nil {
			t.Logf("note: this database's tblChat.rtf cannot hold %s: %v", sample.name, err)
		}
	}
}

// testNamesCompareAsTheDatabase: category and room lookups by name follow
// the database's = on tblNode.nodeName: trailing spaces never count, case
// counts only in a case-sensitive collation.
func testNamesCompareAsTheDatabase(t *testing.T, s *store.Store) {
	cid := must(s.CreateCategory(ctx, pchat.Category{Name: "Sales"}))
	rid := must(s.CreateRoom(ctx, pchat.Room{Name: "Ünïcødé room", CategoryID: cid, Privacy: pchat.Open, Type: pchat.Normal}))
	if id, ok, err := s.CategoryID(ctx, "Sales   "); err != nil || !ok || id != cid {
		t.Errorf("CategoryID(\"Sales   \") = %d, %v, %v; want %d (trailing spaces do not count)", id, ok, err, cid)
	}
	caseSensitive := s.Collation("tblNode", "nodeName").CaseSensitive()
	if _, ok, err := s.CategoryID(ctx, "SALES"); err != nil || ok == caseSensitive {
		t.Errorf("CategoryID(\"SALES\") found = %v (%v) in a database whose names are case-sensitive = %v", ok, err, caseSensitive)
	}
	if id, ok, err := s.RoomID(ctx, "Ünïcødé room "); err != nil || !ok || id != rid {
		t.Errorf("RoomID(with a trailing space) = %d, %v, %v; want %d", id, ok, err, rid)
	}
	if s.NameKey("Sales") != s.NameKey("Sales ") {
		t.Error("NameKey keeps trailing spaces")
	}
}

// testEdgeText appends messages whose text sits at the edges of what the
// wire protocol carries differently (on SQL Server bulk copy sends
// nvarchar(max) and varchar(max) as partially length-prefixed chunks, and
// an empty value is a terminator with no chunk, which some client libraries
// have sent wrongly): empty content, an empty and a NULL rtf, content that
// is only spaces or ends in them (SQL Server keeps trailing spaces of
// nvarchar data, and = ignores them), and values beyond 4,000 characters
// and 8,000 bytes. Each must read back exactly, in a batch of five and in
// one of 1,234.
func testEdgeText(t *testing.T, s *store.Store) {
	u := AddUser(t, s, 1)
	cid := must(s.CreateCategory(ctx, pchat.Category{Name: "c"}))
	empty, long := "", `{\rtf1\ansi `+strings.Repeat("x", 9000)+`}`
	edges := []struct {
		content string
		rtf     *string
	}{
		{"", nil},
		{"", &empty},
		{"   ", &empty},
		{"trailing  ", nil},
		{strings.Repeat("é", 4001) + "日本", &long},
	}
	for _, n := range []int{len(edges), 1234} {
		t.Run(fmt.Sprintf("x%d", n), func(t *testing.T) {
			rid, err := s.CreateRoom(ctx, pchat.Room{Name: fmt.Sprintf("edges %d", n), CategoryID: cid, Privacy: pchat.Open, Type: pchat.Normal})
			if err != nil {
				t.Fatal(err)
			}
			msgs := Msgs(n, u)
			for i := range msgs {
				e := edges[i%len(edges)]
				msgs[i].Content, msgs[i].RTF = e.content, e.rtf
			}
			if _, err := s.AppendMessages(ctx, rid, msgs); err != nil {
				t.Fatal(err)
			}
			var got []pchat.Message
			if err := s.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{rid}}, func(m pchat.Message) error { got = append(got, m); return nil }); err != nil {
				t.Fatal(err)
			}
			want := Msgs(n, u)
			for i := range want {
				e := edges[i%len(edges)]
				want[i].Content, want[i].RTF = e.content, e.rtf
				want[i].RoomID, want[i].ChatID = rid, int64(i+1)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("messages read back (-want +got):\n%.2000s", diff)
			}
		})
	}
}
