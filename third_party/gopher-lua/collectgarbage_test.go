package lua

import (
	"strings"
	"testing"
)

// TestCollectGarbageAsLua51 checks collectgarbage's results: Lua 5.1
// returns the kilobytes in use for "count", which scripts log; released
// gopher-lua returned nothing for every option.
func TestCollectGarbageAsLua51(t *testing.T) {
	L := NewState()
	defer L.Close()
	src := `local kb = collectgarbage("count")
assert(type(kb) == "number" and kb > 0, "count: " .. tostring(kb))
assert(collectgarbage() == 0 and collectgarbage("collect") == 0)
assert(collectgarbage("step") == true)
assert(collectgarbage("stop") == 0 and collectgarbage("restart") == 0)
assert(collectgarbage("setpause", 100) == 200 and collectgarbage("setstepmul", 100) == 200)
result = string.format("%d KB", collectgarbage("count"))`
	if err := L.DoString(src); err != nil {
		t.Fatal(err)
	}
	if got := L.GetGlobal("result").String(); !strings.HasSuffix(got, " KB") {
		t.Errorf("result = %q", got)
	}
	err := L.DoString(`collectgarbage("sweep")`)
	if err == nil || !strings.Contains(err.Error(), "invalid option 'sweep'") {
		t.Errorf("collectgarbage(\"sweep\"): %v, want invalid option 'sweep'", err)
	}
}
