package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/pcmig/pcmig/pchat"
)

// MessageFilter limits a message stream.
type MessageFilter struct {
	Rooms     []int32 // nil: every room that has messages
	SinceTick int64   // 0: every row, whatever its date; otherwise chatDate >= SinceTick
	PageSize  int     // rows per keyset page (default 5000)
	// AnyOrder lets the rooms come in any order (each room's messages
	// still together and in chat-ID order): they are then read up to
	// RoomsPerRead rooms to a statement, so that the statements grow with
	// the messages, not with the rooms.
	AnyOrder bool
	// RoomsPerRead is how many rooms an AnyOrder stream reads with one
	// statement: maxRoomsPerRead, the default, at the most.
	RoomsPerRead int
}

// maxRoomsPerRead is how many rooms an AnyOrder stream reads with one
// statement at the most (parameters: SQL Server takes 2,100).
const maxRoomsPerRead = 500

// StreamMessages calls fn for every message in primary-key order
// (channelId, chatId), reading keyset pages of bounded size so that memory
// does not grow with the history. fn must not call back into this store.
func (s *Store) StreamMessages(ctx context.Context, f MessageFilter, fn func(pchat.Message) error) error {
	rooms := f.Rooms
	if rooms == nil {
		var err error
		if rooms, err = s.messageRooms(ctx); err != nil {
			return err
		}
	}
	page := f.PageSize
	if page <= 0 {
		page = 5000
	}
	if f.AnyOrder && len(rooms) > 1 {
		per := maxRoomsPerRead
		if f.RoomsPerRead > 0 {
			per = min(f.RoomsPerRead, per)
		}
		return s.streamRoomsTogether(ctx, rooms, f.SinceTick, page, per, fn)
	}
	// Every row is read whatever it holds: no date filter without
	// SinceTick (a date before 0001-01-01 is still a row), and the first
	// page has no chat ID bound (a keyset start would miss the smallest).
	// A room's pages do not read channelId, which the statement gives:
	// a column less costs the driver a tenth of a row's reading.
	cols, raw := chatSelect(s.histDialect, s.cat)
	cols = strings.TrimPrefix(cols, "channelId, ")
	where := "FROM tblChat WHERE channelId = ?"
	var since []any
	if f.SinceTick != 0 {
		where += " AND chatDate >= ?"
		since = []any{f.SinceTick}
	}
	// Prepared once per stream: parsing the statement again for each of
	// 20,000 small rooms cost more than reading their rows.
	first, err := s.histQ().PrepareContext(ctx, s.histDialect.top(cols, where+" ORDER BY chatId", page))
	if err != nil {
		return s.wrap("read tblChat", err)
	}
	defer first.Close()
	next, err := s.histQ().PrepareContext(ctx, s.histDialect.top(cols, where+" AND chatId > ? ORDER BY chatId", page))
	if err != nil {
		return s.wrap("read tblChat", err)
	}
	defer next.Close()
	buf := make([]pchat.Message, 0, page)
	for _, room := range rooms {
		if s.sim.removed(room) {
			continue
		}
		q, args := first, append([]any{room}, since...)
		for {
			buf = buf[:0]
			if err := s.readPage(ctx, q, room, true, args, raw, &buf); err != nil {
				return err
			}
			for _, m := range buf {
				if err := fn(m); err != nil {
					return err
				}
			}
			if len(buf) < page {
				break
			}
			q, args = next, append(append([]any{room}, since...), buf[len(buf)-1].ChatID)
		}
	}
	return nil
}

