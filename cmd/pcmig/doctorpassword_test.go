package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDoctorEstateEmptyPasswordEnv: a pool whose password_env names an
// unset or empty variable gets one FAIL line naming the variable (never a
// value); the doctor goes on to check the estate's other databases and
// exits 1.
func TestDoctorEstateEmptyPasswordEnv(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	estFile := filepath.Join(est, "estate.lua")
	editEstate(t, estFile, `db = "sqlite:source-2015.db",`,
		`db = { instance = "sql15.contoso.com\\rtc", database = "mgc", user = "pcmig", password_env = "PCMIG_SOURCE_PW" },`)
	for name, vars := range map[string]map[string]string{"unset": nil, "empty": {"PCMIG_SOURCE_PW": ""}} {
		t.Run(name, func(t *testing.T) {
			stdout, stderr, code := runCmdEnv(t, vars, "doctor", "--estate", estFile)
			if code != exitError {
				t.Errorf("exit %d, want %d", code, exitError)
			}
			mustContain(t, "stdout", stdout,
				"source pchat15.contoso.com: ",
				"FAIL  connection",
				"PCMIG_SOURCE_PW",
				"target pchat19.contoso.com: ",
				"OK    schema",
				"OK    heartbeat")
			if strings.Contains(stderr, "PCMIG_SOURCE_PW") && !strings.Contains(stdout, "PCMIG_SOURCE_PW") {
				t.Errorf("the variable is named only as an error:\n%s", stderr)
			}
			if t.Failed() {
				t.Logf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
			}
		})
	}
}
