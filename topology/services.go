package topology

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// isPersistentChatRole reports whether a role name is the Persistent Chat
// front-end role under either of its names.
func isPersistentChatRole(role string) bool {
	return role == RolePersistentChatServer || role == rolePersistentChatService
}

func (d *Document) readServices() error {
	services := d.root.child(NamespaceTopology, "Services")
	if services == nil {
		return nil
	}
	for _, n := range services.all(NamespaceTopology, "Service") {
		s, err := readService(n)
		if err != nil {
			return err
		}
		if prev := d.serviceByID[s.id]; prev != nil {
			return fmt.Errorf("%s: duplicate service %s (also on line %d)", n.where(), s.id, prev.node.line)
		}
		d.services = append(d.services, s)
		d.serviceByID[s.id] = s
	}
	return nil
}

func readService(n *node) (*service, error) {
	s := &service{node: n}
	idNode := n.child(NamespaceTopology, "ServiceId")
	if idNode == nil {
		return nil, fmt.Errorf("%s: service has no <ServiceId>", n.where())
	}
	var err error
	if s.id, err = readServiceID(idNode); err != nil {
		return nil, err
	}
	s.serviceVersion, _ = n.attr("ServiceVersion")
	if deps := n.child(NamespaceTopology, "DependsOn"); deps != nil {
		for _, dep := range deps.all(NamespaceTopology, "Dependency") {
			target := dep.child(NamespaceTopology, "ServiceId")
			if target == nil {
				return nil, fmt.Errorf("%s: dependency of %s has no <ServiceId>", dep.where(), s.id)
			}
			id, err := readServiceID(target)
			if err != nil {
				return nil, err
			}
			usage, _ := dep.attr("Usage")
			s.deps = append(s.deps, dependency{usage: usage, id: id})
		}
	}
	if on := n.child(NamespaceTopology, "InstalledOn"); on != nil {
		if c := on.child(NamespaceTopology, "ClusterId"); c != nil {
			k, err := readClusterID(c)
			if err != nil {
				return nil, err
			}
			s.onCluster = &k
		} else if q := on.child(NamespaceTopology, "SqlInstanceId"); q != nil {
			k, err := readSQLInstanceID(q)
			if err != nil {
				return nil, err
			}
			s.onSQL = &k
		}
	}
	// The role-specific element (e.g. <PersistentChatService>) is the only
	// place a display name can live; its form is not documented.
	for _, c := range n.children {
		if c.name.Space == NamespaceTopology || c.name.Local == "Ports" {
			continue
		}
		if v, ok := c.attr("DisplayName"); ok && s.displayName == "" {
			s.displayName = v
		}
	}
	return s, nil
}

// resolve builds the pool and Persistent Chat pool views.
func (d *Document) resolve() error {
	siteName := map[string]string{}
	for _, s := range d.sites {
		siteName[s.id] = s.name
	}
	// d.pools is allocated once, so pointers into it stay valid.
	d.pools = make([]Pool, len(d.clusters))
	byCluster := map[*cluster]*Pool{}
	for i, c := range d.clusters {
		d.pools[i] = Pool{
			FQDN: c.fqdn, SiteID: c.key.site, SiteName: siteName[c.key.site], Number: c.key.number,
			Machines: c.machines,
		}
		byCluster[c] = &d.pools[i]
	}
	for _, k := range d.sqls {
		if c := d.clusterByKey[k.cluster]; c != nil {
			p := byCluster[c]
			if !slices.Contains(p.SQLInstances, k.name) {
				p.SQLInstances = append(p.SQLInstances, k.name)
			}
		}
	}
	for _, s := range d.services {
		c := d.hostOf(s)
		if c == nil {
			continue
		}
		p := byCluster[c]
		if !slices.Contains(p.Roles, s.id.RoleName) {
			p.Roles = append(p.Roles, s.id.RoleName)
		}
		if versionLess(p.ServiceVersion, s.serviceVersion) {
			p.ServiceVersion = s.serviceVersion
		}
	}
	for i := range d.pools {
		slices.Sort(d.pools[i].Roles)
		d.pools[i].Product = Product(d.pools[i].ServiceVersion)
	}
	for _, s := range d.services {
		if !isPersistentChatRole(s.id.RoleName) {
			continue
		}
		pc, err := d.persistentChatPool(s, siteName)
		if err != nil {
			return err
		}
		d.pcPools = append(d.pcPools, pc)
	}
	return nil
}

