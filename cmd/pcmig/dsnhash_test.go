package main

import (
	"strings"
	"testing"
)

// TestDSNWithBareHashIsRefusedSayingSo: docs/connections.md says a
// sqlserver:// URL with a bare # is refused, and that # in a password is
// written %23. A password holding # (the usual case: the # cuts the URL's
// user information, so the URL does not even parse) was refused only as
// "malformed SQL Server DSN ... want sqlserver://..." after two warning lines
// about a certificate and encryption of a connection that was never going to
// be made. The refusal now names the # and %23, warns about nothing, and
// shows no part of the password.
func TestDSNWithBareHashIsRefusedSayingSo(t *testing.T) {
	t.Parallel()
	for _, dsn := range []string{
		"sqlserver://pcmig:Pa#ssw0rdQ@sql19.contoso.com/rtc?database=mgc",
		"sqlserver://pcmig:Passw0rdQ@sql19.contoso.com/rtc?database=mgc#ssw0rdQ",
	} {
		out, stderr, code := runCmd(t, "inventory", "--db", dsn)
		if code != exitError {
			t.Errorf("%s: exit %d, want %d", dsn, code, exitError)
		}
		mustContain(t, "refusal of "+dsn, stderr, "holds a #", "%23")
		if strings.Contains(strings.ToLower(stderr), "warning") {
			t.Errorf("%s: warnings about a connection never made:\n%s", dsn, stderr)
		}
		if strings.Contains(out+stderr, "ssw0rdQ") {
			t.Errorf("%s: the password shows:\n%s%s", dsn, out, stderr)
		}
	}
}
