package main

import (
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestPoolSettingsKeysChecked: a lab's pool-settings.json with a misspelt
// key ("default_chat_histroy"), the key spelt as the cmdlets' objects
// spell it ("DefaultChatHistory", what Get-CsPersistentChatConfiguration |
// ConvertTo-Json writes), a misspelt section ("persistent_chat_endpoint")
// or a setting left out was read without a word: the setting became 0 (or
// the endpoints none) and step 5 carried that to the new pool, and the
// rewritten file dropped the unknown key. Before the fix each run went
// through to EQUAL. Now the pre-flight refuses it before step 1, naming the
// file, the line, the place and (for a near miss) the key meant, never the
// file's values; nothing is written.
func TestPoolSettingsKeysChecked(t *testing.T) {
	t.Parallel()
	const planted = "SECRETVALUE-dir26"
	orig := string(readFile(t, filepath.Join(labEstate(t, "--messages", "50"), "pool-settings.json")))
	if !strings.Contains(orig, `"default_chat_history": 50`) || !strings.Contains(orig, `"persistent_chat_endpoints"`) {
		t.Fatalf("the lab's pool-settings.json is not as this test expects:\n%s", orig)
	}
	lineOf := func(s, sub string, back int) string {
		i := strings.Index(s, sub)
		if back > 0 { // an entry: its line, no column
			return "line " + strconv.Itoa(strings.Count(s[:i], "\n")+1-back) + ":"
		}
		return "line " + strconv.Itoa(strings.Count(s[:i], "\n")+1) + ","
	}
	for _, tc := range []struct {
		name, old, new string
		want           []string
	}{
		{"misspelt key", `"default_chat_history": 50`, `"default_chat_histroy": 50`,
			[]string{"persistent_chat_configuration: a key pcmig does not write (did you mean default_chat_history?)"}},
		{"cmdlet spelling", `"default_chat_history": 50`, `"DefaultChatHistory": 50`,
			[]string{"persistent_chat_configuration: a key pcmig does not write (did you mean default_chat_history?)"}},
		{"misspelt section", `"persistent_chat_endpoints"`, `"persistent_chat_endpoint"`,
			[]string{"a key pcmig does not write (did you mean persistent_chat_endpoints?)"}},
		{"setting left out", `"default_chat_history": 50,`, ``,
			[]string{"persistent_chat_configuration[2]: no default_chat_history"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := labEstate(t, "--messages", "50")
			estFile := filepath.Join(dir, "estate.lua")
			settings := filepath.Join(dir, "pool-settings.json")
			content := strings.Replace(orig, tc.old, tc.new, 1)
			content = strings.Replace(content, "https://chatrooms.contoso.com/manage", planted, 1)
			writeFile(t, settings, content)
			before := hashTree(t, dir, ".pcmig")
			stdout, stderr, code := runCmd(t, "run", "--estate", estFile)
			if code == 0 || strings.Contains(stdout, "Step 1") {
				t.Errorf("pcmig run: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			at, back := tc.new, 0
			if at == "" { // the entry's opening brace, the line before its identity
				at, back = `"identity": "service:PersistentChatServer:pchat15`, 1
			}
			mustContain(t, "stderr", stderr, append([]string{"FAIL pool settings: ", settings, lineOf(content, at, back)}, tc.want...)...)
			if strings.Contains(stdout+stderr, planted) {
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
