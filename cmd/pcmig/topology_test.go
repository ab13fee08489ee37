package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// topologyTestdata is the topology package's fixtures, shared by path.
var topologyTestdata = filepath.Join("..", "..", "topology", "testdata")

func TestTopologyShow(t *testing.T) {
	t.Parallel()
	// A hand-written document in the documented shape, with elements pcmig
	// does not know: the CLI prints what the topology package renders.
	for _, name := range []string{"handwritten", "oneline"} {
		xml := filepath.Join(topologyTestdata, name+".xml")
		for _, c := range []struct {
			args   []string
			golden string
		}{
			{[]string{"topology", "show", "--file", xml}, name + ".show.golden"},
			{[]string{"topology", "show", "--json", "--file", xml}, name + ".summary.golden.json"},
		} {
			stdout, _ := mustRun(t, 0, c.args...)
			want := string(readFile(t, filepath.Join(topologyTestdata, c.golden)))
			if diff := cmp.Diff(want, stdout); diff != "" {
				t.Errorf("pcmig %s mismatch (-want +got):\n%s", strings.Join(c.args, " "), diff)
			}
		}
	}
	stdout, _ := mustRun(t, 0, "topology", "show", "--file", filepath.Join(topologyTestdata, "handwritten.xml"))
	mustContain(t, "topology show", stdout, "Dublin (SiteId 1): default Persistent Chat pool chat-old.fabrikam.com",
		"chat-new.fabrikam.com", "sqlchat.fabrikam.com\\chatnew, database mgc")

	// The lab's document, as text and JSON.
	est := labEstate(t, "--messages", "500")
	topo := filepath.Join(est, "topology.xml")
	stdout, _ = mustRun(t, 0, "topology", "show", "-f", topo)
	mustContain(t, "lab topology", stdout, "Redmond (SiteId 1): default Persistent Chat pool pchat15.contoso.com",
		"pchat15.contoso.com  [site default]", "pchat19.contoso.com", `sql15.contoso.com\rtc, database mgc`, `sql19.contoso.com\rtc, database mgc`)
	stdout, _ = mustRun(t, 0, "topology", "show", "--json", "--file", topo)
	var sum struct {
		Sites []struct {
			Name    string `json:"name"`
			Default string `json:"default_persistent_chat_pool"`
		} `json:"sites"`
		Pools []struct {
			FQDN string `json:"fqdn"`
		} `json:"pools"`
	}
	decodeJSON(t, []byte(stdout), &sum)
	if len(sum.Sites) != 1 || sum.Sites[0].Name != "Redmond" || sum.Sites[0].Default != "pchat15.contoso.com" {
		t.Errorf("lab topology --json sites = %+v, want Redmond with default pchat15.contoso.com", sum.Sites)
	}
	var pools []string
	for _, p := range sum.Pools {
		pools = append(pools, p.FQDN)
	}
	for _, want := range []string{"fe15.contoso.com", "fe19.contoso.com", "pchat15.contoso.com", "pchat19.contoso.com"} {
		if !strings.Contains(strings.Join(pools, " "), want) {
			t.Errorf("lab topology --json pools %v lack %s", pools, want)
		}
	}
}

func TestTopologyShowRefusesMalformedXML(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name, content, want string
	}{
		{"truncated.xml", `<?xml version="1.0"?><Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008"><Sites>`, "malformed XML"},
		{"mismatched.xml", `<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008"><Sites></Clusters></Topology>`, "malformed XML"},
		{"empty.xml", "", "malformed XML: no root element"},
		{"other.xml", `<html><body>not a topology</body></html>`, "the root element is not <Topology"},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name)
		writeFile(t, path, tt.content)
		for _, json := range []bool{false, true} {
			args := []string{"topology", "show", "--file", path}
			if json {
				args = []string{"topology", "show", "--json", "--file", path}
			}
			stdout, stderr, code := runCmd(t, args...)
			if code != exitError || stdout != "" {
				t.Errorf("topology show %s (json %v): exit %d, stdout %q; want exit %d and nothing printed", tt.name, json, code, stdout, exitError)
			}
			mustContain(t, "stderr of "+tt.name, stderr, "pcmig: ", tt.want)
		}
	}
	_, stderr, code := runCmd(t, "topology", "show", "--file", filepath.Join(dir, "nosuch.xml"))
	if code != exitError {
		t.Errorf("topology show of a missing file: exit %d, want %d", code, exitError)
	}
	mustContain(t, "stderr", stderr, "nosuch.xml", "no such file")
}

// Documents as administrators and attackers produce them, end to end:
// Out-File -Encoding UTF32 is read; a tag of a million attributes is
// refused by line with exit code 1, quoting nothing of the file.
func TestTopologyShowHostileAndUTF32(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	doc := readFile(t, filepath.Join(topologyTestdata, "oneline.xml"))
	u32 := []byte{0xFF, 0xFE, 0, 0}
	for _, r := range string(doc) {
		u32 = append(u32, byte(r), byte(r>>8), byte(r>>16), byte(r>>24))
	}
	path := filepath.Join(dir, "utf32.xml")
	writeFile(t, path, string(u32))
	stdout, _ := mustRun(t, 0, "topology", "show", "--file", path)
	mustContain(t, "UTF-32 topology", stdout, "(UTF-32LE with BOM)", "pchat01.contoso.com")

	const secret = "Sw0rdfish"
	hostile := strings.Replace(string(doc), "<Sites>", "<Sites "+secret+`="x"`+
		strings.Repeat(` a="`+secret+`"`, 20000)+">", 1)
	path = filepath.Join(dir, "hostile.xml")
	writeFile(t, path, hostile)
	_, stderr := mustRun(t, 1, "topology", "show", "--file", path)
	mustContain(t, "hostile topology", stderr, "line 2: a start tag longer than 65,536 bytes")
	if strings.Contains(stderr, secret) {
		t.Errorf("the error quotes the file: %s", stderr)
	}
}
