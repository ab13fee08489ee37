package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/pchat"
	"github.com/pcmig/pcmig/store"
)

// TestStreamMessagesReadsOddValuesAsTypedScan: the stream takes a row's
// integer and bit columns as the driver gives them when they are plain
// integers, and otherwise scans them as it always did (database/sql's
// conversions and errors): for values SQLite keeps in those columns that
// are not plain integers, the stream gives what a typed Scan of the same
// rows gives, messages or error.
func TestStreamMessagesReadsOddValuesAsTypedScan(t *testing.T) {
	t.Parallel()
	for _, update := range []string{
		``,
		`isAlert = 2`, `isAlert = 'yes'`, `isAlert = 'true'`, `isAlert = 0.5`, `isAlert = 1.0`, `isAlert = X'31'`,
		`chatDate = 1.5`, `chatDate = 'soon'`, `chatDate = X'3132'`, `chatDate = ' 12'`,
		`userId = 5000000000`, `userId = 'abc'`, `userId = X'313031'`, `userId = 101.0`,
		`content = 42`, `content = X'68c3a9'`, `rtf = X'00ff'`, `rtf = 7`,
		`isAlert = 2, content = X'68'`, `chatDate = 'x', userId = 5000000000`,
	} {
		t.Run(update, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "pool.db")
			writeHandmade(t, path, nil)
			if update != "" {
				labtest.ExecSQLite(t, path, `UPDATE tblChat SET `+update+` WHERE channelId = 1010 AND chatId = 2`)
			}
			want, wantErr := typedScan(t, path)
			ctx := context.Background()
			s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + path, ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			var got []pchat.Message
			err = s.StreamMessages(ctx, store.MessageFilter{Rooms: []int32{1010}}, func(m pchat.Message) error {
				got = append(got, m)
				return nil
			})
			switch {
			case wantErr != "":
				if err == nil || !strings.Contains(columnIndex.ReplaceAllString(err.Error(), "#"), wantErr) {
					t.Fatalf("stream: %v; a typed scan fails with %q", err, wantErr)
				}
			case err != nil:
				t.Fatalf("stream: %v; a typed scan reads %+v", err, want)
			case !reflect.DeepEqual(got, want):
				t.Errorf("stream read %+v\ntyped scan %+v", got, want)
			}
		})
	}
}

// columnIndex is database/sql's column index in a Scan error.
var columnIndex = regexp.MustCompile(`column index \d+`)

// typedScan reads room 1010's messages with database/sql's conversions
// into typed destinations: the messages, or the column the first error
// names (database/sql's words up to the column's name).
func typedScan(t *testing.T, path string) ([]pchat.Message, string) {
	t.Helper()
	db, err := sql.Open("sqlite", store.SQLiteURI(path, true))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT channelId, chatId, chatDate, userId, isAlert, content, rtf FROM tblChat WHERE channelId = 1010 ORDER BY chatId`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []pchat.Message
	for rows.Next() {
		var m pchat.Message
		var channel, user int64
		var rtf sql.NullString
		if err := rows.Scan(&channel, &m.ChatID, &m.Date, &user, &m.Alert, &m.Content, &rtf); err != nil {
			// The store's errors leave the value out: compare which
			// column failed.
			// A room's stream does not read channelId, so its
			// columns' indexes are one less: compare names.
			msg := err.Error()
			if i := strings.Index(msg, `": `); i >= 0 {
				msg = msg[:i+1]
			}
			return nil, columnIndex.ReplaceAllString(msg, "#")
		}
		if channel != int64(int32(channel)) || user != int64(int32(user)) {
			return nil, "outside int's range"
		}
		m.RoomID, m.UserID = int32(channel), int32(user)
		if rtf.Valid {
			m.RTF = &rtf.String
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out, ""
}
