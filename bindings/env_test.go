package bindings_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/bindings"
	pcrt "github.com/pcmig/pcmig/runtime"
)

// runSnippet runs src with the modules of env and returns the error.
func runSnippet(t *testing.T, env *bindings.Env, src string, dryRun bool) (*pcrt.Report, error) {
	t.Helper()
	var out bytes.Buffer
	rep, err := pcrt.Run(t.Context(), pcrt.Script{Name: "snippet.lua", Source: []byte(src)},
		pcrt.Options{Modules: env.Modules(), Stdout: &out, Stderr: &out, DryRun: dryRun, Now: clock})
	if err != nil {
		t.Logf("output:\n%s", out.String())
	}
	return rep, err
}

func TestWithoutAnEstate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src, kind, text string
	}{
		{"estate", `require("estate")`, pcrt.KindArgument, "this run has no estate"},
		{"pool by role", `require("category").list("source")`, pcrt.KindArgument, `pool "source": this run has no estate`},
		{"export needs a file", `require("export").run({ db = "sqlite:x.db" })`, pcrt.KindScript, "file is required"},
		{"topology needs a path", `require("topology").load()`, pcrt.KindScript, "path expected"},
		{"user needs a path", `require("user").load()`, pcrt.KindScript, "path expected"},
		{"missing database", `require("category").list({ pool = "x.contoso.com", db = "sqlite:` + filepath.ToSlash(t.TempDir()) + `/none.db" })`,
			pcrt.KindIO, "no such Persistent Chat database file"},
		{"bad db table", `require("category").list({ pool = "x.contoso.com", db = { database = "mgc" } })`, pcrt.KindArgument, "no dsn and no instance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := &bindings.Env{}
			t.Cleanup(func() { _ = env.Close() })
			_, err := runSnippet(t, env, tt.src, false)
			var se *pcrt.ScriptError
			if !errors.As(err, &se) {
				t.Fatalf("Run() error = %v, want a *ScriptError", err)
			}
			if se.Kind != tt.kind || !strings.Contains(se.Message, tt.text) {
				t.Errorf("Run() error kind %q, message %q; want kind %q, message containing %q", se.Kind, se.Message, tt.kind, tt.text)
			}
		})
	}
}

func TestCmdletRoute(t *testing.T) {
	t.Parallel()
	dir := newLab(t, smallLab(1))
	makeReal(t, dir)
	editEstate(t, dir, `db = "sqlite:source-2015.db",`, `db = { instance = "sql15.contoso.com\\rtc", database = "mgc" },`)
	editEstate(t, dir, `export = { level = "All", scope = {}, since = nil,`, `export = { level = "category", scope = { "Sales" }, since = "2024-01-01",`)
	env := newEnv(t, dir)
	if err := env.AddCmdletRoute(); err != nil {
		t.Fatal(err)
	}
	// A write outside any step goes into a section of its own.
	if _, err := runSnippet(t, env, `
		local estate = require("estate")
		require("topology").load():set_default_pool(estate.site, estate.target.pool)`, false); err != nil {
		t.Fatal(err)
	}
	rb := string(env.Runbook.Bytes())
	archive := filepath.Join(dir, "archive", "pchat-2015.zip")
	for _, want := range []string{
		"# Step 1: export with Export-CsPersistentChatData (supported cmdlet route)\r\n",
		`Export-CsPersistentChatData -DBInstance 'sql15.contoso.com\rtc' -DBName 'mgc' -FileName '` + archive +
			`' -Level 'Category' -Scope @('Sales') -StartDate '2024-01-01T00:00:00Z'` + "\r\n",
		"# Step 2: import with Import-CsPersistentChatData (supported cmdlet route)\r\n",
		"# pool pchat19.contoso.com: its database is not a SQL Server instance; no cmdlet line\r\n",
		"# Step 3: changes\r\n",
	} {
		if !strings.Contains(rb, want) {
			t.Errorf("runbook lacks %q:\n%s", want, rb)
		}
	}
	if i, j := strings.Index(rb, "# Step 3: changes"), strings.Index(rb, "Set-CsSite"); i < 0 || j < i {
		t.Errorf("Set-CsSite is not in the section after the cmdlet route:\n%s", rb)
	}
}
