package archive

import (
	"strings"
	"testing"
)

// TestManifestReplacedUnpairedSurrogates: the optional manifest key
// replaced_unpaired_surrogates (§3) is read when a hand-built archive
// carries it, absent when it does not, and checked as counts are: its
// keys, digits, not negative, messages at most counts.messages.
func TestManifestReplacedUnpairedSurrogates(t *testing.T) {
	add := func(obj string) func(string) string {
		return func(s string) string {
			return strings.Replace(s, `"parts":`, `"replaced_unpaired_surrogates":`+obj+`,"parts":`, 1)
		}
	}
	r, err := Open(writeFile(t, rawManifest(t, add(`{"messages":"2","structure":"1"}`))))
	if err != nil {
		t.Fatalf("a manifest with the key: %v", err)
	}
	if got := r.Manifest().Replaced; got == nil || *got != (Replaced{Messages: 2, Structure: 1}) {
		t.Errorf("Replaced = %+v, want {2 1}", got)
	}
	r.Close()
	r, err = Open(writeFile(t, rawManifest(t, func(s string) string { return s })))
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Manifest().Replaced; got != nil {
		t.Errorf("a manifest without the key: Replaced = %+v", got)
	}
	r.Close()
	for _, tc := range []struct{ obj, want string }{
		{`{"messages":"2"}`, `replaced_unpaired_surrogates: field "structure" is missing`},
		{`{"messages":"2","structure":"1","x":"1"}`, `replaced_unpaired_surrogates`},
		{`null`, `replaced_unpaired_surrogates`},
		{`{"messages":"-1","structure":"0"}`, `replaced_unpaired_surrogates: messages and structure are counts`},
		{`{"messages":"999999","structure":"0"}`, `replaced_unpaired_surrogates: messages and structure are counts`},
	} {
		r, err := Open(writeFile(t, rawManifest(t, add(tc.obj))))
		if err == nil {
			r.Close()
		}
		if !errorContains(err, tc.want) {
			t.Errorf("%s: Open() error = %v, want %q", tc.obj, err, tc.want)
		}
	}
}
