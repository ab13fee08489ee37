package luatest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	pcrt "github.com/pcmig/pcmig/runtime"
)

func TestPassing(t *testing.T) {
	Run(t, filepath.Join("testdata", "expect_test.lua"), nil)
}

func TestTestNames(t *testing.T) {
	path := filepath.Join("testdata", "expect_test.lua")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := TestNames(path, src)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"TestEq", "TestTypedError", "TestFreshState", "TestAssigned"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("TestNames() mismatch (-want +got):\n%s", diff)
	}
}

func TestFailures(t *testing.T) {
	path := filepath.Join("testdata", "failing.lua")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		fn   string
		want string
	}{
		{"TestEqFails", path + ":4: expect.eq: lists: got {[1]=1, [2]=2}, want {[1]=1, [2]=3}"},
		{"TestNoError", path + ":8: expect.error: the function raised no error"},
		{"TestWrongKind", path + `:12: expect.error: want a "validation" error, got "conflict": ` + path + ":12: conflict: exists"},
		{"TestUntyped", path + `:16: expect.error: want a "validation" error, got an untyped one: ` + path + ":16: plain"},
		{"TestOk", path + ":20: expect.ok: value: got nil"},
		{"TestRuntimeError", path + ":25: attempt to index local 't' (a nil value) with key 'x'"},
	}
	for _, tc := range tests {
		t.Run(tc.fn, func(t *testing.T) {
			_, err := RunTest(context.Background(), path, src, tc.fn, pcrt.Options{})
			if err == nil {
				t.Fatal("RunTest() succeeded, want a failure")
			}
			if got := err.Error(); !strings.HasPrefix(got, tc.want) {
				t.Errorf("RunTest() error = %q, want %q", got, tc.want)
			}
		})
	}
}
