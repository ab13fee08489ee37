package archive

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
)

// padLine returns a valid archive whose part name has a first line of
// exactly n bytes, LF included, made by repeating the last byte of old,
// which must be on that line.
func padLine(t *testing.T, name, old string, n int) []byte {
	t.Helper()
	return replaced(t, name, func(d []byte) []byte {
		first := bytes.IndexByte(d, '\n') + 1
		grow := n - first
		if grow < 0 || !bytes.Contains(d[:first], []byte(old)) {
			t.Fatalf("cannot make line 1 of %s %d bytes long", name, n)
		}
		padded := old + strings.Repeat(old[len(old)-1:], grow)
		out := bytes.Replace(d, []byte(old), []byte(padded), 1)
		if got := bytes.IndexByte(out, '\n') + 1; got != n {
			t.Fatalf("line 1 is %d bytes, want %d", got, n)
		}
		return out
	})
}

// checkLineLimit reads archives whose first record line, in a messages part
// and in a structure part, is limit bytes long, LF included, or one byte
// more, with the Reader's line limit set to limit: every read path must
// accept the first and refuse the second, naming the part and line.
func checkLineLimit(t *testing.T, limit int) {
	const m1 = "messages/000001.jsonl"
	principals := fixedPartName(KindPrincipals)
	tooLong := fmt.Sprintf("line 1: line exceeds the limit of %d bytes", limit)
	tests := []struct {
		name, part, old string
		n               int
		wantErr         string
	}{
		{"message at the limit", m1, "plain text", limit, ""},
		{"message one byte over", m1, "plain text", limit + 1, "archive part " + m1 + ": " + tooLong},
		{"principal at the limit", principals, "Contoso", limit, ""},
		{"principal one byte over", principals, "Contoso", limit + 1, "archive part " + principals + ": " + tooLong},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, padLine(t, tc.part, tc.old, tc.n))
			check := func(what string, read func(r *Reader) error) {
				t.Helper()
				r, err := Open(path)
				if err != nil {
					t.Fatalf("Open() = %v", err)
				}
				defer r.Close()
				r.maxLine = limit
				err = read(r)
				if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || err.Error() != tc.wantErr) {
					t.Errorf("%s error = %v, want %q", what, err, tc.wantErr)
				}
			}
			check("Verify()", func(r *Reader) error { return r.Verify(context.Background()) })
			if tc.part != m1 {
				check("Principals()", func(r *Reader) error { return r.Principals(func(Principal) error { return nil }) })
				return
			}
			check("Messages()", func(r *Reader) error { return r.Messages(func(Message) error { return nil }) })
			check("MessageViews()", func(r *Reader) error { return r.MessageViews(func(*MessageView) error { return nil }) })
		})
	}
}

// TestLineLimit checks the limit on a record line with the limit lowered,
// to keep the test fast: a line within one read buffer, a line whose LF
// starts the next buffer, and one that spans two. TestLineLimitFull, under
// the soak build tag, checks MaxRecordBytes itself.
func TestLineLimit(t *testing.T) {
	for _, limit := range []int{1 << 10, prefetchSize, prefetchSize + 4096} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) { checkLineLimit(t, limit) })
	}
}
