package scripts

import (
	"bytes"
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"

	pcrt "github.com/pcmig/pcmig/runtime"
)

func TestBundledScripts(t *testing.T) {
	if diff := cmp.Diff([]string{"migrate.lua", "multipool.lua"}, Names()); diff != "" {
		t.Errorf("Names() mismatch (-want +got):\n%s", diff)
	}
	if Default != "migrate.lua" {
		t.Errorf("Default = %q", Default)
	}
	for _, name := range append(Names(), Modules()...) {
		src, ok := Read(name)
		if !ok || len(src) == 0 {
			t.Fatalf("Read(%q) = %d bytes, %v", name, len(src), ok)
		}
		if short, ok := Read(name[:len(name)-len(".lua")]); !ok || !bytes.Equal(short, src) {
			t.Errorf("Read without .lua does not find %s", name)
		}
		if fromFS, err := fs.ReadFile(FS(), name); err != nil || !bytes.Equal(fromFS, src) {
			t.Errorf("FS() serves %s differently: %v", name, err)
		}
		if err := pcrt.Compile(name, src); err != nil {
			t.Errorf("bundled script %s does not compile: %v", name, err)
		}
	}
	if _, ok := Read("nosuch"); ok {
		t.Error("Read(nosuch) found a script")
	}
}
