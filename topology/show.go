package topology

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/textwidth"
)

// Summary is the machine-readable view of a document; it marshals to JSON
// with encoding/json. Slices are never nil, so they marshal as [].
type Summary struct {
	Encoding            string               `json:"encoding"`
	Sites               []Site               `json:"sites"`
	Pools               []Pool               `json:"pools"`
	PersistentChatPools []PersistentChatPool `json:"persistent_chat_pools"`
	Warnings            []string             `json:"warnings"`
}

// Summary returns the sites, pools, Persistent Chat pools and warnings of
// the document.
func (d *Document) Summary() Summary {
	s := Summary{
		Encoding:            d.Encoding(),
		Sites:               d.Sites(),
		Pools:               d.Pools(),
		PersistentChatPools: d.PersistentChatPools(),
		Warnings:            d.Warnings(),
	}
	if s.Warnings == nil {
		s.Warnings = []string{}
	}
	return s
}

// Show writes the document for people: the sites with their default
// Persistent Chat pool, a table of pools and roles, each Persistent Chat
// pool with its store and next hop, and the warnings. Names from the
// document are shown with their line breaks as \n and \r, so that none
// starts a line of its own; Summary keeps them as they are.
func (d *Document) Show(w io.Writer) error {
	bw := bufio.NewWriter(w)
	s := d.Summary()
	fmt.Fprintf(bw, "Topology: %s, %s, %s (%s)\n",
		numtext.Count(len(s.Sites), "site", "sites"), numtext.Count(len(s.Pools), "pool", "pools"),
		numtext.Count(len(s.PersistentChatPools), "Persistent Chat pool", "Persistent Chat pools"), s.Encoding)

	fmt.Fprintf(bw, "\nSites\n")
	for _, st := range s.Sites {
		def := st.DefaultPersistentChatPool
		if def == "" {
			def = "(none recorded)"
		}
		fmt.Fprintf(bw, "  %s (SiteId %s): default Persistent Chat pool %s\n", one(st.Name), one(st.ID), one(def))
	}

	fmt.Fprintf(bw, "\nPools\n")
	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  FQDN\tSITE\tVERSION\tROLES\n")
	for _, p := range s.Pools {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", one(p.FQDN), one(orDash(p.SiteName)), one(orDash(p.Product)), one(rolesText(p)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(bw, "\nPersistent Chat pools\n")
	if len(s.PersistentChatPools) == 0 {
		fmt.Fprintf(bw, "  (none)\n")
	}
	for _, p := range s.PersistentChatPools {
		showPersistentChatPool(bw, p)
	}
	if len(s.Warnings) > 0 {
		fmt.Fprintf(bw, "\nWarnings\n")
		for _, w := range s.Warnings {
			fmt.Fprintf(bw, "  %s\n", w)
		}
	}
	return bw.Flush()
}

func showPersistentChatPool(w io.Writer, p PersistentChatPool) {
	mark := ""
	if p.SiteDefault {
		mark = "  [site default]"
	}
	fmt.Fprintf(w, "  %s%s\n", one(p.FQDN), mark)
	fmt.Fprintf(w, "    site:        %s\n", one(siteLabel(p)))
	fmt.Fprintf(w, "    version:     %s\n", one(orDash(p.Product)))
	if p.DisplayName != "" {
		fmt.Fprintf(w, "    display:     %s\n", one(p.DisplayName))
	}
	fmt.Fprintf(w, "    store:       %s, database %s\n", one(p.Store.DBInstance), one(p.Store.Database))
	if p.ComplianceStore != nil {
		fmt.Fprintf(w, "    compliance:  %s, database %s\n", one(p.ComplianceStore.DBInstance), one(p.ComplianceStore.Database))
	}
	fmt.Fprintf(w, "    next hop:    %s\n", one(orDash(p.NextHop)))
}

// one shows a name from the document on the current line.
func one(s string) string { return textwidth.OneLine(s) }

// rolesText lists a pool's roles, with the SQL instances it hosts.
func rolesText(p Pool) string {
	parts := append([]string(nil), p.Roles...)
	for _, in := range p.SQLInstances {
		if in == "" {
			in = "default instance"
		}
		parts = append(parts, "SQL:"+in)
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
