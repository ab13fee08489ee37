package store

// SQL Server path (sql25), on the recording driver.

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/pchat"
)

// TestSQLServerNodeGUIDReadLockedForTheWrite: a new category or room keeps
// the GUID it asks for when no node has it. The check read tblNode without
// locks, so under READ COMMITTED another session (a second pcmig, New-CsPersistentChatRoom)
// could insert a node with that GUID between pcmig's read and its insert:
// the insert then failed on the nodeGuid key (a duplicate-key error in the
// middle of an import) instead of taking a new GUID. The read now takes
// update range locks held to the end of the write, as the node ID, principal
// and add-in reads do, inside the write's transaction.
func TestSQLServerNodeGUIDReadLockedForTheWrite(t *testing.T) {
	s, rec := openServer(t, &fakeServer{nodeMax: 41})
	var ch Changes
	cat := ch.Category(pchat.Category{Name: "c", GUID: "11111111-2222-4333-8444-555555555555"})
	ch.Room(pchat.Room{Name: "r", CategoryID: cat, Privacy: pchat.Open, Type: pchat.Normal, GUID: "21111111-2222-4333-8444-555555555555"})
	if _, err := s.Apply(context.Background(), &ch); err != nil {
		t.Fatal(err)
	}
	inTx, reads := false, 0
	for _, c := range rec.Calls() {
		switch c.Op {
		case "begin":
			inTx = true
		case "commit", "rollback":
			inTx = false
		}
		if !strings.Contains(c.Query, "WHERE nodeGuid IN (") {
			continue
		}
		reads++
		if !inTx {
			t.Errorf("the node GUIDs are read outside the write's transaction:\n%s", c.Query)
		}
		if !strings.Contains(c.Query, "FROM tblNode WITH (UPDLOCK, HOLDLOCK) WHERE nodeGuid IN (") {
			t.Errorf("the node GUIDs are read without locks held to the end of the write:\n%s", c.Query)
		}
	}
	if reads != 1 {
		t.Errorf("node GUIDs read %d times; want once", reads)
	}
}

// TestConnStringKeysAreTheDriversKeys: the URL pcmig builds from an
// instance and its options holds only keys go-mssqldb reads, so the check
// that refuses a DSN's unknown keys (driverKeys) would pass it.
func TestConnStringKeysAreTheDriversKeys(t *testing.T) {
	pem := filepath.Join(t.TempDir(), "c.pem")
	if err := os.WriteFile(pem, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []Config{
		{Instance: `sql19\rtc,1433`, User: "pcmig", Password: "pw1", Encrypt: "strict", ServerCertificate: pem, AppName: "a"},
		{Instance: "sql19", Certificate: pem, HostInCert: "h"},
		{Instance: "sql19", TrustCert: true},
		{Instance: "sql19", Auth: "kerberos", ServerSPN: "MSSQLSvc/sql19:1433", Krb5Config: "/k.conf", Krb5CCache: "FILE:/tmp/cc"},
		{Instance: "sql19", Auth: "ntlm", User: `CONTOSO\pc`, Password: "pw1"},
		{DSN: "sqlserver://h?encrypt=disable"},
	} {
		s, err := ConnString(cfg)
		if err != nil {
			t.Errorf("ConnString(%s): %v", cfg.Describe(), err)
			continue
		}
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		for k := range u.Query() {
			if !driverKeys[strings.ToLower(k)] {
				t.Errorf("ConnString(%s) has key %q, which go-mssqldb does not read", cfg.Describe(), k)
			}
		}
	}
}
