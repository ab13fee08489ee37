package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestScriptsStayInTheirFolders: a script may read and write files only in
// the estate's folder, the folders the estate names and those given with
// --allow-path; a link inside the estate that leads out is outside. Errors
// never carry the content of a file that is not what was expected, and
// inputs that never end are refused at a size limit.
func TestScriptsStayInTheirFolders(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" {
		t.Skip("uses /proc and /dev")
	}
	est := labEstate(t, "--messages", "200")
	estFile := filepath.Join(est, "estate.lua")
	outside := t.TempDir()
	secretFile := filepath.Join(outside, "secret.txt")
	writeFile(t, secretFile, "PCMIG_DB_PASSWORD=TopS3cretValue\nroot:x:0:0\n")
	if err := os.Symlink(secretFile, filepath.Join(est, "innocent.csv")); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(est, "reach.lua")
	writeFile(t, script, `
local user, topology, export = require("user"), require("topology"), require("export")
local function try(what, f, ...)
  local ok, err = pcall(f, ...)
  print(what .. ": " .. (ok and "OPENED" or (type(err) == "userdata" and (err.kind .. ": " .. err.message) or tostring(err))))
end
step("reach out", function()
  try("environ", user.load, "/proc/self/environ")
  try("outside", user.load, "`+secretFile+`")
  try("link", user.load, "innocent.csv")
  try("zero", topology.load, "/dev/zero")
  try("export", export.run, "source", { file = "`+filepath.Join(outside, "x.zip")+`" })
  try("inside", user.load, "users.csv")
end)
`)
	stdout, stderr, code := runCmdEnv(t, map[string]string{"PCMIG_DB_PASSWORD": "Other"}, "run", script, "--estate", estFile)
	if code != 0 {
		t.Fatalf("run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, what := range []string{"environ", "outside", "link", "zero", "export"} {
		mustContain(t, "stdout", stdout, what+": io: ")
	}
	mustContain(t, "stdout", stdout, "inside: OPENED", "outside the folders this run may use", "--allow-path")
	if _, err := os.Stat(filepath.Join(outside, "x.zip")); err == nil {
		t.Error("the export wrote outside the estate")
	}

	// Allowed: the files are read, and errors about what they hold say what
	// was expected, never what is there.
	stdout, stderr, code = runCmd(t, "run", script, "--estate", estFile, "--fresh", "--allow-path", outside, "--allow-path", "/proc/self", "--allow-path", "/dev")
	if code != 0 {
		t.Fatalf("run --allow-path: exit %d\n%s\n%s", code, stdout, stderr)
	}
	mustContain(t, "stdout", stdout, "zero: io: ", "not a regular file", "outside: validation: ", "link: validation: ")
	for _, leak := range []string{"TopS3cretValue", "root:x", "PCMIG_DB_PASSWORD="} {
		if strings.Contains(stdout+stderr, leak) {
			t.Errorf("the output quotes the file (%q):\n%s\n%s", leak, stdout, stderr)
		}
	}
	for _, name := range []string{filepath.Join(".pcmig", "run-journal.json")} {
		if b := string(readFile(t, filepath.Join(est, name))); strings.Contains(b, "TopS3cretValue") {
			t.Errorf("%s quotes the file", name)
		}
	}
}

// TestInputsThatNeverEnd: devices, files that never end and files over
// the limits are refused at once with a clear error, for the estate, a
// script and a topology document.
func TestInputsThatNeverEnd(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" {
		t.Skip("uses /dev/zero")
	}
	big := filepath.Join(t.TempDir(), "big.lua")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(100 << 20); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"validate", "/dev/zero"}, "not a regular file"},
		{[]string{"validate", big}, "too large"},
		{[]string{"run", "--estate", "/dev/zero", "--dry-run"}, "not a regular file"},
		{[]string{"run", "--estate", big, "--dry-run"}, "too large"},
		{[]string{"topology", "show", "--file", "/dev/zero"}, "not a regular file"},
		{[]string{"topology", "show", "--file", big}, "too large"},
	} {
		_, stderr, code := runCmd(t, tt.args...)
		if code == 0 {
			t.Errorf("pcmig %v: exit 0", tt.args)
		}
		mustContain(t, strings.Join(tt.args, " "), stderr, tt.want)
	}
}

// TestEstateSyntaxErrorsQuoteNothing: an estate path that names another
// file gets a line number, not the file's text.
func TestEstateSyntaxErrorsQuoteNothing(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "env")
	writeFile(t, path, "HOME=\"/root\"\nPCMIG_DB_PASSWORD=\"x\" \"TopS3cretValue\"\n")
	_, stderr, code := runCmd(t, "run", "--estate", path, "--dry-run")
	if code != exitError {
		t.Errorf("exit %d", code)
	}
	mustContain(t, "stderr", stderr, "estate "+path+":")
	if strings.Contains(stderr, "TopS3cretValue") || strings.Contains(stderr, "/root") {
		t.Errorf("the error quotes the file: %s", stderr)
	}
}
