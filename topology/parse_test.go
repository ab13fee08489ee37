package topology

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseHandwritten(t *testing.T) {
	d := mustParse(t, readTestdata(t, "handwritten.xml"))

	wantSites := []Site{
		{ID: "1", Name: "Dublin", DefaultPersistentChatPool: "chat-old.fabrikam.com"},
		{ID: "2", Name: "Seattle"},
	}
	if diff := cmp.Diff(wantSites, d.Sites()); diff != "" {
		t.Errorf("Sites() mismatch (-want +got):\n%s", diff)
	}

	comp := SQLStore{
		Service: ServiceID{"1", RolePersistentChatComplianceStore, "1"},
		Host:    "sqlchat.fabrikam.com", Instance: "comp", DBInstance: `sqlchat.fabrikam.com\comp`, Database: "mgccomp",
	}
	wantPC := []PersistentChatPool{
		{
			FQDN: "chat-old.fabrikam.com", SiteID: "1", SiteName: "Dublin",
			Service:        ServiceID{"1", RolePersistentChatServer, "1"},
			ServiceVersion: "6", Product: "Lync Server 2013",
			Machines: []string{"chat-old.fabrikam.com"},
			Store: SQLStore{
				Service: ServiceID{"1", RolePersistentChatStore, "1"},
				Host:    "sqlchat.fabrikam.com", Instance: "", DBInstance: "sqlchat.fabrikam.com", Database: "mgc",
			},
			NextHop: "pool-dub.fabrikam.com", SiteDefault: true,
		},
		{
			FQDN: "chat-new.fabrikam.com", SiteID: "1", SiteName: "Dublin",
			Service:        ServiceID{"1", RolePersistentChatServer, "2"},
			ServiceVersion: "7", Product: "Skype for Business Server 2015",
			DisplayName: "Chat (new) & compliance",
			Machines:    []string{"chat1-new.fabrikam.com", "chat2-new.fabrikam.com"},
			Store: SQLStore{
				Service: ServiceID{"1", RolePersistentChatStore, "2"},
				Host:    "sqlchat.fabrikam.com", Instance: "chatnew", DBInstance: `sqlchat.fabrikam.com\chatnew`, Database: "mgc",
			},
			ComplianceStore: &comp,
			NextHop:         "pool-dub.fabrikam.com",
		},
		{
			FQDN: "chat-sea.fabrikam.com", SiteID: "2", SiteName: "Seattle",
			Service:        ServiceID{"2", RolePersistentChatServer, "1"},
			ServiceVersion: "8", Product: "Skype for Business Server 2019",
			Machines: []string{"chat-sea.fabrikam.com"},
			Store: SQLStore{
				Service: ServiceID{"2", RolePersistentChatStore, "1"},
				Host:    "sql-sea.fabrikam.com", Instance: "MSSQLSERVER", DBInstance: "sql-sea.fabrikam.com", Database: "mgc",
			},
			NextHop: "pool-sea.fabrikam.com",
		},
	}
	if diff := cmp.Diff(wantPC, d.PersistentChatPools()); diff != "" {
		t.Errorf("PersistentChatPools() mismatch (-want +got):\n%s", diff)
	}

	var regs []string
	for _, p := range d.RegistrarPools() {
		regs = append(regs, p.FQDN)
	}
	if diff := cmp.Diff([]string{"pool-dub.fabrikam.com", "pool-sea.fabrikam.com"}, regs); diff != "" {
		t.Errorf("RegistrarPools() mismatch (-want +got):\n%s", diff)
	}

	sql, ok := d.Pool("SQLCHAT.fabrikam.com")
	wantSQL := Pool{
		FQDN: "sqlchat.fabrikam.com", SiteID: "1", SiteName: "Dublin", Number: "4",
		Machines:     []string{"sqlchat.fabrikam.com"},
		Roles:        []string{RolePersistentChatComplianceStore, RolePersistentChatStore},
		SQLInstances: []string{"", "chatnew", "comp"}, ServiceVersion: "7", Product: "Skype for Business Server 2015",
	}
	if diff := cmp.Diff(wantSQL, sql); !ok || diff != "" {
		t.Errorf("Pool(SQLCHAT) = %v mismatch (-want +got):\n%s", ok, diff)
	}
	if diff := cmp.Diff([]string{`site "Seattle" has Persistent Chat pools but no default Persistent Chat pool recorded`}, d.Warnings()); diff != "" {
		t.Errorf("Warnings() mismatch (-want +got):\n%s", diff)
	}
}

