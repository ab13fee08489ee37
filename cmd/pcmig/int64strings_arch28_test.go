package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestInt64StringErrorsSayWhatIsWrong: an int64 string (chat_id, date,
// added_on, a manifest's records and counts...) holding a space before its
// digits was refused with "line 1: a value is not what pcmig writes
// there" (no field, nothing about the space), and one of 20 digits with
// "found a number outside that range or with a fraction". Each refusal now
// names the part, the line, the field and what it found, by inspect, the
// dry run and the import alike, without quoting the value.
func TestInt64StringErrorsSayWhatIsWrong(t *testing.T) {
	t.Parallel()
	est := labEstate(t, "--messages", "20")
	good := exportArchive(t, est)
	// The second message line's chat_id (or the manifest's first
	// principals count) becomes value.
	secondChatID := func(value string) func(string, []byte) []byte {
		re := regexp.MustCompile(`"chat_id":"[0-9]+"`)
		return func(name string, b []byte) []byte {
			if name != "messages/000001.jsonl" {
				return b
			}
			lines := strings.SplitAfter(string(b), "\n")
			if len(lines) < 3 || !re.MatchString(lines[1]) {
				t.Fatal("messages/000001.jsonl has no second message with a chat_id")
			}
			lines[1] = re.ReplaceAllLiteralString(lines[1], `"chat_id":`+value)
			return []byte(strings.Join(lines, ""))
		}
	}
	const want = `archive part messages/000001.jsonl: line 2: chat_id: expected a whole number from -9223372036854775808 to 9223372036854775807 written as a string, found `
	for _, c := range []struct{ value, found string }{
		{`" 1"`, "white space before or after the number"},
		{`"1\t"`, "white space before or after the number"},
		{`"12345678901234567890"`, "a number of 20 digits, outside that range"},
		{`"-99999999999999999999"`, "a number of 20 digits, outside that range"},
		{`"+1"`, "a leading '+'"},
		{`"1.0"`, "a fraction or an exponent"},
		{`"1e3"`, "a fraction or an exponent"},
		{`"0x10"`, "characters other than decimal digits"},
		{`""`, "an empty string"},
	} {
		archiveRefused(t, est, editArchive(t, good, secondChatID(c.value)), want+c.found)
	}
	counts := editArchive(t, good, func(name string, b []byte) []byte {
		if name == "manifest.json" {
			return regexp.MustCompile(`"principals": "([0-9]+)"`).ReplaceAll(b, []byte(`"principals": " ${1}"`))
		}
		return b
	})
	if !strings.Contains(string(zipEntry(t, counts, "manifest.json")), `"principals": " `) {
		t.Fatal("the manifest's principals count was not edited")
	}
	archiveRefused(t, est, counts, "manifest.json: counts: principals: expected a whole number from -9223372036854775808 to 9223372036854775807 written as a string, found white space before or after the number")
}
