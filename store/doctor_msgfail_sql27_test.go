package store

import (
	"strings"
	"testing"
)

// TestDoctorSaysMessageCheckCouldNotRun: the read of the messages' dates
// and text (lone UTF-16 surrogates, which the export refuses) fails on
// SQL Server. The doctor left both checks out without a word: the text
// line said OK of the structure alone, the tblChat line OK, and nothing
// said the messages were not checked. Now a FAIL line on each says the
// check could not run and why, the password left out. Failed before: no
// such line.
func TestDoctorSaysMessageCheckCouldNotRun(t *testing.T) {
	r, _ := runFakeDoctor(t, fakeDoctorServer{cat: fakeCatalog{}, messagesFail: "Login failed for user 'pcmig' (password " + testPassword + "): the query timed out"}, DoctorOptions{Role: RoleSource})
	for _, want := range []struct{ check, phrase string }{
		{"text", "could not check: the messages' content (UTF-16 surrogates without their pair): read tblChat"},
		{"tblChat", "could not check: the messages' chatDate (within the .NET DateTime range): read tblChat"},
	} {
		found := false
		for _, c := range r.Checks {
			if c.Check == want.check && c.Status == DoctorFail && strings.Contains(c.Message, want.phrase) && strings.Contains(c.Message, "the query timed out") {
				found = true
			}
		}
		if !found {
			t.Errorf("no FAIL %s line saying %q and why:\n%s", want.check, want.phrase, reportText(r))
		}
	}
	if findLine(r, DoctorOK, "every message's text") {
		t.Errorf("the text line says the messages were checked:\n%s", reportText(r))
	}
	if !r.Failed() {
		t.Error("Failed() = false")
	}
}
