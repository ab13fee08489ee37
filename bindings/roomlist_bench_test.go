package bindings

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/lab"
	pcrt "github.com/pcmig/pcmig/runtime"
)

// BenchmarkRoomListCategory: room.list(pool, {category = NAME}) once per
// category of a lab of 200 categories and 20,000 rooms (100 a category),
// as a script's loop over the categories calls it; per call.
// PCMIG_BENCH_ROOMS changes the rooms.
func BenchmarkRoomListCategory(b *testing.B) {
	rooms := 20000
	if s := os.Getenv("PCMIG_BENCH_ROOMS"); s != "" {
		rooms, _ = strconv.Atoi(s)
	}
	dir := filepath.Join(b.TempDir(), "estate")
	if _, err := lab.Init(context.Background(), dir, lab.Options{Users: 2000, Categories: 200, Rooms: rooms, Messages: 10, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	est, err := estate.Load(context.Background(), filepath.Join(dir, lab.EstateFile))
	if err != nil {
		b.Fatal(err)
	}
	e := &Env{Estate: est, ToolVersion: "test", Now: func() time.Time { return time.Date(2025, 3, 1, 22, 0, 0, 0, time.UTC) }}
	defer e.Close()
	run := func(n int) {
		src := fmt.Sprintf(`local category, room = require("category"), require("room")
local cats = category.list("source")
local rooms = 0
for i = 1, %d do
  for _, c in ipairs(cats) do rooms = rooms + #room.list("source", { category = c.name }) end
end
if rooms ~= %d * %d then error("rooms: " .. rooms) end
`, n, n, rooms)
		var out, errs bytes.Buffer
		if _, err := pcrt.Run(context.Background(), pcrt.Script{Name: "bench.lua", Source: []byte(src)},
			pcrt.Options{Stdout: &out, Stderr: &errs, Modules: e.Modules(), Now: e.Now}); err != nil {
			b.Fatalf("run: %v\n%s", err, errs.String())
		}
	}
	run(1) // the pool is read once, then cached
	b.ResetTimer()
	run(b.N)
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*200), "ns/call")
}

// TestRoomViewTable: room.list and room.get build a room's table without
// reflection (roomView.lua); it must be the table toLua makes of the
// roomView, field for field, for every room of a lab (members, managers,
// presenters, add-ins, disabled rooms and empty lists among them).
func TestRoomViewTable(t *testing.T) {
	e := cacheLab(t)
	L := lua.NewState()
	defer L.Close()
	L.SetContext(t.Context())
	L.Push(lua.LString("source"))
	_, s := e.poolStore(L, L.GetTop())
	views := e.roomViews(L, s, "")
	if len(views) == 0 {
		t.Fatal("no rooms")
	}
	kinds := map[string]bool{}
	for i := range views {
		want, got := dumpLua(toLua(L, views[i])), dumpLua(views[i].lua(L))
		if got != want {
			t.Fatalf("room %q:\n got %s\nwant %s", views[i].Name, got, want)
		}
		v := views[i]
		kinds["members"] = kinds["members"] || len(v.Members) > 0
		kinds["no presenters"] = kinds["no presenters"] || len(v.Presenters) == 0
		kinds["addin"] = kinds["addin"] || v.Addin != ""
	}
	if len(kinds) != 3 || !kinds["members"] || !kinds["no presenters"] || !kinds["addin"] {
		t.Errorf("the lab's rooms lack a kind: %v", kinds)
	}
}

// dumpLua writes a Lua value with its table keys sorted.
func dumpLua(v lua.LValue) string {
	t, ok := v.(*lua.LTable)
	if !ok {
		return fmt.Sprintf("%s:%s", v.Type(), v.String())
	}
	var keys []string
	parts := map[string]string{}
	t.ForEach(func(k, x lua.LValue) {
		key := k.Type().String() + ":" + k.String()
		keys = append(keys, key)
		parts[key] = dumpLua(x)
	})
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("{")
	for _, k := range keys {
		b.WriteString(k + "=" + parts[k] + ",")
	}
	b.WriteString("}")
	return b.String()
}
