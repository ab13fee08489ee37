package store

import "net/url"

// Secrets are the passwords of the configuration, in every form a driver
// or URL may print them, for scrubbers of pcmig's output (package secret).
func (c Config) Secrets() []string { return c.secrets() }

// UserInfoCut reports a sqlserver:// DSN whose password (or user name)
// holds a /, ? or # not percent-encoded, so that what parses as its host,
// instance or query is really its user information (userInfoCut): a DSN
// never to be named by its parts. Describe hides such a DSN whole.
func UserInfoCut(dsn string) bool {
	u, err := url.Parse(dsn)
	return err == nil && userInfoCut(u)
}
