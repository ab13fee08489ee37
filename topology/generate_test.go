package topology

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGenerateGolden(t *testing.T) {
	got, err := Generate(LabSpec{})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "lab.xml", got)
}

// expectedLab is what Parse must find in the document generated from spec.
func expectedLab(spec LabSpec) ([]Site, []PersistentChatPool, []string) {
	s := spec.WithDefaults()
	store := func(db, inst string) SQLStore {
		host, in := SplitDBInstance(db)
		return SQLStore{
			Service: ServiceID{"1", RolePersistentChatStore, inst},
			Host:    host, Instance: in, DBInstance: DBInstance(host, in), Database: "mgc",
		}
	}
	pcs := []PersistentChatPool{
		{
			FQDN: s.PersistentChat2015, SiteID: "1", SiteName: s.Site,
			Service:        ServiceID{"1", RolePersistentChatServer, "1"},
			ServiceVersion: "7", Product: "Skype for Business Server 2015", DisplayName: "Persistent Chat 2015",
			Machines: []string{s.PersistentChat2015}, Store: store(s.Store2015, "1"),
			NextHop: s.FrontEnd2015, SiteDefault: true,
		},
		{
			FQDN: s.PersistentChat2019, SiteID: "1", SiteName: s.Site,
			Service:        ServiceID{"1", RolePersistentChatServer, "2"},
			ServiceVersion: "8", Product: "Skype for Business Server 2019", DisplayName: "Persistent Chat 2019",
			Machines: []string{s.PersistentChat2019}, Store: store(s.Store2019, "2"),
			NextHop: s.FrontEnd2019,
		},
	}
	sites := []Site{{ID: "1", Name: s.Site, DefaultPersistentChatPool: s.PersistentChat2015}}
	return sites, pcs, []string{s.FrontEnd2015, s.FrontEnd2019}
}

func TestGenerateParses(t *testing.T) {
	tests := []struct {
		name string
		spec LabSpec
	}{
		{"defaults", LabSpec{}},
		{"custom", LabSpec{
			Site: "Zürich & <Lab>", Domain: "fabrikam.net",
			Store2015: "sqlshared.fabrikam.net", Store2019: `sqlshared.fabrikam.net\pc19`,
		}},
		{"all names", LabSpec{
			Site: "Lab", Domain: "example.org",
			FrontEnd2015: "a.example.org", FrontEnd2019: "b.example.org",
			PersistentChat2015: "c.example.org", PersistentChat2019: "d.example.org",
			Store2015: `e.example.org\one`, Store2019: `f.example.org\two`, FileStore: "g.example.org",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := Generate(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			d := mustParse(t, data)
			sites, pcs, regs := expectedLab(tt.spec)
			if diff := cmp.Diff(sites, d.Sites()); diff != "" {
				t.Errorf("Sites() mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(pcs, d.PersistentChatPools()); diff != "" {
				t.Errorf("PersistentChatPools() mismatch (-want +got):\n%s", diff)
			}
			var gotRegs []string
			for _, p := range d.RegistrarPools() {
				gotRegs = append(gotRegs, p.FQDN)
				if !p.HasRole(RoleWebServices) {
					t.Errorf("front-end pool %s has no WebServices: %v", p.FQDN, p.Roles)
				}
			}
			if diff := cmp.Diff(regs, gotRegs); diff != "" {
				t.Errorf("RegistrarPools() mismatch (-want +got):\n%s", diff)
			}
			if w := d.Warnings(); len(w) != 0 {
				t.Errorf("Warnings() = %q, want none", w)
			}
			if _, err := d.SetDefaultPersistentChatPool(sites[0].Name, pcs[1].FQDN, SetOptions{}); err != nil {
				t.Errorf("switching the default to the 2019 pool: %v", err)
			}
		})
	}
}

func TestGenerateErrors(t *testing.T) {
	tests := []struct {
		name string
		spec LabSpec
		want string
	}{
		{"bad FQDN", LabSpec{FrontEnd2015: "fe15"}, `FrontEnd2015: "fe15" is not a valid FQDN`},
		{"bad characters", LabSpec{PersistentChat2019: "pc_19.contoso.com"}, `PersistentChat2019: "pc_19.contoso.com" is not a valid FQDN`},
		{"same pool twice", LabSpec{PersistentChat2019: "PCHAT15.contoso.com"}, `PersistentChat2015 and PersistentChat2019 are both "PCHAT15.contoso.com"`},
		{"same store", LabSpec{Store2019: `sql15.contoso.com\pchat`}, "each Persistent Chat pool needs its own SQL instance"},
		{"store on a pool", LabSpec{Store2015: `fe15.contoso.com\pchat`}, `SQL host "fe15.contoso.com" is also FrontEnd2015`},
		{"bad store host", LabSpec{Store2015: `\pchat`}, `Store2015: "\\pchat" is not host\instance`},
		{"control character", LabSpec{Site: "Red\nmond"}, "contains control characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Generate(tt.spec)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Generate() error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
