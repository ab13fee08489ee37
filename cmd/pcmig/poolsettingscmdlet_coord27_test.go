package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestPoolSettingsCmdletOutputSaysWhatToDo: an administrator who saves
// Get-CsPersistentChatConfiguration | ConvertTo-Json as a lab estate's
// pool-settings.json got only "not the JSON pcmig writes: line 1: expected
// an object, found an array", with no word of what the file should be.
// The refusal now says that pool_settings is a lab estate's own format and
// that a real estate gives none (its runbook carries the settings).
func TestPoolSettingsCmdletOutputSaysWhatToDo(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "20")
	writeFile(t, filepath.Join(dir, "pool-settings.json"), `[
    {
        "Identity":  "Global",
        "DefaultChatHistory":  30,
        "MaxFileSizeKB":  20000,
        "ParticipantUpdateLimit":  75
    }
]
`)
	stdout, stderr, code := runCmd(t, "run", "--estate", filepath.Join(dir, "estate.lua"))
	if code == 0 || strings.Contains(stdout, "Step 1") {
		t.Errorf("pcmig run: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	mustContain(t, "stderr", stderr, "not the JSON pcmig writes", "it looks like the cmdlets' own output", "a real estate gives none")
	if strings.Contains(stdout+stderr, "MaxFileSizeKB") {
		t.Errorf("the file's content is in the output:\n%s\n%s", stdout, stderr)
	}
}
