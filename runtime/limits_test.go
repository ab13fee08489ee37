package runtime

import (
	"context"
	"errors"
	goruntime "runtime"
	"strings"
	"testing"
	"time"
)

func TestLimits(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		timeout  time.Duration
		cancel   time.Duration // cancel the caller's context after this long
		wantKind string
		wantText string
		wantIs   error
	}{
		{
			name:     "infinite loop hits time limit",
			src:      "local n = 0\nwhile true do n = n + 1 end\n",
			timeout:  200 * time.Millisecond,
			wantKind: KindTimeout,
			wantText: "migrate.lua:2: time limit of 200ms exceeded",
			wantIs:   context.DeadlineExceeded,
		},
		{
			name:     "pcall cannot swallow the time limit",
			src:      "while true do\n  pcall(function() while true do end end)\nend\n",
			timeout:  200 * time.Millisecond,
			wantKind: KindTimeout,
			wantIs:   context.DeadlineExceeded,
		},
		{
			name:     "time limit stops Go work",
			src:      "\nrequire('testmod').block()\n",
			timeout:  time.Second, // long enough to reach block on a busy machine
			wantKind: KindTimeout,
			wantText: "migrate.lua:2: testmod.block: time limit of 1s exceeded; when it ran out: database: query interrupted",
			wantIs:   context.DeadlineExceeded,
		},
		{
			name:     "time limit stops a slow pattern match",
			src:      "\nlocal found = string.find((\"a\"):rep(40), (\"a*\"):rep(40) .. \"b\")\n",
			timeout:  300 * time.Millisecond,
			wantKind: KindTimeout,
			wantText: "migrate.lua:2: time limit of 300ms exceeded",
			wantIs:   context.DeadlineExceeded,
		},
		{
			name:     "time limit stops a load reader that never ends",
			src:      "local f = load(math.random)\n",
			timeout:  300 * time.Millisecond,
			wantKind: KindTimeout,
			wantIs:   context.DeadlineExceeded,
		},
		{
			name: "time limit stops deep coroutine recursion in a loop",
			src: `local function f() local co = coroutine.create(f); coroutine.resume(co) end
while true do f() end
`,
			timeout:  300 * time.Millisecond,
			wantKind: KindTimeout,
			wantIs:   context.DeadlineExceeded,
		},
		{
			name:     "time limit stops a gsub with a Go function on every match",
			src:      "local s = (\"x\"):rep(3000000)\nwhile true do s = s:gsub(\".\", string.upper) end\n",
			timeout:  300 * time.Millisecond,
			wantKind: KindTimeout,
			wantIs:   context.DeadlineExceeded,
		},
		{
			name:     "time limit stops the compiling of a huge chunk",
			src:      "local f = loadstring((\"x = 1 \"):rep(3000000))\n",
			timeout:  200 * time.Millisecond,
			wantKind: KindTimeout,
			wantIs:   context.DeadlineExceeded,
		},
		{
			name:     "cancel stops a slow pattern match",
			src:      "string.match((\"a\"):rep(40), (\"a*\"):rep(40) .. \"b\")\n",
			cancel:   300 * time.Millisecond,
			wantKind: KindCancelled,
			wantText: "migrate.lua:1: run cancelled",
			wantIs:   context.Canceled,
		},
		{
			name:     "cancel stops a loop",
			src:      "while true do end\n",
			cancel:   100 * time.Millisecond,
			wantKind: KindCancelled,
			wantText: "migrate.lua:1: run cancelled",
			wantIs:   context.Canceled,
		},
		{
			name:     "cancel stops Go work in a step",
			src:      "step('import', function()\n  require('testmod').block()\nend)\n",
			cancel:   500 * time.Millisecond,
			wantKind: KindCancelled,
			wantText: "migrate.lua:2: testmod.block: run cancelled",
			wantIs:   context.Canceled,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.cancel > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				time.AfterFunc(tc.cancel, cancel)
				defer cancel()
			}
			start := time.Now()
			r := runSource(t, ctx, tc.src, "", Options{Timeout: tc.timeout})
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("Run() took %s to stop", took)
			}
			se := asScriptError(t, r.err)
			if se.Kind != tc.wantKind {
				t.Errorf("kind = %q, want %q (error %v)", se.Kind, tc.wantKind, r.err)
			}
			if tc.wantText != "" && r.err.Error() != tc.wantText {
				t.Errorf("Error() = %q, want %q", r.err, tc.wantText)
			}
			if !errors.Is(r.err, tc.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", r.err, tc.wantIs)
			}
		})
	}
}

