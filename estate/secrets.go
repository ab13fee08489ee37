package estate

import "github.com/pcmig/pcmig/store"

// Secrets are the passwords the estate's databases use: the values of
// their password_env variables and the passwords written into their DSNs,
// and the values of every other variable a secret's key names anywhere in
// the estate (script = { api_token_env = "VAR" }: secretEnvKey), for the
// scrubber of pcmig's output (package secret), so that a secret is masked
// from the start of a run, not only once a script has read it.
func (e *Estate) Secrets(getenv func(string) string) []string {
	var out []string
	if getenv != nil {
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, e := range x {
					if secretEnvKey(k) && isEnvName(e) {
						if val := getenv(e.(string)); val != "" {
							out = append(out, val)
						}
					}
					walk(e)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			}
		}
		walk(e.Raw)
	}
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
