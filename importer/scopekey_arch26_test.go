package importer

import "testing"

// TestLooseNameKey: the scope check compares names at least as loosely as
// any source collation could have matched them: case (Turkish dotless ı
// included), accents, width, and the expansions ß/ss, æ/ae, œ/oe.
func TestLooseNameKey(t *testing.T) {
	for _, c := range [][2]string{
		{"Sales", "SALES"}, {"Människor & Kultur", "manniskor & kultur"}, {"Straße", "STRASSE"},
		{"Æble", "aeble"}, {"Œuvre", "oeuvre"}, {"INFO", "ınfo"}, {"İstanbul", "istanbul"}, {"Ｓａｌｅｓ", "sales"}, {"Sales  ", "Sales"},
	} {
		if looseNameKey(c[0]) != looseNameKey(c[1]) {
			t.Errorf("%q and %q have different keys", c[0], c[1])
		}
	}
	if looseNameKey("Sales") == looseNameKey("Finance") {
		t.Error("Sales and Finance have one key")
	}
}
