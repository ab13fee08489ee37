package jsonerr

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

type entry struct {
	TargetID int32 `json:"target_id"`
	Total    int64 `json:"messages"`
}

type doc struct {
	Updated time.Time        `json:"updated"`
	When    *time.Time       `json:"when,omitempty"`
	Rooms   map[string]entry `json:"rooms"`
	Names   []string         `json:"names"`
	Times   []time.Time      `json:"times"`
	Flag    bool             `json:"flag"`
	Count   uint8            `json:"count"`
}

// TestDescribe: each kind of encoding/json error is described with its
// place and what was expected, and the described text never holds the
// secret the file carries (nor encoding/json's quoting of it).
func TestDescribe(t *testing.T) {
	tests := []struct{ data, want string }{
		{"\x00", "line 1, column 1: expected a value"},
		{"{\n\"secret\" 1}", "line 2, column 10: expected ':' after a key"},
		{"{'secret': 1}", "line 1, column 2: expected a quoted key or '}'"},
		{`{"names": ["secret" "x"]}`, "line 1, column 21: expected ',' or ']' after a value in an array"},
		{`{"flag": true "secret": 1}`, "line 1, column 15: expected ',' or '}' after a value in an object"},
		{`{} secret`, "line 1, column 4: expected the end of the file"},
		{"{\"names\": [\"secret\x01\"]}", "line 1, column 19: a string holds a control character"},
		{`{"names": ["secret\q"]}`, "line 1, column 20: expected an escape"},
		{`{"names": ["\u12secret"]}`, "line 1, column 17: expected four hexadecimal digits"},
		{`{"count": 1.secret}`, "line 1, column 13: a malformed number"},
		{`{"flag": tsecret}`, "line 1, column 11: a malformed true, false or null"},
		{`{"rooms": {"secret": {"target_id": 99999999999`, "the file ends before its JSON does"},
		{"{\"rooms\": {\"secret\": {\n\"target_id\": 99999999999}}}", "line 2: rooms.target_id: expected a whole number from -2147483648 to 2147483647, found a number outside that range"},
		{`{"count": 300}`, "line 1: count: expected a whole number from 0 to 255"},
		{`{"rooms": {"secret": {"messages": "secret"}}}`, "rooms.messages: expected a whole number from -9223372036854775808 to 9223372036854775807, found a string"},
		{`{"rooms": ["secret"]}`, "rooms: expected an object, found an array"},
		{`{"names": "secret"}`, "names: expected an array, found a string"},
		{`{"flag": "secret"}`, "flag: expected true or false, found a string"},
		{`{"names": [{"secret": 1}]}`, "names: expected a string, found an object"},
		{"{\"rooms\": {}, \"secret\": [1,\n2],\n \"updated\": \"secret\"}", "line 3, column 13: updated: expected a time in RFC 3339 form"},
		{`{"updated": 5}`, "line 1, column 13: updated: expected a time"},
		{`{"when": "secret"}`, "line 1, column 10: when: expected a time"},
		{`{"times": ["2025-03-01T22:00:00Z", "secret"]}`, "line 1, column 36: times: expected a time"},
		{`{"UPDATED": "secret"}`, "line 1, column 13: updated: expected a time"},
	}
	for _, tt := range tests {
		var d doc
		err := json.Unmarshal([]byte(tt.data), &d)
		if err == nil {
			t.Errorf("%q decodes", tt.data)
			continue
		}
		got := Describe([]byte(tt.data), err, &d)
		if !strings.Contains(got, tt.want) {
			t.Errorf("Describe(%q) = %q, want it to contain %q", tt.data, got, tt.want)
		}
		if strings.Contains(got, "secret") || strings.Contains(got, "99999") || strings.Contains(got, "invalid character") {
			t.Errorf("Describe(%q) = %q quotes the data", tt.data, got)
		}
	}
}

// TestDescribeWithoutType: with no type the refusal of a type that decodes
// itself is still described without the value.
func TestDescribeWithoutType(t *testing.T) {
	data := []byte(`{"updated": "secret"}`)
	var d doc
	err := json.Unmarshal(data, &d)
	if got := Describe(data, err, nil); strings.Contains(got, "secret") || !strings.Contains(got, "RFC 3339") {
		t.Errorf("Describe() = %q", got)
	}
}

type part struct {
	Name    string `json:"name"`
	Records int64  `json:"records,string"`
	Alert   bool   `json:"alert,string"`
}

type manifest struct {
	Parts []part `json:"parts"`
}

// TestDescribeQuotedAndUnknown: a field encoded as a string (",string")
// that does not hold its number, and a key a strict decoder
// (DisallowUnknownFields) refuses, are placed and described; encoding/json
// quotes both.
func TestDescribeQuotedAndUnknown(t *testing.T) {
	tests := []struct {
		data   string
		strict bool
		want   string
	}{
		{"{\"parts\": [{\"name\": \"a\"},\n {\"records\": \"secret\"}]}", false, "line 2, column 14: parts.records: expected a whole number"},
		{`{"parts": [{"records": 12}]}`, false, "line 1, column 24: parts.records: expected a whole number from -9223372036854775808 to 9223372036854775807 written as a string"},
		{`{"parts": [{"alert": "secret"}]}`, false, "line 1, column 22: parts.alert: expected true or false"},
		{"{\"parts\": [{\"name\": \"a\",\n  \"secret\": 1}]}", true, "line 2, column 3: parts: a key pcmig does not write"},
		{`{"secret": 1}`, true, "line 1, column 2: a key pcmig does not write"},
	}
	for _, tt := range tests {
		var m manifest
		dec := json.NewDecoder(strings.NewReader(tt.data))
		if tt.strict {
			dec.DisallowUnknownFields()
		}
		err := dec.Decode(&m)
		if err == nil {
			t.Errorf("%q decodes", tt.data)
			continue
		}
		got := Describe([]byte(tt.data), err, &m)
		if !strings.Contains(got, tt.want) {
			t.Errorf("Describe(%q) = %q, want it to contain %q", tt.data, got, tt.want)
		}
		if strings.Contains(got, "secret") || strings.Contains(got, "12") || strings.Contains(got, "string tag") {
			t.Errorf("Describe(%q) = %q quotes the data", tt.data, got)
		}
	}
}

// TestInLine: a one-line record is described by column alone.
func TestInLine(t *testing.T) {
	data := []byte(`{"names": ["a" "secret"]}`)
	var d doc
	err := json.Unmarshal(data, &d)
	if got := InLine(data, err, &d); !strings.HasPrefix(got, "column 16: expected ','") {
		t.Errorf("InLine() = %q", got)
	}
	data = []byte(`{"count": 300}`)
	err = json.Unmarshal(data, &d)
	if got := InLine(data, err, &d); !strings.HasPrefix(got, "count: expected a whole number") {
		t.Errorf("InLine() = %q", got)
	}
}
