package lab

import (
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	lua "github.com/yuin/gopher-lua"
)

func TestRTFOf(t *testing.T) {
	const head = `{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fnil\fcharset0 Segoe UI;}}\f0\fs20 `
	tests := []struct{ in, want string }{
		{"plain", head + `plain\par}`},
		{`a {b} \c`, head + `a \{b\} \\c\par}`},
		{"one\ntwo\tthree", head + `one\par two\tab three\par}`},
		{"Zoë €", head + `Zo\u235? \u8364?\par}`},
		{"金", head + `\u-28207?\par}`},
		{"👍", head + `\u-10179?\u-9139?\par}`},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, rtfOf(tt.in)); diff != "" {
			t.Errorf("rtfOf(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestAllocate(t *testing.T) {
	tests := []struct {
		rooms, total int
		minEmpty     int
	}{
		{1, 5, 0}, {3, 10, 0}, {4, 7, 1}, {24, 5000, 4}, {24, 100_000, 4}, {50, 3, 8},
	}
	for _, tt := range tests {
		counts := allocate(newGen(1, streamMessages), tt.rooms, tt.total)
		sum, empty := 0, 0
		for _, c := range counts {
			sum += c
			if c == 0 {
				empty++
			}
		}
		if sum != tt.total || len(counts) != tt.rooms || empty < tt.minEmpty {
			t.Errorf("allocate(%d rooms, %d) = %v: sum %d, %d empty; want sum %d, at least %d empty",
				tt.rooms, tt.total, counts, sum, empty, tt.total, tt.minEmpty)
		}
	}
}

func TestTimeline(t *testing.T) {
	tests := []struct {
		from, to int64
		n        int
	}{
		{0, 1000, 10}, {100, 110, 10}, {100, 105, 10}, {5, 6, 1}, {0, 1 << 40, 1000},
	}
	for _, tt := range tests {
		ticks := timeline(newGen(2, streamMessages), tt.from, tt.to, tt.n)
		if len(ticks) != tt.n {
			t.Fatalf("timeline(%d, %d, %d) gave %d ticks", tt.from, tt.to, tt.n, len(ticks))
		}
		end := max(tt.to, tt.from+int64(2*tt.n))
		for i, tk := range ticks {
			if tk < tt.from || tk >= end || i > 0 && tk <= ticks[i-1] {
				t.Errorf("timeline(%d, %d, %d)[%d] = %d: not increasing within [%d, %d)", tt.from, tt.to, tt.n, i, tk, tt.from, end)
			}
		}
	}
}

func TestGUID(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	a, b := newGen(1, streamPrincipals), newGen(1, streamPrincipals)
	seen := map[string]bool{}
	for range 1000 {
		g := a.guid()
		if !re.MatchString(g) || seen[g] {
			t.Fatalf("guid %q: malformed or repeated", g)
		}
		seen[g] = true
		if h := b.guid(); h != g {
			t.Fatalf("same seed gave %q and %q", g, h)
		}
	}
}

func TestLuaQuote(t *testing.T) {
	tests := []string{"plain", `back\slash "quoted"`, "line\nbreak\ttab\rcr", "bell\a", "Zoë 東京 👍", ""}
	for _, in := range tests {
		L := lua.NewState()
		if err := L.DoString("return " + luaQuote(in)); err != nil {
			t.Fatalf("luaQuote(%q) = %s: %v", in, luaQuote(in), err)
		}
		if diff := cmp.Diff(in, L.Get(-1).String()); diff != "" {
			t.Errorf("luaQuote(%q) read back mismatch (-want +got):\n%s", in, diff)
		}
		L.Close()
	}
}
