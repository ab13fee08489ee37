package store

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseCollation(t *testing.T) {
	tests := []struct {
		name string
		want Collation
	}{
		{"SQL_Latin1_General_CP1_CI_AS", Collation{CodePage: 1252, IgnoreCase: true, IgnoreKana: true, IgnoreWidth: true}},
		{"Latin1_General_CI_AS", Collation{IgnoreCase: true, IgnoreKana: true, IgnoreWidth: true}},
		{"Latin1_General_CS_AS", Collation{IgnoreKana: true, IgnoreWidth: true}},
		{"Latin1_General_100_CI_AI_SC_UTF8", Collation{CodePage: 65001, IgnoreCase: true, IgnoreAccent: true, IgnoreKana: true, IgnoreWidth: true}},
		{"Japanese_XJIS_140_CI_AS_KS_WS", Collation{IgnoreCase: true}},
		{"Latin1_General_BIN2", Collation{Binary: true}},
		{"SQL_Latin1_General_CP1250_CS_AS", Collation{CodePage: 1250, IgnoreKana: true, IgnoreWidth: true}},
		{"SQL_Latin1_General_CP437_BIN", Collation{CodePage: 437, Binary: true}},
	}
	for _, tt := range tests {
		tt.want.Name = tt.name
		if diff := cmp.Diff(tt.want, ParseCollation(tt.name)); diff != "" {
			t.Errorf("ParseCollation(%q) mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestCollationFromServer(t *testing.T) {
	cp, style := int64(1252), int64(styleIgnoreCase|styleIgnoreWidth)
	got := collationFromServer("Odd_Name", &cp, &style, nil)
	want := Collation{Name: "Odd_Name", CodePage: 1252, IgnoreCase: true, IgnoreWidth: true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("collationFromServer mismatch (-want +got):\n%s", diff)
	}
}

// TestCollationKey checks names that SQL Server's = finds equal, or not,
// under each kind of collation.
func TestCollationKey(t *testing.T) {
	ciAS := ParseCollation("Latin1_General_CI_AS")
	csAS := ParseCollation("Latin1_General_CS_AS")
	ciAI := ParseCollation("Latin1_General_CI_AI")
	bin := ParseCollation("Latin1_General_BIN2")
	ks := ParseCollation("Japanese_XJIS_140_CI_AS_KS_WS")
	tests := []struct {
		c     Collation
		a, b  string
		equal bool
	}{
		{ciAS, "Sales", "sales", true},
		{ciAS, "Sales", "Sales   ", true},
		{ciAS, "Sales", "   Sales", false},
		{ciAS, "Sales", "Sales\t", false},
		{ciAS, "Café", "CAFÉ", true},
		{ciAS, "Café", "Cafe\u0301", true}, // canonically equivalent
		{ciAS, "Café", "Cafe", false},
		{ciAS, "ＳＡＬＥＳ", "sales", true}, // width-insensitive
		{ciAS, "カタカナ", "かたかな", true},   // kana-insensitive
		{csAS, "Sales", "sales", false},
		{csAS, "Sales", "Sales ", true},
		{ciAI, "Café", "cafe", true},
		{bin, "Sales", "Sales ", true},
		{bin, "Café", "Cafe\u0301", false},
		{bin, "a", "A", false},
		{ks, "カタカナ", "かたかな", false},
		{ks, "ＳＡＬＥＳ", "sales", false},
		{embeddedCollation, "Ünïcødé", "üNÏCØDÉ", true},
		{embeddedCollation, "room", "room ", true},
		{embeddedCollation, "Café", "Cafe", false},
	}
	for _, tt := range tests {
		if got := tt.c.Equal(tt.a, tt.b); got != tt.equal {
			t.Errorf("%s: Equal(%q, %q) = %v, want %v", tt.c.Name, tt.a, tt.b, got, tt.equal)
		}
	}
}

// TestNameKeyFollowsColumnCollation opens a SQL Server store whose tblNode
// names are case-sensitive while the database is not: room names compare
// by the column's collation.
func TestNameKeyFollowsColumnCollation(t *testing.T) {
	cs := fakeCollation{name: "Latin1_General_CS_AS", codePage: 1252, style: styleIgnoreKana | styleIgnoreWidth}
	cat := fakeCatalog{text: map[string]fakeCollation{"tblNode.nodeName": cs}}
	s := openFake(t, cat)
	if s.NameKey("Sales") == s.NameKey("sales") {
		t.Error("NameKey folds case on a case-sensitive tblNode.nodeName")
	}
	if s.NameKey("Sales") != s.NameKey("Sales  ") {
		t.Error("NameKey keeps trailing spaces, which SQL Server's = ignores")
	}
	if s.URIKey("sip:A@contoso.com") != s.URIKey("SIP:a@CONTOSO.com") {
		t.Error("URIKey does not fold case on a case-insensitive tblPrincipal.prinUri")
	}
	if got := s.Collation("tblNode", "nodeName").Name; got != "Latin1_General_CS_AS" {
		t.Errorf("Collation(tblNode.nodeName) = %q", got)
	}
}

func TestNameKeyEmbedded(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Config{DSN: "sqlite:" + filepath.Join(t.TempDir(), "pool.db"), Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.NameKey("Ünïcødé Room") != s.NameKey("üNÏCØDÉ room  ") {
		t.Error("embedded NameKey does not ignore case and trailing spaces")
	}
	if s.NameKey("Café") == s.NameKey("Cafe") {
		t.Error("embedded NameKey ignores accents")
	}
}

// openFake opens a SQL Server store on the recording driver with the
// given catalogue (and the fake pool's other answers).
func openFake(t *testing.T, cat fakeCatalog) *Store {
	t.Helper()
	s := newFake(t, cat)
	if err := s.load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestNameKeyTurkishCollation: under a Turkish (or Azeri Latin) collation
// SQL Server folds case by Turkish rules, I with ı and İ with i, so
// "ISTANBUL" and "istanbul" are two names there, and "ISTANBUL" and
// "ıstanbul" one. NameKey folded I with i as other collations do, so an
// import into a Turkish-collated mgc merged a category into one the server
// holds as another name, and created one the server holds as the same.
func TestNameKeyTurkishCollation(t *testing.T) {
	for _, name := range []string{"Turkish_CI_AS", "Turkish_100_CI_AI", "Azeri_Latin_100_CI_AS"} {
		tr := fakeCollation{name: name, codePage: 1254, style: styleIgnoreCase | styleIgnoreKana | styleIgnoreWidth}
		s := openFake(t, fakeCatalog{text: map[string]fakeCollation{"tblNode.nodeName": tr}})
		for _, tt := range []struct {
			a, b  string
			equal bool
		}{
			{"ISTANBUL", "istanbul", false},
			{"ISTANBUL", "ıstanbul", true},
			{"İzmir", "izmir", true},
			{"İzmir", "Izmir", false},
			{"İzmir", "İZMİR ", true},
			{"Sales", "SALES", true},
			{"ＩＳＴＡＮＢＵＬ", "istanbul", false}, // full-width I is I
		} {
			if got := s.NameKey(tt.a) == s.NameKey(tt.b); got != tt.equal {
				t.Errorf("%s: NameKey(%q) == NameKey(%q) is %v, want %v", name, tt.a, tt.b, got, tt.equal)
			}
		}
	}
	// Case-sensitive Turkish and other collations keep their rules.
	if !ParseCollation("Latin1_General_CI_AS").Equal("ISTANBUL", "istanbul") {
		t.Error("Latin1_General_CI_AS: ISTANBUL and istanbul differ")
	}
	if ParseCollation("Turkish_CS_AS").Equal("ISTANBUL", "ıstanbul") {
		t.Error("Turkish_CS_AS: ISTANBUL and ıstanbul are equal")
	}
}

// TestCollationLocaleFromTheServer: whether names fold case by Turkish
// rules follows the locale the server reports for the column's collation
// (COLLATIONPROPERTY ... 'LCID'), not its name. SQL Server compares
// nvarchar text by its collation's locale, SQL_ collations included (their
// sort order is for varchar), and the name of a SQL collation on the
// Turkish code page, SQL_Latin1_General_CP1254_CI_AS, says "Latin1_General"
// whatever its locale. With a Turkish (1055) or Azeri Latin (1068) locale
// "ISTANBUL" and "istanbul" are two names and "ISTANBUL" and "ıstanbul"
// one; with English (1033) the opposite. Failed before (the name decided:
// never Turkish for a SQL_ collation). Which locale a real server reports
// for it, TestCollationKeysAgreeWithServerSQLServer settles on one.
func TestCollationLocaleFromTheServer(t *testing.T) {
	for _, tt := range []struct {
		lcid    int64
		turkish bool
	}{{1055, true}, {1068, true}, {1033, false}} {
		c := fakeCollation{name: "SQL_Latin1_General_CP1254_CI_AS", codePage: 1254,
			style: styleIgnoreCase | styleIgnoreKana | styleIgnoreWidth, lcid: tt.lcid}
		s := openFake(t, fakeCatalog{text: map[string]fakeCollation{"tblNode.nodeName": c, "tblPrincipal.prinUri": c}})
		if got := s.NameKey("ISTANBUL") == s.NameKey("istanbul"); got == tt.turkish {
			t.Errorf("LCID %d: NameKey(ISTANBUL) == NameKey(istanbul) is %v, want %v", tt.lcid, got, !tt.turkish)
		}
		if got := s.NameKey("ISTANBUL") == s.NameKey("ıstanbul"); got != tt.turkish {
			t.Errorf("LCID %d: NameKey(ISTANBUL) == NameKey(ıstanbul) is %v, want %v", tt.lcid, got, tt.turkish)
		}
		if got := s.URIKey("sip:IRIS@contoso.com") == s.URIKey("sip:iris@contoso.com"); got == tt.turkish {
			t.Errorf("LCID %d: URIKey(sip:IRIS@...) == URIKey(sip:iris@...) is %v, want %v", tt.lcid, got, !tt.turkish)
		}
	}
	// Without the property (NULL: a name the server does not know) the
	// name decides, as before.
	if !collationFromServer("Turkish_CI_AS", nil, nil, nil).Turkic || collationFromServer("SQL_Latin1_General_CP1254_CI_AS", nil, nil, nil).Turkic {
		t.Error("without a locale from the server, Turkish rules should follow the name (Turkish_CI_AS yes, SQL_Latin1_General_CP1254_CI_AS no)")
	}
}
