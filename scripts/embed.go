// Package scripts holds the Lua scripts bundled with pcmig: the documented
// migration procedure (migrate.lua) and the several-pools variant
// (multipool.lua), and the Lua modules they share (common/*.lua, which a
// script loads with require("common.NAME")). Administrators print them with
// "pcmig scripts show NAME" and copy them to adapt to their estate.
package scripts

import (
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed *.lua common/*.lua
var files embed.FS

// FS is the bundled scripts; scripts may require each other by name.
func FS() fs.FS { return files }

// Default is the script "pcmig run" runs when given none.
const Default = "migrate.lua"

// Names lists the bundled scripts.
func Names() []string { return list(".") }

// Modules lists the bundled Lua modules the scripts share, by their paths
// ("common/imported.lua", which require("common.imported") loads).
func Modules() []string { return list("common") }

// list names the .lua files of a folder of the bundle, by their paths.
func list(dir string) []string {
	entries, _ := fs.ReadDir(files, dir)
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".lua") {
			out = append(out, path.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out
}

// Read returns a bundled script or module by name or path, with or
// without ".lua" ("migrate", "common/imported.lua").
func Read(name string) ([]byte, bool) {
	if !strings.HasSuffix(name, ".lua") {
		name += ".lua"
	}
	b, err := fs.ReadFile(files, name)
	return b, err == nil
}
