package estate

import (
	"context"
	"strings"
	"testing"
)

// TestLoadRefusesPoolsThatShareAName: scripts find a pool by its FQDN or
// its name (pool.copy_files(src.pool), category.list("b")), so two pools
// with one FQDN, compared without case, or two sources with one name,
// would resolve to the first of them: the second pool's files would never
// be copied. The estate is refused when it loads, naming both fields and
// their lines.
func TestLoadRefusesPoolsThatShareAName(t *testing.T) {
	const target = `  target = { pool = "pchat19.contoso.com", db = "sqlite:t.db" },` + "\n"
	tests := []struct {
		name, pools string
		want        []string
	}{
		{"two sources, one FQDN", `  sources = {
    { name = "a", pool = "pchat15.contoso.com", db = "sqlite:a.db" },
    { name = "b", pool = "pchat15.contoso.com", db = "sqlite:b.db" },
  },
` + target, []string{"line 5: sources[2].pool", "line 4: sources[1].pool", "one FQDN"}},
		{"a source and the target, FQDNs in other cases", `  source = { pool = "PChat19.Contoso.com", db = "sqlite:s.db" },
` + target, []string{"line 4: target.pool", "line 3: source.pool", "one FQDN"}},
		{"a trailing dot", `  source = { pool = "pchat19.contoso.com.", db = "sqlite:s.db" },
` + target, []string{"target.pool", "source.pool", "one FQDN"}},
		{"two sources, one name", `  sources = {
    { name = "emea", pool = "pchat15a.contoso.com", db = "sqlite:a.db" },
    { name = "EMEA", pool = "pchat15b.contoso.com", db = "sqlite:b.db" },
  },
` + target, []string{"line 5: sources[2].name", "line 4: sources[1].name", "one name"}},
		{"a name that is another pool's FQDN", `  sources = {
    { name = "a", pool = "pchat15a.contoso.com", db = "sqlite:a.db" },
    { name = "pchat15a.contoso.com", pool = "pchat15b.contoso.com", db = "sqlite:b.db" },
  },
` + target, []string{"line 5: sources[2].name", "line 4: sources[1].pool"}},
		{"a name that is a role", `  sources = {
    { name = "target", pool = "pchat15a.contoso.com", db = "sqlite:a.db" },
  },
` + target, []string{"line 4: sources[1].name", "source", "target"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "return {\n  kind = \"lab\", site = \"Redmond\",\n" + tt.pools + "}\n"
			_, err := Load(context.Background(), write(t, src))
			if err == nil {
				t.Fatalf("Load() accepted\n%s", src)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Load() error = %v\nwant it to mention %q", err, w)
				}
			}
		})
	}
	// Distinct FQDNs and names load.
	ok := "return {\n  kind = \"lab\", site = \"Redmond\",\n" + `  sources = {
    { name = "a", pool = "pchat15a.contoso.com", db = "sqlite:a.db" },
    { name = "b", pool = "pchat15b.contoso.com", db = "sqlite:b.db" },
    { pool = "pchat15c.contoso.com", db = "sqlite:c.db" },
  },
` + target + "}\n"
	if _, err := Load(context.Background(), write(t, ok)); err != nil {
		t.Errorf("Load() of distinct pools: %v", err)
	}
}
