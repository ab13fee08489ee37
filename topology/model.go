// Package topology reads and edits the topology document that
// Get-CsTopology -AsXml writes: sites, pools (clusters), SQL instances and
// services in namespace NamespaceTopology, with role-specific children in
// NamespaceServiceRoles.
//
// It answers the questions a Persistent Chat migration asks of a topology:
// which pools exist and what runs on them (Pools, RegistrarPools), which
// pools are Persistent Chat pools and where their back-end store is
// (PersistentChatPools: the PersistentChatServer service, its dependency on
// a PersistentChatStore, that store's SQL instance and host, database mgc,
// and its next-hop Registrar pool), and which pool is each site's default
// (DefaultPersistentChatPool).
//
// # Reading
//
//	doc, err := topology.Parse(data) // UTF-8 or UTF-16, with or without BOM; UTF-32 with one
//	for _, pc := range doc.PersistentChatPools() {
//		fmt.Println(pc.FQDN, pc.Store.DBInstance, pc.NextHop)
//	}
//	fqdn, ok := doc.DefaultPersistentChatPool("Redmond")
//
// Parse fails with a message naming the element and line on malformed XML,
// a wrong root element or namespace, missing identifiers, duplicates, and
// Persistent Chat pools whose store cannot be resolved. Softer
// inconsistencies (a site default that is not a Persistent Chat pool) are
// reported by Warnings.
//
// # Editing
//
// SetDefaultPersistentChatPool returns new document bytes in which one
// site's default Persistent Chat pool is changed. The change is spliced into
// the original bytes: elements pcmig does not know, comments, attribute
// order, white space, line endings, namespaces and the text encoding are
// kept, so a line diff of old and new shows only the lines carrying the
// change. The target must be a Persistent Chat pool of that site unless
// SetOptions.AllowOtherSite is set.
//
// The XML form of the site default is not publicly documented. pcmig writes
// its own element as the last child of <CentralSite>:
//
//	<PersistentChatSettings xmlns="urn:pcmig:topology:2026" DefaultPersistentChatPool="pchat19.contoso.com"/>
//
// and also reads (and updates in place) a plain DefaultPersistentChatPool
// attribute on <CentralSite>. On a real deployment the supported way to
// change the default is Set-CsSite, which package runbook writes; see
// docs/topology.md for what is documented and what is pcmig's own.
//
// # Showing and generating
//
// Show writes a report for people; Summary returns the same content as a
// struct that marshals to JSON. Generate writes the topology of a lab estate
// (LabSpec) that Parse reads back.
package topology

import (
	"slices"
	"strings"
)

// XML namespaces of the topology document.
const (
	// NamespaceTopology is the namespace of <Topology> and of the site,
	// cluster, SQL instance and service elements.
	NamespaceTopology = "urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008"
	// NamespaceServiceRoles is the namespace of <Ports> and of the
	// role-specific child elements of a <Service>.
	NamespaceServiceRoles = "urn:schema:Microsoft.Rtc.Management.Deploy.ServiceRoles.2008"
	// NamespaceWebServices is the namespace of <WebComponents>.
	NamespaceWebServices = "urn:schema:Microsoft.Rtc.Management.Deploy.WebServices.2011"
	// NamespacePcmig is pcmig's own namespace for the site default
	// Persistent Chat pool, which has no publicly documented XML form.
	NamespacePcmig = "urn:pcmig:topology:2026"
)

// Role names used in ServiceId/@RoleName.
const (
	RolePersistentChatServer          = "PersistentChatServer"
	RolePersistentChatStore           = "PersistentChatStore"
	RolePersistentChatComplianceStore = "PersistentChatComplianceStore"
	RoleRegistrar                     = "Registrar"
	RoleUserServices                  = "UserServices"
	RoleUserStore                     = "UserStore"
	RoleFileStore                     = "FileStore"
	RoleWebServices                   = "WebServices"
)

// rolePersistentChatService is the front-end role name used by the
// documentation; it is accepted as an alias of RolePersistentChatServer.
const rolePersistentChatService = "PersistentChatService"

// Database names of the Persistent Chat back-end roles.
const (
	DatabasePersistentChat           = "mgc"
	DatabasePersistentChatCompliance = "mgccomp"
)

// Element and attribute of pcmig's site default representation.
const (
	settingsElement = "PersistentChatSettings"
	defaultAttr     = "DefaultPersistentChatPool"
)

// ServiceID identifies a service: <ServiceId SiteId RoleName Instance/>.
type ServiceID struct {
	SiteID   string `json:"site_id"`
	RoleName string `json:"role_name"`
	Instance string `json:"instance"`
}

