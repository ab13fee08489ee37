package topology

import (
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/fqdn"
)

// LabSpec describes the lab estate that Generate writes: one central site
// with a Skype for Business Server 2015 and a 2019 Front End pool, a 2015
// and a 2019 Persistent Chat pool (each with its own PersistentChatStore
// SQL instance, next hop on the Front End pool of its version), a file
// store, user stores and web services. Empty fields take the values of
// WithDefaults, derived from Domain.
type LabSpec struct {
	Site               string // central site name, e.g. "Redmond"
	Domain             string // SIP and AD domain, e.g. "contoso.com"
	FrontEnd2015       string // FQDN of the 2015 Front End (registrar) pool
	FrontEnd2019       string // FQDN of the 2019 Front End (registrar) pool
	PersistentChat2015 string // FQDN of the 2015 Persistent Chat pool
	PersistentChat2019 string // FQDN of the 2019 Persistent Chat pool
	Store2015          string // "host\instance" of the 2015 PersistentChatStore
	Store2019          string // "host\instance" of the 2019 PersistentChatStore
	FileStore          string // FQDN of the file server
}

// WithDefaults returns the spec with every empty field filled in: site
// "Redmond", domain "contoso.com", pools fe15/fe19/pchat15/pchat19, stores
// sql15\pchat and sql19\pchat, file server fs01, all in the domain.
func (s LabSpec) WithDefaults() LabSpec {
	def := func(v *string, d string) {
		if strings.TrimSpace(*v) == "" {
			*v = d
		}
	}
	def(&s.Site, "Redmond")
	def(&s.Domain, "contoso.com")
	def(&s.FrontEnd2015, "fe15."+s.Domain)
	def(&s.FrontEnd2019, "fe19."+s.Domain)
	def(&s.PersistentChat2015, "pchat15."+s.Domain)
	def(&s.PersistentChat2019, "pchat19."+s.Domain)
	def(&s.Store2015, `sql15.`+s.Domain+`\pchat`)
	def(&s.Store2019, `sql19.`+s.Domain+`\pchat`)
	def(&s.FileStore, "fs01."+s.Domain)
	return s
}

// validate checks host names and that the stores are distinct instances.
func (s LabSpec) validate() error {
	if strings.ContainsFunc(s.Site, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return fmt.Errorf("site name %q contains control characters", s.Site)
	}
	seen := map[string]string{}
	hosts := [][2]string{
		{"FrontEnd2015", s.FrontEnd2015}, {"FrontEnd2019", s.FrontEnd2019},
		{"PersistentChat2015", s.PersistentChat2015}, {"PersistentChat2019", s.PersistentChat2019},
		{"FileStore", s.FileStore},
	}
	for _, h := range hosts {
		if !fqdn.Valid(h[1]) {
			return fmt.Errorf("%s: %q is not a valid FQDN", h[0], h[1])
		}
		if other, dup := seen[strings.ToLower(h[1])]; dup {
			return fmt.Errorf("%s and %s are both %q", other, h[0], h[1])
		}
		seen[strings.ToLower(h[1])] = h[0]
	}
	for _, st := range [][2]string{{"Store2015", s.Store2015}, {"Store2019", s.Store2019}} {
		host, _ := SplitDBInstance(st[1])
		if !fqdn.Valid(host) {
			return fmt.Errorf("%s: %q is not host\\instance with a valid host FQDN", st[0], st[1])
		}
		if other, dup := seen[strings.ToLower(host)]; dup && !strings.HasPrefix(other, "Store") {
			return fmt.Errorf("%s: SQL host %q is also %s", st[0], host, other)
		}
		seen[strings.ToLower(host)] = st[0]
	}
	if strings.EqualFold(s.Store2015, s.Store2019) {
		return fmt.Errorf("Store2015 and Store2019 are both %q: each Persistent Chat pool needs its own SQL instance", s.Store2015)
	}
	return nil
}

// labWriter accumulates the generated document.
type labWriter struct {
	b        strings.Builder
	clusters map[string]int // lower-case FQDN to ClusterId/@Number
}

func (w *labWriter) line(indent int, format string, args ...any) {
	w.b.WriteString(strings.Repeat("  ", indent))
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteString("\n")
}

func (w *labWriter) clusterID(fqdn string) string {
	return fmt.Sprintf(`<ClusterId SiteId="1" Number="%d"/>`, w.clusters[strings.ToLower(fqdn)])
}

