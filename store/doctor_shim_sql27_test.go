package store_test

import (
	"strings"
	"testing"

	"github.com/pcmig/pcmig/store"
)

// TestSQLServerDoctorChecksMessagesThroughShim: the doctor's read of the
// messages' dates and text on SQL Server used CROSS APPLY, which the
// stand-in server has no form for; the check failed there without a word
// (the text line said OK of the structure alone), so no suite ever ran
// it. Now it is plain derived tables: through the stand-in it names a
// message with a lone surrogate and one dated before 0001-01-01, and
// says what it checked of a clean pool. Failed before: neither was named.
func TestSQLServerDoctorChecksMessagesThroughShim(t *testing.T) {
	s, _ := unpairedLab(t, `
UPDATE tblChat SET content = CAST(X'6869EDA0BD21' AS TEXT) WHERE (channelId, chatId) = (SELECT channelId, chatId FROM tblChat ORDER BY channelId, chatId LIMIT 1 OFFSET 3);
UPDATE tblChat SET chatDate = -5 WHERE (channelId, chatId) = (SELECT channelId, chatId FROM tblChat ORDER BY channelId, chatId LIMIT 1 OFFSET 9);`)
	r, err := store.DoctorStore(t.Context(), s, store.DoctorOptions{Role: store.RoleSource})
	if err != nil {
		t.Fatal(err)
	}
	var text, dates bool
	var all strings.Builder
	for _, c := range r.Checks {
		all.WriteString(c.Status + " " + c.Check + ": " + c.Message + "\n")
		if strings.Contains(c.Message, "could not check") || strings.Contains(c.Message, "tsql shim") {
			t.Errorf("a check could not run on the stand-in: %s %s", c.Check, c.Message)
		}
		text = text || c.Check == "text" && c.Status == store.DoctorFail && strings.Contains(c.Message, "1 message holds text with a UTF-16 surrogate that has no pair")
		dates = dates || c.Check == "tblChat" && c.Status == store.DoctorFail && strings.Contains(c.Message, "1 message is dated outside the .NET DateTime range") && strings.Contains(c.Message, "chatDate -5")
	}
	if !text || !dates {
		t.Errorf("the doctor names the message with a lone surrogate: %v, the one dated -5: %v\n%s", text, dates, all.String())
	}

	clean, _ := unpairedLab(t, "")
	r, err = store.DoctorStore(t.Context(), clean, store.DoctorOptions{Role: store.RoleSource})
	if err != nil {
		t.Fatal(err)
	}
	ok := false
	for _, c := range r.Checks {
		ok = ok || c.Check == "text" && c.Status == store.DoctorOK && strings.Contains(c.Message, "every message's text is valid Unicode")
	}
	if !ok {
		t.Errorf("a clean pool's text line does not say the messages were checked: %+v", r.Checks)
	}
}
