package directory

import (
	"runtime"
	"strings"
	"testing"
)

// A row or header of nothing but delimiters is millions of empty fields: a
// 32 MiB row of commas allocated 3 GB (16 bytes a field) before its length
// was checked, so a 256 MiB file could exhaust memory. Fields past the
// 64 KiB bound of a row are not kept: the row is a problem and the header
// an error, and reading allocates in proportion to the file.
func TestReadWideRowsAllocateInProportion(t *testing.T) {
	wide := strings.Repeat(",", 4<<20)
	tests := []struct {
		name, in string
		problem  Problem
		err      string
	}{
		{"row", ps51 + "\"sip:dan@contoso.com\"" + wide + "\n\"sip:eve@contoso.com\",\"\",\"fe15.contoso.com\"\n",
			Problem{Line: 6, SipAddress: "sip:dan@contoso.com", Message: "row is longer than 65536 bytes"}, ""},
		{"header", "\"SipAddress\",\"RegistrarPool\"" + wide + "\n", Problem{}, "directory: line 1: header row: longer than 65536 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			d, problems, err := Parse([]byte(tt.in))
			runtime.ReadMemStats(&after)
			if alloc, limit := after.TotalAlloc-before.TotalAlloc, uint64(4*len(tt.in)); alloc > limit {
				t.Errorf("Parse of %d bytes allocated %d bytes, want at most %d", len(tt.in), alloc, limit)
			}
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Errorf("Parse() error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || len(problems) != 1 || problems[0] != tt.problem {
				t.Fatalf("Parse() = %v, %v; want the problem %+v", problems, err, tt.problem)
			}
			if _, ok := d.Lookup("sip:eve@contoso.com"); !ok {
				t.Errorf("the row after the wide one is not read")
			}
			if string(d.Bytes()) != tt.in {
				t.Errorf("Bytes() differs from the input: the wide row must be kept")
			}
		})
	}
}