// TestMemoryLimit checks that a script that exhausts memory ends the run
// with a memory error, quickly, instead of crashing the process with a Go
// "fatal error: runtime: out of memory" (or being killed by the system).
func TestMemoryLimit(t *testing.T) {
	const limit = 96 << 20
	tests := []struct {
		name, src string
		request   bool // the error must name the size of a refused allocation
	}{
		{name: "a string that doubles forty times", src: "local s = (\"x\"):rep(16)\nfor i = 1, 40 do s = s .. s end\n", request: true},
		{name: "string.rep of a terabyte", src: "local s = (\"x\"):rep(2^40)\n", request: true},
		{name: "a table that grows", src: "local t, i = {}, 0\nwhile true do i = i + 1; t[i] = {i} end\n"},
		{name: "a table of strings that grows", src: "local t, i = {}, 0\nwhile true do i = i + 1; t[i] = tostring(i) .. (\"x\"):rep(100) end\n"},
		{name: "a load reader that never ends", src: "local piece = (\"x = 1 \"):rep(10000)\nlocal f = load(function() return piece end)\n"},
		{name: "millions of coroutines", src: "local t = {}\nfor i = 1, 1e8 do t[i] = coroutine.create(print) end\n"},
		{name: "gsub whose result outgrows the limit", src: "local s = (\"x\"):rep(1e6):gsub(\".\", (\"y\"):rep(1000))\n"},
		{name: "pcall cannot swallow the limit", src: "while true do pcall(string.rep, \"x\", 2^40) end\n", request: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			r := runSource(t, context.Background(), tc.src, "", Options{MemoryLimit: limit, Timeout: time.Minute})
			if took := time.Since(start); took > 20*time.Second {
				t.Errorf("Run() took %s to stop", took)
			}
			se := asScriptError(t, r.err)
			if se.Kind != KindMemory {
				t.Fatalf("kind = %q, want %q (error %v)", se.Kind, KindMemory, r.err)
			}
			var ml *MemoryLimitError
			if !errors.As(r.err, &ml) || ml.Limit != limit || (tc.request && ml.Request == 0) {
				t.Errorf("error %v: cause %+v, want a *MemoryLimitError of %d (with the request: %v)", r.err, ml, limit, tc.request)
			}
			if !strings.Contains(r.err.Error(), "memory limit of 96 MiB exceeded") {
				t.Errorf("Error() = %q, want it to name the limit", r.err)
			}
		})
	}
}

// TestMemoryLimitLetsWorkThrough checks that work within the limit is not
// stopped, though it makes garbage faster than the heap is collected.
func TestMemoryLimitLetsWorkThrough(t *testing.T) {
	src := `local total = 0
for round = 1, 12 do
  local t = {}
  for i = 1, 1000 do t[i] = ("x"):rep(10000) end
  total = total + #table.concat(t, ",")
end
print(total)`
	r := runSource(t, context.Background(), src, "", Options{MemoryLimit: 96 << 20})
	if r.err != nil {
		t.Fatalf("Run() error = %v", r.err)
	}
	if got := strings.TrimSpace(r.stdout); got != "120011988" {
		t.Errorf("printed %q", got)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"512MiB": 512 << 20, "2GB": 2 << 30, "1.5g": 3 << 29, "1073741824": 1 << 30, "64 MiB": 64 << 20, "10k": 10 << 10, ".5g": 1 << 29, "3 GiB": 3 << 30,
	} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-5MiB", "lots", "5 parsecs", "1e30", "nan", "-NaN", "inf", "-inf", "-1", "0x1p30", "1e9", "1_000", "9999999TiB"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) succeeded", in)
		}
	}
	if got := FormatSize(96 << 20); got != "96 MiB" {
		t.Errorf("FormatSize = %q", got)
	}
}

func TestDefaultMemoryLimit(t *testing.T) {
	total := systemMemory()
	if goruntime.GOOS == "linux" && total <= 0 {
		t.Fatalf("systemMemory() = %d on Linux", total)
	}
	if total <= 0 {
		total = fallbackMemory
	}
	if got, want := DefaultMemoryLimit(), max(total/4, MinMemoryLimit); got != want {
		t.Errorf("DefaultMemoryLimit() = %d, want %d (a quarter of %d)", got, want, total)
	}
}
