package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestVerifyWarnsOfInsecureConnections: every command that opens a SQL
// Server database says first what is wrong with the connection's security
// (encrypt disable: the login and password cross the network in clear;
// a certificate not checked), except verify, which opened its --source,
// --target and the estate's pools saying nothing. Failed before: no
// warning in verify's output, for either form.
func TestVerifyWarnsOfInsecureConnections(t *testing.T) {
	t.Parallel()
	lab := labEstate(t, "--messages", "20")
	stdout, stderr, code := runCmdEnv(t, nil, "verify", "--source", "sqlite:"+filepath.Join(lab, "source-2015.db"),
		"--target", "sqlserver://sa:Rev29Pw@127.0.0.1:1?dial+timeout=1&encrypt=disable")
	out := stdout + stderr
	if code == 0 {
		t.Fatalf("verify of a closed port succeeded:\n%s", out)
	}
	mustContain(t, "--target", out, "pcmig: warning: sqlserver://sa:xxxxx@127.0.0.1:1?dial+timeout=1&encrypt=disable: encrypt disable: nothing is encrypted")

	est := labEstateTargetDB(t, `{ instance = "127.0.0.1,1", database = "mgc", user = "pcmig", password_env = "PCMIG_REV29_PW", trust_server_certificate = true }`)
	stdout, stderr, code = runCmdEnv(t, map[string]string{"PCMIG_REV29_PW": "Rev29Pw"}, "verify", "--estate", est)
	out = stdout + stderr
	if code == 0 {
		t.Fatalf("verify of a closed port succeeded:\n%s", out)
	}
	mustContain(t, "--estate", out, "pcmig: warning: sqlserver 127.0.0.1,1 database mgc: the SQL Server certificate is not checked")
	if strings.Contains(out, "Rev29Pw") {
		t.Errorf("the output holds the password:\n%s", out)
	}
}