func TestParseSiteLookup(t *testing.T) {
	d := mustParse(t, readTestdata(t, "handwritten.xml"))
	tests := []struct {
		ref, want string
		ok        bool
	}{
		{"Dublin", "chat-old.fabrikam.com", true},
		{"site:dublin", "chat-old.fabrikam.com", true},
		{"1", "chat-old.fabrikam.com", true},
		{"Seattle", "", false},
		{"Cork", "", false}, // a branch site
		{"Nowhere", "", false},
	}
	for _, tt := range tests {
		got, ok := d.DefaultPersistentChatPool(tt.ref)
		if got != tt.want || ok != tt.ok {
			t.Errorf("DefaultPersistentChatPool(%q) = %q, %v, want %q, %v", tt.ref, got, ok, tt.want, tt.ok)
		}
	}
	if _, err := d.Site("Cork"); !errors.Is(err, ErrUnknownSite) || !strings.Contains(err.Error(), `"Dublin", "Seattle"`) {
		t.Errorf(`Site("Cork") error = %v, want ErrUnknownSite listing the sites`, err)
	}
}

func TestParseOneLine(t *testing.T) {
	d := mustParse(t, readTestdata(t, "oneline.xml"))
	pcs := d.PersistentChatPools()
	if len(pcs) != 1 {
		t.Fatalf("PersistentChatPools() = %d pools, want 1", len(pcs))
	}
	want := PersistentChatPool{
		FQDN: "pchat01.contoso.com", SiteID: "1", SiteName: "Redmond",
		Service:        ServiceID{"1", "PersistentChatService", "1"},
		ServiceVersion: "8", Product: "Skype for Business Server 2019",
		Store: SQLStore{
			Service: ServiceID{"1", RolePersistentChatStore, "1"},
			Host:    "sql01.contoso.com", Instance: "pchat", DBInstance: `sql01.contoso.com\pchat`, Database: "mgc",
		},
	}
	if diff := cmp.Diff(want, pcs[0]); diff != "" {
		t.Errorf("PersistentChatPools()[0] mismatch (-want +got):\n%s", diff)
	}
	if p, _ := d.Pool("pchat01.contoso.com"); !p.IsPersistentChat() || p.IsRegistrar() {
		t.Errorf("pool %v: IsPersistentChat = %v, IsRegistrar = %v, want true, false", p.Roles, p.IsPersistentChat(), p.IsRegistrar())
	}
}

// minimal is the smallest document with a Persistent Chat pool; the error
// cases below break one thing in it.
const minimal = `<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">
<Sites><CentralSite SiteId="1"><Name>Redmond</Name></CentralSite></Sites>
<Clusters>
<Cluster Fqdn="pc.contoso.com"><ClusterId SiteId="1" Number="1"/></Cluster>
<Cluster Fqdn="sql.contoso.com"><ClusterId SiteId="1" Number="2"/></Cluster>
</Clusters>
<Services>
<Service><ServiceId SiteId="1" RoleName="PersistentChatStore" Instance="1"/><InstalledOn><SqlInstanceId Name="pc"><ClusterId SiteId="1" Number="2"/></SqlInstanceId></InstalledOn></Service>
<Service><ServiceId SiteId="1" RoleName="PersistentChatServer" Instance="1"/><DependsOn><Dependency><ServiceId SiteId="1" RoleName="PersistentChatStore" Instance="1"/></Dependency></DependsOn><InstalledOn><ClusterId SiteId="1" Number="1"/></InstalledOn></Service>
</Services>
</Topology>
`

