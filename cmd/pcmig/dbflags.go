package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/textwidth"
)

// dbFlags are the database options every command that opens a pool takes,
// in the terms administrators use with the cmdlets.
func dbFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "db", Usage: "database: sqlite:PATH or a sqlserver:// URL"},
		&cli.StringFlag{Name: "db-instance", Usage: `SQL Server instance as for -DBInstance, e.g. "sqlhost.contoso.com\rtc"`},
		&cli.StringFlag{Name: "db-name", Value: "mgc", Usage: "database name on the instance"},
		&cli.StringFlag{Name: "db-user", Usage: "SQL login (default: Windows integrated authentication; or $PCMIG_DB_USER)"},
		&cli.StringFlag{Name: "db-password", Usage: "SQL login password (prefer $PCMIG_DB_PASSWORD: command lines are visible to other users)"},
		&cli.StringFlag{Name: "db-auth", Usage: "authentication: sql, windows (SSPI on Windows, Kerberos elsewhere), kerberos or ntlm (--db-user DOMAIN\\user); default: sql with --db-user, windows without"},
		&cli.StringFlag{Name: "db-server-spn", Usage: "SQL Server service principal name for Kerberos, e.g. MSSQLSvc/sql.contoso.com:1433"},
		&cli.StringFlag{Name: "db-krb5-config", Usage: "krb5.conf for Kerberos from Linux (default $KRB5_CONFIG or /etc/krb5.conf)"},
		&cli.StringFlag{Name: "db-krb5-ccache", Usage: "FILE: credential cache for Kerberos from Linux (default $KRB5CCNAME or /tmp/krb5cc_UID)"},
		&cli.StringFlag{Name: "db-encrypt", Value: "true", Usage: "TLS: true, false, strict or disable"},
		&cli.StringFlag{Name: "db-certificate", Usage: "trust the server certificate issued by (or self-signed as) this .pem/.der file; the host name is checked"},
		&cli.StringFlag{Name: "db-server-certificate", Usage: "accept exactly this server certificate (.pem/.der file, pinned)"},
		&cli.BoolFlag{Name: "db-trust-server-certificate", Usage: "accept any SQL Server certificate unchecked (lab SQL only: prints a warning)"},
		&cli.StringFlag{Name: "db-host-in-certificate", Usage: "host name expected in the SQL Server certificate"},
	}
}

// forceFlag allows writes while Persistent Chat servers heartbeat. Each
// command gets its own: urfave/cli writes into a flag when it parses.
func forceFlag() cli.Flag {
	return &cli.BoolFlag{Name: "force", Usage: "write even though Persistent Chat servers heartbeat (outside a maintenance window)"}
}

// dbConfig reads the database options.
func dbConfig(c *cli.Context, e env) (store.Config, error) {
	cfg := store.Config{DSN: c.String("db"), Instance: c.String("db-instance")}
	if cfg.DSN == "" && cfg.Instance == "" {
		return cfg, usagef("give the database with --db sqlite:PATH, --db sqlserver://... or --db-instance HOST\\INSTANCE")
	}
	if cfg.Instance != "" {
		cfg.Database = c.String("db-name")
		cfg.User = c.String("db-user")
		if cfg.User == "" {
			cfg.User = e.getenv("PCMIG_DB_USER")
		}
		cfg.Password = c.String("db-password")
		if cfg.Password == "" {
			cfg.Password = e.getenv("PCMIG_DB_PASSWORD")
		}
		cfg.Encrypt = c.String("db-encrypt")
		cfg.TrustCert = c.Bool("db-trust-server-certificate")
		cfg.HostInCert = c.String("db-host-in-certificate")
		cfg.Auth = c.String("db-auth")
		cfg.ServerSPN = c.String("db-server-spn")
		cfg.Krb5Config = c.String("db-krb5-config")
		cfg.Krb5CCache = c.String("db-krb5-ccache")
		cfg.Certificate = c.String("db-certificate")
		cfg.ServerCertificate = c.String("db-server-certificate")
	} else {
		for _, f := range instanceOnlyFlags {
			if c.IsSet(f) {
				return cfg, usagef("--%s applies to --db-instance; with --db give it in the sqlserver:// URL", f)
			}
		}
	}
	if c.IsSet("force") {
		cfg.Force = c.Bool("force")
	}
	if _, err := cfg.Kind(); err != nil {
		return cfg, usageError{err}
	}
	for _, w := range cfg.Warnings() {
		fmt.Fprintf(e.stderr, "pcmig: warning: %s\n", textwidth.Continued(w, errorIndent))
	}
	return cfg, nil
}

// instanceOnlyFlags are the connection flags that go with --db-instance.
var instanceOnlyFlags = []string{"db-name", "db-user", "db-password", "db-auth", "db-server-spn", "db-krb5-config", "db-krb5-ccache",
	"db-encrypt", "db-certificate", "db-server-certificate", "db-trust-server-certificate", "db-host-in-certificate"}
