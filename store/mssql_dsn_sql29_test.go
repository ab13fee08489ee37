package store

import (
	"strings"
	"testing"
	"time"

	"github.com/microsoft/go-mssqldb/msdsn"
)

// TestDSNKeysThatBreakSessionsRefused: go-mssqldb reads "connection
// timeout" as a deadline on every read of the connection for its whole
// life (not a time to connect), and "timezone" as the zone it reads
// datetime values in (it writes a time.Time's own wall clock, pcmig's UTC).
// Both went to the driver: a lock wait or a long read would end in an i/o
// timeout mid-migration, and every datetime read back would be shifted.
// pcmig even advised "connection timeout=SECONDS" for ADO.NET's "connect
// timeout". Now both are refused unless they leave the driver's default
// (0, UTC), naming the key (the DSN shown as redactDSN shows it). Failed before: ConnString
// accepted every DSN below.
func TestDSNKeysThatBreakSessionsRefused(t *testing.T) {
	for _, tt := range []struct {
		dsn, key string
		// what go-mssqldb would make of the key
		driver func(msdsn.Config) bool
		want   string
	}{
		{"sqlserver://sa:S3cr3t%21p%40ss@h?connection+timeout=30", "connection timeout",
			func(p msdsn.Config) bool { return p.ConnTimeout == 30*time.Second }, "bounds every read of the connection"},
		{"sqlserver://sa:S3cr3t%21p%40ss@h?Connection+Timeout=600&database=mgc", "Connection Timeout",
			func(p msdsn.Config) bool { return p.ConnTimeout == 600*time.Second }, "dial timeout=SECONDS"},
		{"sqlserver://sa:S3cr3t%21p%40ss@h?timezone=Europe%2FBerlin", "timezone",
			func(p msdsn.Config) bool { return p.Encoding.GetTimezone().String() == "Europe/Berlin" }, "reads datetime columns in"},
		{"sqlserver://sa:S3cr3t%21p%40ss@h?TimeZone=America%2FNew_York", "TimeZone",
			func(p msdsn.Config) bool { return p.Encoding.GetTimezone().String() == "America/New_York" }, "as UTC"},
	} {
		t.Run(tt.key, func(t *testing.T) {
			p, err := msdsn.Parse(tt.dsn)
			if err != nil || !tt.driver(p) {
				t.Fatalf("go-mssqldb's reading of %s is not what this test assumes (err %v)", tt.dsn, err)
			}
			_, err = ConnString(Config{DSN: tt.dsn})
			if err == nil {
				t.Fatalf("ConnString(%s) succeeded", tt.dsn)
			}
			for _, s := range []string{`"` + tt.key + `"`, tt.want, "docs/connections.md"} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
			if f := leaksPassword(err.Error()); f != "" {
				t.Errorf("error %q shows the password as %q", err, f)
			}
		})
	}
	// The driver's defaults are taken.
	for _, dsn := range []string{
		"sqlserver://sa:x@h?connection+timeout=0",
		"sqlserver://sa:x@h?timezone=UTC",
		"sqlserver://sa:x@h?dial+timeout=30",
	} {
		if _, err := ConnString(Config{DSN: dsn}); err != nil {
			t.Errorf("ConnString(%s): %v", dsn, err)
		}
	}
	// ADO.NET's connect timeout is a time to connect: its advice is go-mssqldb's dial timeout.
	for _, k := range []string{"connect+timeout", "timeout"} {
		_, err := ConnString(Config{DSN: "sqlserver://sa:x@h?" + k + "=30"})
		if err == nil || !strings.Contains(err.Error(), "write dial timeout=SECONDS instead") {
			t.Errorf("%s: error %v, want the advice dial timeout=SECONDS", k, err)
		}
	}
}
