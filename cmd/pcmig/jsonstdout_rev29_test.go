package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestJSONOutputStaysJSONWhateverThePassword: pcmig masks the passwords it
// knows in everything it prints, by value; with a password that is also a
// JSON literal or number ("true", a lab login's), inventory --json printed
// "invitations": xxxxx, which no program reads. A JSON object or array
// printed whole is now masked in its string values only. Failed before:
// the output was not JSON.
func TestJSONOutputStaysJSONWhateverThePassword(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(labEstate(t, "--messages", "20"), "source-2015.db")
	for _, pw := range []string{"true", "false"} {
		stdout, stderr, code := runCmdEnv(t, map[string]string{"PCMIG_DB_PASSWORD": pw}, "inventory", "--db", db, "--json")
		if code != 0 {
			t.Fatalf("inventory --json failed:\n%s%s", stdout, stderr)
		}
		if !json.Valid([]byte(stdout)) {
			t.Errorf("password %q: inventory --json printed what is not JSON:\n%s", pw, stdout)
		}
		if !strings.Contains(stdout, pw) {
			t.Errorf("password %q: the inventory holds no %s (the test shows nothing):\n%s", pw, pw, stdout)
		}
	}
}
