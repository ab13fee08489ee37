package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPasswordMaskedInReportEncodings: pcmig masks the passwords it knows
// in every file it writes "whatever put them there", in the forms text
// takes there; but the HTML report is written by html/template, which
// writes a + as &#43; (html.EscapeString, the scrubber's HTML form, leaves
// it), and the JSON report and plan without escaping <, > and & (the
// scrubber's JSON form escapes them as \u003c...), so a password holding
// a + (HTML) or one of <>& and a " or \ (JSON) was written there in
// clear while the console masked it. Failed before: report.html held
// "Pa&#43;ss1w" and run.json "Ab<c\"d1".
func TestPasswordMaskedInReportEncodings(t *testing.T) {
	t.Parallel()
	for _, pw := range []string{`Pa+ss1w`, `Ab<c"d1`, `Q&r\s+t9`} {
		dir := labEstate(t, "--messages", "20")
		script := filepath.Join(dir, "say.lua")
		// A script that writes the password in a message (as one read from a
		// file in the estate's folder would) and fails with it.
		writeFile(t, script, "print([==["+pw+"]==])\nerror([==[failed with "+pw+"]==])\n")
		html, js := filepath.Join(dir, "run.html"), filepath.Join(dir, "run.json")
		texts := map[string]string{}
		for _, report := range []string{html, js} {
			stdout, stderr, _ := runCmdEnv(t, map[string]string{"PCMIG_DB_PASSWORD": pw},
				"run", script, "--estate", filepath.Join(dir, "estate.lua"), "--dry-run", "--report", report)
			texts["console"] = stdout + stderr
			b, err := os.ReadFile(report)
			if err != nil {
				t.Fatalf("no report %s: %v\n%s", report, err, stdout+stderr)
			}
			texts[filepath.Base(report)] = string(b)
		}
		mustContain(t, "console", texts["console"], "failed with xxxxx")
		mustContain(t, "run.html", texts["run.html"], "failed with xxxxx")
		mustContain(t, "run.json", texts["run.json"], "failed with xxxxx")
		for where, text := range texts {
			for _, part := range []string{"ss1w", "c&#34;d1", `c\"d1`, "c\"d1", `s\\s`, `s\s`, "t9"} {
				if strings.Contains(text, part) {
					t.Errorf("password %q: the %s holds %q:\n%s", pw, where, part, text)
				}
			}
		}
	}
}
