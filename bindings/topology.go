package bindings

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/atomicfile"
	"github.com/pcmig/pcmig/fsguard"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/topology"
)

const topologyType = "pcmig.topology"

// topoDoc is a loaded topology document. Changes a dry run or a real
// estate makes are kept here, so later steps see them.
type topoDoc struct {
	path string
	doc  *topology.Document
}

// topologyLoader: require("topology")
//
//	topology.load(path) -> doc          (Get-CsTopology -AsXml output)
//	doc:sites() -> {{id, name, default_pool}...}
//	doc:pools() -> {{fqdn, site, site_id, roles={...}, machines={...}, version, product}...}
//	doc:persistent_chat_pools() -> {{fqdn, site, site_id, version, product, display_name,
//	                                 machines, store={host, instance, db_instance, database},
//	                                 compliance_store, next_hop, site_default}...}
//	doc:default_pool(site) -> fqdn | nil
//	doc:set_default_pool(site, fqdn [, {allow_other_site=false}]) -> changed
//
// load raises io and validation (not a topology document).
// set_default_pool validates first (the site exists; the pool exists, is a
// Persistent Chat pool, is in the site unless allow_other_site, which
// defaults to the estate's): failures raise validation and change nothing. On a
// lab estate the document file is rewritten atomically, differing from the
// old one only in the lines that carry the change; on a real estate the
// file is left alone and Set-CsSite -DefaultPersistentChatPool goes into the
// runbook; in a dry run nothing is written. Loading the same path again in
// the run returns the same (possibly changed) document.
func (e *Env) topologyLoader(L *lua.LState) int {
	mt := L.NewTypeMetatable(topologyType)
	methods := L.NewTable()
	setMethods(L, methods, "topology", map[string]lua.LGFunction{
		"sites": e.topoSites, "pools": e.topoPools, "persistent_chat_pools": e.topoPCPools,
		"default_pool": e.topoDefault, "set_default_pool": e.topoSetDefault, "can_set_default_pool": e.topoCanSetDefault,
	})
	L.SetField(mt, "__index", methods)
	t := L.NewTable()
	setFuncs(L, t, "topology", map[string]lua.LGFunction{"load": e.topoLoad})
	L.Push(t)
	return 1
}

func (e *Env) topoLoad(L *lua.LState) int {
	def := ""
	if e.Estate != nil {
		def = e.Estate.Topology
	}
	path := e.documentPath(L, def, "topology", "topology.xml", "Get-CsTopology -AsXml")
	return loadDocument(L, e, &e.docs, path, topologyType, fsguard.MaxTopology, func(data []byte) *topoDoc {
		doc, err := topology.Parse(data)
		if err != nil {
			pcrt.RaiseError(L, pcrt.KindValidation, "%s: %v", path, err)
		}
		for _, w := range doc.Warnings() {
			warn(L, "%s: %s", path, w)
		}
		return &topoDoc{path: path, doc: doc}
	})
}

func checkTopo(L *lua.LState) *topoDoc {
	ud := L.CheckUserData(1)
	if d, ok := ud.Value.(*topoDoc); ok {
		return d
	}
	L.ArgError(1, "topology document expected (call as doc:method())")
	return nil
}

type siteView struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	DefaultPool *string `json:"default_pool"` // nil when none is recorded
}

func (e *Env) topoSites(L *lua.LState) int {
	d := checkTopo(L)
	out := []siteView{}
	for _, s := range d.doc.Sites() {
		v := siteView{ID: s.ID, Name: s.Name}
		if def, ok := d.doc.DefaultPersistentChatPool(s.Name); ok && def != "" {
			v.DefaultPool = &def
		}
		out = append(out, v)
	}
	L.Push(toLua(L, out))
	return 1
}

type poolView struct {
	FQDN     string   `json:"fqdn"`
	Site     string   `json:"site"`
	SiteID   string   `json:"site_id"`
	Roles    []string `json:"roles"`
	Machines []string `json:"machines"`
	Version  string   `json:"version"`
	Product  string   `json:"product"`
}

type storeView struct {
	Host       string `json:"host"`
	Instance   string `json:"instance"`
	DBInstance string `json:"db_instance"`
	Database   string `json:"database"`
}

type pcPoolView struct {
	FQDN            string     `json:"fqdn"`
	Site            string     `json:"site"`
	SiteID          string     `json:"site_id"`
	Version         string     `json:"version"`
	Product         string     `json:"product"`
	DisplayName     string     `json:"display_name"`
	Machines        []string   `json:"machines"`
	Store           storeView  `json:"store"`
	ComplianceStore *storeView `json:"compliance_store"`
	NextHop         string     `json:"next_hop"`
	SiteDefault     bool       `json:"site_default"`
}

