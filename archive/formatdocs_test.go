package archive

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFormatDocsListEveryKey: each table of keys in docs/archive-format.md
// (the manifest, a part, each kind of record) lists exactly the keys the
// reader takes, each marked *optional*, *nullable* and "int64 string" as
// the reader's rule for it says. Someone writing an archive by hand
// follows that document, and the reader refuses a missing, extra or null
// key that the document would have allowed.
func TestFormatDocsListEveryKey(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "archive-format.md"))
	if err != nil {
		t.Fatal(err)
	}
	tables := keyTables(string(doc))
	for _, c := range []struct {
		section string
		n       int // the section's nth table of keys
		rules   []keyRule
	}{
		{"## 3. manifest.json", 0, manifestKeys},
		{"## 3. manifest.json", 1, partKeys},
		{"### 4.1 principals.jsonl", 0, principalKeys},
		{"### 4.2 categories.jsonl", 0, categoryKeys},
		{"### 4.3 addins.jsonl", 0, addinKeys},
		{"### 4.4 rooms.jsonl", 0, roomKeys},
		{"### 4.5 messages/NNNNNN.jsonl", 0, messageKeys},
	} {
		if len(tables[c.section]) <= c.n {
			t.Errorf("docs/archive-format.md: no table %d of keys under %q", c.n+1, c.section)
			continue
		}
		var want []string
		for _, r := range c.rules {
			want = append(want, ruleWords(r))
		}
		if diff := cmp.Diff(want, tables[c.section][c.n]); diff != "" {
			t.Errorf("docs/archive-format.md %s, table %d mismatch (-reader +docs):\n%s", c.section, c.n+1, diff)
		}
	}
}

// ruleWords is a key and what its rule allows, as keyTables words a row.
func ruleWords(r keyRule) string {
	return fmt.Sprintf("%s optional=%v nullable=%v int64=%v", r.key, r.optional, r.nullable, r.digits)
}

// keyTables reads the tables whose first column is "Key" or "Field", by
// the heading above them: each row's keys (a row may give several) with
// the words of its type column. A row of several keys whose type column is
// empty ("As for categories") takes each key's marks from the row of that
// key above it.
func keyTables(doc string) map[string][][]string {
	out := map[string][][]string{}
	seen := map[string]string{} // key -> its marks in the last table that had it alone
	code := regexp.MustCompile("`([a-z_0-9]+)`")
	var section string
	var rows []string
	in := false
	flush := func() {
		if in {
			out[section] = append(out[section], rows)
		}
		rows, in = nil, false
	}
	for _, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(line, "#") {
			flush()
			section = line
			continue
		}
		if !strings.HasPrefix(line, "|") {
			flush()
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		first := strings.TrimSpace(cells[0])
		if first == "Key" || first == "Field" {
			in = true
			continue
		}
		if !in || strings.HasPrefix(first, "---") || len(cells) < 2 {
			continue
		}
		typ := strings.TrimSpace(cells[1])
		keys := code.FindAllStringSubmatch(first, -1)
		for _, k := range keys {
			marks := fmt.Sprintf(" optional=%v nullable=%v int64=%v", strings.Contains(typ, "*optional*"),
				strings.Contains(typ, "*nullable*"), strings.HasPrefix(typ, "int64 string"))
			if typ == "" && len(keys) > 1 {
				marks = seen[k[1]]
			} else {
				seen[k[1]] = marks
			}
			rows = append(rows, k[1]+marks)
		}
	}
	flush()
	return out
}