func (w *labWriter) sqlID(dbInstance string) string {
	host, inst := SplitDBInstance(dbInstance)
	return fmt.Sprintf(`<SqlInstanceId Name="%s">%s</SqlInstanceId>`, escapeAttr(inst), w.clusterID(host))
}

// Generate writes a topology document for a lab estate in the shape of
// Get-CsTopology -AsXml (UTF-8, LF line endings, two-space indent), with the
// 2015 Persistent Chat pool recorded as the site default in pcmig's
// representation. Parse reads it back; the error reports an invalid spec.
func Generate(spec LabSpec) ([]byte, error) {
	s := spec.WithDefaults()
	if err := s.validate(); err != nil {
		return nil, fmt.Errorf("topology: lab spec: %w", err)
	}
	sql15, _ := SplitDBInstance(s.Store2015)
	sql19, _ := SplitDBInstance(s.Store2019)
	w := &labWriter{clusters: map[string]int{}}
	var order []string
	for _, h := range []string{s.FrontEnd2015, s.FrontEnd2019, s.PersistentChat2015, s.PersistentChat2019, sql15, sql19, s.FileStore} {
		if _, ok := w.clusters[strings.ToLower(h)]; !ok {
			order = append(order, h)
			w.clusters[strings.ToLower(h)] = len(order)
		}
	}
	w.line(0, `<?xml version="1.0" encoding="utf-8"?>`)
	w.line(0, `<Topology xmlns="%s" Signature="{7f3c2a10-5b1e-4c2d-9a7e-000000000001}">`, NamespaceTopology)
	w.line(1, `<InternalDomains AllowAllDomains="false" DefaultDomain="%s">`, escapeAttr(s.Domain))
	w.line(2, `<InternalDomain Name="%s" Authoritative="false" AllowSubDomains="false"/>`, escapeAttr(s.Domain))
	w.line(1, `</InternalDomains>`)
	w.line(1, `<Sites>`)
	w.line(2, `<CentralSite SiteId="1">`)
	w.line(3, `<Name>%s</Name>`, escapeAttr(s.Site))
	w.line(3, `<Location/>`)
	w.line(3, "%s", settingsXML(s.PersistentChat2015))
	w.line(2, `</CentralSite>`)
	w.line(1, `</Sites>`)
	w.line(1, `<Clusters>`)
	for i, h := range order {
		w.line(2, `<Cluster RequiresReplication="true" RequiresSetup="true" Fqdn="%s">`, escapeAttr(h))
		w.line(3, `<ClusterId SiteId="1" Number="%d"/>`, i+1)
		w.line(3, `<Machine OrdinalInCluster="1" Fqdn="%s" FaultDomain="%s" UpgradeDomain="%s">`, escapeAttr(h), escapeAttr(h), escapeAttr(h))
		w.line(4, `<NetInterface InterfaceSide="Primary" InterfaceNumber="1" IPAddress="0.0.0.0"/>`)
		w.line(3, `</Machine>`)
		w.line(2, `</Cluster>`)
	}
	w.line(1, `</Clusters>`)
	w.line(1, `<SqlInstances>`)
	seenSQL := map[string]bool{}
	for _, db := range []string{sql15 + `\rtc`, s.Store2015, sql19 + `\rtc`, s.Store2019} {
		if !seenSQL[strings.ToLower(db)] {
			seenSQL[strings.ToLower(db)] = true
			w.line(2, `<SqlInstance>%s</SqlInstance>`, w.sqlID(db))
		}
	}
	w.line(1, `</SqlInstances>`)
	w.line(1, `<Services>`)
	w.labServices("1", "7", s.FrontEnd2015, s.PersistentChat2015, sql15+`\rtc`, s.Store2015, "Persistent Chat 2015")
	w.labServices("2", "8", s.FrontEnd2019, s.PersistentChat2019, sql19+`\rtc`, s.Store2019, "Persistent Chat 2019")
	w.service("FileStore", "1", "7", "", w.clusterID(s.FileStore), nil)
	w.line(1, `</Services>`)
	w.line(0, `</Topology>`)
	return []byte(w.b.String()), nil
}

// labDep is one <Dependency> of a generated service.
type labDep struct{ usage, role, instance string }