// String returns "RoleName/SiteId/Instance", e.g. "Registrar/1/2".
func (id ServiceID) String() string {
	return id.RoleName + "/" + id.SiteID + "/" + id.Instance
}

// Site is a central site (<CentralSite>). Branch sites cannot host Persistent
// Chat pools and are not listed.
type Site struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// DefaultPersistentChatPool is the FQDN of the site's default Persistent
	// Chat pool as written in the document, "" when none is recorded.
	DefaultPersistentChatPool string `json:"default_persistent_chat_pool,omitempty"`
}

// Pool is a cluster (<Cluster>): a pool of one or more machines, or a SQL
// Server host, with the roles of the services installed on it.
type Pool struct {
	FQDN     string   `json:"fqdn"`
	SiteID   string   `json:"site_id"`
	SiteName string   `json:"site_name,omitempty"` // "" for a cluster of a branch site
	Number   string   `json:"number"`              // ClusterId/@Number
	Machines []string `json:"machines,omitempty"`
	// Roles are the sorted, distinct role names of the services installed on
	// the cluster or on one of its SQL instances.
	Roles []string `json:"roles,omitempty"`
	// SQLInstances are the names of the SQL instances hosted on the cluster
	// ("" is the default instance).
	SQLInstances []string `json:"sql_instances,omitempty"`
	// ServiceVersion is the highest Service/@ServiceVersion of the services
	// installed on the cluster, "" when none says.
	ServiceVersion string `json:"service_version,omitempty"`
	// Product is the product ServiceVersion stands for (see Product).
	Product string `json:"product,omitempty"`
}

// HasRole reports whether a service with the role name is installed on the
// pool.
func (p Pool) HasRole(role string) bool { return slices.Contains(p.Roles, role) }

// IsPersistentChat reports whether the pool runs the Persistent Chat service.
func (p Pool) IsPersistentChat() bool {
	return p.HasRole(RolePersistentChatServer) || p.HasRole(rolePersistentChatService)
}

// IsRegistrar reports whether the pool is a Front End (registrar) pool that
// users can be homed on.
func (p Pool) IsRegistrar() bool { return p.HasRole(RoleRegistrar) }

// SQLStore is a back-end store: a service installed on a SQL instance.
type SQLStore struct {
	Service ServiceID `json:"service"`
	Host    string    `json:"host"` // FQDN of the SQL Server cluster
	// Instance is the instance name as written; "" and "MSSQLSERVER" are the
	// default instance.
	Instance string `json:"instance"`
	// DBInstance is the -DBInstance form of the Persistent Chat cmdlets:
	// "host" for the default instance, otherwise "host\instance".
	DBInstance string `json:"db_instance"`
	Database   string `json:"database"` // mgc or mgccomp
}

// PersistentChatPool is a pool running the PersistentChatServer service,
// with its back-end store and next hop.
type PersistentChatPool struct {
	FQDN           string    `json:"fqdn"`
	SiteID         string    `json:"site_id"`
	SiteName       string    `json:"site_name,omitempty"`
	Service        ServiceID `json:"service"`
	ServiceVersion string    `json:"service_version,omitempty"`
	Product        string    `json:"product,omitempty"`
	// DisplayName is the DisplayName attribute of the service's role element,
	// "" when absent.
	DisplayName     string    `json:"display_name,omitempty"`
	Machines        []string  `json:"machines,omitempty"`
	Store           SQLStore  `json:"store"`
	ComplianceStore *SQLStore `json:"compliance_store,omitempty"`
	// NextHop is the FQDN of the registrar pool the service depends on, ""
	// when the document names none.
	NextHop string `json:"next_hop,omitempty"`
	// SiteDefault reports whether the pool is its site's default.
	SiteDefault bool `json:"site_default"`
}

// Product names the Lync or Skype for Business Server version that a
// Service/@ServiceVersion value stands for, or "" when unknown. The mapping
// (5 = Lync Server 2010, 6 = 2013, 7 = Skype for Business Server 2015,
// 8 = 2019) is inferred from lab topologies, not documented.
func Product(serviceVersion string) string {
	switch serviceVersion {
	case "5":
		return "Lync Server 2010"
	case "6":
		return "Lync Server 2013"
	case "7":
		return "Skype for Business Server 2015"
	case "8":
		return "Skype for Business Server 2019"
	}
	return ""
}

// DBInstance joins a SQL host and instance name the way -DBInstance expects.
func DBInstance(host, instance string) string {
	if instance == "" || strings.EqualFold(instance, "MSSQLSERVER") {
		return host
	}
	return host + `\` + instance
}

// SplitDBInstance splits "host\instance" (or "host") into host and instance.
func SplitDBInstance(s string) (host, instance string) {
	host, instance, _ = strings.Cut(s, `\`)
	return host, instance
}
