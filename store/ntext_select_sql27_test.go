package store

import "testing"

// TestChatSelectListNText pins the T-SQL that reads an ntext content and
// rtf: converted to nvarchar(max), then to its UTF-16LE bytes (before,
// ntext was read as it was, a lone surrogate becoming U+FFFD).
func TestChatSelectListNText(t *testing.T) {
	s, _ := fakeChatPool(t, latin1CI)
	for i, c := range s.cat.tables["tblChat"].cols {
		if c.Name == "content" || c.Name == "rtf" {
			s.cat.tables["tblChat"].cols[i].Type = "ntext"
		}
	}
	want := "channelId, chatId, chatDate, userId, isAlert, CONVERT(varbinary(max), CONVERT(nvarchar(max), content)) AS content, CONVERT(varbinary(max), CONVERT(nvarchar(max), rtf)) AS rtf"
	if got, raw := chatSelect(s.histDialect, s.cat); got != want || raw != [2]bool{true, true} {
		t.Errorf("ntext: %q %v, want %q [true true]", got, raw, want)
	}
}
