package main

import (
	"github.com/urfave/cli/v2"

	"github.com/pcmig/pcmig/store"
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
		&cli.StringFlag{Name: "db-encrypt", Value: "true", Usage: "TLS: true, false, strict or disable"},
		&cli.BoolFlag{Name: "db-trust-server-certificate", Usage: "trust the SQL Server certificate without validation (lab SQL only)"},
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
	}
	if c.IsSet("force") {
		cfg.Force = c.Bool("force")
	}
	if _, err := cfg.Kind(); err != nil {
		return cfg, usageError{err}
	}
	return cfg, nil
}
