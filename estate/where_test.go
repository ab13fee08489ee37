package estate

import (
	"context"
	"strings"
	"testing"
)

// TestValueErrorLines: a value pcmig cannot use is placed on the line of
// the estate file that gives it, also through variables, list entries and
// keys in another case, and never quoted.
func TestValueErrorLines(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"through a variable", "local target = {\n  pool = \"b\",\n  db = { instance = \"sql\",\n    encrypt = 31337 },\n}\n" +
			"local e = { kind = \"lab\", source = { pool = \"a\", db = \"sqlite:a.db\" } }\ne.target = target\nreturn e\n",
			"line 4: target.db.encrypt: expected a string, found a number"},
		{"a key in another case", "return {\n  kind = \"lab\",\n  Move_Batch = \"hunter2\",\n  source = { pool = \"a\", db = \"sqlite:a.db\" },\n  target = { pool = \"b\", db = \"sqlite:b.db\" },\n}\n",
			"line 3: move_batch: expected a whole number, found a string"},
		{"a list entry", "local scope = {\n  \"Eng\",\n  31337,\n}\nreturn {\n  kind = \"lab\",\n  export = { scope = scope },\n  source = { pool = \"a\", db = \"sqlite:a.db\" },\n  target = { pool = \"b\", db = \"sqlite:b.db\" },\n}\n",
			"line 3: export.scope[2]: expected a string, found a number"},
		{"a computed value", "local function n() return 31337.5 end\nreturn {\n  kind = \"lab\",\n  move_batch = n(),\n  source = { pool = \"a\", db = \"sqlite:a.db\" },\n  target = { pool = \"b\", db = \"sqlite:b.db\" },\n}\n",
			"line 4: move_batch: expected a whole number"},
		{"a table built elsewhere", "local t = {}\nt.kind = \"lab\"\nt.move_batch = \"31337\"\nt.source = { pool = \"a\", db = \"sqlite:a.db\" }\nt.target = { pool = \"b\", db = \"sqlite:b.db\" }\nreturn t\n",
			"line 3: move_batch: expected a whole number, found a string"},
		{"an entry of creators", "return {\n  kind = \"lab\",\n  creators = { Eng = { \"sip:a@contoso.com\", 31337 } },\n  source = { pool = \"a\", db = \"sqlite:a.db\" },\n  target = { pool = \"b\", db = \"sqlite:b.db\" },\n}\n",
			"line 3: creators: an entry: expected a string, found a number"},
		{"a function", "return {\n  kind = \"lab\",\n  on_conflict = print,\n}\n", "line 3: on_conflict: a value of type function, which an estate cannot hold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(context.Background(), write(t, tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load() error = %v, want it to contain %q", err, tt.want)
			}
			for _, s := range []string{"31337", "hunter2", "Eng", "json", "Go "} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("Load() error quotes the file or encoding/json (%q): %v", s, err)
				}
			}
		})
	}
}
