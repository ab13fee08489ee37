package bindings

import (
	"fmt"
	"maps"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/fsguard"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// guardPoolTable checks what a pool table a script built may reach before
// anything is opened: the password of a password_env variable goes only
// to the server and login the estate file pairs that variable with
// (pairedSecret), and an embedded database (sqlite:PATH) must lie in the
// folders the run may use, as every other file a script names (confine).
// Scripts are copied and edited by administrators and may be hostile: a
// table {instance = "evil,1433", password_env = "ANY_VARIABLE"} would
// otherwise log in there with that variable's value, and
// db = "sqlite:/etc/passwd" would open (and tell the existence of) any
// file. The estate's own pools, passed back as tables, pass both checks.
func (e *Env) guardPoolTable(L *lua.LState, p estate.Pool) {
	// A DSN as pcmig shows DSNs (its password masked, whatever its
	// length): a script's DSN is its own text, not known to the scrubber.
	label := store.Config{DSN: p.DB.DSN}.Describe()
	if p.DB.DSN == "" {
		label = "sqlserver " + p.DB.Instance
	}
	if err := e.pairedSecret(p.DB); err != nil {
		pcrt.RaiseError(L, pcrt.KindArgument, "pool %s: %v", poolLabel(p, label), err)
	}
	if err := e.estateServer(p.DB); err != nil {
		pcrt.RaiseError(L, pcrt.KindArgument, "pool %s: %v", poolLabel(p, label), err)
	}
	if err := e.estateSettings(p.DB); err != nil {
		pcrt.RaiseError(L, pcrt.KindArgument, "pool %s: %v", poolLabel(p, label), err)
	}
	if err := e.estateServerCheck(p.DB); err != nil {
		pcrt.RaiseError(L, pcrt.KindArgument, "pool %s: %v", poolLabel(p, label), err)
	}
	if path, ok := strings.CutPrefix(p.DB.DSN, "sqlite:"); ok && path != "" {
		if err := e.confine(e.path(path)); err != nil {
			raise(L, fmt.Errorf("pool %s: %w", poolLabel(p, label), err))
		}
	}
}

// pairedSecret refuses a database table of a script whose password_env
// the estate file does not name for the same server (instance), login
// (user) and server authentication (encrypt, trust_server_certificate, server_spn,
// server_certificate, host_in_certificate): the variable's value would
// go to a server the operator never paired it with, or to one whose
// identity is checked less than the operator asked. The error names the
// variable, never its value (which is not read).
func (e *Env) pairedSecret(d estate.DB) error {
	if d.PasswordEnv == "" || d.DSN != "" {
		return nil // a DSN is used as it is: password_env is not read
	}
	var sameLogin *estate.DB
	if e.Estate != nil {
		for _, rp := range e.Estate.Roles() {
			o := rp.Pool.DB
			if o.DSN != "" || o.PasswordEnv != d.PasswordEnv || !sameSignIn(o, d) || !strings.EqualFold(o.User, d.User) {
				continue
			}
			if e.sameServerAuth(o, d) {
				return nil
			}
			sameLogin = &o
		}
	}
	if sameLogin != nil {
		return fmt.Errorf("password_env %s: the estate file names it for server %s and user %q with other encrypt, trust_server_certificate, server_certificate, host_in_certificate or server_spn settings: "+
			"a script's pool table may use an estate password only with the estate's own settings for checking that server (docs/lua-api.md)", d.PasswordEnv, d.Instance, d.User)
	}
	return fmt.Errorf("password_env %s: the estate file does not name it for server %s and user %q: "+
		"a script's pool table may use a password only for the server and user the estate file pairs it with; pass the estate's pool (\"source\", \"target\", a source's name) instead (docs/lua-api.md)", d.PasswordEnv, d.Instance, d.User)
}

// estateServer refuses a database table or DSN of a script on a SQL
// Server no pool of the estate file names. Without a password the sign-in
// is Windows' (or Kerberos'): on a Windows host the operator's own
// challenge-response would go to any server a script names, to be
// captured or relayed. A script's pools are the estate's servers, any
// database on them.
func (e *Env) estateServer(d estate.DB) error {
	c := store.Config{DSN: d.DSN, Instance: d.Instance}
	if k, err := c.Kind(); err != nil || k != "sqlserver" || e.Estate == nil {
		return nil // not SQL Server, or not a database pcmig opens
	}
	for _, rp := range e.Estate.Roles() {
		if sameSignIn(d, rp.Pool.DB) {
			return nil
		}
	}
	return fmt.Errorf("server %s is not one the estate file names: a script's pool table may reach only the SQL Servers of the estate's pools "+
		"(its sign-in, a Windows one included, would otherwise go to any server the script names); add the pool to the estate file (docs/lua-api.md)", serverLabel(d))
}

// pairedKeys are the settings of a SQL Server connection that name files
// pcmig hands to the driver (a Kerberos credential cache, configuration
// or keytab, a certificate to trust or pin) or where and how the sign-in
// goes besides the server itself (a failover partner, a Kerberos realm
// and how its KDC is found, a named pipe): by go-mssqldb's key in a
// sqlserver:// query, each with its key in a pool table where it has one.
var pairedKeys = map[string]string{
	"krb5-configfile": "krb5_config", "krb5-credcachefile": "krb5_ccache",
	"certificate": "certificate", "servercertificate": "server_certificate",
	"krb5-keytabfile": "", "krb5-realm": "", "krb5-dnslookupkdc": "", "krb5-udppreferencelimit": "",
	"failoverpartner": "", "failoverport": "", "failoverpartnerspn": "", "protocol": "", "pipe": "",
}

// pathKeys are the pairedKeys whose values are files.
var pathKeys = map[string]bool{"krb5-configfile": true, "krb5-credcachefile": true, "certificate": true,
	"servercertificate": true, "krb5-keytabfile": true}

// estateSettings refuses a SQL Server table or DSN of a script that sets
// one of pairedKeys to anything but what a pool of the estate file gives
// it for the same server (sameSignIn). A script could otherwise hand the
// driver a Kerberos cache or keytab of another account (whatever pcmig
// may read), a Kerberos configuration sending the sign-in to a KDC of its
// choosing, a certificate it wrote to trust, or a failover partner that
// the sign-in goes to when the estate's server does not answer; and
// pcmig's check of a certificate file told whether any .pem or .der path
// exists. Nothing is opened or looked at: the error names the key, not
// the value. Left out, a setting takes its default (KRB5CCNAME,
// KRB5_CONFIG, the system's certificates), as for the estate's pools.
func (e *Env) estateSettings(d estate.DB) error {
	if e.Estate == nil {
		return nil
	}
	mine, isDSN, err := e.connSettings(d, e.dir())
	if err != nil || len(mine) == 0 {
		return nil // not SQL Server, or refused when opened
	}
	for _, k := range slices.Sorted(maps.Keys(mine)) {
		paired := false
		for _, rp := range e.Estate.Roles() {
			if !sameSignIn(d, rp.Pool.DB) {
				continue
			}
			theirs, _, err := e.connSettings(rp.Pool.DB, e.Estate.Dir)
			if err == nil && theirs[k] == mine[k] {
				paired = true
				break
			}
		}
		if paired {
			continue
		}
		name := pairedKeys[k]
		if isDSN || name == "" {
			name = k + " (in the sqlserver:// query)"
		}
		return fmt.Errorf("%s: the estate file does not give this value for server %s: a script's pool table may use only the estate's own %s for that server, or leave it out "+
			"(a script could otherwise hand the sign-in another account's Kerberos cache, a Kerberos setup or certificate of its own, or another server); pass the estate's pool (\"source\", \"target\", a source's name) instead (docs/lua-api.md)",
			name, serverLabel(d), name)
	}
	return nil
}

// serverCheck is how a connection checks the server it signs in to:
// whether and how it encrypts, whether it trusts any certificate, the
// host name the certificate must hold and the service principal name a
// Kerberos ticket is asked for. A table's empty encrypt is the default
// "true"; a DSN's missing key is the driver's default, kept apart, so
// that the two forms compare equal only where they say the same.
type serverCheck struct {
	encrypt, hostInCert, spn string
	trust                    bool
}

func (e *Env) serverCheckOf(d estate.DB) (serverCheck, bool) {
	if d.DSN == "" {
		enc := strings.ToLower(d.Encrypt)
		if enc == "" {
			enc = "true"
		}
		return serverCheck{encrypt: enc, hostInCert: strings.ToLower(d.HostInCert), spn: strings.ToLower(d.ServerSPN), trust: d.TrustCert}, true
	}
	u, err := url.Parse(d.DSN)
	if err != nil {
		return serverCheck{}, false
	}
	var c serverCheck
	c.encrypt = "(driver default)"
	for k, v := range u.Query() {
		if len(v) == 0 {
			continue
		}
		switch strings.ToLower(k) {
		case "encrypt":
			c.encrypt = strings.ToLower(v[0])
		case "trustservercertificate":
			c.trust, _ = strconv.ParseBool(v[0])
		case "hostnameincertificate":
			c.hostInCert = strings.ToLower(v[0])
		case "serverspn":
			c.spn = strings.ToLower(v[0])
		}
	}
	return c, true
}

// estateServerCheck refuses a SQL Server table or DSN of a script that
// checks the server's identity otherwise than a pool of the estate file
// does for the same server: encrypt, trust_server_certificate,
// host_in_certificate and server_spn (a DSN's encrypt,
// TrustServerCertificate, hostNameInCertificate and ServerSPN). Without a
// password the sign-in is the operator's own (Windows or Kerberos): a
// script that turned encryption or the certificate check off, or asked a
// ticket for another service, would hand it to anyone between pcmig and
// the server. The estate's pools with a password are held to the same
// settings by pairedSecret.
func (e *Env) estateServerCheck(d estate.DB) error {
	c := store.Config{DSN: d.DSN, Instance: d.Instance}
	if k, err := c.Kind(); err != nil || k != "sqlserver" || e.Estate == nil {
		return nil
	}
	mine, ok := e.serverCheckOf(d)
	if !ok {
		return nil // refused when opened
	}
	for _, rp := range e.Estate.Roles() {
		if !sameSignIn(d, rp.Pool.DB) {
			continue
		}
		if theirs, ok := e.serverCheckOf(rp.Pool.DB); ok && theirs == mine {
			return nil
		}
	}
	return fmt.Errorf("server %s: the estate file checks that server otherwise (encrypt, trust_server_certificate, host_in_certificate, server_spn): "+
		"a script's pool table may check the server only as the estate's own pools do, or the operator's sign-in could go to anyone between pcmig and the server; "+
		"pass the estate's pool (\"source\", \"target\", a source's name) instead (docs/lua-api.md)", serverLabel(d))
}

// connSettings are the pairedKeys a SQL Server database sets, files as
// absolute clean paths (a table's relative to dir, as the estate resolves
// them; a DSN's as the driver reads them, relative to the working
// folder). isDSN tells which form d has. Not SQL Server: none.
func (e *Env) connSettings(d estate.DB, dir string) (m map[string]string, isDSN bool, err error) {
	c, err := d.Config(dir, func(string) string { return "x" }) // passwords do not matter here
	if err != nil {
		return nil, false, err
	}
	if k, err := c.Kind(); err != nil || k != "sqlserver" {
		return nil, false, err
	}
	m = map[string]string{}
	file := func(p string) string {
		if abs, err := filepath.Abs(p); err == nil {
			return abs
		}
		return filepath.Clean(p)
	}
	put := func(k, v string) {
		if v == "" {
			return
		}
		if pathKeys[k] {
			v = file(strings.TrimPrefix(v, "FILE:"))
		}
		m[k] = v
	}
	if c.DSN == "" {
		put("krb5-configfile", c.Krb5Config)
		put("krb5-credcachefile", c.Krb5CCache)
		put("certificate", c.Certificate)
		put("servercertificate", c.ServerCertificate)
		return m, false, nil
	}
	u, err := url.Parse(c.DSN)
	if err != nil {
		return nil, true, err
	}
	for k, v := range u.Query() {
		if _, ok := pairedKeys[strings.ToLower(k)]; ok && len(v) > 0 {
			put(strings.ToLower(k), v[0])
		}
	}
	return m, true, nil
}

// serverLabel names a SQL Server database's server as -DBInstance writes
// it (HOST[\INSTANCE][,PORT]), without a DSN's user or password.
func serverLabel(d estate.DB) string {
	if d.DSN == "" {
		return d.Instance
	}
	if store.UserInfoCut(d.DSN) {
		// Its "host" and "instance" are its user name and password.
		return store.Config{DSN: d.DSN}.Describe()
	}
	u, err := url.Parse(d.DSN)
	if err != nil || u.Hostname() == "" {
		return "(a sqlserver:// string pcmig cannot read)"
	}
	s := u.Hostname()
	if inst := strings.Trim(u.Path, "/"); inst != "" {
		s += `\` + inst
	}
	if port := u.Port(); port != "" {
		s += "," + port
	}
	return s
}

// sameSignIn reports whether two database tables name the server a
// sign-in reaches (estate.SameSignInServer: host names as written, no
// short name matching an FQDN).
func sameSignIn(a, b estate.DB) bool {
	return estate.SameSignInServer(store.Config{DSN: a.DSN, Instance: a.Instance}, store.Config{DSN: b.DSN, Instance: b.Instance})
}

// sameServerAuth reports whether b checks the server's identity as a does:
// the same serverCheck and the same pinned server certificate.
func (e *Env) sameServerAuth(a, b estate.DB) bool {
	file := func(p string) string {
		if p == "" {
			return ""
		}
		return filepath.Clean(e.path(p))
	}
	ca, _ := e.serverCheckOf(a)
	cb, _ := e.serverCheckOf(b)
	return ca == cb && file(a.ServerCertificate) == file(b.ServerCertificate)
}

// confine reports an error unless path lies in the folders the run may
// use (see file).
func (e *Env) confine(p string) error {
	var roots []string
	if e.Estate != nil {
		roots = e.Estate.Folders()
	}
	roots = append(roots, e.AllowPaths...)
	if len(roots) == 0 {
		return nil
	}
	return fsguard.Confine(p, roots, "pcmig run --allow-path DIR lets scripts use another folder")
}
