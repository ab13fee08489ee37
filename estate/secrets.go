package estate

import "github.com/pcmig/pcmig/store"

// Secrets are the passwords the estate's databases use: the values of
// their password_env variables and the passwords written into their DSNs,
// for the scrubber of pcmig's output (package secret).
func (e *Estate) Secrets(getenv func(string) string) []string {
	var out []string
	for _, p := range e.pools() {
		if p.DB.PasswordEnv != "" && getenv != nil {
			out = append(out, getenv(p.DB.PasswordEnv))
		}
		if p.DB.DSN != "" {
			out = append(out, store.Config{DSN: p.DB.DSN}.Secrets()...)
		}
	}
	return out
}
