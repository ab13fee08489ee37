package nearest

import "testing"

func TestName(t *testing.T) {
	known := []string{"run", "record", "on_conflict", "list", "lsit2"}
	tests := []struct{ name, want string }{
		{"rnu", "run"},                 // swap: one edit
		{"RUN", "run"},                 // case only
		{"on_conflcit", "on_conflict"}, // swap in a long name
		{"on_confl", ""},               // three edits: too far
		{"recrod", "record"},
		{"xyz", ""},
		{"lst", "list"},
	}
	for _, tc := range tests {
		if got := Name(tc.name, known); got != tc.want {
			t.Errorf("Name(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"run", "rnu", 1}, {"run", "runs", 1}, {"kitten", "sitting", 3}, {"ä", "a", 1}} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
