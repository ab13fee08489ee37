package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// handPool is a Persistent Chat database built by hand through the store
// API, object by object, as an administrator's pool would hold them: the
// hand-built cases of the proof of migration (verify) start from two of
// them, a source and a target.
type handPool struct {
	t    *testing.T
	path string
	s    *store.Store
}

// newHandPool creates an empty pool (schema and static rows) in the test's
// folder.
func newHandPool(t *testing.T, dir, name string) *handPool {
	t.Helper()
	path := filepath.Join(dir, name+".db")
	s, err := store.Open(context.Background(), store.Config{DSN: "sqlite:" + path, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &handPool{t: t, path: path, s: s}
}

// dsn names the pool on pcmig's command line.
func (p *handPool) dsn() string { return "sqlite:" + p.path }

// close closes the pool so that pcmig can open it.
func (p *handPool) close() {
	p.t.Helper()
	if err := p.s.Close(); err != nil {
		p.t.Fatal(err)
	}
}

// handTick is the time of the hand-built messages: 2019-06-04T20:15:40Z.
var handTick = pchat.TicksFromTime(time.Date(2019, 6, 4, 20, 15, 40, 0, time.UTC))

// prin adds a principal: a user (a sip: URI) or a group (ma-grp:), with
// GUID guid, in state st.
func (p *handPool) prin(guid, uri string, st pchat.PrincipalState) int32 {
	p.t.Helper()
	typ := pchat.TypeUser
	if strings.HasPrefix(uri, "ma-grp:") {
		typ = pchat.TypeGroup
	}
	name := strings.TrimPrefix(strings.TrimPrefix(uri, "sip:"), "ma-grp:")
	id, _, err := p.s.EnsurePrincipal(context.Background(), pchat.Principal{GUID: guid, URI: uri, Type: typ, Name: name,
		DisplayName: name, State: st, AddedOn: handTick, UpdatedOn: handTick})
	if err != nil {
		p.t.Fatal(err)
	}
	return id
}

// user adds an active user numbered i (GUID and URI from i).
func (p *handPool) user(i int) int32 {
	p.t.Helper()
	return p.prin(handGUID(i), fmt.Sprintf("sip:user%d@contoso.com", i), pchat.Active)
}

// handGUID is the GUID of hand-built principal i.
func handGUID(i int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i) }

// category adds a category with its lists.
func (p *handPool) category(c pchat.Category) int32 {
	p.t.Helper()
	id, err := p.s.CreateCategory(context.Background(), c)
	if err != nil {
		p.t.Fatal(err)
	}
	return id
}

// room adds an open, normal room to category cat with its lists.
func (p *handPool) room(r pchat.Room) int32 {
	p.t.Helper()
	if r.Privacy == "" {
		r.Privacy = pchat.Open
	}
	if r.Type == "" {
		r.Type = pchat.Normal
	}
	id, err := p.s.CreateRoom(context.Background(), r)
	if err != nil {
		p.t.Fatal(err)
	}
	return id
}

// post appends messages to a room.
func (p *handPool) post(room int32, msgs ...pchat.Message) {
	p.t.Helper()
	if _, err := p.s.AppendMessages(context.Background(), room, msgs); err != nil {
		p.t.Fatal(err)
	}
}

// msg is a message by poster, i minutes after handTick.
func msg(poster int32, i int, content string) pchat.Message {
	return pchat.Message{Date: handTick + int64(i)*600_000_000, UserID: poster, Content: content}
}

// handVerdict is what pcmig verify --json said.
type handVerdict struct {
	Verdict     string `json:"verdict"`
	Differences []struct {
		Text string `json:"text"`
	} `json:"differences"`
	NotCarried []struct {
		Text string `json:"text"`
	} `json:"not_carried"`
	Notes []string `json:"notes"`
	Rooms []struct {
		Name           string `json:"name"`
		TargetName     string `json:"target_name"`
		Comparison     string `json:"comparison"`
		SourceMessages int64  `json:"source_messages"`
		TargetMessages int64  `json:"target_messages"`
	} `json:"rooms"`
	text string
}

func (v *handVerdict) differences() string {
	var b strings.Builder
	for _, d := range v.Differences {
		b.WriteString(d.Text + "\n")
	}
	return b.String()
}

// handMigrate exports the source into an archive in dir and imports it
// into the target with importArgs (--on-conflict ...), both through pcmig;
// both pools are closed first.
func handMigrate(t *testing.T, dir string, src, tgt *handPool, importArgs ...string) string {
	t.Helper()
	src.close()
	tgt.close()
	arc := filepath.Join(dir, "archive.zip")
	mustRun(t, 0, "export", "--db", src.dsn(), "--file", arc)
	mustRun(t, 0, append([]string{"import", "--db", tgt.dsn(), "--file", arc}, importArgs...)...)
	return arc
}

// handVerify runs pcmig verify on the hand-built pools and archive, in
// text and in JSON, and checks that both and the exit code agree.
func handVerify(t *testing.T, src, tgt *handPool, arc string) *handVerdict {
	t.Helper()
	args := []string{"verify", "--source", src.dsn(), "--target", tgt.dsn()}
	if arc != "" {
		args = append(args, "--archive", arc)
	}
	text, _, code := runCmd(t, args...)
	js, _, jcode := runCmd(t, append(args, "--json")...)
	var v handVerdict
	decodeJSON(t, []byte(js), &v)
	v.text = text
	want := map[string]int{"EQUAL": 0, "DIFFERENT": exitDifferent}[v.Verdict]
	if code != want || jcode != want {
		t.Fatalf("verify: exit %d (text) and %d (JSON) for verdict %s, want %d\n%s", code, jcode, v.Verdict, want, text)
	}
	return &v
}

// wantVerdict fails unless verify said verdict.
func (v *handVerdict) want(t *testing.T, verdict string) {
	t.Helper()
	if v.Verdict != verdict {
		t.Fatalf("verdict %s, want %s:\n%s", v.Verdict, verdict, v.text)
	}
}
