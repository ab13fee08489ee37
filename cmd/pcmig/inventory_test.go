package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestInventoryFilesNoteSaysWhoCopiesTheFiles: the inventory's note on
// uploaded files tells what the migration does with them (pcmig run's
// step "copy the uploaded files", pool.copy_files): it never tells the
// operator that pcmig does not copy them, nor to copy them by hand.
func TestInventoryFilesNoteSaysWhoCopiesTheFiles(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "200")
	stdout, _ := mustRun(t, 0, "inventory", "--db", "sqlite:"+filepath.Join(est, "source-2015.db"))
	text := strings.Join(strings.Fields(stdout), " ")
	mustContain(t, "inventory", text, "ma-filelink:", "copy the uploaded files", "pool.copy_files", "runbook")
	for _, wrong := range []string{"nor pcmig copies", "by hand"} {
		if strings.Contains(text, wrong) {
			t.Errorf("the files note says %q, contradicting the migration's file-copy step:\n%s", wrong, stdout)
		}
	}
	inv := takeInventory(t, filepath.Join(est, "source-2015.db"))
	if inv.Files.Note != strings.Join(strings.Fields(inv.Files.Note), " ") || !strings.Contains(inv.Files.Note, "pool.copy_files") {
		t.Errorf("JSON files note = %q", inv.Files.Note)
	}
}
