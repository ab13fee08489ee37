package lab

import (
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/pchat"
)

// prin is a principal of the plan. ID is set once it is in the database.
type prin struct {
	p    pchat.Principal
	aff  []*prin // groups, OU and domain it belongs to
	dept string  // users only
}

func (p *prin) isUser() bool { return p.p.Type == pchat.TypeUser }

// adPlan is the planned Active Directory of the lab.
type adPlan struct {
	domain, ou                      *prin
	eng, sales, finance, contractor *prin
	allStaff, legacy                *prin
	admin                           *prin
	users                           []*prin // every user, admin first
	all                             []*prin // insertion order
}

// Departments.
const (
	deptEngineering = "Engineering"
	deptSales       = "Sales"
	deptFinance     = "Finance"
	deptSupport     = "Support"
	deptIT          = "IT"
)

// namedUser is a user every lab has, so that non-ASCII names are always
// present.
type namedUser struct{ given, family, display, local, dept string }

var namedUsers = []namedUser{
	{"Zoë", "Ångström", "Zoë Ångström", "zoe.angstrom", deptEngineering},
	{"José", "Núñez", "José Núñez", "jose.nunez", deptSales},
	{"Łukasz", "Żółć", "Łukasz Żółć", "lukasz.zolc", deptEngineering},
	{"太郎", "田中", "田中 太郎", "taro.tanaka", deptFinance},
	{"Siobhán", "O'Connor", "Siobhán O'Connor", "siobhan.oconnor", deptSupport},
}

var givenNames = []string{
	"Alice", "Bruno", "Chen", "Dmitri", "Emma", "Fatima", "Giulia", "Hannah", "Ingrid", "Jamal", "Kenji",
	"Laura", "Mateo", "Nadia", "Olivia", "Pedro", "Quentin", "Rosa", "Sven", "Tomás", "Uma", "Victor",
	"Wei", "Xavier", "Yara", "Zoltán", "François", "Björn", "Chloé", "Renée", "Søren", "Ana", "Noah",
	"Priya", "Arjun", "Mei", "Lars", "Agnieszka", "Oğuz", "Maëlle",
}

var familyNames = []string{
	"Smith", "Johnson", "Müller", "García", "Rossi", "Nakamura", "Kowalski", "Dubois", "Nilsson", "O'Brien",
	"Fernández", "Øvergaard", "Yılmaz", "Novák", "Schäfer", "Kim", "Patel", "Nguyen", "Silva", "Brown",
	"Lefèvre", "Jensen", "Horváth", "Costa", "Wójcik", "Andersson", "Ito", "Mehta", "Keller", "Dvořák",
}

// asciiFold maps the letters of the name lists to SIP-safe ASCII.
var asciiFold = strings.NewReplacer(
	"á", "a", "à", "a", "å", "a", "ä", "a", "ã", "a", "Å", "a", "Ä", "a",
	"é", "e", "è", "e", "ë", "e", "ê", "e", "É", "e",
	"í", "i", "ı", "i", "ï", "i", "ó", "o", "ö", "o", "ø", "o", "ô", "o", "Ø", "o", "Ö", "o",
	"ú", "u", "ü", "u", "Ü", "u", "ñ", "n", "ç", "c", "č", "c", "ł", "l", "Ł", "l",
	"ż", "z", "Ż", "z", "ź", "z", "ś", "s", "š", "s", "ř", "r", "ğ", "g", "ő", "o", "ß", "ss", "æ", "ae",
)

