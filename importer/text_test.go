package importer_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/internal/labtest"
)

// TestPreflightTextFitsColumns holds the archive's text to the target's
// columns in their own units before anything is written: nvarchar lengths
// count UTF-16 code units (an emoji counts 2), principals' columns
// included, and messages are named by room and source chat ID.
func TestPreflightTextFitsColumns(t *testing.T) {
	t.Parallel()
	emoji := strings.Repeat("🎉", 200) // 200 characters, 400 code units
	tests := []struct {
		name        string
		change      func(r *records)
		contentType string // the target's tblChat.content, when not the documented one
		object      string
		phrase      string
	}{
		{"category name of 200 emoji", func(r *records) {
			r.categories[0].Name, r.rooms[0].Category, r.rooms[1].Category = emoji, emoji, emoji
		}, "", "category " + emoji, "tblNode.nodeName is nvarchar(256): at most 256 characters (UTF-16 code units"},
		{"room description of 200 emoji", func(r *records) { r.rooms[0].Description = emoji },
			"", "room Lobby", "tblNode.nodeDesc is nvarchar(256)"},
		{"principal display name of 200 emoji", func(r *records) { r.principals[4].DisplayName = emoji },
			"", "principal " + uriOf(eve), "tblPrincipal.prinDisplayName is nvarchar(256)"},
		{"add-in name of 26 emoji", func(r *records) {
			r.addins[0].Name, r.rooms[1].Addin = strings.Repeat("😀", 26), strings.Repeat("😀", 26)
		}, "", "add-in " + strings.Repeat("😀", 26), "tblSiopWhiteList.siopName is nvarchar(50)"},
		{"message longer than the target's content column", func(r *records) { r.messages[1].Content = strings.Repeat("x", 21) },
			"NVARCHAR(20)", "room Lobby", "message 2 (chat ID in the source): text does not fit its column: tblChat.content is nvarchar(20)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEstate(t)
			if tt.contentType != "" {
				redeclareContent(t, e.target, tt.contentType)
			}
			r := validRecords()
			tt.change(&r)
			path := filepath.Join(e.dir, "handmade.zip")
			writeArchive(t, path, r)
			before := readFile(t, e.target)
			res, err := importInto(t, e.target, path, importer.Options{})
			if !errors.Is(err, importer.ErrValidation) {
				t.Fatalf("Import: error %v, want ErrValidation", err)
			}
			found := false
			for _, p := range res.Problems {
				if p.Severity == importer.Error && p.Object == tt.object && strings.Contains(p.Message, tt.phrase) {
					found = true
				}
			}
			if !found {
				t.Errorf("no error for %q saying %q; problems: %+v", tt.object, tt.phrase, res.Problems)
			}
			if !bytes.Equal(before, readFile(t, e.target)) {
				t.Errorf("an import that failed validation changed the target database file")
			}
		})
	}
}

// redeclareContent gives an empty embedded target's tblChat.content a
// declared type, as a hand-made database may.
func redeclareContent(t *testing.T, path, typ string) {
	t.Helper()
	labtest.ExecSQLite(t, path,
		`ALTER TABLE tblChat RENAME TO tblChatOld`,
		`CREATE TABLE tblChat (channelId INTEGER NOT NULL, chatId INTEGER NOT NULL, chatDate INTEGER NOT NULL, userId INTEGER NOT NULL,
  isAlert INTEGER NOT NULL, content `+typ+` NOT NULL, rtf TEXT NULL, PRIMARY KEY (channelId, chatId))`,
		`INSERT INTO tblChat SELECT * FROM tblChatOld`,
		`DROP TABLE tblChatOld`)
}