// service writes one <Service>. typ is the short name of the service class
// ("" for none); body lines go after <InstalledOn>, indented one level more
// than <ServiceId>.
func (w *labWriter) service(role, instance, version, typ, installedOn string, deps []labDep, body ...string) {
	t := ""
	if typ != "" {
		t = fmt.Sprintf(` Type="Microsoft.Rtc.Management.Deploy.Internal.ServiceRoles.%s"`, typ)
	}
	w.line(2, `<Service RoleVersion="1" ServiceVersion="%s"%s>`, version, t)
	w.line(3, `<ServiceId SiteId="1" RoleName="%s" Instance="%s"/>`, role, instance)
	if len(deps) == 0 {
		w.line(3, `<DependsOn/>`)
	} else {
		w.line(3, `<DependsOn>`)
		for _, d := range deps {
			w.line(4, `<Dependency Usage="%s"><ServiceId SiteId="1" RoleName="%s" Instance="%s"/></Dependency>`,
				d.usage, d.role, d.instance)
		}
		w.line(3, `</DependsOn>`)
	}
	w.line(3, `<InstalledOn>%s</InstalledOn>`, installedOn)
	for _, l := range body {
		w.line(3, "%s", l)
	}
	w.line(2, `</Service>`)
}

// port writes one <Port> line of a <Ports> element.
func port(owner, usage string, number int, protocol, gruu string) string {
	g := ""
	if gruu != "" {
		g = fmt.Sprintf(` GruuType="%s"`, gruu)
	}
	return fmt.Sprintf(`  <Port Owner="%s" Usage="%s" InterfaceSide="Primary" InterfaceNumber="1" Port="%d" Protocol="%s" UrlPath="/" AuthorizesRequests="true"%s/>`,
		owner, usage, number, protocol, g)
}

// labServices writes the services of one product version: the Front End
// pool's user store, user services, registrar and web services, and the
// Persistent Chat pool with its store.
func (w *labWriter) labServices(instance, version, frontEnd, pchat, rtcDB, storeDB, displayName string) {
	portsOpen := fmt.Sprintf(`<Ports xmlns="%s">`, NamespaceServiceRoles)
	w.service(RoleUserStore, instance, version, "", w.sqlID(rtcDB), nil,
		fmt.Sprintf(`<Ports xmlns="%s"/>`, NamespaceServiceRoles))
	w.service(RolePersistentChatStore, instance, version, "", w.sqlID(storeDB), nil,
		fmt.Sprintf(`<Ports xmlns="%s"/>`, NamespaceServiceRoles))
	w.service(RoleUserServices, instance, version, "UserServicesService", w.clusterID(frontEnd),
		[]labDep{{"Default", RoleUserStore, instance}},
		portsOpen, port("urn:component:PresenceFocus", "SipServer", 5062, "Mtls", "PresenceFocus"), `</Ports>`)
	w.service(RoleRegistrar, instance, version, "RegistrarService", w.clusterID(frontEnd),
		[]labDep{{"Default", RoleUserServices, instance}},
		portsOpen, port("urn:component:Registrar", "SipServer", 5061, "Mtls", "HomeServer"), `</Ports>`,
		fmt.Sprintf(`<RegistrarService xmlns="%s" IsDirector="false"/>`, NamespaceServiceRoles))
	w.service(RoleWebServices, instance, version, "WebService", w.clusterID(frontEnd),
		[]labDep{{"Default", RoleRegistrar, instance}, {"Default", RoleFileStore, "1"}},
		portsOpen,
		port("urn:component:PersistentChatWebManager", "WebServer", 5095, "Mtls", "PersistentChatRMWebInternal"),
		port("urn:component:PersistentChatWebManagerExternal", "WebServer", 5096, "Mtls", "PersistentChatRMWebExternal"),
		`</Ports>`,
		fmt.Sprintf(`<WebService xmlns="%s">`, NamespaceServiceRoles),
		fmt.Sprintf(`  <WebComponents xmlns="%s">`, NamespaceWebServices),
		`    <Component ComponentName="PersistentChatWeb"/>`,
		`    <Component ComponentName="PersistentChatWebManager"/>`,
		`  </WebComponents>`,
		`</WebService>`)
	w.service(RolePersistentChatServer, instance, version, "PersistentChatService", w.clusterID(pchat),
		[]labDep{
			{"Default", RolePersistentChatStore, instance},
			{"FileStore", RoleFileStore, "1"},
			{"NextHop", RoleRegistrar, instance},
		},
		portsOpen,
		port("urn:component:PersistentChat", "SipServer", 5041, "Mtls", "PersistentChat"),
		port("urn:component:PersistentChatAdmin", "WcfServer", 8011, "Tcp", ""),
		`</Ports>`,
		fmt.Sprintf(`<PersistentChatService xmlns="%s" DisplayName="%s" ComplianceEnabled="false"/>`,
			NamespaceServiceRoles, escapeAttr(displayName)))
}
