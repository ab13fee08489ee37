package store

import (
	"strings"
	"testing"
)

// TestDoctorSQLServerChatPassFallsBack: on SQL Server the messages of
// removed rooms and of posters not in tblPrincipal come from one query
// over tblChat. When that query fails, each check asks its own query, as
// before, and the report is line for line the same.
func TestDoctorSQLServerChatPassFallsBack(t *testing.T) {
	f := fakeDoctorServer{cat: fakeCatalog{}, orphanChat: true, gonePoster: true}
	shared, rec := runFakeDoctor(t, f, DoctorOptions{Role: RoleSource})
	f.noChatPass = true
	own, recOwn := runFakeDoctor(t, f, DoctorOptions{Role: RoleSource})
	if a, b := reportText(shared), reportText(own); a != b {
		t.Errorf("the report from the shared query:\n%s\ndiffers from the checks' own queries':\n%s", a, b)
	}
	for _, want := range []struct{ status, phrase string }{
		{DoctorWarn, "12 messages belong to 1 room that no longer exists: 999 (12 messages)"},
		{DoctorFail, "3 messages were posted by 1 prinID not in tblPrincipal: 4242 (3 messages)"},
	} {
		if !findLine(shared, want.status, want.phrase) {
			t.Errorf("no %s line saying %q:\n%s", want.status, want.phrase, reportText(shared))
		}
	}
	// tblChat is read whole once with the shared query (the categories'
	// messages are seeks), three times without it.
	reads := func(r *recorder) (n int) {
		for _, c := range r.Calls() {
			if c.Op == "query" && (c.Query == chatPassSQL || strings.Contains(c.Query, "FROM tblChat c WHERE NOT EXISTS") || strings.Contains(c.Query, "FROM tblChat AS m WHERE NOT EXISTS")) {
				n++
			}
		}
		return n
	}
	if got := reads(rec); got != 1 {
		t.Errorf("the doctor read tblChat whole %d times, want 1", got)
	}
	if got := reads(recOwn); got != 3 {
		t.Errorf("with the shared query failing, %d queries over tblChat, want 3 (the failed one and the checks' two)", got)
	}
}
