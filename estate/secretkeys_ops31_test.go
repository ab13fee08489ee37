package estate

import "testing"

// TestSecretKey: the keys that look like a secret's, in any letter case
// and spelling (snake, camel, run together), and those that do not: a
// key ending in _env names a variable.
func TestSecretKey(t *testing.T) {
	for _, k := range []string{"password", "Password", "PASSWD", "pwd", "pass", "db_password", "dbPassword", "dbpassword",
		"client_secret", "clientSecret", "secret", "SECRET_KEY", "token", "accessToken", "auth-token", "api_key", "apiKey",
		"apikey", "private_key", "credentials", "passphrase", "password_env_old"} {
		if !secretKey(k) {
			t.Errorf("secretKey(%q) = false, want true", k)
		}
	}
	for _, k := range []string{"password_env", "db_password_env", "clientSecret_env", "API_KEY_ENV", "window", "notify",
		"passthrough", "compass", "keyboard", "key", "user", "server_certificate", "krb5_ccache", "host_in_certificate"} {
		if secretKey(k) {
			t.Errorf("secretKey(%q) = true, want false", k)
		}
	}
	for k, want := range map[string]bool{"password_env": true, "api_key_env": true, "Token_Env": true, "region_env": false, "_env": false, "password": false} {
		if got := secretEnvKey(k); got != want {
			t.Errorf("secretEnvKey(%q) = %v, want %v", k, got, want)
		}
	}
}