func sipLocal(given, family string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(asciiFold.Replace(given + "." + family)) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// domainDN is "DC=contoso,DC=com" for "contoso.com".
func domainDN(domain string) string {
	parts := strings.Split(domain, ".")
	for i, p := range parts {
		parts[i] = "DC=" + p
	}
	return strings.Join(parts, ",")
}

// planDirectory makes the domain, the Engineering OU, six groups (one a
// distribution list, one deleted from AD) and o.Users users with their
// affiliations. Some users are disabled (prinDisabled 1) or deleted (2).
func planDirectory(o Options, g gen) *adPlan {
	dn := domainDN(o.Domain)
	d := &adPlan{}
	container := func(typ pchat.PrincipalType, adPath string) *prin {
		guid := g.guid()
		on := g.between(adCreatedFrom, adCreatedTo)
		p := &prin{p: pchat.Principal{GUID: guid, URI: fmt.Sprintf("ma-grp://%s/%s", o.Domain, guid), Type: typ,
			ADPath: adPath, AddedBy: ptr(pchat.SystemUserID), AddedOn: on, UpdatedBy: ptr(pchat.SystemUserID),
			UpdatedOn: on, VerifiedOn: lastADSync}}
		d.all = append(d.all, p)
		return p
	}
	d.domain = container(pchat.TypeDC, dn)
	d.ou = container(pchat.TypeFolder, "OU=Engineering,"+dn)
	d.eng = container(pchat.TypeGroup, "CN=PC Engineering,OU=Groups,"+dn)
	d.sales = container(pchat.TypeGroup, "CN=PC Sales,OU=Groups,"+dn)
	d.finance = container(pchat.TypeGroup, "CN=PC Finance,OU=Groups,"+dn)
	d.contractor = container(pchat.TypeGroup, "CN=PC Contractors,OU=Groups,"+dn)
	d.allStaff = container(pchat.TypeGroup, "CN=All Staff,OU=Distribution Lists,"+dn)
	d.legacy = container(pchat.TypeGroup, "CN=PC Legacy Project,OU=Groups,"+dn)
	d.legacy.p.State = pchat.Deleted

	taken := map[string]bool{}
	user := func(given, family, display, local, dept string) *prin {
		base := local
		for i := 2; taken[strings.ToLower(local)]; i++ {
			local = fmt.Sprintf("%s%d", base, i)
		}
		taken[strings.ToLower(local)] = true
		on := g.between(adCreatedFrom, adCreatedTo)
		cn := display
		path := fmt.Sprintf("CN=%s,CN=Users,%s", escapeDN(cn), dn)
		if dept == deptEngineering {
			path = fmt.Sprintf("CN=%s,OU=Engineering,%s", escapeDN(cn), dn)
		}
		addr := local + "@" + o.Domain
		p := &prin{dept: dept, p: pchat.Principal{GUID: g.guid(), URI: "sip:" + addr, Type: pchat.TypeUser,
			Name: cn, DisplayName: display, CompanyName: "Contoso", Email: addr, ADPath: path, UPN: addr,
			AddedBy: ptr(pchat.SystemUserID), AddedOn: on, UpdatedBy: ptr(pchat.SystemUserID), UpdatedOn: on,
			VerifiedOn: lastADSync}}
		d.users = append(d.users, p)
		d.all = append(d.all, p)
		return p
	}
	d.admin = user("Persistent Chat", "Admin", "Persistent Chat Admin", o.Admin, deptIT)
	for _, n := range namedUsers {
		user(n.given, n.family, n.display, n.local, n.dept)
	}
	depts := []string{deptEngineering, deptEngineering, deptEngineering, deptEngineering,
		deptSales, deptSales, deptSales, deptFinance, deptFinance, deptSupport}
	for len(d.users) < o.Users {
		given := givenNames[g.IntN(len(givenNames))]
		family := familyNames[g.IntN(len(familyNames))]
		user(given, family, given+" "+family, sipLocal(given, family), depts[g.IntN(len(depts))])
	}
	planAffiliations(d, g)
	planStates(d, g)
	return d
}

// planAffiliations puts every user in the domain, its department's group
// (and the OU for Engineering), most users in All Staff, a few ordinary
// users in Contractors and some in the deleted legacy group. The
// administrator is in every group except Contractors, so that it is
// allowed in every category.
func planAffiliations(d *adPlan, g gen) {
	generated := d.users[1+len(namedUsers):]
	contractors := map[*prin]bool{}
	for _, u := range pick(g, generated, max(1, len(generated)/10)) {
		contractors[u] = true
	}
	for _, u := range d.users {
		u.aff = append(u.aff, d.domain)
		switch u.dept {
		case deptEngineering:
			u.aff = append(u.aff, d.ou, d.eng)
		case deptSales:
			u.aff = append(u.aff, d.sales)
		case deptFinance:
			u.aff = append(u.aff, d.finance)
		}
		switch {
		case u == d.admin:
			u.aff = append(u.aff, d.eng, d.sales, d.finance, d.allStaff)
		case contractors[u]:
			u.aff = append(u.aff, d.contractor)
		default:
			if g.chance(4, 5) {
				u.aff = append(u.aff, d.allStaff)
			}
			if g.chance(1, 8) {
				u.aff = append(u.aff, d.legacy)
			}
		}
	}
}

// planStates disables about one user in twenty and deletes about one in
// thirty, never the administrator or the named users.
func planStates(d *adPlan, g gen) {
	generated := d.users[1+len(namedUsers):]
	n := len(generated)
	disabled, deleted := max(1, n/20), max(1, n/30)
	for i, k := range g.Perm(n)[:disabled+deleted] {
		generated[k].p.State = pchat.Disabled
		if i >= disabled {
			generated[k].p.State = pchat.Deleted
		}
	}
}

// escapeDN escapes a relative distinguished name value (RFC 4514).
func escapeDN(s string) string {
	var b strings.Builder
	for i, c := range s {
		switch {
		case strings.ContainsRune(`,+"\<>;=`, c), c == '#' && i == 0, c == ' ' && (i == 0 || i == len(s)-1):
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func ptr[T any](v T) *T { return &v }
