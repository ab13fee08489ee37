package store

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"
	"github.com/pcmig/pcmig/pchat"
)

// textMeetsVarchar lists, for one statement, each text parameter (sent as
// nvarchar) that is compared with or assigned to a column the catalogue
// holds as varchar or char: SQL Server would convert the column to
// nvarchar (with a SQL collation: a scan instead of a seek) or the value to
// the column's code page. A parameter converted on its own side
// (CONVERT(uniqueidentifier, @p1)) meets no column.
func textMeetsVarchar(cat *catalog, c call) []string {
	var out []string
	for i, a := range c.Args {
		if _, ok := a.(mssql.NVarCharMax); !ok {
			if _, ok := a.(string); !ok {
				continue
			}
		}
		p := fmt.Sprintf(`@p%d\b`, i+1)
		for _, re := range []*regexp.Regexp{
			regexp.MustCompile(`([\w\[\].]+)\s*(?:=|<>|<|>|<=|>=|LIKE)\s*` + p),
			regexp.MustCompile(p + `\s*(?:=|<>|<|>|<=|>=)\s*([\w\[\].]+)`),
			regexp.MustCompile(`([\w\[\].]+)\s+(?:NOT\s+)?IN\s*\([^)]*` + p),
		} {
			for _, m := range re.FindAllStringSubmatch(c.Query, -1) {
				col := strings.Trim(m[1][strings.LastIndex(m[1], ".")+1:], "[]")
				for _, t := range cat.tables {
					for _, cc := range t.cols {
						if strings.EqualFold(cc.Name, col) && cc.IsText() && !cc.Unicode() {
							out = append(out, fmt.Sprintf("@p%d (%q) meets %s.%s, %s, in %q", i+1, a, t.name, cc.Name, cc.Type, c.Query))
						}
					}
				}
			}
		}
	}
	return out
}

// TestSQLServerNoTextParameterMeetsVarchar: of the documented schema's
// text columns only tblChat.rtf is varchar, and no statement the SQL Server
// store sends compares a text parameter with it (or with any varchar
// column) or assigns one to it: rtf goes by bulk copy, encoded for its code
// page. Every text parameter of a statement is nvarchar(max).
// The checker itself flags such a comparison (first case), so the test can
// fail.
func TestSQLServerNoTextParameterMeetsVarchar(t *testing.T) {
	ctx := context.Background()
	s, rec := openServer(t, &fakeServer{})
	if got := textMeetsVarchar(s.cat, call{Op: "query", Query: "SELECT chatId FROM tblChat WHERE rtf = @p1", Args: []any{mssql.NVarCharMax("x")}}); len(got) != 1 {
		t.Fatalf("the checker does not flag a comparison with tblChat.rtf: %v", got)
	}
	steps := []struct {
		name string
		run  func() error
	}{
		{"FindPrincipal", func() error {
			_, _, err := s.FindPrincipal(ctx, "a1111111-2222-4333-8444-555555555555", "sip:ann@contoso.com")
			return err
		}},
		{"EnsurePrincipals", func() error {
			_, _, err := s.EnsurePrincipals(ctx, []pchat.Principal{{URI: "sip:ann@contoso.com", Name: "Ann", Email: "ann@contoso.com", Type: pchat.TypeUser}})
			return err
		}},
		{"EnsureAddin", func() error {
			_, _, err := s.EnsureAddin(ctx, pchat.Addin{Name: "Wiki", URL: "https://wiki"})
			return err
		}},
		{"Apply", func() error {
			var ch Changes
			cat := ch.Category(pchat.Category{Name: "Sales", Description: "d", GUID: "c1111111-2222-4333-8444-555555555555"})
			ch.Room(pchat.Room{Name: "Deals", CategoryID: cat, Privacy: pchat.Open, Type: pchat.Normal, GUID: "d1111111-2222-4333-8444-555555555555"})
			_, err := s.Apply(ctx, &ch)
			return err
		}},
		{"UpdateCategory", func() error { return s.UpdateCategory(ctx, pchat.Category{ID: 5, Name: "Sales 2"}) }},
		{"UpdateRoom", func() error {
			return s.UpdateRoom(ctx, pchat.Room{ID: 6, Name: "Deals 2", CategoryID: 5, Privacy: pchat.Open, Type: pchat.Normal,
				AddinID: "b1111111-2222-4333-8444-555555555555"})
		}},
		{"AddRoles", func() error { _, err := s.AddRoles(ctx, 6, "Member", []int32{7}); return err }},
		{"DisableRooms", func() error { _, err := s.DisableRooms(ctx, []int32{6}, 1, 0); return err }},
		{"AppendMessages", func() error { _, err := s.AppendMessages(ctx, 6, rtfMessages(3, `{\rtf1 x}`)); return err }},
		{"StreamMessages", func() error {
			return s.StreamMessages(ctx, MessageFilter{Rooms: []int32{6}}, func(pchat.Message) error { return nil })
		}},
		{"SetConfig", func() error {
			return s.SetConfig(ctx, "pool", "pchat.contoso.com", "e1111111-2222-4333-8444-555555555555")
		}},
		{"RegisterServer", func() error { return s.RegisterServer(ctx, 1, "net.tcp://pchat:8011/", time.Now()) }},
		{"DeleteRoom", func() error { return s.DeleteRoom(ctx, 6) }},
	}
	for _, st := range steps {
		if err := st.run(); err != nil {
			t.Errorf("%s: %v", st.name, err)
		}
	}
	text := 0
	for _, c := range rec.Calls() {
		if strings.HasPrefix(c.Query, "INSERTBULK ") { // rows typed by the table's metadata, no SQL
			continue
		}
		for _, a := range c.Args {
			switch a.(type) {
			case string:
				t.Errorf("text parameter %q sent as a Go string (nvarchar(len)) in %q", a, c.Query)
			case mssql.NVarCharMax:
				text++
			}
		}
		for _, m := range textMeetsVarchar(s.cat, c) {
			t.Error(m)
		}
	}
	if text == 0 {
		t.Error("no text parameter was sent: the test checks nothing")
	}
}
