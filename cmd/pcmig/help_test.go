package main

import (
	"io"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// commandPaths lists every command and subcommand as typed after "pcmig".
func commandPaths() [][]string {
	var out [][]string
	var walk func(prefix []string, cmds []*cli.Command)
	walk = func(prefix []string, cmds []*cli.Command) {
		for _, c := range cmds {
			path := append(append([]string(nil), prefix...), c.Name)
			out = append(out, path)
			walk(path, c.Subcommands)
		}
	}
	walk(nil, newApp(env{stdout: io.Discard, stderr: io.Discard}).Commands)
	return out
}

func TestHelpOnEveryCommand(t *testing.T) {
	paths := commandPaths()
	if len(paths) < 13 {
		t.Fatalf("found %d commands, want at least the 13 of the README: %v", len(paths), paths)
	}
	for _, path := range paths {
		name := strings.Join(path, " ")
		for _, flag := range []string{"--help", "-h"} {
			t.Run(name+" "+flag, func(t *testing.T) {
				stdout, stderr := mustRun(t, 0, append(path, flag)...)
				mustContain(t, "help", stdout, "pcmig "+name+" - ", "USAGE:")
				if stderr != "" {
					t.Errorf("stderr: %q, want nothing", stderr)
				}
			})
		}
	}
}

func TestHelpOfTheProgram(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {}, {"help"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			stdout, _ := mustRun(t, 0, args...)
			mustContain(t, "help", stdout, "pcmig - migrate Skype for Business Server Persistent Chat pools", "COMMANDS:")
			for _, path := range commandPaths() {
				if len(path) == 1 {
					mustContain(t, "help", stdout, "   "+path[0]+" ")
				}
			}
		})
	}
	stdout, _ := mustRun(t, 0, "help", "import")
	mustContain(t, "pcmig help import", stdout, "pcmig import - ")
}

func TestVersion(t *testing.T) {
	for _, flag := range []string{"--version", "-v"} {
		stdout, _ := mustRun(t, 0, flag)
		if want := "pcmig version " + toolVersion() + "\n"; stdout != want {
			t.Errorf("pcmig %s = %q, want %q", flag, stdout, want)
		}
	}
}

// The version comes from the build information: module version, commit,
// and whether the tree was modified.
func TestVersionFromBuildInfo(t *testing.T) {
	info := func(v string, settings ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/pcmig/pcmig", Version: v}}
		for i := 0; i+1 < len(settings); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return bi
	}
	for _, tc := range []struct {
		set  string
		info *debug.BuildInfo
		want string
	}{
		{"v9.9.9", info("(devel)"), "v9.9.9"},
		{"", info("v1.2.3"), "v1.2.3"},
		{"", info("(devel)", "vcs.revision", "0123456789abcdef0123", "vcs.modified", "false"), "(devel) (commit 0123456789ab)"},
		{"", info("(devel)", "vcs.revision", "0123456789abcdef0123", "vcs.modified", "true"), "(devel) (commit 0123456789ab, modified)"},
		{"", info("v0.0.0-20260101000000-0123456789ab", "vcs.revision", "0123456789abcdef0123"), "v0.0.0-20260101000000-0123456789ab"},
		{"", info("v0.0.0-20260101000000-0123456789ab+dirty", "vcs.revision", "0123456789abcdef0123", "vcs.modified", "true"), "v0.0.0-20260101000000-0123456789ab+dirty"},
		{"", nil, "unknown"},
	} {
		if got := versionFrom(tc.set, tc.info, tc.info != nil); got != tc.want {
			t.Errorf("versionFrom(%q, %+v) = %q, want %q", tc.set, tc.info, got, tc.want)
		}
	}
	if v := toolVersion(); v == "0.1.0" || v == "" {
		t.Errorf("toolVersion() = %q: not from the build information", v)
	}
}

// TestUsageMistakes checks that every mistake in a command line exits 64
// (as documented in the README) with one line naming the mistake.
func TestUsageMistakes(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"nosuch"}, `unknown command "nosuch": see pcmig --help`},
		{[]string{"help", "nosuch"}, `unknown command "nosuch"`},
		{[]string{"lab", "nosuch"}, `unknown command "nosuch": see pcmig lab --help`},
		{[]string{"topology", "nosuch"}, `unknown command "nosuch": see pcmig topology --help`},
		{[]string{"scripts", "nosuch"}, `unknown command "nosuch": see pcmig scripts --help`},
		{[]string{"--nosuch"}, "flag provided but not defined: -nosuch"},
		{[]string{"run", "--nosuch"}, "flag provided but not defined: -nosuch (see pcmig run --help)"},
		{[]string{"lab", "init", "--nosuch", "x"}, "(see pcmig lab init --help)"},
		{[]string{"export", "--db", "sqlite:x.db"}, "export needs --file"},
		{[]string{"import", "--db", "sqlite:x.db"}, "import needs --file"},
		{[]string{"topology", "show"}, "topology show needs --file"},
		{[]string{"export", "--file", "x.zip"}, "give the database with --db"},
		{[]string{"inventory"}, "give the database with --db"},
		{[]string{"inventory", "--db", "nosuch:x"}, `unrecognised database (scheme "nosuch"; the rest is not shown`},
		{[]string{"export", "--db", "nosuch:x", "--file", "x.zip"}, `unrecognised database (scheme "nosuch"; the rest is not shown`},
		{[]string{"import", "--db", "nosuch:x", "--file", "x.zip"}, `unrecognised database (scheme "nosuch"; the rest is not shown`},
		{[]string{"export", "--db", "sqlite:x.db", "--file", "x.zip", "--level", "Everything"}, "Everything"},
		{[]string{"export", "--db", "sqlite:x.db", "--file", "x.zip", "--since", "yesterday"}, `date "yesterday"`},
		{[]string{"lab", "init"}, "lab init takes the estate folder"},
		{[]string{"lab", "init", "a", "b"}, `lab init takes one argument (DIR), got 2: "b" is one too many`},
		{[]string{"inspect"}, "inspect takes one archive"},
		{[]string{"validate"}, "validate takes one script"},
		{[]string{"scripts", "show"}, "scripts show takes one script name"},
		{[]string{"run", "a.lua", "b.lua"}, `run takes at most one argument ([SCRIPT]), got 2: "b.lua" is one too many`},
		{[]string{"run", "--log-level", "loud"}, `unknown log level "loud"`},
		{[]string{"inspect", "a.zip", "--nosuch"}, "flag provided but not defined: -nosuch (see pcmig inspect --help)"},
		{[]string{"lab", "init", "DIR", "--messages"}, "option --messages needs a value (see pcmig lab init --help)"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			stdout, stderr, code := runCmd(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d (usage)\nstdout:\n%s\nstderr:\n%s", code, exitUsage, stdout, stderr)
			}
			mustContain(t, "stderr", stderr, tt.want)
			if !strings.HasPrefix(stderr, "pcmig: ") || strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr = %q, want one line starting with \"pcmig: \"", stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}
