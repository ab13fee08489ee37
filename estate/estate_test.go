package estate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pcmig/pcmig/store"
)

func write(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "estate.lua")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoad(t *testing.T) {
	p := write(t, `
local domain = "contoso.com"
return {
  name = "Contoso", kind = "lab", site = "Redmond",
  topology = "topology.xml", directory = "users.csv", archive = "a/x.zip",
  source = { pool = "pchat15." .. domain, registrar = "fe15." .. domain, db = "sqlite:source.db" },
  target = { pool = "pchat19." .. domain, db = { instance = "sql19.contoso.com\\rtc", user = "pcmig", password_env = "PW" } },
  creators = { ["*"] = { "sip:admin@contoso.com" } },
  export = { level = "Content", scope = { "A", "B" } },
}`)
	e, err := Load(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(p)
	if e.Archive != filepath.Join(dir, "a/x.zip") || e.State != filepath.Join(dir, ".pcmig") || e.OnConflict != "merge" || e.MoveBatch != 50 {
		t.Errorf("Load() = %+v", e)
	}
	if diff := cmp.Diff(Export{Level: "Content", Scope: []string{"A", "B"}}, e.Export); diff != "" {
		t.Errorf("Export mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string][]string{"*": {"sip:admin@contoso.com"}}, e.Creators); diff != "" {
		t.Errorf("Creators mismatch (-want +got):\n%s", diff)
	}
	src, err := e.Source.DB.Config(e.Dir, nil)
	if err != nil || src.DSN != "sqlite:"+filepath.Join(dir, "source.db") {
		t.Errorf("source Config = %+v, %v", src, err)
	}
	env := func(k string) string { return map[string]string{"PW": "s3cret"}[k] }
	tgt, err := e.Target.DB.Config(e.Dir, env)
	if diff := cmp.Diff(store.Config{Instance: `sql19.contoso.com\rtc`, User: "pcmig", Password: "s3cret"}, tgt); err != nil || diff != "" {
		t.Errorf("target Config mismatch (-want +got):\n%s%v", diff, err)
	}
	if _, err := e.Target.DB.Config(e.Dir, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "PW") {
		t.Errorf("empty password_env: %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"syntax", "return {", "estate.lua"},
		// The text where the parser stops is never quoted; the line is named.
		{"secret in a string", "return {\n  password = \"hunter2\n}\n", "estate.lua:2: unterminated string"},
		{"not Lua", "root:hunter2:19000:0:99999:7:::\n", "estate.lua:1: syntax error: unexpected ':'"},
		{"not a table", "return 42", "must return a table"},
		{"no kind", `return { source = {pool="a", db="sqlite:x"}, target = {pool="b", db="sqlite:y"} }`, "kind is missing"},
		{"bad conflict", `return { kind="lab", on_conflict="overwrite", source = {pool="a", db="sqlite:x"}, target = {pool="b", db="sqlite:y"} }`, "on_conflict"},
		{"no target", `return { kind="real", source = {pool="a", db="sqlite:x"} }`, "target.pool is missing"},
		{"sandboxed", `os.remove("x") return {}`, "attempt to index global 'os' (a nil value)"},
		{"endless", `while true do end`, "context deadline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			_, err := Load(ctx, write(t, tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load() error = %v, want it to mention %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Errorf("Load() error quotes the file: %v", err)
			}
		})
	}
}

func TestLoadRealExample(t *testing.T) {
	e, err := Load(context.Background(), filepath.Join("..", "testdata", "estates", "real-example.lua"))
	if err != nil {
		t.Fatal(err)
	}
	if e.IsLab() || e.MoveBatch != 25 || e.Export.Since != "2018-01-01" {
		t.Errorf("Load() = kind %q, move_batch %d, since %q", e.Kind, e.MoveBatch, e.Export.Since)
	}
	src, err := e.Source.DB.Config(e.Dir, func(string) string { return "" })
	if diff := cmp.Diff(store.Config{Instance: `sql15.contoso.com\rtc`, Database: "mgc"}, src); err != nil || diff != "" {
		t.Errorf("source Config mismatch (-want +got):\n%s%v", diff, err)
	}
	getenv := func(k string) string { return map[string]string{"PCMIG_TARGET_PASSWORD": "pw-from-env"}[k] }
	tgt, err := e.Target.DB.Config(e.Dir, getenv)
	if err != nil || tgt.User != "pcmig" || tgt.Password != "pw-from-env" {
		t.Errorf("target Config = %+v, %v", tgt, err)
	}
	if _, err := e.Target.DB.Config(e.Dir, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "PCMIG_TARGET_PASSWORD") {
		t.Errorf("target Config without the password = %v, want an error naming the variable", err)
	}
}
