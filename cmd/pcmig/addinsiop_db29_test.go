package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// TestVerifyAddinWhoseSiopIDTheTargetHolds: the import creates an add-in
// the target lacks by name under the source's siopID, or under a new one
// when the target already uses that siopID for another add-in (it frees
// GUIDs the target holds). Verify looked the source's add-in up by siopID
// only, so a target that shared an add-in GUID with the source (a pool
// restored from the source's backup, its add-in since renamed) failed the
// reconciliation with "named ... in the target" and "URL ... in the
// target" for an add-in that did arrive, under its new siopID. Now it is
// found by name; a target without it is still a difference.
func TestVerifyAddinWhoseSiopIDTheTargetHolds(t *testing.T) {
	dir := t.TempDir()
	const poll = `'A3A3A3A3-0000-4000-8000-000000000003'`
	src := handSQLPool(t, dir, "source",
		handSQLUser(10, "sip:a@contoso.com"),
		handSQLNode(100, 1, true, "Cat"),
		`UPDATE tblNode SET invite = 0, logged = 1, filePost = 0 WHERE nodeID = 100`,
		`INSERT INTO tblSiopWhiteList VALUES (`+poll+`, 'Poll', 'https://poll.contoso.com/')`)
	tgt := handSQLPool(t, dir, "target",
		`UPDATE tblNode SET nodeGuid = 'CCCCCCCC-0000-4000-8000-000000000001' WHERE nodeID = 1`,
		`INSERT INTO tblSiopWhiteList VALUES (`+poll+`, 'Survey', 'https://survey.contoso.com/')`)
	archive := filepath.Join(dir, "a.zip")
	mustRun(t, 0, "export", "--db", src, "--file", archive)
	stdout, stderr := mustRun(t, 0, "import", "--db", tgt, "--file", archive)
	mustContain(t, "import", stdout+stderr, "1 new add-in")
	for _, args := range [][]string{{"--archive", archive}, nil} {
		stdout, stderr = mustRun(t, 0, append([]string{"verify", "--source", src, "--target", tgt}, args...)...)
		mustContain(t, "verify", stdout+stderr, "EQUAL")
	}

	// The add-in removed from the target: a difference.
	labtest.ExecSQLite(t, strings.TrimPrefix(tgt, "sqlite:"), `DELETE FROM tblSiopWhiteList WHERE siopName = 'Poll'`)
	stdout, _ = mustRun(t, 3, "verify", "--source", src, "--target", tgt)
	mustContain(t, "verify", stdout, `add-in Poll: named "Survey" in the target`)
}
