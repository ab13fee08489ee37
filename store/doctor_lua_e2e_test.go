package store_test

import (
	"database/sql"
	"strings"
	"testing"
)

// TestBundledScriptsDoctorNamesAsTheTarget: the bundled scripts' doctor
// (doctor.require, the Lua binding) compares a source's category and room
// names also as the target compares them, as pcmig doctor --estate does: a
// case-sensitive source holding rooms "Sales" and "sales" passes its own
// names check, and a case-insensitive target's import refuses the archive
// holding both. Both scripts now stop at the pre-flight, before anything
// is exported, naming the two rooms and the target's collation.
func TestBundledScriptsDoctorNamesAsTheTarget(t *testing.T) {
	for _, script := range []string{"migrate.lua", "multipool.lua"} {
		t.Run(script, func(t *testing.T) {
			dir, shims := sqlServerLab(t, func(source, _ string) {
				db, err := sql.Open("sqlite", source)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				for _, q := range []string{
					`UPDATE tblNode SET nodeName = 'Sales' WHERE nodeID = (SELECT MIN(nodeID) FROM tblNode WHERE nodeType = 0)`,
					`UPDATE tblNode SET nodeName = 'sales' WHERE nodeID = (SELECT MAX(nodeID) FROM tblNode WHERE nodeType = 0)`,
				} {
					if _, err := db.Exec(q); err != nil {
						t.Fatal(err)
					}
				}
			})
			shims[`sql15.contoso.com\rtc`].SetNameCollation("Latin1_General_CS_AS")
			_, out, err := dryRunScript(t, dir, shims, script)
			if err == nil {
				t.Fatalf("the run went through:\n%s", out)
			}
			for _, want := range []string{"is not ready (pcmig doctor)", "names: as the target compares names (SQL_Latin1_General_CP1_CI_AS)",
				`2 rooms share 1 name`, `"Sales" (in `, `"sales" (in `} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the run's error does not say %q:\n%v\n%s", want, err, out)
				}
			}
			if strings.Contains(out, "== Step") {
				t.Errorf("the run went past the pre-flight:\n%s", out)
			}
		})
	}
}

// TestBundledScriptDoctorSourceWithoutTarget: a target that cannot be
// reached does not stop the source's doctor (its report is made with its
// own names check); the run then stops at the target, saying why.
func TestBundledScriptDoctorSourceWithoutTarget(t *testing.T) {
	dir, shims := sqlServerLab(t, nil)
	delete(shims, `sql19.contoso.com\rtc`)
	_, out, err := dryRunScript(t, dir, shims, "migrate.lua")
	if err == nil || !strings.Contains(err.Error(), "no stand-in server for sqlserver sql19.contoso.com") {
		t.Fatalf("the run did not stop at the unreachable target: %v\n%s", err, out)
	}
	if !strings.Contains(out, `doctor sqlserver sql15.contoso.com\rtc database mgc (source): 0 FAIL`) {
		t.Errorf("the source's doctor did not report:\n%s", out)
	}
}
