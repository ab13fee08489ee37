package bindings

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
)

// category.update writes a category's invite, logged and filePost only
// when it changes them: a hand-built pool's NULL settings (read as off)
// stay NULL when a script changes only the description, and the one
// setting a script turns on is the only one written.
func TestCategoryUpdateKeepsNullSettings(t *testing.T) {
	e := cacheLab(t)
	db := filepath.Join(e.Estate.Dir, "source-2015.db")
	name := labtest.QuerySQLite(t, db, `SELECT MIN(nodeName) FROM tblNode WHERE nodeType = 1 AND parentID IS NOT NULL`)[0][0]
	labtest.ExecSQLite(t, db, `UPDATE tblNode SET invite = NULL, logged = NULL, filePost = NULL WHERE nodeType = 1 AND nodeName = '`+name+`'`)
	settings := func() string {
		return nullsText(labtest.QueryNullable(t, db, `SELECT invite, logged, filePost FROM tblNode WHERE nodeType = 1 AND nodeName = '`+name+`'`)[0])
	}
	runChunk(t, e, false, `
local category = require("category")
category.update("source", "`+name+`", { description = "only the description" })
`)
	if got := settings(); got != "NULL, NULL, NULL" {
		t.Errorf("after a description-only update: invite, logged, filePost = %s, want NULL, NULL, NULL", got)
	}
	runChunk(t, e, false, `
local category = require("category")
category.update("source", "`+name+`", { chat_history = true })
`)
	if got := settings(); got != "NULL, 1, NULL" {
		t.Errorf("after chat_history = true: invite, logged, filePost = %s, want NULL, 1, NULL", got)
	}
}

func nullsText(vals []sql.NullString) string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = "NULL"
		if v.Valid {
			out[i] = v.String
		}
	}
	return strings.Join(out, ", ")
}
