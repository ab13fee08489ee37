package bindings

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	lua "github.com/yuin/gopher-lua"
)

// show renders a Lua value with sorted keys and types, for comparisons.
func show(v lua.LValue) string {
	switch v := v.(type) {
	case lua.LString:
		return fmt.Sprintf("%q", string(v))
	case lua.LNumber:
		// every digit, not Lua's 14 (tostring), so that exactness shows
		return "n:" + strconv.FormatFloat(float64(v), 'f', -1, 64)
	case *lua.LTable:
		var parts []string
		v.ForEach(func(k, val lua.LValue) { parts = append(parts, show(k)+"="+show(val)) })
		sort.Strings(parts)
		return "{" + strings.Join(parts, " ") + "}"
	}
	return v.String()
}

// Inner is embedded in sample.
type Inner struct {
	Depth int `json:"depth"`
}

type sample struct {
	Inner
	Name     string        `json:"name"`
	Skipped  string        `json:"-"`
	Optional *int          `json:"optional,omitempty"`
	Took     time.Duration `json:"took_ns"`
	At       time.Time     `json:"at"`
	Never    time.Time     `json:"never"`
	NoTag    bool
	hidden   int
}

func TestToLua(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"nil", nil, "nil"},
		{"small int64", int64(42), "n:42"},
		{"largest exact int64", int64(1 << 53), "n:9007199254740992"},
		{"int64 beyond a float64", int64(1<<53 + 1), `"9007199254740993"`},
		{"negative int64 beyond a float64", int64(-(1<<53 + 1)), `"-9007199254740993"`},
		{"tick time stamp", int64(638765352000000000), `"638765352000000000"`},
		{"int beyond a float64", int(1<<62 + 1), `"4611686018427387905"`},
		{"uint64 beyond a float64", uint64(1<<64 - 1), `"18446744073709551615"`},
		{"int32", int32(-7), "n:-7"},
		{"float", 1.5, "n:1.5"},
		{"duration in nanoseconds", 1500 * time.Millisecond, "n:1500000000"},
		{"time", time.Date(2025, 3, 1, 23, 0, 0, 5, time.FixedZone("CET", 3600)), `"2025-03-01T22:00:00.000000005Z"`},
		{"zero time", time.Time{}, "nil"},
		{"nil slice", []string(nil), "{}"},
		{"slice", []string{"a", "b"}, `{n:1="a" n:2="b"}`},
		{"map", map[string]int{"b": 2, "a": 1}, `{"a"=n:1 "b"=n:2}`},
		{"nil pointer", (*sample)(nil), "nil"},
		{"struct", sample{Inner: Inner{Depth: 3}, Name: "x", Skipped: "y", Took: time.Second,
			At: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), NoTag: true, hidden: 9},
			`{"at"="2025-01-02T03:04:05Z" "depth"=n:3 "name"="x" "no_tag"=true "took_ns"=n:1000000000}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, show(toLua(L, tt.in))); diff != "" {
				t.Errorf("toLua(%#v) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{"Name": "name", "FileUpload": "file_upload", "GUID": "guid", "AddinID": "addin_id", "X": "x"} {
		if got := snake(in); got != want {
			t.Errorf("snake(%q) = %q, want %q", in, got, want)
		}
	}
}
