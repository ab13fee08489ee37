package main

import (
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOptionsFirst(t *testing.T) {
	app := newApp(env{stdout: io.Discard, stderr: io.Discard})
	tests := []struct{ in, want string }{
		{"pcmig", "pcmig"},
		{"pcmig --version", "pcmig --version"},
		{"pcmig nosuch a --b", "pcmig nosuch a --b"},
		{"pcmig lab init DIR --messages 500 --seed 3", "pcmig lab init --messages 500 --seed 3 DIR"},
		{"pcmig lab init DIR --messages=500 --overwrite", "pcmig lab init --messages=500 --overwrite DIR"},
		{"pcmig inspect a.zip --json", "pcmig inspect --json a.zip"},
		{"pcmig run my.lua -e estate.lua -n --plan p.json", "pcmig run -e estate.lua -n --plan p.json my.lua"},
		{"pcmig run my.lua --dry-run extra", "pcmig run --dry-run my.lua extra"},
		{"pcmig export --scope A -f x.zip --scope B --db sqlite:x", "pcmig export --scope A -f x.zip --scope B --db sqlite:x"},
		{"pcmig scripts show -- --odd -x", "pcmig scripts show -- --odd -x"},
		{"pcmig validate a.lua --nosuch b.lua", "pcmig validate --nosuch a.lua b.lua"},
		{"pcmig lab init DIR --messages", "error: option --messages needs a value (see pcmig lab init --help)"},
		{"pcmig run --plan", "error: option --plan needs a value (see pcmig run --help)"},
	}
	for _, tt := range tests {
		args, err := optionsFirst(app, strings.Fields(tt.in))
		got := strings.Join(args, " ")
		if err != nil {
			got = "error: " + err.Error()
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("optionsFirst(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}
