package topology

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Errors of SetDefaultPersistentChatPool, for errors.Is. The returned errors
// wrap them with the names involved.
var (
	ErrUnknownSite           = errors.New("unknown site")
	ErrUnknownPool           = errors.New("unknown pool")
	ErrNotPersistentChatPool = errors.New("not a Persistent Chat pool")
	ErrOtherSite             = errors.New("pool is in another site")
)

// SetOptions tunes SetDefaultPersistentChatPool.
type SetOptions struct {
	// AllowOtherSite accepts a pool of another site, as Topology Builder's
	// "Use this pool as default for all sites" does.
	AllowOtherSite bool
}

// splice replaces body[at:end] with text.
type splice struct {
	at, end int
	text    string
}

// SetDefaultPersistentChatPool returns a copy of the document in which the
// site's default Persistent Chat pool is fqdn, written as the pool's FQDN
// appears in <Clusters>. The site may be given as for Site. The pool must be
// a Persistent Chat pool of the topology and, unless opts.AllowOtherSite is
// set, of that site; the errors wrap ErrUnknownSite, ErrUnknownPool,
// ErrNotPersistentChatPool or ErrOtherSite.
//
// Everything else is kept byte for byte. An existing representation is
// updated in place (the DefaultPersistentChatPool attribute of the pcmig
// <PersistentChatSettings> element and/or of <CentralSite>); otherwise a
// <PersistentChatSettings> element is inserted as a new line before
// </CentralSite>, indented like the site's last child. When the default is
// already fqdn the document is returned unchanged.
func (d *Document) SetDefaultPersistentChatPool(site, fqdn string, opts SetOptions) ([]byte, error) {
	s, err := d.findSite(site)
	if err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}
	c := d.clusterByFQDN[strings.ToLower(strings.TrimSpace(fqdn))]
	if c == nil {
		return nil, fmt.Errorf("topology: %w: %q is not a cluster of the topology", ErrUnknownPool, fqdn)
	}
	pc, ok := d.PersistentChatPool(c.fqdn)
	if !ok {
		p, _ := d.Pool(c.fqdn)
		roles := "no services"
		if len(p.Roles) > 0 {
			roles = "only " + strings.Join(p.Roles, ", ")
		}
		return nil, fmt.Errorf("topology: %w: pool %q runs %s", ErrNotPersistentChatPool, c.fqdn, roles)
	}
	if pc.SiteID != s.id && !opts.AllowOtherSite {
		return nil, fmt.Errorf("topology: %w: Persistent Chat pool %q is in site %q, not %q (allow other sites to use it anyway)",
			ErrOtherSite, pc.FQDN, siteLabel(pc), s.name)
	}
	value := c.fqdn
	if (!s.hasAttr || s.attrDefault == value) && (!s.hasElem || s.elemDefault == value) && (s.hasAttr || s.hasElem) {
		return d.Bytes(), nil
	}
	var edits []splice
	if s.settings != nil {
		edits = append(edits, setAttr(d.body, s.settings, value))
	}
	if s.hasAttr {
		edits = append(edits, setAttr(d.body, s.node, value))
	}
	if len(edits) == 0 {
		edits = append(edits, insertSettings(d.body, s.node, value))
	}
	out := d.env.Encode(applySplices(d.body, edits))
	if err := verifyDefault(out, s.id, value); err != nil {
		return nil, fmt.Errorf("topology: internal error: %w", err)
	}
	return out, nil
}

func siteLabel(pc PersistentChatPool) string {
	if pc.SiteName != "" {
		return pc.SiteName
	}
	return "SiteId " + pc.SiteID
}

// verifyDefault re-reads an edited document and checks the new default, so
// a splicing bug can never hand out a broken topology.
func verifyDefault(data []byte, siteID, want string) error {
	nd, err := Parse(data)
	if err != nil {
		return fmt.Errorf("edited document does not parse: %w", err)
	}
	for _, s := range nd.sites {
		if s.id == siteID && s.defaultPool() == want {
			return nil
		}
	}
	return fmt.Errorf("edited document does not record %q as the site default", want)
}

// setAttr replaces the value of the DefaultPersistentChatPool attribute of
// n, or adds the attribute after the last one.
func setAttr(body []byte, n *node, value string) splice {
	_, attrs, insertAt := scanStartTag(body, n.start, n.startEnd)
	for _, a := range attrs {
		if a.name == defaultAttr {
			return splice{at: a.valStart, end: a.valEnd, text: escapeAttr(value)}
		}
	}
	return splice{at: insertAt, end: insertAt, text: fmt.Sprintf(` %s="%s"`, defaultAttr, escapeAttr(value))}
}

// settingsXML is pcmig's element for the site default.
func settingsXML(value string) string {
	return fmt.Sprintf(`<%s xmlns="%s" %s="%s"/>`, settingsElement, NamespacePcmig, defaultAttr, escapeAttr(value))
}

// insertSettings adds a <PersistentChatSettings> element as the last child
// of the site element cs.
func insertSettings(body []byte, cs *node, value string) splice {
	elem := settingsXML(value)
	if cs.selfClosing() {
		// <CentralSite .../> becomes <CentralSite ...>elem</CentralSite>.
		name, _, _ := scanStartTag(body, cs.start, cs.startEnd)
		return splice{at: cs.startEnd - 2, end: cs.startEnd, text: ">" + elem + "</" + name + ">"}
	}
	ls := lineStart(body, cs.endStart)
	closeIndent := body[ls:cs.endStart]
	if !isBlank(closeIndent) || ls == 0 {
		// </CentralSite> shares its line with other content: stay on it.
		return splice{at: cs.endStart, end: cs.endStart, text: elem}
	}
	indent := string(closeIndent) + indentUnit(closeIndent)
	if n := len(cs.children); n > 0 {
		last := cs.children[n-1]
		if cls := lineStart(body, last.start); isBlank(body[cls:last.start]) {
			indent = string(body[cls:last.start])
		}
	}
	eol := "\n"
	if ls >= 2 && body[ls-2] == '\r' {
		eol = "\r\n"
	}
	return splice{at: ls, end: ls, text: indent + elem + eol}
}

// lineStart returns the offset of the first byte of the line holding off.
func lineStart(body []byte, off int) int {
	return bytes.LastIndexByte(body[:off], '\n') + 1
}

func isBlank(b []byte) bool { return len(bytes.Trim(b, " \t")) == 0 }

// indentUnit guesses one level of indentation from an existing indent.
func indentUnit(indent []byte) string {
	if bytes.IndexByte(indent, '\t') >= 0 {
		return "\t"
	}
	return "  "
}

// applySplices applies non-overlapping edits to a copy of body.
func applySplices(body []byte, edits []splice) []byte {
	slices.SortFunc(edits, func(a, b splice) int { return a.at - b.at })
	out := make([]byte, 0, len(body)+128)
	prev := 0
	for _, e := range edits {
		out = append(out, body[prev:e.at]...)
		out = append(out, e.text...)
		prev = e.end
	}
	return append(out, body[prev:]...)
}
