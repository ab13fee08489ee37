package bindings

import (
	"fmt"

	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/fsguard"
	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/topology"
)

// TopologyCheckName is the check's name in a doctor report.
const TopologyCheckName = "topology"

// TopologyCheck is the "topology" line of the target's doctor report (role
// store.RoleTarget) of an estate that names a topology and a site; ok is
// false for any other report. The bundled scripts refuse, before their
// first write (migrate.lua) or at the switch (multipool.lua), a topology
// that cannot make the target pool the site's default Persistent Chat
// pool: the file cannot be read, the site or the pool is not in it, or the
// pool is in another site without allow_other_site. The pre-flight said
// ready for such a file. FAIL for those, OK naming the site's default pool
// now and after the switch. Never the file's text beyond the names the
// scripts print too.
func TopologyCheck(est *estate.Estate, role string) (c store.DoctorCheck, ok bool) {
	if est == nil || est.Topology == "" || est.Site == "" || role != store.RoleTarget {
		return store.DoctorCheck{}, false
	}
	path := est.Topology
	c = store.DoctorCheck{Check: TopologyCheckName, Status: store.DoctorFail,
		Action: "the step \"switch the site's default Persistent Chat pool\" edits it, and the run refuses it: " +
			"export it again with Get-CsTopology -AsXml | Out-File, or correct site, target.pool or allow_other_site in the estate"}
	data, err := fsguard.ReadFile(path, fsguard.MaxTopology, "topology")
	if err != nil {
		c.Message = fmt.Sprintf("%s: %v", path, err)
		return c, true
	}
	doc, err := topology.Parse(data)
	if err != nil {
		c.Message = fmt.Sprintf("%s: %v", path, err)
		return c, true
	}
	if _, err := doc.SetDefaultPersistentChatPool(est.Site, est.Target.Pool, topology.SetOptions{AllowOtherSite: est.AllowOtherSite}); err != nil {
		c.Message = fmt.Sprintf("the topology cannot make %s the default pool of site %s: %s: %v", est.Target.Pool, est.Site, path, err)
		return c, true
	}
	site := est.Site
	if st, err := doc.Site(est.Site); err == nil && st.Name != "" {
		site = st.Name
	}
	before, _ := doc.DefaultPersistentChatPool(est.Site)
	c.Status, c.Action = store.DoctorOK, ""
	after := "the run makes it " + est.Target.Pool
	if equalFold(before, est.Target.Pool) {
		after = "already the target pool"
	}
	c.Message = fmt.Sprintf("topology %s: site %s, default Persistent Chat pool %s (%s)", path, site, orNone(before), after)
	return c, true
}
