package topology

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// variant is one way of writing the same document; its transform applies
// to whole documents and to single lines alike.
type variant struct {
	name      string
	transform func([]byte) []byte
	encode    func([]byte) []byte // the file bytes for a UTF-8 body
}

var leadingPairs = regexp.MustCompile(`(?m)^((?:  )+)`)

func tabs(b []byte) []byte {
	return leadingPairs.ReplaceAllFunc(b, func(m []byte) []byte { return bytes.Repeat([]byte("\t"), len(m)/2) })
}

func identity(b []byte) []byte { return b }

var variants = []variant{
	{"LF", identity, identity},
	{"CRLF", crlf, identity},
	{"tabs", tabs, identity},
	{"UTF-16LE CRLF", crlf, func(b []byte) []byte { return utf16le(string(b)) }},
	{"UTF-32LE CRLF", crlf, utf32le},
}

func TestSetDefaultLineDiff(t *testing.T) {
	const settings = `<PersistentChatSettings xmlns="urn:pcmig:topology:2026" DefaultPersistentChatPool=`
	tests := []struct {
		name, file, site, fqdn string
		opts                   SetOptions
		want                   []string // the line diff in the LF, two-space form
		context                string   // must appear in the new document
	}{
		{
			name: "attribute updated in place", file: "handwritten.xml", site: "Dublin", fqdn: "CHAT-NEW.fabrikam.com",
			want: []string{
				`-    <CentralSite SiteId="1"   DefaultPersistentChatPool="chat-old.fabrikam.com" Extra='single'>` + "\n",
				`+    <CentralSite SiteId="1"   DefaultPersistentChatPool="chat-new.fabrikam.com" Extra='single'>` + "\n",
			},
		},
		{
			name: "element inserted", file: "handwritten.xml", site: "site:Seattle", fqdn: "chat-sea.fabrikam.com",
			want:    []string{"+      " + settings + `"chat-sea.fabrikam.com"/>` + "\n"},
			context: "recorded yet -->\n      " + settings + `"chat-sea.fabrikam.com"/>` + "\n    </CentralSite>",
		},
		{
			name: "pool of another site allowed", file: "handwritten.xml", site: "1", fqdn: "chat-sea.fabrikam.com",
			opts: SetOptions{AllowOtherSite: true},
			want: []string{
				`-    <CentralSite SiteId="1"   DefaultPersistentChatPool="chat-old.fabrikam.com" Extra='single'>` + "\n",
				`+    <CentralSite SiteId="1"   DefaultPersistentChatPool="chat-sea.fabrikam.com" Extra='single'>` + "\n",
			},
		},
		{
			name: "element inserted inline", file: "oneline.xml", site: "Redmond", fqdn: "pchat01.contoso.com",
			want: []string{
				`-  <Sites><CentralSite SiteId="1"><Name>Redmond</Name><Location/></CentralSite></Sites>` + "\n",
				`+  <Sites><CentralSite SiteId="1"><Name>Redmond</Name><Location/>` + settings + `"pchat01.contoso.com"/></CentralSite></Sites>` + "\n",
			},
		},
		{
			name: "generated element updated in place", file: "lab.xml", site: "Redmond", fqdn: "pchat19.contoso.com",
			want: []string{
				"-      " + settings + `"pchat15.contoso.com"/>` + "\n",
				"+      " + settings + `"pchat19.contoso.com"/>` + "\n",
			},
		},
	}
	for _, tt := range tests {
		for _, v := range variants {
			t.Run(tt.name+"/"+v.name, func(t *testing.T) {
				body := v.transform(readTestdata(t, tt.file))
				d := mustParse(t, v.encode(body))
				out, err := d.SetDefaultPersistentChatPool(tt.site, tt.fqdn, tt.opts)
				if err != nil {
					t.Fatalf("SetDefaultPersistentChatPool: %v", err)
				}
				nd := mustParse(t, out)
				if nd.Encoding() != d.Encoding() {
					t.Errorf("encoding changed from %s to %s", d.Encoding(), nd.Encoding())
				}
				var want []string
				for _, l := range tt.want {
					want = append(want, l[:1]+string(v.transform([]byte(l[1:]))))
				}
				if diff := cmp.Diff(want, lineDiff(body, nd.body)); diff != "" {
					t.Errorf("line diff mismatch (-want +got):\n%s", diff)
				}
				if c := v.transform([]byte(tt.context)); !bytes.Contains(nd.body, c) {
					t.Errorf("new document lacks %q", c)
				}
				s, _ := nd.Site(tt.site)
				if got, want := s.DefaultPersistentChatPool, strings.ToLower(tt.fqdn); got != want {
					t.Errorf("new default = %q, want %q", got, want)
				}
			})
		}
	}
}

