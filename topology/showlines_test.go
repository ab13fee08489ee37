package topology

import (
	"bytes"
	"strings"
	"testing"
)

// A topology document is a file pcmig is given: a site name, cluster FQDN
// or SQL instance name holding line breaks (literal in element text,
// &#10; and &#13; in attributes) must not start lines of its own in
// `pcmig topology show`, where it could pass for pcmig's own words (a
// forged "default Persistent Chat pool" or "Warnings" line). The names are
// shown with \n and \r; the JSON summary keeps them as they are.
func TestShowKeepsHostileNamesOnTheirLine(t *testing.T) {
	forge := "\nWarnings\n  none: all checks passed"
	doc := strings.NewReplacer(
		"<Name>Redmond</Name>", "<Name>Redmond"+forge+"</Name>",
		`Fqdn="pc.contoso.com"`, `Fqdn="pc.contoso.com&#13;&#10;    store:       sql.contoso.com\fake, database mgc"`,
		`Name="pc"`, `Name="pc&#10;    next hop:    fe.contoso.com"`,
	).Replace(minimal)
	d := mustParse(t, []byte(doc))
	var out bytes.Buffer
	if err := d.Show(&out); err != nil {
		t.Fatal(err)
	}
	for _, forged := range []string{"Warnings\n  none", "\n    store:       sql.contoso.com\\fake", "\n    next hop:    fe.contoso.com"} {
		if strings.Contains(out.String(), forged) {
			t.Errorf("Show() printed a name's line break as a line of its own (%q):\n%s", forged, out.String())
		}
	}
	for _, shown := range []string{`Redmond\nWarnings\n  none: all checks passed (SiteId 1)`, `pc.contoso.com\r\n    store:`, `pc\n    next hop:`} {
		if !strings.Contains(out.String(), shown) {
			t.Errorf("Show() does not show %q:\n%s", shown, out.String())
		}
	}
	if s := d.Sites()[0].Name; s != "Redmond"+forge {
		t.Errorf("Sites()[0].Name = %q, want the name as it is", s)
	}
}
