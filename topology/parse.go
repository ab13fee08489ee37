package topology

import (
	"errors"
	"fmt"
	"strings"
)

// Document is a parsed topology document. It is immutable: edits return new
// bytes, which can be parsed again.
type Document struct {
	env      envelope
	body     []byte // UTF-8, without byte order mark
	root     *node
	sites    []*site
	clusters []*cluster
	sqls     []sqlKey
	services []*service

	clusterByKey  map[clusterKey]*cluster
	clusterByFQDN map[string]*cluster // lower-case FQDN
	serviceByID   map[ServiceID]*service

	pools   []Pool
	pcPools []PersistentChatPool
}

type clusterKey struct{ site, number string }

type sqlKey struct {
	name    string
	cluster clusterKey
}

type site struct {
	node        *node
	id, name    string
	attrDefault string // CentralSite/@DefaultPersistentChatPool
	hasAttr     bool
	settings    *node // <PersistentChatSettings xmlns="urn:pcmig:topology:2026">
	elemDefault string
	hasElem     bool
}

// defaultPool returns the recorded default, from either representation.
func (s *site) defaultPool() string {
	if s.hasElem {
		return s.elemDefault
	}
	return s.attrDefault
}

type cluster struct {
	node     *node
	fqdn     string
	key      clusterKey
	machines []string
}

type service struct {
	node           *node
	id             ServiceID
	serviceVersion string
	deps           []dependency
	onCluster      *clusterKey
	onSQL          *sqlKey
	displayName    string
}

type dependency struct {
	usage string
	id    ServiceID
}

// Parse reads a topology document as written by Get-CsTopology -AsXml, in
// UTF-8 or UTF-16 with or without a byte order mark, or UTF-32 with one
// (Out-File -Encoding UTF32). It fails on malformed
// XML, on a root element other than <Topology> in NamespaceTopology, on
// missing identifiers and duplicate sites, clusters or services, and on
// Persistent Chat pools whose back-end store cannot be resolved.
func Parse(data []byte) (*Document, error) {
	body, env, err := decodeText(data)
	if err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}
	root, err := buildTree(body)
	if err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}
	if err := checkRoot(root); err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}
	d := &Document{
		env:           env,
		body:          body,
		root:          root,
		clusterByKey:  map[clusterKey]*cluster{},
		clusterByFQDN: map[string]*cluster{},
		serviceByID:   map[ServiceID]*service{},
	}
	for _, step := range []func() error{d.readSites, d.readClusters, d.readSQLInstances, d.readServices, d.resolve} {
		if err := step(); err != nil {
			return nil, fmt.Errorf("topology: %w", err)
		}
	}
	return d, nil
}

func checkRoot(root *node) error {
	switch {
	case root.name.Local == "Topology" && root.name.Space == NamespaceTopology:
		return nil
	case root.name.Local == "TopologyBuilder":
		return errors.New("this is a Topology Builder file (.tbxml), not a topology document: " +
			"export the published topology with Get-CsTopology -AsXml")
	case root.name.Local == "Topology":
		return fmt.Errorf("the root element <Topology> is in another namespace, want %q", NamespaceTopology)
	}
	// A foreign document's names are its text: never quoted.
	return fmt.Errorf("the root element is not <Topology xmlns=%q>: is this a topology document (Get-CsTopology -AsXml)?", NamespaceTopology)
}

// reqAttr returns a required attribute or an error naming the element.
func reqAttr(n *node, name string) (string, error) {
	v, ok := n.attr(name)
	if !ok || strings.TrimSpace(v) == "" {
		return "", fmt.Errorf("%s: missing %s attribute", n.where(), name)
	}
	return strings.TrimSpace(v), nil
}

func (d *Document) readSites() error {
	sites := d.root.child(NamespaceTopology, "Sites")
	if sites == nil {
		return errors.New("no <Sites> element")
	}
	seenID, seenName := map[string]bool{}, map[string]bool{}
	for _, n := range sites.all(NamespaceTopology, "CentralSite") {
		s := &site{node: n}
		var err error
		if s.id, err = reqAttr(n, "SiteId"); err != nil {
			return err
		}
		nameNode := n.child(NamespaceTopology, "Name")
		if nameNode == nil || strings.TrimSpace(string(nameNode.text)) == "" {
			return fmt.Errorf("%s: site %s has no <Name>", n.where(), s.id)
		}
		s.name = strings.TrimSpace(string(nameNode.text))
		if seenID[s.id] || seenName[strings.ToLower(s.name)] {
			return fmt.Errorf("%s: duplicate site %q (SiteId %s)", n.where(), s.name, s.id)
		}
		seenID[s.id], seenName[strings.ToLower(s.name)] = true, true
		if err := s.readDefault(); err != nil {
			return err
		}
		d.sites = append(d.sites, s)
	}
	if len(d.sites) == 0 {
		return errors.New("no <CentralSite> in <Sites>")
	}
	return nil
}

