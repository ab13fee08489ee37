package runtime

import (
	"context"
	"errors"
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
			wantText: "migrate.lua:2: testmod.block: time limit of 1s exceeded",
			wantIs:   context.DeadlineExceeded,
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
