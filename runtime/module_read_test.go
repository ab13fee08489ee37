//go:build unix

package runtime

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pcmig/pcmig/fsguard"
)

// TestModuleReadsAreBounded checks that require reads a module only when
// it is a regular file of at most fsguard.MaxScript bytes: a named pipe
// blocked the run forever (opening it waits for a writer, where no time
// limit reaches) and a huge file was read whole into memory.
func TestModuleReadsAreBounded(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.lua")
	if err := os.WriteFile(big, []byte("return 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, fsguard.MaxScript+1); err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{"big": "file too large"}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.lua"), 0o644); err == nil {
		tests["pipe"] = "not a regular file"
	} else {
		t.Logf("no named pipe: %v", err)
	}
	for module, want := range tests {
		t.Run(module, func(t *testing.T) {
			done := make(chan runResult, 1)
			go func() {
				done <- runSource(t, context.Background(), "require(\""+module+"\")\n", dir, Options{Timeout: 5 * time.Second})
			}()
			select {
			case r := <-done:
				if r.err == nil || !strings.Contains(r.err.Error(), want) {
					t.Errorf("error = %v, want %q", r.err, want)
				}
				if se := asScriptError(t, r.err); se.Kind != KindIO {
					t.Errorf("kind = %q, want %q", se.Kind, KindIO)
				}
			case <-time.After(20 * time.Second):
				t.Fatalf("require(%q) did not return", module)
			}
		})
	}
}
