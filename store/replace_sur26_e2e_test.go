package store_test

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/lab"
)

// unpairedEdits puts a surrogate without its pair in two messages'
// content, a category's description and a poster's display name (as
// WTF-8, which the stand-in reads as nvarchar's lone UTF-16 code unit).
const unpairedEdits = `
UPDATE tblChat SET content = CAST(X'6869EDA0BD21' AS TEXT) WHERE (channelId, chatId) = (SELECT channelId, chatId FROM tblChat ORDER BY channelId, chatId LIMIT 1 OFFSET 3);
UPDATE tblChat SET content = CAST(X'EDB880207820' AS TEXT) WHERE (channelId, chatId) = (SELECT channelId, chatId FROM tblChat ORDER BY channelId, chatId LIMIT 1 OFFSET 40);
UPDATE tblNode SET nodeDesc = CAST(X'6869EDA0BD21' AS TEXT) WHERE nodeID = (SELECT nodeID FROM tblNode WHERE nodeType = 0 ORDER BY nodeID LIMIT 1);
UPDATE tblPrincipal SET prinDisplayName = CAST(X'EDB88041' AS TEXT) WHERE prinID = (SELECT userId FROM tblChat ORDER BY channelId, chatId LIMIT 1);`

// TestSQLServerExportReplacesUnpairedSurrogatesWhenAsked: a SQL Server
// source holding lone surrogates (a client cut a message or description
// mid-emoji) could not be exported at all: the export refused it, and
// the only way on was hand-editing the production rows. Now
// ReplaceUnpairedSurrogates exports them with U+FFFD, names each in a
// warning of its own kind, and the manifest counts them; without it the
// refusal stays and names the option. Failed before: the export refused
// with the option set (there was none), and the refusal named no option.
func TestSQLServerExportReplacesUnpairedSurrogatesWhenAsked(t *testing.T) {
	s, dir := unpairedLab(t, unpairedEdits)
	db := filepath.Join(dir, "source-2015.db")
	out := filepath.Join(t.TempDir(), "out")

	_, err := exporter.Export(t.Context(), s, filepath.Join(out, "refused.pcmig"), exporter.Options{})
	if err == nil || !strings.Contains(err.Error(), "--replace-unpaired-surrogates") || !strings.Contains(err.Error(), "pcmig doctor --role source") {
		t.Fatalf("without the option the refusal should name it and the doctor: %v", err)
	}

	path := filepath.Join(out, "pool.pcmig")
	res, err := exporter.Export(t.Context(), s, path, exporter.Options{ReplaceUnpairedSurrogates: true})
	if err != nil {
		t.Fatalf("with the option: %v", err)
	}
	want := archive.Replaced{Messages: 2, Structure: 2}
	if res.Replaced == nil || *res.Replaced != want {
		t.Errorf("result counts %+v, want %+v", res.Replaced, want)
	}
	var named []string
	kinds := res.WarningKinds()
	for i, w := range res.Warnings {
		if i < len(kinds) && kinds[i] == exporter.KindReplacedSurrogate {
			named = append(named, w)
		}
	}
	var wantNamed []string
	for _, off := range []string{"3", "40"} {
		row := labtest.QuerySQLite(t, db, `SELECT c.channelId, c.chatId, n.nodeName FROM tblChat c JOIN tblNode n ON n.nodeID = c.channelId ORDER BY c.channelId, c.chatId LIMIT 1 OFFSET `+off)[0]
		wantNamed = append(wantNamed, `room "`+row[2]+`" (nodeID `+row[0]+`), message `+row[1]+`: content exported with U+FFFD`)
	}
	wantNamed = append(wantNamed,
		"tblNode nodeID "+labtest.QuerySQLite(t, db, `SELECT nodeID FROM tblNode WHERE nodeType = 0 ORDER BY nodeID LIMIT 1`)[0][0]+": nodeDesc exported with U+FFFD",
		"tblPrincipal prinID "+labtest.QuerySQLite(t, db, `SELECT userId FROM tblChat ORDER BY channelId, chatId LIMIT 1`)[0][0]+": prinDisplayName exported with U+FFFD")
	if len(named) != 4 {
		t.Errorf("want 4 warnings naming the replaced values, got %d:\n%s", len(named), strings.Join(res.Warnings, "\n"))
	}
	for _, w := range wantNamed {
		if !strings.Contains(strings.Join(named, "\n"), w) {
			t.Errorf("no warning says %q:\n%s", w, strings.Join(named, "\n"))
		}
	}
	r, err := archive.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := r.Manifest().Replaced; got == nil || *got != want {
		t.Errorf("manifest records %+v, want %+v", got, want)
	}
	fffd := 0
	if err := r.Messages(func(m archive.Message) error {
		if strings.Contains(m.Content, "\uFFFD") {
			fffd++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if fffd != 2 {
		t.Errorf("%d archived messages hold U+FFFD, want 2", fffd)
	}

	// A clean pool's archive has no such key (older readers take it).
	clean, _ := unpairedLab(t, "")
	cpath := filepath.Join(t.TempDir(), "clean.pcmig")
	cres, err := exporter.Export(t.Context(), clean, cpath, exporter.Options{ReplaceUnpairedSurrogates: true})
	if err != nil {
		t.Fatal(err)
	}
	if cres.Replaced != nil || cres.Manifest.Replaced != nil {
		t.Errorf("a clean pool records replacements: %+v %+v", cres.Replaced, cres.Manifest.Replaced)
	}
	if b, err := archiveManifestText(t, cpath); err != nil || strings.Contains(b, "replaced_unpaired_surrogates") {
		t.Errorf("a clean pool's manifest names the key (%v):\n%s", err, b)
	}
}

// TestBundledMigrateReplacesUnpairedSurrogatesWhenAsked: the bundled
// migrate.lua with the estate's export.replace_unpaired_surrogates goes
// past the doctor (a WARN text line) and the export step, the console
// showing the first few replaced messages and one summary with the count,
// and the verification notes the replacement beside its EQUAL; without
// it the run still stops, naming the option. Failed before: the estate
// refused the key, and no refusal named an option.
func TestBundledMigrateReplacesUnpairedSurrogatesWhenAsked(t *testing.T) {
	// Eight messages, more than a run's console shows of a kind. (The
	// structure's text: TestBundledMigrateDryRunNamesReplacedStructure.)
	dir, shims := sqlServerLab(t, func(source, _ string) {
		labtest.ExecSQLite(t, source, `UPDATE tblChat SET content = CAST(X'6869EDA0BD21' AS TEXT) WHERE (channelId, chatId) IN (SELECT channelId, chatId FROM tblChat ORDER BY channelId, chatId LIMIT 8 OFFSET 5)`)
	})
	file := filepath.Join(dir, lab.EstateFile)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, out, err := dryRunMigrate(t, dir, shims); err == nil || !strings.Contains(out+err.Error(), "--replace-unpaired-surrogates") {
		t.Fatalf("without the option the run should stop at the export, naming it: %v\n%s", err, out)
	}
	text := strings.Replace(string(b), "replace_unpaired_surrogates = false", "replace_unpaired_surrogates = true", 1)
	if text == string(b) {
		t.Fatalf("the lab estate has no replace_unpaired_surrogates = false:\n%s", b)
	}
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, err := dryRunMigrate(t, dir, shims)
	if err != nil {
		t.Fatalf("with the option: %v\n%s", err, out)
	}
	for _, w := range []string{"... 8 values exported with U+FFFD in place of a UTF-16 surrogate without its pair", "in all (5 more not shown)",
		"carries 8 messages and 0 structure values with U+FFFD in place of a UTF-16 surrogate without its pair", "EQUAL"} {
		if !strings.Contains(out, w) {
			t.Errorf("the run does not say %q:\n%s", w, out)
		}
	}
	if n := strings.Count(out, ": content exported with U+FFFD"); n != 3 {
		t.Errorf("the console names %d of the messages, want the first 3 and a summary:\n%s", n, out)
	}
}

func archiveManifestText(t *testing.T, path string) (string, error) {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		return "", err
	}
	defer z.Close()
	f, err := z.Open(archive.ManifestName)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	return string(b), err
}
