package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// stepText is what the step whose title starts with title printed: from
// its "== Step N/M: title" line (migrate.lua; "== Step N: title" in
// multipool.lua) to the next step's.
func stepText(t *testing.T, stdout, title string) string {
	t.Helper()
	loc := regexp.MustCompile(`(?m)^== Step [0-9/]+: ` + regexp.QuoteMeta(title) + `.*$`).FindStringIndex(stdout)
	if loc == nil {
		t.Fatalf("no step %q in:\n%s", title, stdout)
	}
	rest := stdout[loc[1]:]
	if end := strings.Index(rest, "\n== Step "); end >= 0 {
		rest = rest[:end]
	}
	return rest
}

// TestPoolSettingsSayWhatTheyWouldDo: step 5 (multipool.lua's 6) "carry the pool's own
// settings over" printed each change as "create", "move" or "update" in a
// dry run and in a real run alike, where the other steps say "would
// import" and "imported". A dry run (migrate.lua and multipool.lua) now
// says "would create"/"would move"/"would keep", and the real run
// "created"/"moved"/"kept".
func TestPoolSettingsSayWhatTheyWouldDo(t *testing.T) {
	t.Parallel()
	const (
		config   = "configuration service:PersistentChatServer:pchat19.contoso.com: "
		endpoint = "endpoint sip:ocschat@contoso.com: "
	)
	bare := regexp.MustCompile(`: (create|move|update|kept|created|moved|updated) \(`)
	for _, tc := range []struct {
		name   string
		args   func(t *testing.T, dir string) []string
		prefix string
	}{
		{"migrate", func(t *testing.T, dir string) []string { return []string{"--estate", filepath.Join(dir, "estate.lua")} }, ""},
		{"multipool", func(t *testing.T, dir string) []string {
			return []string{"multipool", "--estate", onePoolEstate(t, dir, "lab")}
		}, "emea: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := labEstate(t, "--messages", "50")
			args := append([]string{"run"}, tc.args(t, dir)...)
			stdout, _ := mustRun(t, exitPending, append(args, "--dry-run")...)
			dry := stepText(t, stdout, "carry the pool")
			mustContain(t, "the dry run's step 5", dry,
				tc.prefix+config+"would create (DefaultChatHistory 50",
				tc.prefix+endpoint+"would move (from pchat15.contoso.com to pchat19.contoso.com, SIP address kept)")
			if m := bare.FindString(dry); m != "" {
				t.Errorf("the dry run's step 5 says %q, as if done:\n%s", m, dry)
			}
			stdout, _ = mustRun(t, 0, args...)
			real := stepText(t, stdout, "carry the pool")
			mustContain(t, "the run's step 5", real,
				tc.prefix+config+"created (DefaultChatHistory 50",
				tc.prefix+endpoint+"moved (from pchat15.contoso.com to pchat19.contoso.com, SIP address kept)")
			if strings.Contains(real, "would ") {
				t.Errorf("the real run's step 5 says what it would do:\n%s", real)
			}
		})
	}
}

// TestRealEstateCopySaysItWritesOverNothing: for a real estate, step 3 of
// migrate.lua and multipool.lua said only that the runbook "copies the
// file store with robocopy"; the runbook's copy now writes over no file of
// the new share and stops before it copies on one of other content, and
// the console says so, in a dry run and a real run alike (both describe
// the runbook).
func TestRealEstateCopySaysItWritesOverNothing(t *testing.T) {
	t.Parallel()
	const says = "the runbook copies the file store with robocopy, writing over no file of the new share (one of other content under an old file's name stops it before it copies)"
	for _, tc := range []struct {
		name string
		args func(t *testing.T, dir string) []string
	}{
		{"migrate", func(t *testing.T, dir string) []string {
			est := filepath.Join(dir, "estate.lua")
			writeFile(t, est, strings.Replace(string(readFile(t, est)), `kind = "lab",`, `kind = "real",`, 1))
			return []string{"--estate", est}
		}},
		{"multipool", func(t *testing.T, dir string) []string {
			return []string{"multipool", "--estate", onePoolEstate(t, dir, "real")}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := labEstate(t, "--messages", "50")
			args := append([]string{"run"}, tc.args(t, dir)...)
			stdout, _ := mustRun(t, exitPending, append(args, "--dry-run")...)
			mustContain(t, "the dry run's step 3", stepText(t, stdout, "copy the uploaded files"), says)
			stdout, _ = mustRun(t, 0, args...)
			mustContain(t, "the run's step 3", stepText(t, stdout, "copy the uploaded files"), says)
		})
	}
}
