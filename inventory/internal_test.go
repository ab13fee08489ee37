package inventory

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/numtext"
)

func TestDisplayWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"Engineering", 11}, {"Zoë", 3}, {"Zoe\u0308", 3}, {"東京オフィス", 12}, {"Café ☕ Corner", 14},
		{"Book Club 📚", 12}, {"☀️", 2}, // VS16 asks for emoji presentation: two columns
		{"Łódź", 4}, {"", 0},
	}
	for _, tt := range tests {
		if got := displayWidth(tt.s); got != tt.want {
			t.Errorf("displayWidth(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

func TestTable(t *testing.T) {
	tb := newTable("NAME", ">COUNT", "NOTE")
	tb.add("東京", "5", "")
	tb.add("Paris", "1,234", "line\nbreak")
	var b strings.Builder
	if err := tb.write(&b, "  "); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"  NAME   COUNT  NOTE\n" +
		"  東京       5\n" +
		"  Paris  1,234  line break\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("table mismatch (-want +got):\n%s", diff)
	}
}

func TestNumbers(t *testing.T) {
	tests := []struct {
		n          int64
		num, bytes string
	}{
		{0, "0", "0 B"}, {999, "999", "999 B"}, {1000, "1,000", "1000 B"}, {1536, "1,536", "1.5 KiB"},
		{1234567, "1,234,567", "1.2 MiB"}, {-1234, "-1,234", "-1234 B"}, {5 << 40, "5,497,558,138,880", "5.0 TiB"},
	}
	for _, tt := range tests {
		if got := []string{numtext.Thousands(tt.n), numtext.Bytes(tt.n)}; !cmp.Equal(got, []string{tt.num, tt.bytes}) {
			t.Errorf("numtext.Thousands, numtext.Bytes(%d) = %q, want %q, %q", tt.n, got, tt.num, tt.bytes)
		}
	}
}
