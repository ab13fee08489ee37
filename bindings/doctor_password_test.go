package bindings_test

import (
	"bytes"
	"strings"
	"testing"

	pcrt "github.com/pcmig/pcmig/runtime"
)

// TestDoctorEmptyPasswordEnv: an estate pool whose password_env names an
// unset or empty variable is not an argument error of doctor.check and
// doctor.require (a script could not even look at the report): as with
// `pcmig doctor --estate`, doctor.check returns a report with one FAIL
// connection line naming the variable (never a value), the other pools
// are still checked, and doctor.require raises the validation error of
// any failed check, naming the variable.
func TestDoctorEmptyPasswordEnv(t *testing.T) {
	t.Parallel()
	dir := newLab(t, smallLab(1))
	editEstate(t, dir, `db = "sqlite:source-2015.db"`,
		`db = { instance = "sql15.contoso.com\\rtc", database = "mgc", user = "pcmig", password_env = "PCMIG_SOURCE_PW" }`)
	const script = `
local doctor = require("doctor")
local r = doctor.check("source")
print(string.format("check: ok=%s fails=%d role=%s", tostring(r.ok), r.fails, r.role))
for _, c in ipairs(r.checks) do print("line: " .. c.status .. " " .. c.check .. ": " .. c.message) end
print("target ok=" .. tostring(doctor.check("target").ok))
local ok, err = pcall(doctor.require, "source")
print("require: " .. tostring(ok) .. " " .. tostring(err.kind) .. " " .. tostring(err.message))
`
	for name, vars := range map[string]map[string]string{"unset": nil, "empty": {"PCMIG_SOURCE_PW": ""}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, dir)
			env.Getenv = func(k string) string { return vars[k] }
			var out bytes.Buffer
			_, err := pcrt.Run(t.Context(), pcrt.Script{Name: "doctor.lua", Source: []byte(script)},
				pcrt.Options{Modules: env.Modules(), Stdout: &out, Stderr: &out, Now: clock})
			if err != nil {
				t.Fatalf("the script failed: %v\n%s", err, out.String())
			}
			for _, want := range []string{
				"check: ok=false fails=1 role=source",
				"line: FAIL connection: ",
				"target ok=true",
				"require: false validation ",
			} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
			for _, l := range strings.Split(out.String(), "\n") {
				if (strings.HasPrefix(l, "line: FAIL") || strings.HasPrefix(l, "require:")) && !strings.Contains(l, "PCMIG_SOURCE_PW") {
					t.Errorf("%q does not name the variable", l)
				}
			}
		})
	}
}
