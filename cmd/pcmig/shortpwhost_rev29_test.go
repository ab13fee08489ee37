package main

import (
	"strings"
	"testing"
)

// TestShortPasswordAsUnresolvedHostMasked: a password of 1 or 2
// characters written in another key of the DSN is masked where the driver
// quotes it (TestShortPasswordQuotedByDriverMasked); in failoverpartner=
// it is a host that does not resolve, which pcmig and Go's resolver name
// unquoted: "the host name Zq does not resolve ... (lookup Zq on ...)".
// Failed before: the output held "Zq" twice.
func TestShortPasswordAsUnresolvedHostMasked(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := runCmdEnv(t, nil, "inventory", "--db", "sqlserver://sa:Zq@127.0.0.1:1?dial+timeout=1&encrypt=disable&failoverpartner=Zq")
	out := stdout + stderr
	if code == 0 {
		t.Fatalf("inventory succeeded:\n%s", out)
	}
	if !strings.Contains(out, "does not resolve") {
		t.Skipf("the failover partner's name was not looked up here:\n%s", out)
	}
	mustContain(t, "output", out, "the host name xxxxx does not resolve")
	if strings.Contains(out, "Zq") {
		t.Errorf("the output holds the password:\n%s", out)
	}
}