func TestParseErrors(t *testing.T) {
	breakIt := func(old, new string) []byte {
		if !strings.Contains(minimal, old) {
			panic("test case does not match: " + old)
		}
		return []byte(strings.Replace(minimal, old, new, 1))
	}
	tests := []struct {
		name string
		data []byte
		want string // substring of the error
	}{
		{"empty", nil, "no root element"},
		{"not XML", []byte("SiteId,Name\n1,Redmond\n"), "text outside the root element"},
		{"unclosed", []byte(minimal[:200]), "malformed XML"},
		{"mismatched tag", breakIt("</Sites>", "</Site>"), "malformed XML"},
		{"second root", []byte(minimal + "<Topology/>"), "second root element"},
		{"wrong root", []byte(`<Pool><AdUsers/></Pool>`), "the root element is not <Topology"},
		{"wrong namespace", breakIt("Topology.2008", "Topology.2010"), "the root element <Topology> is in another namespace"},
		{"no namespace", breakIt(` xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008"`, ""), "the root element <Topology> is in another namespace"},
		{"tbxml", []byte(`<TopologyBuilder xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.TopologyBuilder.2008"/>`), "Get-CsTopology -AsXml"},
		{"no sites", breakIt(`<Sites><CentralSite SiteId="1"><Name>Redmond</Name></CentralSite></Sites>`, ""), "no <Sites> element"},
		{"no central site", breakIt(`<CentralSite SiteId="1"><Name>Redmond</Name></CentralSite>`, ""), "no <CentralSite>"},
		{"site without id", breakIt(`SiteId="1"><Name>`, `><Name>`), "<CentralSite> on line 2: missing SiteId attribute"},
		{"site without name", breakIt(`<Name>Redmond</Name>`, `<Name> </Name>`), "site 1 has no <Name>"},
		{"duplicate site", breakIt(`</CentralSite>`, `</CentralSite><CentralSite SiteId="2"><Name>REDMOND</Name></CentralSite>`), `duplicate site "REDMOND"`},
		{"cluster without fqdn", breakIt(`Fqdn="pc.contoso.com"`, ""), "<Cluster> on line 4: missing Fqdn attribute"},
		{"cluster without id", breakIt(`<ClusterId SiteId="1" Number="1"/></Cluster>`, `</Cluster>`), `cluster "pc.contoso.com" has no <ClusterId>`},
		{"duplicate cluster", breakIt(`Fqdn="sql.contoso.com"`, `Fqdn="PC.contoso.com"`), `duplicate cluster "PC.contoso.com"`},
		{"duplicate cluster id", breakIt(`Number="2"/></Cluster>`, `Number="1"/></Cluster>`), `same ClusterId (SiteId 1, Number 1) as "pc.contoso.com"`},
		{"service without id", breakIt(`<ServiceId SiteId="1" RoleName="PersistentChatStore" Instance="1"/><InstalledOn>`, `<InstalledOn>`), "service has no <ServiceId>"},
		{"service id without role", breakIt(`RoleName="PersistentChatServer" `, ""), "missing RoleName attribute"},
		{"duplicate service", breakIt(`RoleName="PersistentChatServer"`, `RoleName="PersistentChatStore"`), "duplicate service PersistentChatStore/1/1"},
		{"pool without store", breakIt(`<DependsOn><Dependency><ServiceId SiteId="1" RoleName="PersistentChatStore" Instance="1"/></Dependency></DependsOn>`, ""), `Persistent Chat pool "pc.contoso.com" has no dependency on a PersistentChatStore`},
		{"store not in services", breakIt(`RoleName="PersistentChatStore" Instance="1"/></Dependency>`, `RoleName="PersistentChatStore" Instance="9"/></Dependency>`), "depends on PersistentChatStore/1/9, which is not in <Services>"},
		{"store not on SQL", breakIt(`<SqlInstanceId Name="pc"><ClusterId SiteId="1" Number="2"/></SqlInstanceId>`, `<ClusterId SiteId="1" Number="2"/>`), "PersistentChatStore/1/1 is not installed on a <SqlInstanceId>"},
		{"store on unknown cluster", breakIt(`<ClusterId SiteId="1" Number="2"/></SqlInstanceId>`, `<ClusterId SiteId="1" Number="7"/></SqlInstanceId>`), `SQL instance "pc" of an unknown cluster (SiteId 1, Number 7)`},
		{"pool on unknown cluster", breakIt(`<ClusterId SiteId="1" Number="1"/></InstalledOn>`, `<ClusterId SiteId="3" Number="1"/></InstalledOn>`), "installed on an unknown cluster (SiteId 3, Number 1)"},
		{"pool on SQL", breakIt(`<InstalledOn><ClusterId SiteId="1" Number="1"/></InstalledOn>`, `<InstalledOn><SqlInstanceId><ClusterId SiteId="1" Number="2"/></SqlInstanceId></InstalledOn>`), "is not installed on a <ClusterId>"},
		{"two defaults", breakIt(`<Name>Redmond</Name>`, `<Name>Redmond</Name><PersistentChatSettings xmlns="urn:pcmig:topology:2026" DefaultPersistentChatPool="a.contoso.com"/><PersistentChatSettings xmlns="urn:pcmig:topology:2026"/>`), "has 2 <PersistentChatSettings> elements"},
		{"conflicting defaults", breakIt(`SiteId="1"><Name>Redmond</Name>`, `SiteId="1" DefaultPersistentChatPool="a.contoso.com"><Name>Redmond</Name><PersistentChatSettings xmlns="urn:pcmig:topology:2026" DefaultPersistentChatPool="b.contoso.com"/>`), `two different default Persistent Chat pools: attribute "a.contoso.com", <PersistentChatSettings> "b.contoso.com"`},
		{"odd UTF-16", append([]byte{0xFF, 0xFE}, '<', 0, 'T'), "odd number of bytes"},
		{"unpaired surrogate", append(utf16le("<Topology/>"), 0x00, 0xD8), "unpaired surrogate"},
		{"unsupported encoding", []byte(`<?xml version="1.0" encoding="iso-8859-1"?>` + minimal), "names an encoding pcmig does not read"},
		{"invalid UTF-8", breakIt("Redmond", "Red\xffmond"), "invalid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "topology: ") {
				t.Errorf("Parse() error = %v, want one starting with \"topology: \" and containing %q", err, tt.want)
			}
		})
	}
	if _, err := Parse([]byte(minimal)); err != nil {
		t.Errorf("Parse(minimal) = %v, want success", err)
	}
}

