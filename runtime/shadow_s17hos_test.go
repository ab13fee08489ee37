package runtime

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// TestRequireRefusesShadowedBundledModule: a script's folder holding its
// own, different, file of a bundled module's name stops the run at the
// require (a conflict naming the file) instead of loading the bundled
// module in its place without a word; the same text is no conflict.
func TestRequireRefusesShadowedBundledModule(t *testing.T) {
	bundled := fstest.MapFS{"common/util.lua": {Data: []byte("return { name = 'bundled' }\n")}}
	for _, tc := range []struct{ name, own, wantErr string }{
		{name: "own module", own: "return { name = 'mine' }\n", wantErr: "require: conflict: "},
		{name: "same text", own: "return { name = 'bundled' }\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			own := filepath.Join(dir, "common", "util.lua")
			if err := os.MkdirAll(filepath.Dir(own), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(own, []byte(tc.own), 0o644); err != nil {
				t.Fatal(err)
			}
			r := runSource(t, context.Background(), `assert(require("common.util").name == "bundled")`, dir, Options{BundledFS: bundled})
			switch {
			case tc.wantErr == "" && r.err != nil:
				t.Fatalf("Run() error = %v, want none", r.err)
			case tc.wantErr != "" && r.err == nil:
				t.Fatalf("Run() loaded the bundled module over %s without a word", own)
			case tc.wantErr != "" && (!strings.Contains(r.err.Error(), tc.wantErr) || !strings.Contains(r.err.Error(), own)):
				t.Fatalf("Run() error = %q, want it to contain %q and %s", r.err, tc.wantErr, own)
			}
		})
	}
}
