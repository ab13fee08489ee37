package verify_test

import (
	"strings"
	"testing"

	"github.com/pcmig/pcmig/store"
	"github.com/pcmig/pcmig/verify"
)

// caseVariant adds to the target a principal whose URI differs from the
// poster of one message only in the case of its first letter, and makes
// it that message's poster; it returns the two URIs.
func caseVariant(t *testing.T, m *migration) (uri, variant string) {
	t.Helper()
	_, room := busiestRoom(t, m)
	sixth := sqlInt(t, m.target, `SELECT chatId FROM tblChat WHERE channelId = ? ORDER BY chatId LIMIT 1 OFFSET 5`, room)
	poster := sqlInt(t, m.target, `SELECT userId FROM tblChat WHERE channelId = ? AND chatId = ?`, room, sixth)
	uri = sqlString(t, m.target, `SELECT prinUri FROM tblPrincipal WHERE prinID = ?`, poster)
	variant = uri[:4] + strings.ToUpper(uri[4:5]) + uri[5:]
	if variant == uri {
		t.Fatalf("poster %s has no letter to change the case of", uri)
	}
	sqlExec(t, m.target, `CREATE TEMP TABLE p AS SELECT * FROM tblPrincipal WHERE prinID = ?1;
UPDATE p SET prinID = (SELECT MAX(prinID) + 1 FROM tblPrincipal), prinGuid = '6f0c1b1e-0000-4000-8000-00000000c0de', prinUri = ?2;
INSERT INTO tblPrincipal SELECT * FROM p;
UPDATE tblChat SET userId = (SELECT prinID FROM p) WHERE channelId = ?3 AND chatId = ?4;`, poster, variant, room, sixth)
	return uri, variant
}

// Principal URIs are told apart as the target's database tells them apart
// (its prinUri collation, Store.URIKey), as the import matched them, not
// by lower-casing: on a case-sensitive database a message moved to a
// principal whose URI differs only in case is a difference.
func TestURIsComparedByTheTargetsCollation(t *testing.T) {
	t.Parallel()
	t.Run("case-sensitive", func(t *testing.T) {
		t.Parallel()
		m := newMigration(t)
		m.migrate(t)
		uri, variant := caseVariant(t, m)
		src, tgt := open(t, m.source, true), open(t, m.target, true)
		cs := store.ParseCollation("Latin1_General_CS_AS")
		r, err := verify.RunWithURIKey(t.Context(), []verify.Source{{Label: "pchat15", Store: src, Archive: m.archive}}, tgt, verify.Options{}, cs.Key)
		if err != nil {
			t.Fatal(err)
		}
		want := "differs (poster " + uri + " in the source, " + variant + " in the target)"
		if got := texts(r); r.Verdict != verify.Different || len(got) != 1 || !strings.HasSuffix(got[0], want) {
			t.Fatalf("verdict %s, differences %q; want DIFFERENT with one ending %q", r.Verdict, got, want)
		}
	})
	// On a case-insensitive database (the embedded store's prinUri ignores
	// case) a principal of another GUID whose URI differs only in case is
	// the one the import matched by URI: the same person.
	t.Run("case-insensitive", func(t *testing.T) {
		t.Parallel()
		m := newMigration(t)
		m.migrate(t)
		_, room := busiestRoom(t, m)
		poster := sqlInt(t, m.target, `SELECT userId FROM tblChat WHERE channelId = ? ORDER BY chatId LIMIT 1 OFFSET 5`, room)
		sqlExec(t, m.target, `UPDATE tblPrincipal SET prinGuid = '6f0c1b1e-0000-4000-8000-00000000c0de',
prinUri = substr(prinUri, 1, 4) || upper(substr(prinUri, 5, 1)) || substr(prinUri, 6) WHERE prinID = ?`, poster)
		wantEqual(t, m.verify(t, verify.Options{}))
	})
	// But where the target holds both, the one with the source principal's
	// GUID is its own, and a message credited to the other is a
	// difference: the import credits no one's history to another AD
	// object, whatever the URIs.
	t.Run("case-insensitive, two principals", func(t *testing.T) {
		t.Parallel()
		m := newMigration(t)
		m.migrate(t)
		uri, _ := caseVariant(t, m)
		r := m.verify(t, verify.Options{})
		want := "(GUID 6f0c1b1e-0000-4000-8000-00000000c0de) in the target)"
		if got := texts(r); r.Verdict != verify.Different || len(got) != 1 || !strings.HasSuffix(got[0], want) || !strings.Contains(got[0], "differs (poster "+uri+" (GUID ") {
			t.Fatalf("verdict %s, differences %q; want DIFFERENT with one naming the poster %s and ending %q", r.Verdict, got, uri, want)
		}
	})
	// SQL Server's = and the embedded store ignore trailing spaces: a URI
	// with one is the same principal's.
	t.Run("trailing space", func(t *testing.T) {
		t.Parallel()
		m := newMigration(t)
		m.migrate(t)
		_, room := busiestRoom(t, m)
		sqlExec(t, m.target, `UPDATE tblPrincipal SET prinUri = prinUri || ' ' WHERE prinID IN (SELECT userId FROM tblChat WHERE channelId = ?)`, room)
		wantEqual(t, m.verify(t, verify.Options{}))
	})
}
