package estate

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/importer"
)

// TestEnumeratedValuesFoldAsEverywhere: the estate takes kind, on_conflict
// and category_policy in any letter case by the rule every other
// enumerated option of pcmig follows (Unicode case folding,
// strings.EqualFold: import --on-conflict, import.run, doctor's role, a
// room's privacy), so that a value the estate takes is one import --on-conflict
// takes too, and the reverse. strings.ToLower is another rule: it turns the
// Turkish dotted capital İ into i, so "FAİL" and "FİRST" were taken as fail
// and first here and refused everywhere else, and it leaves the long s of
// "ſkip" alone, which every other option takes as skip.
func TestEnumeratedValuesFoldAsEverywhere(t *testing.T) {
	t.Parallel()
	load := func(key, value string) (*Estate, error) {
		return Load(context.Background(), write(t, fmt.Sprintf(`return {
  kind = "lab", site = "Redmond", topology = "topology.xml", directory = "users.csv", archive = "x.zip",
  source = { pool = "pchat15.contoso.com", registrar = "fe15.contoso.com", db = "sqlite:source.db" },
  target = { pool = "pchat19.contoso.com", registrar = "fe19.contoso.com", db = "sqlite:target.db" },
  %s = %q,
}`, key, value)))
	}
	for _, v := range []string{"Merge", "SKIP", "FAİL", "ſkip", "s\u212Aip", "ＭＥＲＧＥ", "rename "} {
		want, werr := importer.ParseOnConflict(v)
		e, err := load("on_conflict", v)
		switch {
		case werr != nil && err == nil:
			t.Errorf("on_conflict %q: the estate takes it as %q; import --on-conflict refuses it", v, e.OnConflict)
		case werr == nil && err != nil:
			t.Errorf("on_conflict %q: the estate refuses it (%v); import --on-conflict takes it as %q", v, err, want)
		case err == nil && e.OnConflict != want:
			t.Errorf("on_conflict %q: the estate has %q, import --on-conflict %q", v, e.OnConflict, want)
		case err != nil && !strings.Contains(err.Error(), "on_conflict: want merge, skip, rename or fail"):
			t.Errorf("on_conflict %q: %v", v, err)
		}
	}
	// category_policy is checked by the script that reads it: a value that
	// is none of merge, first or rename reaches it as written.
	for v, want := range map[string]string{"FIRST": "first", "Rename": "rename", "FİRST": "FİRST", "ﬁrst": "ﬁrst"} {
		if e, err := load("category_policy", v); err != nil {
			t.Errorf("category_policy %q: %v", v, err)
		} else if e.CategoryPolicy != want {
			t.Errorf("category_policy %q: the script sees %q; want %q", v, e.CategoryPolicy, want)
		}
	}
	for v, ok := range map[string]bool{"LAB": true, "Lab": true, "ＬＡＢ": false, "lab ": false} {
		e, err := load("kind", v)
		if (err == nil) != ok || (ok && e.Kind != KindLab) {
			t.Errorf("kind %q: %v, %v; want taken %v", v, e, err, ok)
		}
	}
}
