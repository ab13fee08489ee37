package main

import (
	"path/filepath"
	"testing"
)

// TestScriptsFindAPoolByFQDNWithItsTrailingDot: lua-api.md lets a script
// name a pool by its FQDN, and estate.md compares pool FQDNs "without case
// or a trailing dot" (two pools differing only by the dot are refused as
// one). A script naming the pool "pchat15.contoso.com." (the absolute form
// DNS tools print) got not_found; it now finds the pool, as the estate
// compares them.
func TestScriptsFindAPoolByFQDNWithItsTrailingDot(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "100")
	script := filepath.Join(est, "dot.lua")
	writeFile(t, script, `local category = require("category")
print("source " .. #category.list("PCHAT15.contoso.com."))
print("target " .. #category.list("pchat19.contoso.com."))
`)
	out, _ := mustRun(t, 0, "run", script, "--estate", filepath.Join(est, "estate.lua"))
	mustContain(t, "categories found by FQDN", out, "source 6\n", "target 0\n")
}