func TestSetDefaultTwice(t *testing.T) {
	d := mustParse(t, readTestdata(t, "handwritten.xml"))
	first, err := d.SetDefaultPersistentChatPool("Seattle", "chat-sea.fabrikam.com", SetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := mustParse(t, first).SetDefaultPersistentChatPool("Seattle", "chat-new.fabrikam.com", SetOptions{AllowOtherSite: true})
	if err != nil {
		t.Fatal(err)
	}
	const settings = `      <PersistentChatSettings xmlns="urn:pcmig:topology:2026" DefaultPersistentChatPool=`
	want := []string{"-" + settings + `"chat-sea.fabrikam.com"/>` + "\n", "+" + settings + `"chat-new.fabrikam.com"/>` + "\n"}
	if diff := cmp.Diff(want, lineDiff(first, second)); diff != "" {
		t.Errorf("line diff mismatch (-want +got):\n%s", diff)
	}
	for _, keep := range []string{"<x:Trailer>kept as is</x:Trailer>", "<!-- trailing comment -->", `x:Flag="kept"`, "<x:Future Setting=\"on\"/>"} {
		if !strings.Contains(string(second), keep) {
			t.Errorf("edited document lost %q", keep)
		}
	}
	if w := mustParse(t, second).Warnings(); len(w) != 1 || !strings.Contains(w[0], `"chat-new.fabrikam.com" is in site "Dublin"`) {
		t.Errorf("Warnings() = %q, want the cross-site default reported", w)
	}
}

func TestSetDefaultUnchanged(t *testing.T) {
	data := readTestdata(t, "handwritten.xml")
	out, err := mustParse(t, data).SetDefaultPersistentChatPool("Dublin", "Chat-Old.Fabrikam.com", SetOptions{})
	if err == nil && !bytes.Equal(out, data) {
		t.Errorf("setting the current default changed the document:\n%q", lineDiff(data, out))
	}
	if err != nil {
		t.Errorf("SetDefaultPersistentChatPool: %v", err)
	}
}

func TestSetDefaultErrors(t *testing.T) {
	d := mustParse(t, readTestdata(t, "handwritten.xml"))
	tests := []struct {
		name, site, fqdn string
		opts             SetOptions
		is               error
		want             string
	}{
		{"unknown site", "Paris", "chat-new.fabrikam.com", SetOptions{}, ErrUnknownSite,
			`topology: unknown site "Paris" (the topology has "Dublin", "Seattle")`},
		{"unknown pool", "Dublin", "chat-x.fabrikam.com", SetOptions{}, ErrUnknownPool,
			`topology: unknown pool: "chat-x.fabrikam.com" is not a cluster of the topology`},
		{"front-end pool", "Dublin", "pool-dub.fabrikam.com", SetOptions{}, ErrNotPersistentChatPool,
			`topology: not a Persistent Chat pool: pool "pool-dub.fabrikam.com" runs only Registrar`},
		{"SQL host", "Dublin", "sqlfe.fabrikam.com", SetOptions{}, ErrNotPersistentChatPool,
			`topology: not a Persistent Chat pool: pool "sqlfe.fabrikam.com" runs only UserStore`},
		{"other site", "Dublin", "chat-sea.fabrikam.com", SetOptions{}, ErrOtherSite,
			`topology: pool is in another site: Persistent Chat pool "chat-sea.fabrikam.com" is in site "Seattle", not "Dublin" (allow other sites to use it anyway)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := d.SetDefaultPersistentChatPool(tt.site, tt.fqdn, tt.opts)
			if !errors.Is(err, tt.is) || err.Error() != tt.want || out != nil {
				t.Errorf("SetDefaultPersistentChatPool(%q, %q) = %d bytes, %v; want nil, %q", tt.site, tt.fqdn, len(out), err, tt.want)
			}
		})
	}
}

// FuzzParse checks that Parse never panics, that a parsed document gives
// back its exact bytes, and that switching any site's default to any
// Persistent Chat pool yields a document that parses to the same topology
// with only that site's default changed. The seed corpus is in
// testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			return
		}
		if !bytes.Equal(d.Bytes(), data) {
			t.Fatalf("Bytes() differs from the input")
		}
		_ = d.Show(&bytes.Buffer{})
		sites, pcs := d.Sites(), d.PersistentChatPools()
		ignoreDefault := cmpopts.IgnoreFields(PersistentChatPool{}, "SiteDefault")
		for i, s := range sites {
			for _, pc := range pcs {
				out, err := d.SetDefaultPersistentChatPool(s.Name, pc.FQDN, SetOptions{AllowOtherSite: true})
				if err != nil {
					t.Fatalf("SetDefaultPersistentChatPool(%q, %q): %v", s.Name, pc.FQDN, err)
				}
				nd, err := Parse(out)
				if err != nil {
					t.Fatalf("edited document does not parse: %v", err)
				}
				want := append([]Site(nil), sites...)
				want[i].DefaultPersistentChatPool = pc.FQDN
				if diff := cmp.Diff(want, nd.Sites()); diff != "" {
					t.Fatalf("Sites() after edit mismatch (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(d.Pools(), nd.Pools()); diff != "" {
					t.Fatalf("Pools() after edit mismatch (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(pcs, nd.PersistentChatPools(), ignoreDefault); diff != "" {
					t.Fatalf("PersistentChatPools() after edit mismatch (-want +got):\n%s", diff)
				}
				if nd.Encoding() != d.Encoding() {
					t.Fatalf("encoding changed from %s to %s", d.Encoding(), nd.Encoding())
				}
			}
		}
	})
}
