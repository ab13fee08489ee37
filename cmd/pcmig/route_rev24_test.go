package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRoutedCopyPlanNamesTheScope: with export.scope the plan and the
// report's action for the file copy said "copy 14 of the 14 uploaded files
// of pchat15.contoso.com", though pchat15's store holds 55: the 14 are the
// files the scope's rooms link to, and the line now says so.
func TestRoutedCopyPlanNamesTheScope(t *testing.T) {
	t.Parallel()
	dir := routedLab(t)
	stdout, _ := mustRun(t, exitPending, "run", "--estate", filepath.Join(dir, "emea.lua"), "--dry-run")
	var line string
	for _, l := range strings.Split(stdout, "\n") {
		if strings.Contains(l, "pool.copy files") {
			line = l
		}
	}
	mustContain(t, "plan line", line, "uploaded files of pchat15.contoso.com linked from the rooms of Engineering, Sales into the file store of pchat19-emea.contoso.com")
}
