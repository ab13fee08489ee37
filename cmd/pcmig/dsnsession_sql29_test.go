package main

import (
	"strings"
	"testing"
)

// TestDSNConnectionTimeoutAndTimezoneRefused: a sqlserver:// DSN with
// go-mssqldb's "connection timeout" (a deadline on every read of the
// connection for its whole life, so a lock wait or the doctor's read of
// tblChat would end in an i/o timeout mid-migration) or "timezone" (the
// zone the driver reads datetime values in, while pcmig writes UTC: every
// date read back shifted) went to the driver. Now both are refused before
// any connection, naming the key and what to do. Failed before: the
// inventory connected (the listener counted connections).
func TestDSNConnectionTimeoutAndTimezoneRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ query, want string }{
		{"connection+timeout=30", `"connection timeout" is not a time to connect`},
		{"timezone=Europe%2FBerlin", `"timezone" is the zone it reads datetime columns in`},
	} {
		addr, conns := listenCount(t)
		host, port, _ := strings.Cut(addr, ",")
		stdout, stderr, code := runCmdEnv(t, nil, "inventory", "--db", "sqlserver://sa:OldPw1@"+host+":"+port+"?dial+timeout=2&encrypt=disable&"+tt.query)
		out := stdout + stderr
		if code == 0 {
			t.Fatalf("%s: inventory succeeded:\n%s", tt.query, out)
		}
		mustContain(t, "output", out, tt.want, "docs/connections.md")
		if conns.Load() != 0 {
			t.Errorf("%s: pcmig connected to the server (%d connections):\n%s", tt.query, conns.Load(), out)
		}
		if strings.Contains(out, "OldPw1") {
			t.Errorf("the output holds the password:\n%s", out)
		}
	}
}
