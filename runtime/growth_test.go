package runtime

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestOrdinaryWorkMeetsNoFixedLimit checks that the Lua state's data stack
// (gopher-lua's registry) and call stack grow with the work instead of
// stopping at a fixed size: released gopher-lua raised "registry
// overflow" for table.concat of 3,000 strings with its default options.
func TestOrdinaryWorkMeetsNoFixedLimit(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{
			name: "table.concat of 3,000 SIP addresses",
			src: `local t = {}
for i = 1, 3000 do t[i] = "sip:user" .. i .. "@contoso.com" end
local s = table.concat(t, ", ")
print(#s, s:sub(1, 29), s:sub(-24))`,
			want: "76891\tsip:user1@contoso.com, sip:us\tsip:user3000@contoso.com",
		},
		{
			name: "table.concat of 300,000 strings",
			src: `local t = {}
for i = 1, 300000 do t[i] = "x" end
print(#table.concat(t, ";"))`,
			want: "599999",
		},
		{
			name: "unpack of 100,000 values",
			src: `local t = {}
for i = 1, 100000 do t[i] = i end
print(select("#", unpack(t)), math.max(unpack(t)))`,
			want: "100000\t100000",
		},
		{
			name: "recursion 50,000 calls deep",
			src: `local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(50000))`,
			want: "50000",
		},
		{
			name: "10,000 live coroutines",
			src: `local cos = {}
for i = 1, 10000 do
  cos[i] = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b end)
  assert(coroutine.resume(cos[i], i))
end
local sum = 0
for i = 1, 10000 do local _, v = coroutine.resume(cos[i], i); sum = sum + v end
print(sum)`,
			want: "50005000",
		},
		{
			name: "gsub over a long text",
			src: `local s, n = ("sip:user@contoso.com\n"):rep(100000):gsub("\n", "\r\n")
print(#s, n)`,
			want: "2200000\t100000",
		},
		{
			name: "a table indexed by large IDs",
			src: `local byID, n = {}, 0
for i = 1, 20 do byID[i * 3000000] = "room" .. i end
for id, name in pairs(byID) do n = n + 1 end
print(n, byID[60000000], #byID, table.maxn(byID))`,
			want: "20\troom20\t0\t60000000",
		},
		{
			name: "infinite recursion is still a stack overflow",
			src: `local function f() return 1 + f() end
local ok, err = pcall(f)
print(ok, (tostring(err):gsub("^.-:%d+: ", "")))`,
			want: "false\tstack overflow",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runSource(t, context.Background(), tc.src, "", Options{Timeout: 20 * time.Second})
			if r.err != nil {
				t.Fatalf("Run() error = %v", r.err)
			}
			if got := strings.TrimSpace(r.stdout); got != tc.want {
				t.Errorf("printed %q, want %q", got, tc.want)
			}
		})
	}
}
