package estate

import (
	"errors"
	"strings"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/store"
)

// checkValues checks the values whose use comes late in a run (export's
// level and since at step 1, a database's DSN and encrypt when it is
// opened):
// a mistake there is found when the estate is loaded, named by its field
// and line and what is expected, never by the value (it might be a secret
// typed in the wrong place). raw is the table as the file returned it.
func checkValues(src []byte, raw map[string]any) error {
	var probs []string
	str := func(m map[string]any, key string) (string, bool) {
		s, ok := m[key].(string)
		return s, ok
	}
	if exp, ok := raw["export"].(map[string]any); ok {
		if s, ok := str(exp, "level"); ok {
			if _, err := exporter.ParseLevel(s); err != nil {
				probs = append(probs, lineAt(src, []step{{key: "export"}, {key: "level"}})+"export.level: want All, User, Category, RoomDirectory or Content")
			}
		}
		if s, ok := str(exp, "since"); ok {
			if _, err := exporter.ParseDate(s); err != nil {
				probs = append(probs, lineAt(src, []step{{key: "export"}, {key: "since"}})+`export.since: want a date, "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" (UTC)`)
			}
		}
	}
	encrypt := func(pool any, path []step) {
		p, _ := pool.(map[string]any)
		if dsn, ok := p["db"].(string); ok {
			// A string is a DSN: one pcmig cannot open (an ADO.NET
			// connection string, "sqlserver:" without slashes) was found
			// only by the doctor, naming neither file nor field. The text
			// may hold a password: store's message shows at most a scheme.
			if _, err := (store.Config{DSN: dsn}).Kind(); err != nil {
				msg, _, _ := strings.Cut(err.Error(), ": want ")
				path := at(path, step{key: "db"})
				probs = append(probs, lineAt(src, path)+placed(path, "")+": "+msg+
					": want sqlite:PATH, sqlserver://... or a table with instance and database (docs/connections.md)")
			}
		}
		db, _ := p["db"].(map[string]any)
		if s, ok := str(db, "encrypt"); ok && !store.ValidEncrypt(s) {
			path = at(at(path, step{key: "db"}), step{key: "encrypt"})
			probs = append(probs, lineAt(src, path)+placed(path, "")+": want true, false, strict or disable")
		}
	}
	encrypt(raw["source"], []step{{key: "source"}})
	encrypt(raw["target"], []step{{key: "target"}})
	if list, ok := raw["sources"].([]any); ok {
		for i, s := range list {
			encrypt(s, []step{{key: "sources"}, {index: i + 1}})
		}
	}
	if len(probs) > 0 {
		return errors.New(strings.Join(probs, "; "))
	}
	return nil
}
