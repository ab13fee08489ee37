package topology

import (
	"strings"
	"testing"
)

// A hostile topology document of tiny elements or attributes must not make pcmig hold a
// tree ~100 times the file's size (64 MiB of "<a/>" is 16 million elements,
// gigabytes of nodes) nor follow nesting without end: the element count and
// depth are bounded, and the error says which bound was passed, by line.
func TestParseBoundsElements(t *testing.T) {
	head := `<Topology xmlns="` + NamespaceTopology + `">`
	tests := []struct {
		name, doc, want string
	}{
		{"deep", head + strings.Repeat("<a>", maxDepth+1) + strings.Repeat("</a>", maxDepth+1) + "</Topology>",
			"topology: malformed XML: line 1: elements nested more than 64 deep; a topology document nests far less"},
		{"many", head + strings.Repeat("<a/>", maxElements) + "</Topology>",
			"topology: malformed XML: line 1: more than 250,000 elements; a topology document has far fewer"},
		// 11 MiB of attributes on one element allocated 323 MB.
		{"attributes", head + "\n<a" + strings.Repeat(` b=">"`, maxTag/6+1) + "/></Topology>",
			"topology: malformed XML: line 2: a start tag longer than 65,536 bytes; a topology document's are far shorter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(tt.doc))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Parse() = %v, %v; want error %q", d, err, tt.want)
			}
		})
	}
	// Exactly at the bounds is a document like any other.
	ok := head + strings.Repeat("<a>", maxDepth-1) + strings.Repeat("</a>", maxDepth-1) + "</Topology>"
	if _, err := Parse([]byte(ok)); err == nil || !strings.Contains(err.Error(), "no <Sites> element") {
		t.Fatalf("Parse(depth %d) = %v, want the missing <Sites> error", maxDepth, err)
	}
	// Long comments, CDATA and text are not tags.
	long := strings.Repeat("x>", maxTag)
	ok = "<!--" + long + "-->" + strings.Replace(minimal, "<Sites>", "<![CDATA["+long+"]]><?pi "+long+"?><Sites>", 1)
	if _, err := Parse([]byte(ok)); err != nil {
		t.Fatalf("Parse(long comment, CDATA and processing instruction) = %v, want the document", err)
	}
}

// A DOCTYPE is never read (docs/topology.md): an external one is not
// fetched and the document parses; an entity it declares is not expanded,
// so "billion laughs" is an unknown-entity error at its first reference.
func TestParseDoctypeIsNotRead(t *testing.T) {
	ext := `<?xml version="1.0"?><!DOCTYPE Topology SYSTEM "file:///etc/passwd">` + minimal
	if _, err := Parse([]byte(ext)); err != nil {
		t.Errorf("Parse(external DOCTYPE) = %v, want the document", err)
	}
	lol := `<!DOCTYPE Topology [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">` +
		`<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>` + "\n" + strings.Replace(minimal, "<Name>Redmond</Name>", "<Name>&c;</Name>", 1)
	_, err := Parse([]byte(lol))
	if want := "topology: malformed XML: line 3: an unknown character entity"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Parse(entities) = %v, want an error starting with %q", err, want)
	}
}
