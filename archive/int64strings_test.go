package archive

import (
	"context"
	"strings"
	"testing"
)

// TestInt64StringsAreNumbers: an int64 string of a record or of the
// manifest holds decimal digits (§2). encoding/json's ",string" option
// reads the string "null" as no value at all, so a principal's
// "added_on":"null" read as tick 0, and "records":"null" of a part as 0,
// without a word.
func TestInt64StringsAreNumbers(t *testing.T) {
	const m1 = "messages/000001.jsonl"
	tests := []struct {
		name, wantErr string
		build         func(t *testing.T) []byte
	}{
		{"principal added_on", `archive part principals.jsonl: line 1: added_on: expected a whole number from -9223372036854775808 to 9223372036854775807 written as a string`,
			func(t *testing.T) []byte {
				return replaced(t, "principals.jsonl", replaceFirst(`"added_on":"638512345678901237"`, `"added_on":"null"`))
			}},
		{"category updated_on", `archive part categories.jsonl: line 1: updated_on: expected a whole number from -9223372036854775808 to 9223372036854775807 written as a string`,
			func(t *testing.T) []byte {
				return replaced(t, "categories.jsonl", replaceFirst(`"updated_on":"638512345678901336"`, `"updated_on":"null"`))
			}},
		{"room messages", `archive part rooms.jsonl: line 1: messages: expected a whole number from -9223372036854775808 to 9223372036854775807 written as a string`,
			func(t *testing.T) []byte {
				return replaced(t, "rooms.jsonl", replaceFirst(`"messages":"9"`, `"messages":"null"`))
			}},
		{"message chat_id", `archive part messages/000001.jsonl: line 1: chat_id: expected a whole number from -9223372036854775808 to 9223372036854775807 written as a string`,
			func(t *testing.T) []byte {
				return replaced(t, m1, replaceFirst(`"chat_id":"1152921504606846976"`, `"chat_id":"null"`))
			}},
		{"part records", `manifest.json: part 3: records: expected a whole number from -9223372036854775808 to 9223372036854775807 written as a string`,
			func(t *testing.T) []byte {
				return rawManifest(t, replaceString(`"records":"1"`, `"records":"null"`))
			}},
		{"escaped null", `archive part rooms.jsonl: line 1: messages: expected a whole number`,
			func(t *testing.T) []byte {
				return replaced(t, "rooms.jsonl", replaceFirst(`"messages":"9"`, `"messages":"n\u0075ll"`))
			}},
		{"counts", `manifest.json: counts: principals: expected a whole number from -9223372036854775808 to 9223372036854775807 written as a string`,
			func(t *testing.T) []byte {
				return rawManifest(t, replaceString(`"principals":"5"`, `"principals":"null"`))
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Open(writeFile(t, tc.build(t)))
			if err == nil {
				err = r.Verify(context.Background())
				r.Close()
			}
			if !errorContains(err, tc.wantErr) {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

// replaceString replaces the first old in a string with new.
func replaceString(old, new string) func(string) string {
	return func(s string) string {
		if !strings.Contains(s, old) {
			panic("no " + old + " in " + s)
		}
		return strings.Replace(s, old, new, 1)
	}
}

// TestInt64StringsMayBeEscaped: the digits are the JSON string's value, so
// escapes of digits are digits.
func TestInt64StringsMayBeEscaped(t *testing.T) {
	r, err := Open(writeFile(t, replaced(t, "rooms.jsonl", replaceFirst(`"messages":"9"`, `"messages":"\u0039"`))))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Verify(context.Background()); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}