func TestParseEncodings(t *testing.T) {
	lf := readTestdata(t, "handwritten.xml")
	be := envelope{Enc: encUTF16BE}.Encode(lf) // no BOM: detected from "\x00<"
	tests := []struct {
		name, enc string
		data      []byte
	}{
		{"UTF-8", "UTF-8", lf},
		{"UTF-8 BOM CRLF", "UTF-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, crlf(lf)...)},
		{"UTF-16LE BOM", "UTF-16LE with BOM", utf16le(string(lf))},
		{"UTF-16BE", "UTF-16BE", be},
		{"UTF-32LE BOM (Out-File -Encoding UTF32)", "UTF-32LE with BOM", utf32le(crlf(lf))},
	}
	want := mustParse(t, lf).Summary()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.data)
			if got := d.Encoding(); got != tt.enc {
				t.Errorf("Encoding() = %q, want %q", got, tt.enc)
			}
			if !bytes.Equal(d.Bytes(), tt.data) {
				t.Errorf("Bytes() differs from the input")
			}
			got := d.Summary()
			got.Encoding = want.Encoding
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Summary() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestShow(t *testing.T) {
	for _, name := range []string{"handwritten", "oneline"} {
		t.Run(name, func(t *testing.T) {
			d := mustParse(t, readTestdata(t, name+".xml"))
			var text bytes.Buffer
			if err := d.Show(&text); err != nil {
				t.Fatal(err)
			}
			golden(t, name+".show.golden", text.Bytes())
			js, err := json.MarshalIndent(d.Summary(), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, name+".summary.golden.json", append(js, '\n'))
		})
	}
}
