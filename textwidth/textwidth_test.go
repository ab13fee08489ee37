package textwidth

import "testing"

func TestWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"Sales", 5},
		{"Zürich", 6},
		{"東京オフィス", 12},
		{"Book Club 📚", 12},
		{"e\u0301", 1},  // e + combining acute
		{"👍\ufe0f", 2},  // emoji + variation selector
		{"a\u200db", 2}, // zero-width joiner
		{"한국어", 6},
		{"👍🏽", 2},        // emoji with a skin-tone modifier: one grapheme
		{"👨‍👩‍👧", 2},     // a family: one ZWJ sequence
		{"🇩🇪 Berlin", 9}, // a flag: two regional indicators, one grapheme
		{"Café ☕ Corner", 14},
	}
	for _, tt := range tests {
		if got := Width(tt.s); got != tt.want {
			t.Errorf("Width(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
	if got := Pad("東京", 6); got != "東京  " {
		t.Errorf("Pad = %q", got)
	}
	if got := Pad("long name", 3); got != "long name" {
		t.Errorf("Pad of a longer string = %q", got)
	}
}

func TestContinued(t *testing.T) {
	tests := []struct{ s, want string }{
		{"plain", "plain"},
		{"ends with a break\r\n", "ends with a break"},
		{"x\nINFO fake", "x\n  INFO fake"},
		{"x\r\nEQUAL: all\rWARN", "x\n  EQUAL: all\\rWARN"},
		{"a\n\n\tb", "a\n\n  \tb"},
	}
	for _, tt := range tests {
		if got := Continued(tt.s, 2); got != tt.want {
			t.Errorf("Continued(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}