// hostOf returns the cluster a service is installed on, directly or through
// a SQL instance, or nil.
func (d *Document) hostOf(s *service) *cluster {
	switch {
	case s.onCluster != nil:
		return d.clusterByKey[*s.onCluster]
	case s.onSQL != nil:
		return d.clusterByKey[s.onSQL.cluster]
	}
	return nil
}

// versionLess compares ServiceVersion values, numerically when both are
// numbers.
func versionLess(a, b string) bool {
	if b == "" {
		return false
	}
	na, errA := strconv.Atoi(a)
	nb, errB := strconv.Atoi(b)
	if errA == nil && errB == nil {
		return na < nb
	}
	return a < b
}

func (d *Document) persistentChatPool(s *service, siteName map[string]string) (PersistentChatPool, error) {
	if s.onCluster == nil {
		return PersistentChatPool{}, fmt.Errorf("%s: Persistent Chat service %s is not installed on a <ClusterId>", s.node.where(), s.id)
	}
	c := d.clusterByKey[*s.onCluster]
	if c == nil {
		return PersistentChatPool{}, fmt.Errorf("%s: Persistent Chat service %s is installed on an unknown cluster (SiteId %s, Number %s)",
			s.node.where(), s.id, s.onCluster.site, s.onCluster.number)
	}
	pc := PersistentChatPool{
		FQDN: c.fqdn, SiteID: c.key.site, SiteName: siteName[c.key.site], Service: s.id,
		ServiceVersion: s.serviceVersion, Product: Product(s.serviceVersion),
		DisplayName: s.displayName, Machines: c.machines,
	}
	store, err := d.storeFor(s, RolePersistentChatStore, DatabasePersistentChat)
	if err != nil {
		return pc, err
	}
	if store == nil {
		return pc, fmt.Errorf("%s: Persistent Chat pool %q has no dependency on a %s", s.node.where(), c.fqdn, RolePersistentChatStore)
	}
	pc.Store = *store
	if pc.ComplianceStore, err = d.storeFor(s, RolePersistentChatComplianceStore, DatabasePersistentChatCompliance); err != nil {
		return pc, err
	}
	for _, dep := range s.deps {
		if dep.id.RoleName != RoleRegistrar {
			continue
		}
		if reg := d.serviceByID[dep.id]; reg != nil {
			if h := d.hostOf(reg); h != nil {
				pc.NextHop = h.fqdn
				break
			}
		}
	}
	for _, st := range d.sites {
		if st.id == pc.SiteID && strings.EqualFold(st.defaultPool(), pc.FQDN) {
			pc.SiteDefault = true
		}
	}
	return pc, nil
}

// storeFor follows the first dependency of s on a service with the given
// role (preferring Usage="Default") to the SQL instance it is installed on.
// It returns nil when s has no such dependency.
func (d *Document) storeFor(s *service, role, database string) (*SQLStore, error) {
	var dep *dependency
	for i := range s.deps {
		if s.deps[i].id.RoleName == role && (dep == nil || s.deps[i].usage == "Default" && dep.usage != "Default") {
			dep = &s.deps[i]
		}
	}
	if dep == nil {
		return nil, nil
	}
	st := d.serviceByID[dep.id]
	if st == nil {
		return nil, fmt.Errorf("%s: %s depends on %s, which is not in <Services>", s.node.where(), s.id, dep.id)
	}
	if st.onSQL == nil {
		return nil, fmt.Errorf("%s: %s is not installed on a <SqlInstanceId>", st.node.where(), st.id)
	}
	host := d.clusterByKey[st.onSQL.cluster]
	if host == nil {
		return nil, fmt.Errorf("%s: %s is installed on SQL instance %q of an unknown cluster (SiteId %s, Number %s)",
			st.node.where(), st.id, st.onSQL.name, st.onSQL.cluster.site, st.onSQL.cluster.number)
	}
	return &SQLStore{
		Service: st.id, Host: host.fqdn, Instance: st.onSQL.name,
		DBInstance: DBInstance(host.fqdn, st.onSQL.name), Database: database,
	}, nil
}
