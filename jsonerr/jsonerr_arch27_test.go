package jsonerr

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestTooDeep: a value nested past encoding/json's limit is named as
// such; it was "not valid JSON", which a reader of the file could not
// find at the column given.
func TestTooDeep(t *testing.T) {
	data := []byte(`{"a":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`)
	var v map[string]any
	err := json.Unmarshal(data, &v)
	if err == nil {
		t.Fatal("encoding/json took 20000 levels")
	}
	if got := Describe(data, err, &v); !strings.HasSuffix(got, "arrays or objects nested more than 10000 deep") {
		t.Errorf("Describe = %q", got)
	}
}