func viewStore(s topology.SQLStore) storeView {
	return storeView{Host: s.Host, Instance: s.Instance, DBInstance: s.DBInstance, Database: s.Database}
}

func (e *Env) topoPools(L *lua.LState) int {
	out := []poolView{}
	for _, p := range checkTopo(L).doc.Pools() {
		out = append(out, poolView{FQDN: p.FQDN, Site: p.SiteName, SiteID: p.SiteID, Roles: nonNil(p.Roles),
			Machines: nonNil(p.Machines), Version: p.ServiceVersion, Product: p.Product})
	}
	L.Push(toLua(L, out))
	return 1
}

func (e *Env) topoPCPools(L *lua.LState) int {
	out := []pcPoolView{}
	for _, p := range checkTopo(L).doc.PersistentChatPools() {
		v := pcPoolView{FQDN: p.FQDN, Site: p.SiteName, SiteID: p.SiteID, Version: p.ServiceVersion, Product: p.Product,
			DisplayName: p.DisplayName, Machines: nonNil(p.Machines), Store: viewStore(p.Store), NextHop: p.NextHop, SiteDefault: p.SiteDefault}
		if p.ComplianceStore != nil {
			cs := viewStore(*p.ComplianceStore)
			v.ComplianceStore = &cs
		}
		out = append(out, v)
	}
	L.Push(toLua(L, out))
	return 1
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func (e *Env) topoDefault(L *lua.LState) int {
	d := checkTopo(L)
	fqdn, ok := d.doc.DefaultPersistentChatPool(L.CheckString(2))
	if !ok {
		L.Push(lua.LNil)
		return 1
	}
	L.Push(lua.LString(fqdn))
	return 1
}

// topoCanSetDefault is doc:can_set_default_pool(site, fqdn [, opts]) -> ok,
// reason: set_default_pool's validation alone, so a script can check the
// topology before its first write.
func (e *Env) topoCanSetDefault(L *lua.LState) int {
	d := checkTopo(L)
	site, fqdn := L.CheckString(2), L.CheckString(3)
	o := opts(L, "topology:can_set_default_pool")
	allow := optBool(L, o, "allow_other_site", e.Estate != nil && e.Estate.AllowOtherSite)
	if _, err := d.doc.SetDefaultPersistentChatPool(site, fqdn, topology.SetOptions{AllowOtherSite: allow}); err != nil {
		L.Push(lua.LFalse)
		L.Push(lua.LString(fmt.Sprintf("%s: %v", d.path, err)))
		return 2
	}
	L.Push(lua.LTrue)
	L.Push(lua.LNil)
	return 2
}

func (e *Env) topoSetDefault(L *lua.LState) int {
	d := checkTopo(L)
	site, fqdn := L.CheckString(2), L.CheckString(3)
	o := opts(L, "topology:set_default_pool")
	allow := optBool(L, o, "allow_other_site", e.Estate != nil && e.Estate.AllowOtherSite)
	before, _ := d.doc.DefaultPersistentChatPool(site)
	data, err := d.doc.SetDefaultPersistentChatPool(site, fqdn, topology.SetOptions{AllowOtherSite: allow})
	if err != nil {
		pcrt.RaiseError(L, pcrt.KindValidation, "%s: %v", d.path, err)
	}
	if before != "" && equalFold(before, fqdn) {
		say(L, "topology: %s is already the default Persistent Chat pool of site %s", fqdn, site)
		L.Push(lua.LFalse)
		return 1
	}
	if st, err := d.doc.Site(site); err == nil && st.Name != "" {
		// The site as the topology (and Set-CsSite) names it, not as the
		// estate spelt it (another case, accents as combining characters).
		site = st.Name
	}
	doc, err := topology.Parse(data)
	check(L, err)
	lab := e.Estate == nil || e.Estate.IsLab()
	detail := fmt.Sprintf("site %s: default Persistent Chat pool %s -> %s", site, orNone(before), fqdn)
	switch {
	case !lab:
		e.runbookSection(L)
		check(L, e.Runbook.SetSiteDefaultPool(site, fqdn))
		detail += " (Set-CsSite in the runbook)"
	case !dryRun(L):
		check(L, atomicfile.Write(d.path, data))
	}
	d.doc = doc
	record(L, pcrt.Action{Module: "topology", Op: "set default pool", Target: d.path, Detail: detail})
	L.Push(lua.LTrue)
	return 1
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
