package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"testing"
)

// snakeKey is a JSON key as pcmig's JSON outputs spell them.
var snakeKey = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// TestJSONOutputsUseSnakeCaseKeys: every JSON output spells its keys in
// snake_case (the archive format, doctor, verify, inventory, inspect, the
// reports, the Lua tables); topology show --json used camelCase
// (siteId, persistentChatPools). Keys of maps keyed by data (inventory's
// rooms by privacy and by type: Open, Normal) are values, not names.
func TestJSONOutputsUseSnakeCaseKeys(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "200")
	est := filepath.Join(dir, "estate.lua")
	mustRun(t, 0, "run", "--estate", est)
	data := map[string]bool{"rooms_by_privacy": true, "rooms_by_type": true}
	for _, args := range [][]string{
		{"topology", "show", "--json", "--file", filepath.Join(dir, "topology.xml")},
		{"topology", "show", "--json", "--file", filepath.Join(topologyTestdata, "handwritten.xml")},
		{"doctor", "--estate", est, "--json"},
		{"verify", "--estate", est, "--json"},
		{"inventory", "--db", "sqlite:" + filepath.Join(dir, "target-2019.db"), "--json"},
		{"inspect", filepath.Join(dir, "archive", "pchat-2015.zip"), "--json"},
	} {
		stdout, _ := mustRun(t, 0, args...)
		var v any
		if err := json.Unmarshal([]byte(stdout), &v); err != nil {
			t.Fatalf("pcmig %v: %v", args, err)
		}
		bad := map[string]bool{}
		var walk func(x any, path string)
		walk = func(x any, path string) {
			switch x := x.(type) {
			case map[string]any:
				for k, v := range x {
					if !snakeKey.MatchString(k) {
						bad[path+"/"+k] = true
					}
					if !data[k] {
						walk(v, path+"/"+k)
					}
				}
			case []any:
				for _, v := range x {
					walk(v, path+"[]")
				}
			}
		}
		walk(v, "")
		if len(bad) > 0 {
			t.Errorf("pcmig %v: keys not in snake_case: %v", args[:2], bad)
		}
	}
}
