package main

import (
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/fsguard"
)

// TestCarrySettingsRefusesHugeFile runs pool.carry_settings on a lab
// estate whose pool-settings.json is one byte over the limit (a sparse
// file): the run fails naming the file and the limit, and nothing in the
// estate changes. pool-settings.json was read whole, however large.
func TestCarrySettingsRefusesHugeFile(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "50")
	settings := filepath.Join(est, "pool-settings.json")
	if err := os.Truncate(settings, fsguard.MaxPoolSettings+1); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(t.TempDir(), "carry.lua")
	writeFile(t, script, "local pool = require(\"pool\")\nstep(\"carry\", function() pool.carry_settings(\"source\", \"target\") end)\n")
	before := hashTree(t, est, ".pcmig")
	_, stderr, code := runCmd(t, "run", script, "--estate", filepath.Join(est, "estate.lua"))
	if code != exitError {
		t.Errorf("exit %d, want %d\nstderr: %s", code, exitError, stderr)
	}
	mustContain(t, "stderr", stderr, settings, "file too large", "at most "+strconv.Itoa(fsguard.MaxPoolSettings))
	if strings.Contains(stderr, "JSON") {
		t.Errorf("the file was parsed:\n%s", stderr)
	}
	if after := hashTree(t, est, ".pcmig"); !maps.Equal(before, after) {
		t.Errorf("the estate changed:\nbefore %v\nafter  %v", before, after)
	}
}

// TestPoolSettingsCheckedBeforeStep1: a pool-settings.json over the
// 16 MiB bound, or not JSON, was found only by step 5 "carry the pool's
// own settings over", after steps 1-4 had written. The doctor's pre-flight
// now reads it: pcmig run stops before step 1 naming the file and what is
// wrong (never its content), both databases unchanged and no archive; and
// pcmig doctor --estate FAILs its "pool settings" line.
func TestPoolSettingsCheckedBeforeStep1(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		spoil func(path string) error
		want  []string
	}{
		{"oversize", func(p string) error { return os.Truncate(p, fsguard.MaxPoolSettings+1) },
			[]string{"file too large", "at most " + strconv.Itoa(fsguard.MaxPoolSettings)}},
		{"invalid JSON", func(p string) error {
			return os.WriteFile(p, []byte("{\"persistent_chat_configuration\": [SECRETVALUE-7f3a]}\n"), 0o644)
		}, []string{"not the JSON pcmig writes", "line 1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := labEstate(t, "--messages", "50")
			estFile := filepath.Join(dir, "estate.lua")
			settings := filepath.Join(dir, "pool-settings.json")
			if err := tc.spoil(settings); err != nil {
				t.Fatal(err)
			}
			before := hashTree(t, dir, ".pcmig")
			stdout, stderr, code := runCmd(t, "run", "--estate", estFile)
			if code == 0 || strings.Contains(stdout, "Step 1") {
				t.Errorf("pcmig run: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			mustContain(t, "stderr", stderr, append([]string{"FAIL pool settings: ", settings}, tc.want...)...)
			if strings.Contains(stdout+stderr, "SECRETVALUE") {
				t.Errorf("the file's content is in the output:\n%s\n%s", stdout, stderr)
			}
			if _, err := os.Stat(filepath.Join(dir, "archive")); !os.IsNotExist(err) {
				t.Errorf("pcmig run wrote the archive folder (%v)", err)
			}
			if after := hashTree(t, dir, ".pcmig"); !maps.Equal(before, after) {
				t.Errorf("pcmig run changed the estate:\nbefore %v\nafter  %v", before, after)
			}
			stdout, _ = mustRun(t, exitError, "doctor", "--estate", estFile)
			mustContain(t, "doctor output", stdout, "FAIL  pool settings   ", settings)
		})
	}
}

// TestPoolSettingsUTF16: PowerShell 5.1's ConvertTo-Json > pool-settings.json
// writes UTF-16 LE with a byte order mark, which pcmig read as JSON bytes
// and refused at step 5. It is now decoded as estate files are: the doctor
// passes it, the run carries the settings and is EQUAL, and the rewritten
// file keeps its encoding.
func TestPoolSettingsUTF16(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "50")
	estFile := filepath.Join(dir, "estate.lua")
	settings := filepath.Join(dir, "pool-settings.json")
	utf8 := readFile(t, settings)
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range strings.ReplaceAll(string(utf8), "\n", "\r\n") {
		utf16 = append(utf16, byte(r), byte(r>>8)) // the lab's file is ASCII
	}
	if err := os.WriteFile(settings, utf16, 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _ := mustRun(t, 0, "doctor", "--estate", estFile)
	mustContain(t, "doctor output", stdout, "OK    pool settings   pool settings file "+settings+" can be read (UTF-16LE with BOM)")
	stdout, stderr, code := runCmd(t, "run", "--estate", estFile)
	if code != 0 {
		t.Fatalf("pcmig run: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	mustContain(t, "run output", stdout, "endpoint ", ": moved (from pchat15.contoso.com to pchat19.contoso.com", "EQUAL: ")
	after := readFile(t, settings)
	if len(after) < 2 || after[0] != 0xFF || after[1] != 0xFE || len(after)%2 != 0 {
		t.Fatalf("the rewritten file is no longer UTF-16 LE with a BOM: % x", after[:min(len(after), 8)])
	}
	if !strings.Contains(string(after), "p\x00c\x00h\x00a\x00t\x001\x009\x00") {
		t.Errorf("the rewritten file does not name the new pool")
	}
}
