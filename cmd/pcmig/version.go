package main

import (
	"runtime/debug"
	"strings"
)

// version is set by release builds with -ldflags "-X main.version=v1.2.3";
// otherwise the build information says what was built.
var version = ""

// toolVersion is pcmig's version as --version prints it and archives,
// reports and runbooks record it: the -ldflags version, else the module
// version from the build information (v1.2.3 for go install
// github.com/pcmig/pcmig/cmd/pcmig@v1.2.3, "(devel)" in a checkout), with
// the commit and a mark when the tree had uncommitted changes.
func toolVersion() string {
	info, ok := debug.ReadBuildInfo()
	return versionFrom(version, info, ok)
}

func versionFrom(set string, info *debug.BuildInfo, ok bool) string {
	if set != "" {
		return set
	}
	if !ok || info == nil {
		return "unknown"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev string
	var modified bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return v
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	extra := []string{"commit " + rev}
	if modified && !strings.HasSuffix(v, "+dirty") {
		extra = append(extra, "modified")
	}
	// A pseudo-version already names the commit.
	if strings.Contains(v, rev) {
		extra = extra[1:]
	}
	if len(extra) == 0 {
		return v
	}
	return v + " (" + strings.Join(extra, ", ") + ")"
}
