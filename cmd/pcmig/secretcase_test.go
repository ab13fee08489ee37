package main

import (
	"strings"
	"testing"
)

// TestPasswordNeverShownInAnotherCase: a driver that repeats a value in
// lower case (go-mssqldb's "invalid encrypt 's3cretpw'") must not show a
// password pcmig knows: here it is also the DSN's encrypt value, by
// mistake. Before, the masking matched the password's own case only and
// the doctor printed it lower-cased.
func TestPasswordNeverShownInAnotherCase(t *testing.T) {
	const pw = "S3cretPW"
	for _, dsn := range []string{
		"sqlserver://sa:" + pw + "@localhost:1?database=mgc&encrypt=" + pw,
		"sqlserver://sa@localhost:1?database=mgc&encrypt=" + pw + "&password=" + pw,
	} {
		stdout, stderr, code := runCmd(t, "doctor", "--db", dsn)
		out := stdout + stderr
		if code == 0 {
			t.Errorf("doctor of an unusable DSN exited 0:\n%s", out)
		}
		if strings.Contains(strings.ToLower(out), strings.ToLower(pw)) {
			t.Errorf("the password appears in the output, in some case:\n%s", out)
		}
		if !strings.Contains(out, "invalid encrypt") {
			t.Errorf("the output does not say what is wrong:\n%s", out)
		}
	}
}
