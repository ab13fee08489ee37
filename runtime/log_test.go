package runtime

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLogLevels(t *testing.T) {
	src := `local log = require('log')
log.debug('rooms: %d', 12)
log.info('importing %s', 'Sales')
log.warn('100%')
step('s', function() log.error('failed: %q', 'x') end)
`
	tests := []struct {
		level      LogLevel
		wantStderr string
	}{
		{LevelDebug, "DEBUG rooms: 12\nINFO importing Sales\nWARN 100%\nERROR failed: \"x\"\n"},
		{LevelInfo, "INFO importing Sales\nWARN 100%\nERROR failed: \"x\"\n"},
		{LevelWarn, "WARN 100%\nERROR failed: \"x\"\n"},
		{LevelError, "ERROR failed: \"x\"\n"},
	}
	for _, tc := range tests {
		t.Run(tc.level.String(), func(t *testing.T) {
			r := runSource(t, context.Background(), src, "", Options{LogLevel: tc.level})
			if r.err != nil {
				t.Fatal(r.err)
			}
			if diff := cmp.Diff(tc.wantStderr, r.stderr); diff != "" {
				t.Errorf("stderr mismatch (-want +got):\n%s", diff)
			}
			// The report keeps warnings and errors whatever the level.
			if diff := cmp.Diff([]string{"100%"}, r.rep.Warnings); diff != "" {
				t.Errorf("report warnings mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{`failed: "x"`}, r.rep.Steps[0].Errors); diff != "" {
				t.Errorf("step errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLogKeepsOwnFormat checks that a script replacing string.format does
// not change what log writes.
func TestLogKeepsOwnFormat(t *testing.T) {
	r := runSource(t, context.Background(), "string.format = function() return 'hijacked' end\nrequire('log').info('%d rooms', 3)\n", "", Options{})
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.stderr != "INFO 3 rooms\n" {
		t.Errorf("stderr = %q, want %q", r.stderr, "INFO 3 rooms\n")
	}
}

func TestParseLogLevel(t *testing.T) {
	tests := []struct {
		in      string
		want    LogLevel
		wantErr bool
	}{
		{"debug", LevelDebug, false},
		{"INFO", LevelInfo, false},
		{"", LevelInfo, false},
		{"warning", LevelWarn, false},
		{"error", LevelError, false},
		{"loud", LevelInfo, true},
	}
	for _, tc := range tests {
		got, err := ParseLogLevel(tc.in)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("ParseLogLevel(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

// TestLogFormatsAsLua51 checks that log and string.format follow Lua
// 5.1's rules: a missing or wrong argument is an error naming it, not
// text such as "%!d(MISSING)" in the log, and a numeric string is a number.
func TestLogFormatsAsLua51(t *testing.T) {
	r := runSource(t, context.Background(), "local log = require('log')\nlog.info('%5.1f%% of %u rooms', '99.94', 24)\nlog.info('%d of %d rooms', 3)\n", "", Options{})
	if r.stderr != "INFO  99.9% of 24 rooms\n" {
		t.Errorf("stderr = %q, want %q", r.stderr, "INFO  99.9% of 24 rooms\n")
	}
	se := asScriptError(t, r.err)
	if se.Line != 3 || !strings.Contains(se.Message, "bad argument #3") || !strings.Contains(se.Message, "(no value)") {
		t.Errorf("error = line %d %q, want line 3 saying bad argument #3 (no value)", se.Line, se.Message)
	}
}

// TestLogCollectGarbageCount checks that collectgarbage("count") gives a
// number, as in Lua 5.1, so a script can log its memory.
func TestLogCollectGarbageCount(t *testing.T) {
	r := runSource(t, context.Background(), "require('log').info('memory: %d KB', collectgarbage('count'))\n", "", Options{})
	if r.err != nil {
		t.Fatal(r.err)
	}
	var kb int
	if _, err := fmt.Sscanf(r.stderr, "INFO memory: %d KB\n", &kb); err != nil || kb <= 0 {
		t.Errorf("stderr = %q, want INFO memory: N KB", r.stderr)
	}
}
