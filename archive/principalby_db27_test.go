package archive

import (
	"strings"
	"testing"
)

// TestPrincipalAddedBy: a principal's added_by and updated_by are absent
// (the system user) or "" (NULL); null and any other value, such as a
// GUID, are refused naming the key; the writer writes back what it read.
func TestPrincipalAddedBy(t *testing.T) {
	line := func(extra string) []byte {
		return []byte(`{"guid":"00000001-0000-4000-8000-000000000001","uri":"sip:a@contoso.com","type":"User","state":0,"pool_id":null,"policy_id":null,` +
			extra + `"added_on":"1","updated_on":"1","verified_on":"2024-01-02T03:04:05Z"}`)
	}
	for extra, want := range map[string][2]string{
		``:                               {"system", "system"},
		`"added_by":"",`:                 {"NULL", "system"},
		`"added_by":"","updated_by":"",`: {"NULL", "NULL"},
		`"updated_by":"",`:               {"system", "NULL"},
	} {
		var p Principal
		if err := decodePrincipal(line(extra), &p); err != nil {
			t.Errorf("%s: %v", extra, err)
			continue
		}
		got := func(v *string) string {
			if v == nil {
				return "system"
			}
			return "NULL"
		}
		if g := [2]string{got(p.AddedBy), got(p.UpdatedBy)}; g != want {
			t.Errorf("%s: added_by, updated_by %v, want %v", extra, g, want)
		}
		enc, err := newRecordEncoder().encode(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, kv := range strings.Split(strings.TrimSuffix(extra, ","), ",") {
			if !strings.Contains(string(enc), kv) {
				t.Errorf("%s: encoded as %s", extra, enc)
			}
		}
		if strings.Count(string(enc), "_by") != strings.Count(extra, "_by") {
			t.Errorf("%s: encoded as %s", extra, enc)
		}
	}
	for _, extra := range []string{`"added_by":"00000001-0000-4000-8000-000000000001",`, `"updated_by":"x",`, `"added_by":null,`, `"updated_by":1,`} {
		var p Principal
		key := strings.Trim(strings.SplitN(extra, ":", 2)[0], `"`)
		if err := decodePrincipal(line(extra), &p); err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s: %v, want an error naming %s", extra, err, key)
		}
	}
}
