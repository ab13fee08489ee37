package runtime

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// scriptDir makes root/script with lib/helper.lua, and root/outside.lua,
// and if the system allows, script/escape.lua linking to ../outside.lua.
func scriptDir(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "script")
	write := func(path, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "lib", "helper.lua"), "return { answer = 42 }\n")
	write(filepath.Join(dir, "lib", "broken.lua"), "local x = \n\nreturn = 1\n")
	write(filepath.Join(root, "outside.lua"), "return { answer = 'outside' }\n")
	_ = os.Symlink(filepath.Join("..", "outside.lua"), filepath.Join(dir, "escape.lua"))
	return dir
}

func TestSandbox(t *testing.T) {
	bundled := fstest.MapFS{"common/util.lua": {Data: []byte("return { name = 'util' }\n")}}
	tests := []struct {
		name    string
		src     string
		wantErr string // substring of the error; "" for success
	}{
		{name: "no os", src: `assert(os == nil, "os is reachable")`},
		{name: "no io", src: `assert(io == nil, "io is reachable")`},
		{name: "no debug", src: `assert(debug == nil, "debug is reachable")`},
		{name: "no channel", src: `assert(channel == nil, "channel is reachable")`},
		{name: "no dofile", src: `assert(dofile == nil, "dofile is reachable")`},
		{name: "no loadfile", src: `assert(loadfile == nil, "loadfile is reachable")`},
		{name: "no loadlib", src: `assert(package.loadlib == nil, "loadlib is reachable")`},
		{name: "no file search path", src: `assert(package.path == "" and package.cpath == "", "search path set")`},
		{name: "loadstring compiles source", src: `assert(loadstring("return 1 + 1")() == 2)`},
		{name: "safe libs present", src: `assert(string.format("%d", 3) == "3" and table.concat({1, 2}) == "12" and math.max(1, 2) == 2 and coroutine.create)`},
		{name: "require os", src: `require("os")`, wantErr: "module os not found"},
		{name: "require io", src: `require("io")`, wantErr: "module io not found"},
		{name: "require sibling", src: `assert(require("lib.helper").answer == 42)`},
		{name: "require bundled", src: `assert(require("common.util").name == "util")`},
		{name: "require builtin", src: `assert(type(require("log").info) == "function" and type(require("pcmig").step) == "function")`},
		{name: "require missing", src: `require("lib.missing")`, wantErr: "no file '"},
		{name: "require parent by dots", src: `require("..outside")`, wantErr: `require: argument: invalid module name "..outside"`},
		{name: "require relative path", src: `require("../outside")`, wantErr: `invalid module name "../outside"`},
		{name: "require absolute path", src: `require("/etc/passwd")`, wantErr: `invalid module name "/etc/passwd"`},
		{name: "require through symlink out of folder", src: `require("escape")`, wantErr: "migrate.lua:1: require: io:"},
		{name: "require module with syntax error", src: `require("lib.broken")`, wantErr: filepath.Join("lib", "broken.lua") + ":3: syntax error: unexpected 'return' (column 1)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := scriptDir(t)
			if strings.Contains(tc.name, "symlink") {
				if _, err := os.Lstat(filepath.Join(dir, "escape.lua")); err != nil {
					t.Skip("symbolic links not available")
				}
			}
			r := runSource(t, context.Background(), tc.src, dir, Options{BundledFS: bundled})
			switch {
			case tc.wantErr == "" && r.err != nil:
				t.Fatalf("Run() error = %v, want none", r.err)
			case tc.wantErr != "" && r.err == nil:
				t.Fatalf("Run() succeeded, want error containing %q", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(r.err.Error(), tc.wantErr):
				t.Fatalf("Run() error = %q, want it to contain %q", r.err, tc.wantErr)
			}
		})
	}
}

func TestPrintGoesToStdout(t *testing.T) {
	r := runSource(t, context.Background(), `print("a", 1, nil, true)`, "", Options{})
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.stdout != "a\t1\tnil\ttrue\n" {
		t.Errorf("stdout = %q, want %q", r.stdout, "a\t1\tnil\ttrue\n")
	}
}
