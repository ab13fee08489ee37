package numtext

import "testing"

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0", 7: "7", 999: "999", 1000: "1,000", 1204: "1,204", 123456: "123,456", 1234567: "1,234,567",
		-7: "-7", -999: "-999", -1204: "-1,204", -123456: "-123,456",
		9223372036854775807: "9,223,372,036,854,775,807", -9223372036854775808: "-9,223,372,036,854,775,808",
	} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
	if got := Thousands(1204); got != "1,204" { // an int, not only int64
		t.Errorf("Thousands(int 1204) = %q", got)
	}
}

func TestCount(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{{0, "0 rooms"}, {1, "1 room"}, {2, "2 rooms"}, {1204, "1204 rooms"}, {-1, "-1 rooms"}} {
		if got := Count(tt.n, "room", "rooms"); got != tt.want {
			t.Errorf("Count(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	if got := Count(1, "category", "categories"); got != "1 category" { // an int
		t.Errorf("Count(int 1) = %q", got)
	}
	if got := Noun(int64(3), "entry", "entries"); got != "entries" {
		t.Errorf("Noun(3) = %q", got)
	}
}

func TestFirstAndMore(t *testing.T) {
	items := []string{"a", "b", "c", "d", "e"}
	for _, tt := range []struct {
		show int
		want string
	}{{3, "a, b, c and 2 more"}, {4, "a, b, c, d and 1 more"}, {5, "a, b, c, d, e"}, {9, "a, b, c, d, e"}, {0, "5 more"}} {
		if got := First(items, tt.show); got != tt.want {
			t.Errorf("First(5 items, %d) = %q, want %q", tt.show, got, tt.want)
		}
	}
	if got := First(nil, 3); got != "" {
		t.Errorf("First(nil) = %q", got)
	}
	if got := More([]string{"x", "y"}, int64(1204)); got != "x, y and 1202 more" {
		t.Errorf("More(2 of 1204) = %q", got)
	}
	if got := More([]string{"x", "y"}, 2); got != "x, y" {
		t.Errorf("More(2 of 2) = %q", got)
	}
}

func TestAnd(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{{nil, ""}, {[]string{"a"}, "a"}, {[]string{"a", "b"}, "a and b"}, {[]string{"a", "b", "c"}, "a, b and c"}} {
		if got := And(c.in); got != c.want {
			t.Errorf("And(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestListed(t *testing.T) {
	shown := []string{"a, 1", "b"}
	for _, tc := range []struct {
		total int
		sep   string
		want  string
	}{
		{2, "; ", "a, 1; b"},
		{9, "; ", "a, 1; b; and 7 more"},
		{3, ", ", "a, 1, b, and 1 more"},
	} {
		if got := Listed(shown, tc.total, tc.sep); got != tc.want {
			t.Errorf("Listed(%q, %d, %q) = %q, want %q", shown, tc.total, tc.sep, got, tc.want)
		}
	}
	if got := Listed(nil, 4, "; "); got != "and 4 more" {
		t.Errorf("Listed(nil, 4) = %q", got)
	}
	if len(shown) != 2 || cap(shown) != 2 {
		t.Errorf("Listed changed its argument: %q", shown)
	}
}