// readDefault reads both accepted representations of the site default.
func (s *site) readDefault() error {
	if v, ok := s.node.attr(defaultAttr); ok {
		s.attrDefault, s.hasAttr = strings.TrimSpace(v), true
	}
	settings := s.node.all(NamespacePcmig, settingsElement)
	if len(settings) > 1 {
		return fmt.Errorf("%s: site %q has %d <%s> elements, want at most one",
			s.node.where(), s.name, len(settings), settingsElement)
	}
	if len(settings) == 1 {
		s.settings = settings[0]
		if v, ok := s.settings.attr(defaultAttr); ok {
			s.elemDefault, s.hasElem = strings.TrimSpace(v), true
		}
	}
	if s.hasAttr && s.hasElem && !strings.EqualFold(s.attrDefault, s.elemDefault) {
		return fmt.Errorf("%s: site %q has two different default Persistent Chat pools: attribute %q, <%s> %q",
			s.node.where(), s.name, s.attrDefault, settingsElement, s.elemDefault)
	}
	return nil
}

// readClusterID reads <ClusterId SiteId Number/>.
func readClusterID(n *node) (clusterKey, error) {
	site, err := reqAttr(n, "SiteId")
	if err != nil {
		return clusterKey{}, err
	}
	num, err := reqAttr(n, "Number")
	if err != nil {
		return clusterKey{}, err
	}
	return clusterKey{site, num}, nil
}

func (d *Document) readClusters() error {
	clusters := d.root.child(NamespaceTopology, "Clusters")
	if clusters == nil {
		return nil
	}
	for _, n := range clusters.all(NamespaceTopology, "Cluster") {
		c := &cluster{node: n}
		var err error
		if c.fqdn, err = reqAttr(n, "Fqdn"); err != nil {
			return err
		}
		id := n.child(NamespaceTopology, "ClusterId")
		if id == nil {
			return fmt.Errorf("%s: cluster %q has no <ClusterId>", n.where(), c.fqdn)
		}
		if c.key, err = readClusterID(id); err != nil {
			return err
		}
		if prev := d.clusterByFQDN[strings.ToLower(c.fqdn)]; prev != nil {
			return fmt.Errorf("%s: duplicate cluster %q (also on line %d)", n.where(), c.fqdn, prev.node.line)
		}
		if prev := d.clusterByKey[c.key]; prev != nil {
			return fmt.Errorf("%s: cluster %q has the same ClusterId (SiteId %s, Number %s) as %q",
				n.where(), c.fqdn, c.key.site, c.key.number, prev.fqdn)
		}
		for _, m := range n.all(NamespaceTopology, "Machine") {
			if f, ok := m.attr("Fqdn"); ok {
				c.machines = append(c.machines, f)
			}
		}
		d.clusters = append(d.clusters, c)
		d.clusterByFQDN[strings.ToLower(c.fqdn)] = c
		d.clusterByKey[c.key] = c
	}
	return nil
}

// readSQLInstanceID reads <SqlInstanceId Name><ClusterId/></SqlInstanceId>.
// A missing Name is the default instance.
func readSQLInstanceID(n *node) (sqlKey, error) {
	name, _ := n.attr("Name")
	id := n.child(NamespaceTopology, "ClusterId")
	if id == nil {
		return sqlKey{}, fmt.Errorf("%s: SQL instance %q has no <ClusterId>", n.where(), name)
	}
	k, err := readClusterID(id)
	return sqlKey{name: strings.TrimSpace(name), cluster: k}, err
}

func (d *Document) readSQLInstances() error {
	sqls := d.root.child(NamespaceTopology, "SqlInstances")
	if sqls == nil {
		return nil
	}
	for _, n := range sqls.all(NamespaceTopology, "SqlInstance") {
		id := n.child(NamespaceTopology, "SqlInstanceId")
		if id == nil {
			return fmt.Errorf("%s: no <SqlInstanceId>", n.where())
		}
		k, err := readSQLInstanceID(id)
		if err != nil {
			return err
		}
		d.sqls = append(d.sqls, k)
	}
	return nil
}

// readServiceID reads <ServiceId SiteId RoleName Instance/>.
func readServiceID(n *node) (ServiceID, error) {
	var id ServiceID
	var err error
	if id.SiteID, err = reqAttr(n, "SiteId"); err != nil {
		return id, err
	}
	if id.RoleName, err = reqAttr(n, "RoleName"); err != nil {
		return id, err
	}
	id.Instance, err = reqAttr(n, "Instance")
	return id, err
}