// streamRoomsTogether is StreamMessages of AnyOrder: the rooms in order
// of their IDs, per of them to a statement, in keyset pages over
// (channelId, chatId).
func (s *Store) streamRoomsTogether(ctx context.Context, rooms []int32, since int64, page, per int, fn func(pchat.Message) error) error {
	ids := make([]int32, 0, len(rooms))
	for _, r := range rooms {
		if !s.sim.removed(r) {
			ids = append(ids, r)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	cols, raw := chatSelect(s.histDialect, s.cat)
	buf := make([]pchat.Message, 0, page)
	read := func(batch []int32) error {
		where := "FROM tblChat WHERE channelId IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(batch)), ", ") + ")"
		base := make([]any, 0, len(batch)+4)
		for _, id := range batch {
			base = append(base, id)
		}
		if since != 0 {
			where += " AND chatDate >= ?"
			base = append(base, since)
		}
		const order = " ORDER BY channelId, chatId"
		first, err := s.histQ().PrepareContext(ctx, s.histDialect.top(cols, where+order, page))
		if err != nil {
			return s.wrap("read tblChat", err)
		}
		defer first.Close()
		var next *sql.Stmt
		q, args := first, base
		for {
			buf = buf[:0]
			if err := s.readPage(ctx, q, batch[0], false, args, raw, &buf); err != nil {
				return err
			}
			for _, m := range buf {
				if err := fn(m); err != nil {
					return err
				}
			}
			if len(buf) < page {
				return nil
			}
			if next == nil {
				if next, err = s.histQ().PrepareContext(ctx, s.histDialect.top(cols, where+" AND (channelId > ? OR (channelId = ? AND chatId > ?))"+order, page)); err != nil {
					return s.wrap("read tblChat", err)
				}
				defer next.Close()
			}
			last := buf[len(buf)-1]
			q, args = next, append(slices.Clip(base), last.RoomID, last.RoomID, last.ChatID)
		}
	}
	for len(ids) > 0 {
		n := min(len(ids), per)
		if err := read(ids[:n]); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// readPage reads one page fully before fn runs, so that the connection is
// free while the caller works. raw says which of content and rtf the
// statement reads as UTF-16LE bytes (chatSelect). With oneRoom, the
// statement reads one room's rows (channelId = room) and its select list
// starts at chatId; otherwise it starts with channelId.
func (s *Store) readPage(ctx context.Context, q *sql.Stmt, room int32, oneRoom bool, args []any, raw [2]bool, buf *[]pchat.Message) error {
	s.reads.Add(1)
	rows, err := q.QueryContext(ctx, args...)
	if err != nil {
		return s.wrap("read tblChat", err)
	}
	defer rows.Close()
	var content, rtf16 utf16Text
	rtf16.nullable = true
	// The scan's destinations live for the page, not the row: a row's
	// own (the message, the two int64s, the NullString and the slice of
	// them, each reached through an interface) cost five allocations a
	// row, a tenth of the export's reading.
	var (
		m             pchat.Message
		rtf           sql.NullString
		channel, user int64
	)
	// channelId and userId are int columns, scanned as int64: database/sql
	// converts an integer to an int32 through its decimal text.
	dest := []any{&channel, &m.ChatID, &m.Date, &user, &m.Alert, &m.Content, &rtf}
	if raw[0] {
		dest[5] = &content
	}
	if raw[1] {
		dest[6] = &rtf16
	}
	// The integer and bit columns are first scanned into interfaces and
	// taken as they are when they hold what their types give (int64, and
	// for isAlert an int64 0 or 1 or a bool): database/sql assigns an
	// int64 to an *int64 through reflection, most of Scan's time. A row
	// with any other value, or whose scan fails, is scanned again into
	// the typed destinations, which convert or refuse it as they always
	// did, with the same errors.
	var vals [5]any
	fast := []any{&vals[0], &vals[1], &vals[2], &vals[3], &vals[4], dest[5], dest[6]}
	if oneRoom {
		channel, vals[0] = int64(room), int64(room)
		dest, fast = dest[1:], fast[1:]
	}
	for rows.Next() {
		m = pchat.Message{}
		rtf = sql.NullString{}
		if err := rows.Scan(fast...); err != nil || !chatInts(&vals, &channel, &m.ChatID, &m.Date, &user, &m.Alert) {
			if err := rows.Scan(dest...); err != nil {
				return s.wrap(fmt.Sprintf("read tblChat room %d", room), err)
			}
		}
		if !fitsInt32(channel) || !fitsInt32(user) {
			return s.wrap(fmt.Sprintf("read tblChat room %d", room), fmt.Errorf("a row's channelId or userId is outside int's range"))
		}
		m.RoomID, m.UserID = int32(channel), int32(user)
		if raw[0] {
			m.Content = content.s
			if content.unpaired {
				m.Unpaired |= pchat.UnpairedContent
			}
		}
		if raw[1] {
			rtf = sql.NullString{String: rtf16.s, Valid: rtf16.valid}
			if rtf16.unpaired {
				m.Unpaired |= pchat.UnpairedRTF
			}
		}
		if rtf.Valid {
			v := rtf.String
			m.RTF = &v
		}
		*buf = append(*buf, m)
	}
	return s.wrap("read tblChat", rows.Err())
}

// chatInts takes a tblChat row's channelId, chatId, chatDate, userId and
// isAlert from the values the driver gave, when each is of the type
// database/sql would assign without converting it (see readPage); it
// reports false for any other, leaving the destinations to a typed Scan.
func chatInts(v *[5]any, channel, chatID, date, user *int64, alert *bool) bool {
	var ok [4]bool
	*channel, ok[0] = v[0].(int64)
	*chatID, ok[1] = v[1].(int64)
	*date, ok[2] = v[2].(int64)
	*user, ok[3] = v[3].(int64)
	if ok != [4]bool{true, true, true, true} {
		return false
	}
	switch a := v[4].(type) {
	case bool:
		*alert = a
	case int64:
		if a != 0 && a != 1 {
			return false
		}
		*alert = a == 1
	default:
		return false
	}
	return true
}

// messageRooms lists the rooms that may have messages: every room node
// and every node with a tblLastChatId row. The list comes from tblNode and
// tblLastChatId, not from a DISTINCT over tblChat, which would read the
// whole history. Chat rows of a room that is gone from both are not
// streamed (pcmig doctor reports them).
func (s *Store) messageRooms(ctx context.Context) ([]int32, error) {
	rows, err := s.q().QueryContext(ctx, `SELECT nodeID FROM tblNode WHERE nodeType = 0
UNION SELECT nodeID FROM tblLastChatId ORDER BY nodeID`)
	if err != nil {
		return nil, s.wrap("read tblNode", err)
	}
	defer rows.Close()
	var out []int32
	for rows.Next() {
		var id int32
		if err := rows.Scan(&id); err != nil {
			return nil, s.wrap("read tblNode", err)
		}
		out = append(out, id)
	}
	return out, s.wrap("read tblNode", rows.Err())
}

// RoomStats are the message figures of one room.
type RoomStats struct {
	Messages     int64
	ContentBytes int64 // UTF-8 bytes of content plus rtf (on SQL Server, content's UTF-16 code units: the same for ASCII text)
	FileLinks    int64 // messages carrying an ma-filelink: link
	LastChatID   int64 // tblLastChatId.lastChatID (0 when absent)
	FirstTick    int64
	LastTick     int64
}

// MessageStats returns the figures of every room that has messages or a
// tblLastChatId row, keyed by nodeID. sinceTick limits the counted
// messages as MessageFilter.SinceTick does.
func (s *Store) MessageStats(ctx context.Context, sinceTick int64) (map[int32]RoomStats, error) {
	return s.messageStats(ctx, sinceTick, true)
}

// MessageCounts is MessageStats without ContentBytes and FileLinks (both
// 0): the counts, first and last ticks and last chat IDs, from tblChat's
// integer columns alone. Each message's text is not read: on the large lab
// estate (200,000 messages) that text was most of a reconciliation's
// 0.76 s of CPU in MessageStats.
func (s *Store) MessageCounts(ctx context.Context, sinceTick int64) (map[int32]RoomStats, error) {
	return s.messageStats(ctx, sinceTick, false)
}

func (s *Store) messageStats(ctx context.Context, sinceTick int64, content bool) (map[int32]RoomStats, error) {
	lenFn := "LENGTH(CAST(content AS BLOB)) + COALESCE(LENGTH(CAST(rtf AS BLOB)), 0)"
	if s.histDialect.name() == "sqlserver" {
		// content is nvarchar: DATALENGTH is two bytes per UTF-16 code
		// unit, which halved is the text's UTF-8 bytes for ASCII text.
		lenFn = "CAST(DATALENGTH(content) AS bigint) / 2 + COALESCE(CAST(DATALENGTH(rtf) AS bigint), 0)"
	}
	cols := `SUM(` + lenFn + `), SUM(CASE WHEN content LIKE '%ma-filelink:%' THEN 1 ELSE 0 END)`
	if !content {
		cols = `0, 0`
	}
	where, args := "", []any(nil)
	if sinceTick != 0 { // 0 counts every row, whatever its date
		where, args = "WHERE chatDate >= ? ", []any{sinceTick}
	}
	rows, err := s.histQ().QueryContext(ctx, `SELECT channelId, COUNT(*), `+cols+`,
MIN(chatDate), MAX(chatDate)
FROM tblChat `+where+`GROUP BY channelId`, args...)
	if err != nil {
		return nil, s.wrap("count tblChat", err)
	}
	defer rows.Close()
	out := map[int32]RoomStats{}
	for rows.Next() {
		var id int32
		var st RoomStats
		if err := rows.Scan(&id, &st.Messages, &st.ContentBytes, &st.FileLinks, &st.FirstTick, &st.LastTick); err != nil {
			return nil, s.wrap("count tblChat", err)
		}
		if !s.sim.removed(id) {
			out[id] = st
		}
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("count tblChat", err)
	}
	rows2, err := s.q().QueryContext(ctx, `SELECT nodeID, MAX(lastChatID) FROM tblLastChatId GROUP BY nodeID`)
	if err != nil {
		return nil, s.wrap("read tblLastChatId", err)
	}
	defer rows2.Close()
	for rows2.Next() {
		var id int32
		var last int64
		if err := rows2.Scan(&id, &last); err != nil {
			return nil, s.wrap("read tblLastChatId", err)
		}
		st := out[id]
		st.LastChatID = last
		out[id] = st
	}
	return out, s.wrap("read tblLastChatId", rows2.Err())
}

// insertSQL is the multi-row INSERT into tblChat for n messages.
func insertSQL(n int) string {
	const head = "INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf) VALUES "
	var b strings.Builder
	b.Grow(len(head) + n*16)
	b.WriteString(head)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?)")
	}
	return b.String()
}
