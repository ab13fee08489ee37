package grouped

import (
	"fmt"
	"strings"
	"testing"
)

func TestLines(t *testing.T) {
	var msgs, kinds []string
	add := func(kind string, n int) {
		for i := 0; i < n; i++ {
			msgs = append(msgs, fmt.Sprintf("%s%d", kind, i))
			kinds = append(kinds, kind)
		}
	}
	add("a", Few+3)
	add("", 2)
	add("b", Few+1) // no "1 more not shown": all of them
	add("a", 1)
	got := Lines(msgs, kinds, func(k string) string { return k + "s" }, "the report lists every one")
	want := Few + 1 + 2 + Few + 1
	if len(got) != want {
		t.Fatalf("%d lines, want %d:\n%s", len(got), want, strings.Join(got, "\n"))
	}
	if s := got[Few]; s != fmt.Sprintf("... %d as in all (4 more not shown): the report lists every one", Few+4) {
		t.Errorf("summary line %q", s)
	}
	if got[Few+1] != "0" || got[len(got)-1] != fmt.Sprintf("b%d", Few) {
		t.Errorf("order: %q", got)
	}
	if got := Lines([]string{"x", "y"}, nil, nil, ""); strings.Join(got, ",") != "x,y" {
		t.Errorf("no kinds: %q", got)
	}
}
