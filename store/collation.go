package store

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// Collation is how a database compares and stores the text of a column:
// SQL Server's collation, read from the catalogue (COLLATIONPROPERTY), or
// the embedded store's fixed rules.
//
// SQL Server's = on character columns ignores trailing spaces whatever the
// collation (ANSI padding), and a linguistic (non-binary) collation compares
// canonically equivalent text as equal. The sensitivity flags are those of
// COLLATIONPROPERTY(name, 'ComparisonStyle').
type Collation struct {
	Name string
	// CodePage is the code page of char/varchar/text data in this
	// collation: 1252, 932, ... 65001 for the _UTF8 collations; 0 when the
	// collation has no code page (Unicode-only collations) or is unknown.
	CodePage     int
	IgnoreCase   bool
	IgnoreAccent bool
	IgnoreKana   bool
	IgnoreWidth  bool
	// Binary collations (_BIN, _BIN2) compare code points.
	Binary bool
	// Turkic collations fold case by Turkish rules: I with ı and İ with i,
	// never I with i. From a server, those whose locale (COLLATIONPROPERTY
	// ... 'LCID') is Turkish (1055) or Azeri Latin (1068); by name,
	// Turkish_... and Azeri_Latin_....
	Turkic bool
}

// Locales (LCIDs) whose case rules are Turkish: Turkish (tr-TR) and Azeri
// in Latin script (az-Latn-AZ).
const (
	lcidTurkish    = 1055
	lcidAzeriLatin = 1068
)

// ComparisonStyle bits (COLLATIONPROPERTY ... 'ComparisonStyle').
const (
	styleIgnoreCase   = 1
	styleIgnoreAccent = 2
	styleIgnoreKana   = 65536
	styleIgnoreWidth  = 131072
)

// collationFromServer builds a Collation from its name and the three
// properties SQL Server reports for it. A NULL style (an old server, or a
// name it does not know) falls back to the name's suffixes, and so does a
// NULL locale.
//
// Whether case folds by Turkish rules follows the collation's locale, not
// its name: SQL Server compares nvarchar text by the linguistic rules of
// the collation's LCID, SQL_ collations too (their sort order applies to
// varchar only). The name says nothing of it for a SQL collation on the
// Turkish code page (SQL_Latin1_General_CP1254_CI_AS: "Latin1_General",
// code page 1254), whose locale the server reports.
func collationFromServer(name string, codePage, style, lcid *int64) Collation {
	c := ParseCollation(name)
	if codePage != nil {
		c.CodePage = int(*codePage)
	}
	if lcid != nil {
		c.Turkic = *lcid == lcidTurkish || *lcid == lcidAzeriLatin
	}
	if style != nil {
		c.IgnoreCase = *style&styleIgnoreCase != 0
		c.IgnoreAccent = *style&styleIgnoreAccent != 0
		c.IgnoreKana = *style&styleIgnoreKana != 0
		c.IgnoreWidth = *style&styleIgnoreWidth != 0
	}
	return c
}

// ParseCollation reads the comparison rules of a SQL Server collation from
// its name's suffixes (_CI/_CS, _AI/_AS, _KS, _WS, _BIN, _BIN2, _UTF8, and
// the _CPnnnn of SQL collations). Kana and width are ignored unless _KS or
// _WS says otherwise, as for Windows collations. The code page is only
// known from the name for _UTF8 (65001) and SQL_..._CPnnnn collations;
// the server's COLLATIONPROPERTY is the authority.
func ParseCollation(name string) Collation {
	c := Collation{Name: name, IgnoreKana: true, IgnoreWidth: true}
	parts := strings.Split(strings.ToUpper(name), "_")
	sql := len(parts) > 0 && parts[0] == "SQL"
	c.Turkic = parts[0] == "TURKISH" || len(parts) > 1 && parts[0] == "AZERI" && parts[1] == "LATIN"
	for _, p := range parts {
		switch p {
		case "CI":
			c.IgnoreCase = true
		case "CS":
			c.IgnoreCase = false
		case "AI":
			c.IgnoreAccent = true
		case "AS":
			c.IgnoreAccent = false
		case "KS":
			c.IgnoreKana = false
		case "WS":
			c.IgnoreWidth = false
		case "BIN", "BIN2":
			c.Binary = true
		case "UTF8":
			c.CodePage = 65001
		default:
			if sql && strings.HasPrefix(p, "CP") {
				switch n, err := strconv.Atoi(p[2:]); {
				case err != nil:
				case n == 1:
					c.CodePage = 1252
				case n >= 437:
					c.CodePage = n
				}
			}
		}
	}
	if c.Binary {
		c.IgnoreCase, c.IgnoreAccent, c.IgnoreKana, c.IgnoreWidth = false, false, false, false
	}
	return c
}

// turkicCase maps the capital Is of a Turkic collation to their Turkish
// lower-case letters (I to ı, İ to i) before the key is made: İ would
// otherwise decompose into I and a combining dot, and I fold with i.
var turkicCase = strings.NewReplacer("I", "ı", "İ", "i")

// embeddedCollation is the embedded store's rule for names: case is
// ignored (Unicode simple case folding, as strings.EqualFold), accents,
// kana and width are not, trailing spaces are ignored as SQL Server does.
// Its text is Unicode throughout (code page 65001 for the varchar columns).
var embeddedCollation = Collation{Name: "embedded (case-insensitive, accent-sensitive)", CodePage: 65001, IgnoreCase: true}

// Key returns a string that is the same for two values exactly when the
// collation's = finds them equal, within what Unicode tables can tell:
// the Windows sort tables' expansions (ß and ss, æ and ae in some
// collations) and ignorable characters are not modelled, so two names
// that differ only that way are distinct here and may be equal to the
// server. Keys are for maps and comparison only.
func (c Collation) Key(s string) string {
	s = strings.TrimRight(s, " ")
	if c.Binary {
		return s
	}
	if c.IgnoreWidth {
		s = width.Fold.String(s)
	}
	if c.Turkic && c.IgnoreCase {
		s = turkicCase.Replace(s)
	}
	s = norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if c.IgnoreAccent && unicode.Is(unicode.Mn, r) {
			continue
		}
		if c.IgnoreKana {
			r = kanaFold(r)
		}
		if c.IgnoreCase {
			r = caseFold(r)
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// Equal reports whether the collation's = finds a and b equal.
func (c Collation) Equal(a, b string) bool { return c.Key(a) == c.Key(b) }

// CaseSensitive reports whether names differing only in case are distinct.
func (c Collation) CaseSensitive() bool { return c.Binary || !c.IgnoreCase }

// caseFold maps r to the smallest rune of its simple case-folding orbit,
// so that two runes strings.EqualFold matches map to the same rune.
func caseFold(r rune) rune {
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < m {
			m = f
		}
	}
	return m
}

// kanaFold maps katakana to the hiragana of the same sound.
func kanaFold(r rune) rune {
	if r >= 0x30A1 && r <= 0x30F6 {
		return r - 0x60
	}
	return r
}

// Describe names the collation's rules for reports.
func (c Collation) Describe() string {
	var parts []string
	switch {
	case c.Binary:
		parts = append(parts, "binary")
	default:
		parts = append(parts, map[bool]string{true: "case-insensitive", false: "case-sensitive"}[c.IgnoreCase],
			map[bool]string{true: "accent-insensitive", false: "accent-sensitive"}[c.IgnoreAccent])
	}
	if c.CodePage != 0 {
		parts = append(parts, "code page "+strconv.Itoa(c.CodePage))
	}
	return c.Name + " (" + strings.Join(parts, ", ") + ")"
}
