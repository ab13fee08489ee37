package store

// Secrets are the passwords of the configuration, in every form a driver
// or URL may print them, for scrubbers of pcmig's output (package secret).
func (c Config) Secrets() []string { return c.secrets() }
