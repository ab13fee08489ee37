// Package scripts holds the Lua scripts bundled with pcmig: the documented
// migration procedure (migrate.lua) and the several-pools variant
// (multipool.lua). Administrators print them with "pcmig scripts show NAME"
// and copy them to adapt to their estate.
package scripts

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

//go:embed *.lua
var files embed.FS

// FS is the bundled scripts; scripts may require each other by name.
func FS() fs.FS { return files }

// Default is the script "pcmig run" runs when given none.
const Default = "migrate.lua"

// Names lists the bundled scripts.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// Read returns a bundled script by name, with or without ".lua".
func Read(name string) ([]byte, bool) {
	if !strings.HasSuffix(name, ".lua") {
		name += ".lua"
	}
	b, err := fs.ReadFile(files, name)
	return b, err == nil
}
