package topology

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Bytes returns the document exactly as it was read, in its original
// encoding.
func (d *Document) Bytes() []byte { return d.env.Encode(d.body) }

// Encoding names the encoding the document was read in, e.g. "UTF-8" or
// "UTF-16LE with BOM". Edited documents are written in the same encoding.
func (d *Document) Encoding() string { return d.env.String() }

// Sites returns the central sites in document order.
func (d *Document) Sites() []Site {
	out := make([]Site, 0, len(d.sites))
	for _, s := range d.sites {
		out = append(out, s.public())
	}
	return out
}

func (s *site) public() Site {
	return Site{ID: s.id, Name: s.name, DefaultPersistentChatPool: s.defaultPool()}
}

// Site finds a central site by name ("Redmond"), by Set-CsSite identity
// ("site:Redmond") or by SiteId ("1"). Names are compared without regard to
// case or Unicode normal form ("Zürich" precomposed, as Get-CsTopology
// writes it, or with combining accents, as some editors write the estate).
// The error lists the known sites.
func (d *Document) Site(ref string) (Site, error) {
	s, err := d.findSite(ref)
	if err != nil {
		return Site{}, err
	}
	return s.public(), nil
}

// sameSiteName compares site names without regard to case or normal form.
func sameSiteName(a, b string) bool {
	return strings.EqualFold(a, b) || strings.EqualFold(norm.NFC.String(a), norm.NFC.String(b))
}

func (d *Document) findSite(ref string) (*site, error) {
	name := strings.TrimSpace(ref)
	for _, s := range d.sites {
		if sameSiteName(s.name, name) {
			return s, nil
		}
	}
	if len(name) > 5 && strings.EqualFold(name[:5], "site:") {
		for _, s := range d.sites {
			if sameSiteName(s.name, strings.TrimSpace(name[5:])) {
				return s, nil
			}
		}
	}
	for _, s := range d.sites {
		if s.id == name {
			return s, nil
		}
	}
	names := make([]string, 0, len(d.sites))
	for _, s := range d.sites {
		names = append(names, fmt.Sprintf("%q", s.name))
	}
	return nil, fmt.Errorf("%w %q (the topology has %s)", ErrUnknownSite, ref, strings.Join(names, ", "))
}

// Pools returns every cluster with its roles, in document order.
func (d *Document) Pools() []Pool {
	out := make([]Pool, len(d.pools))
	for i, p := range d.pools {
		out[i] = p.clone()
	}
	return out
}

func (p Pool) clone() Pool {
	p.Machines = slices.Clone(p.Machines)
	p.Roles = slices.Clone(p.Roles)
	p.SQLInstances = slices.Clone(p.SQLInstances)
	return p
}

// Pool finds a cluster by FQDN, without regard to case.
func (d *Document) Pool(fqdn string) (Pool, bool) {
	for _, p := range d.pools {
		if strings.EqualFold(p.FQDN, strings.TrimSpace(fqdn)) {
			return p.clone(), true
		}
	}
	return Pool{}, false
}

// RegistrarPools returns the Front End pools (clusters running a Registrar
// service), the pools users can be homed on and moved to.
func (d *Document) RegistrarPools() []Pool {
	var out []Pool
	for _, p := range d.pools {
		if p.IsRegistrar() {
			out = append(out, p.clone())
		}
	}
	return out
}

// PersistentChatPools returns the Persistent Chat pools in document order,
// each with its back-end store and next hop.
func (d *Document) PersistentChatPools() []PersistentChatPool {
	out := make([]PersistentChatPool, len(d.pcPools))
	for i, p := range d.pcPools {
		out[i] = p.clone()
	}
	return out
}

func (p PersistentChatPool) clone() PersistentChatPool {
	p.Machines = slices.Clone(p.Machines)
	if p.ComplianceStore != nil {
		cs := *p.ComplianceStore
		p.ComplianceStore = &cs
	}
	return p
}

// PersistentChatPool finds a Persistent Chat pool by FQDN, without regard to
// case.
func (d *Document) PersistentChatPool(fqdn string) (PersistentChatPool, bool) {
	for _, p := range d.pcPools {
		if strings.EqualFold(p.FQDN, strings.TrimSpace(fqdn)) {
			return p.clone(), true
		}
	}
	return PersistentChatPool{}, false
}

// DefaultPersistentChatPool returns the FQDN recorded as the default
// Persistent Chat pool of a site (see Site for the accepted references). ok
// is false when the site is unknown or has no default recorded.
func (d *Document) DefaultPersistentChatPool(site string) (fqdn string, ok bool) {
	s, err := d.findSite(site)
	if err != nil || s.defaultPool() == "" {
		return "", false
	}
	return s.defaultPool(), true
}

// Warnings lists inconsistencies that do not stop the document from being
// read: a site default that is not a Persistent Chat pool of the topology,
// or a site with Persistent Chat pools but no default.
func (d *Document) Warnings() []string {
	var out []string
	for _, s := range d.sites {
		def := s.defaultPool()
		pc, known := d.PersistentChatPool(def)
		switch {
		case def != "" && !known:
			out = append(out, fmt.Sprintf("site %q: default Persistent Chat pool %q is not a Persistent Chat pool of this topology", s.name, def))
		case def != "" && pc.SiteID != s.id:
			out = append(out, fmt.Sprintf("site %q: default Persistent Chat pool %q is in site %q", s.name, def, pc.SiteName))
		case def == "" && d.siteHasPersistentChat(s.id):
			out = append(out, fmt.Sprintf("site %q has Persistent Chat pools but no default Persistent Chat pool recorded", s.name))
		}
	}
	return out
}

func (d *Document) siteHasPersistentChat(siteID string) bool {
	for _, p := range d.pcPools {
		if p.SiteID == siteID {
			return true
		}
	}
	return false
}
