package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pcmig/pcmig/archive"
	"github.com/pcmig/pcmig/pchat"
)

// The doctor reads tblChat, by far the largest table, once for four of
// its findings: the "values" line's check of the message rows' integer
// columns and the "text" line's check that their content and rtf are
// valid UTF-8 (embedded databases), the messages of rooms that no longer
// exist, and the messages of posters not in tblPrincipal (chatPass). Each
// of those used to read the whole table on its own. When the shared pass
// cannot give a check its exact answer (the pass failed, or a room or
// poster ID that is not an integer, which the checks' own queries answer
// in their own way), each check reads the table on its own, as before, and
// says what it found or why it could not check.

// chatScan is what the shared pass over tblChat found.
type chatScan struct {
	// values: some message row holds a value the "values" line names
	// (embedded databases only); that line reads those rows again to
	// name them.
	values bool
	// orphans are the messages of each channelId not in tblNode, and
	// posters those of each userId not in tblPrincipal, by ascending ID.
	orphans, posters []idCount
	// text says whether the messages' content and rtf were checked to be
	// valid UTF-8 (embedded databases: SQLite keeps any bytes; the
	// export refuses such a message), badText names the first 10 that
	// are not, by room and chat ID, and nBadText counts them all.
	text     bool
	badText  []badMessage
	nBadText int
	// dates says whether the messages' chatDate was checked to be a .NET
	// DateTime (embedded databases; the import refuses an archive of a
	// message dated outside it), badDates names the first 10 that are
	// not (cols holds the date) and nBadDates counts them all.
	dates     bool
	badDates  []badMessage
	nBadDates int
	// big names the first 10 messages whose content and rtf together
	// are larger than an archive record holds (archive.MaxRecordBytes:
	// the export refuses such a message; embedded databases), nBig
	// counts them all.
	big  []badMessage
	nBig int
	// textErr and datesErr are why the messages' text and dates could
	// not be checked (SQL Server: messageFindingsSQLServer's read
	// failed): the "text" and "tblChat" lines say so rather than leaving
	// the check out.
	textErr, datesErr error
}

// badMessage is a message whose text is not valid UTF-8: its room
// (channelId), chat ID and the columns.
type badMessage struct {
	room, chatID int64
	cols         string
}

// chatPass is the shared pass over tblChat, made once; nil when the
// checks must read the table on their own.
func (d *doctorRun) chatPass(ctx context.Context) *chatScan {
	if !d.chatRead {
		d.chatRead = true
		if d.sqlServer {
			d.chat = d.chatPassSQLServer(ctx)
		} else {
			d.chat = d.chatPassEmbedded(ctx)
		}
	}
	return d.chat
}

// chatPassSQL finds, in one read of tblChat, the messages whose room
// (channelId) is not in tblNode or whose poster (userId) is not in
// tblPrincipal, counted by room and poster (the queries of orphanChats
// and missingPosters, which read the table once each, together).
const chatPassSQL = `SELECT x.channelId, x.userId, COUNT_BIG(*), x.roomGone, x.posterGone FROM (
  SELECT c.channelId, c.userId,
    CASE WHEN EXISTS (SELECT 1 FROM tblNode n WHERE n.nodeID = c.channelId) THEN 0 ELSE 1 END AS roomGone,
    CASE WHEN EXISTS (SELECT 1 FROM tblPrincipal p WHERE p.prinID = c.userId) THEN 0 ELSE 1 END AS posterGone
  FROM tblChat c) AS x
WHERE x.roomGone = 1 OR x.posterGone = 1
GROUP BY x.channelId, x.userId, x.roomGone, x.posterGone`

// chatPassSQLServer is the pass on SQL Server: the server reads tblChat
// once and returns only the messages of removed rooms or posters.
func (d *doctorRun) chatPassSQLServer(ctx context.Context) *chatScan {
	rows, err := d.s.q().QueryContext(ctx, chatPassSQL)
	if err != nil {
		return nil
	}
	defer rows.Close()
	t := newChatTally()
	for rows.Next() {
		var ch, user any
		var n, roomGone, posterGone int64
		if err := rows.Scan(&ch, &user, &n, &roomGone, &posterGone); err != nil {
			return nil
		}
		if !t.add(ch, user, n, roomGone == 1, posterGone == 1) {
			return nil
		}
	}
	if rows.Err() != nil {
		return nil
	}
	return t.scan(false)
}

// messageChecks is what the checks of each message's date and text found
// (chatScan's dates and text fields): on an embedded database the shared
// pass over tblChat, on SQL Server a read of its own (messageFindingsSQL),
// made once, whether or not the shared pass worked. nil when nothing was
// checked.
func (d *doctorRun) messageChecks(ctx context.Context) *chatScan {
	if !d.sqlServer {
		return d.chatPass(ctx)
	}
	if !d.msgRead {
		d.msgRead = true
		scan := &chatScan{}
		d.messageFindingsSQLServer(ctx, scan)
		d.msg = scan
	}
	return d.msg
}

// SQL Server's nvarchar holds UTF-16 code units, and nothing stops a
// surrogate without its pair from being stored (N'...' + NCHAR(0xD800)).
// go-mssqldb reads such a value with U+FFFD in its place (the export reads
// the bytes itself and refuses such a message: chatSelect). These patterns, under a
// binary collation (one code unit a character, ranges by value), find a
// high surrogate not followed by a low one, or a low one not preceded by
// a high one: exactly the text that is not well-formed UTF-16. The ranges
// are built from their bytes (UTF-16LE), whatever the database's
// collation makes of NCHAR(0xD800).
const (
	highSurrogatesSQL = "CONVERT(nvarchar(3), 0x00D82D00FFDB)" // U+D800-U+DBFF
	lowSurrogatesSQL  = "CONVERT(nvarchar(3), 0x00DC2D00FFDF)" // U+DC00-U+DFFF
	anySurrogateSQL   = "CONVERT(nvarchar(3), 0x00D82D00FFDF)" // U+D800-U+DFFF
)

// unpairedSurrogateSQL is a T-SQL expression: 1 when col holds a
// surrogate without its pair, else 0 (NULL too). The four patterns are
// tried only on text that holds a surrogate at all (CASE evaluates in
// order), so most messages cost one LIKE.
func unpairedSurrogateSQL(col string) string {
	c := col + " COLLATE Latin1_General_BIN2 LIKE "
	h, l := highSurrogatesSQL, lowSurrogatesSQL
	return "CASE WHEN " + c + "N'%[' + " + anySurrogateSQL + " + N']%' THEN CASE WHEN " +
		c + "N'%[' + " + h + " + N'][^' + " + l + " + N']%'" +
		" OR " + c + "N'%[' + " + h + " + N']'" +
		" OR " + c + "N'%[^' + " + h + " + N'][' + " + l + " + N']%'" +
		" OR " + c + "N'[' + " + l + " + N']%' THEN 1 ELSE 0 END ELSE 0 END"
}

// messageFindingsSQL finds, in one read of tblChat, the messages dated
// outside the .NET DateTime range (date, when not "") and those whose
// nvarchar text columns (texts) hold a surrogate without its pair: the
// first 10 of each by room and chat ID, with how many there are of each
// (nDates, nTexts on every row). bad is 1 where the text column of that
// position is bad. Each row's flags are worked out in a derived table (f)
// and combined in the one around it: plain derived tables, which the
// test suites' stand-in server runs too (it had no form for the CROSS
// APPLY this used, so the check never ran there).
func messageFindingsSQL(id func(string) string, channel, chatID, date string, texts []string) string {
	badDate := "0"
	if date != "" {
		badDate = fmt.Sprintf("CASE WHEN c.%s < %d OR c.%s > %d THEN 1 ELSE 0 END", id(date), pchat.MinTicks, id(date), pchat.MaxTicks)
	}
	dateCol := "NULL"
	if date != "" {
		dateCol = "c." + id(date)
	}
	flags := []string{"c." + id(channel) + " AS channelId", "c." + id(chatID) + " AS chatId", dateCol + " AS chatDate", badDate + " AS badDate"}
	anyText := []string{"0"}
	for i, t := range texts {
		flags = append(flags, fmt.Sprintf("%s AS bad%d", unpairedSurrogateSQL("c."+id(t)), i))
		anyText = append(anyText, fmt.Sprintf("f.bad%d", i))
	}
	cols := []string{"y.channelId", "y.chatId", "y.chatDate", "y.badDate"}
	for i := range texts {
		cols = append(cols, fmt.Sprintf("y.bad%d", i))
	}
	cols = append(cols, "y.nDates", "y.nTexts")
	return "SELECT " + strings.Join(cols, ", ") + " FROM (\n" +
		"  SELECT x.*, SUM(CONVERT(bigint, x.badDate)) OVER () AS nDates, SUM(CONVERT(bigint, x.badText)) OVER () AS nTexts,\n" +
		"    ROW_NUMBER() OVER (PARTITION BY x.badDate ORDER BY x.channelId, x.chatId) AS rnDate,\n" +
		"    ROW_NUMBER() OVER (PARTITION BY x.badText ORDER BY x.channelId, x.chatId) AS rnText\n" +
		"  FROM (SELECT f.*, " + strings.Join(anyText, " | ") + " AS badText\n" +
		"    FROM (SELECT " + strings.Join(flags, ",\n      ") + "\n" +
		"      FROM " + id("tblChat") + " AS c) AS f) AS x\n" +
		"  WHERE x.badDate = 1 OR x.badText = 1) AS y\n" +
		"WHERE (y.badDate = 1 AND y.rnDate <= 10) OR (y.badText = 1 AND y.rnText <= 10)\n" +
		"ORDER BY y.channelId, y.chatId"
}

// messageFindingsSQLServer checks, on SQL Server, what chatPassEmbedded
// checks as it reads each message: chatDate within the .NET DateTime range
// (a bigint holds any value), and content (and rtf, where a database
// declares it nvarchar; the documented varchar cannot hold a surrogate)
// for surrogates without their pair, the SQL Server form of text that is
// not valid UTF-8. When the read fails, neither is said to be checked,
// and scan.textErr and datesErr say why.
func (d *doctorRun) messageFindingsSQLServer(ctx context.Context, scan *chatScan) {
	channel, ok1 := d.cat.column("tblChat", "channelId")
	chat, ok2 := d.cat.column("tblChat", "chatId")
	if !ok1 || !ok2 {
		return
	}
	date := ""
	if col, ok := d.cat.column("tblChat", "chatDate"); ok {
		switch col.Type {
		case "bigint", "int", "smallint", "tinyint", "decimal", "numeric":
			date = col.Name
		}
	}
	var texts, names []string
	for _, name := range []string{"content", "rtf"} {
		if col, ok := d.cat.column("tblChat", name); ok && (col.Type == "nvarchar" || col.Type == "nchar" || col.Type == "ntext") {
			texts = append(texts, col.Name)
			names = append(names, name)
		}
	}
	if date == "" && len(texts) == 0 {
		return
	}
	fail := func(err error) {
		err = d.s.wrap("read tblChat", err)
		if date != "" {
			scan.datesErr = fmt.Errorf("the messages' chatDate (within the .NET DateTime range): %w", err)
		}
		if len(texts) > 0 {
			scan.textErr = fmt.Errorf("the messages' %s (UTF-16 surrogates without their pair): %w", strings.Join(names, " and "), err)
		}
	}
	rows, err := d.s.q().QueryContext(ctx, messageFindingsSQL(d.s.dialect.ident, channel.Name, chat.Name, date, texts))
	if err != nil {
		fail(err)
		return
	}
	defer rows.Close()
	var badText, badDates []badMessage
	nTexts, nDates := int64(0), int64(0)
	for rows.Next() {
		var room, chatID int64
		var chatDate sql.NullInt64
		var badDate int64
		bad := make([]int64, len(texts))
		dest := []any{&room, &chatID, &chatDate, &badDate}
		for i := range bad {
			dest = append(dest, &bad[i])
		}
		dest = append(dest, &nDates, &nTexts)
		if err := rows.Scan(dest...); err != nil {
			fail(err)
			return
		}
		if badDate == 1 && len(badDates) < 10 {
			badDates = append(badDates, badMessage{room: room, chatID: chatID, cols: strconv.FormatInt(chatDate.Int64, 10)})
		}
		var cols []string
		for i, b := range bad {
			if b == 1 {
				cols = append(cols, names[i])
			}
		}
		if len(cols) > 0 && len(badText) < 10 {
			badText = append(badText, badMessage{room: room, chatID: chatID, cols: strings.Join(cols, " and ")})
		}
	}
	if err := rows.Err(); err != nil {
		fail(err)
		return
	}
	scan.dates, scan.badDates, scan.nBadDates = date != "", badDates, int(nDates)
	scan.text, scan.badText, scan.nBadText = len(texts) > 0, badText, int(nTexts)
}

// chatPassEmbedded is the pass on an embedded database: the room and
// principal IDs are read into memory (a small fraction of tblChat), and
// the integer columns of tblChat's rows are read once, each row's room
// and poster looked up there and its values checked as the "values" line
// checks them (an integer in the column's documented range, or NULL where
// documented). SQLite's own lookups of each message's room and poster,
// and its typeof() of each value, took most of the time of the checks'
// queries.
func (d *doctorRun) chatPassEmbedded(ctx context.Context) *chatScan {
	chat, ok := d.cat.tables["tblChat"]
	chID, okCh := d.cat.column("tblChat", "channelId")
	userID, okUser := d.cat.column("tblChat", "userId")
	if !ok || !okCh || !okUser {
		return nil
	}
	cols := intColumns(d.cat, documentedColumns(), "tblChat")
	ich, iuser := -1, -1
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = d.s.dialect.ident(c.name)
		switch c.name {
		case chID.Name:
			ich = i
		case userID.Name:
			iuser = i
		}
	}
	if ich < 0 || iuser < 0 {
		return nil
	}
	// The text columns, read as raw bytes into reused buffers and
	// checked (utf8.Valid) where the pass reads the row anyway.
	var texts []string
	for _, name := range []string{"content", "rtf"} {
		if col, ok := d.cat.column("tblChat", name); ok {
			names = append(names, d.s.dialect.ident(col.Name))
			texts = append(texts, name)
		}
	}
	ichat, idate := -1, -1
	for i, c := range cols {
		switch {
		case strings.EqualFold(c.name, "chatId"):
			ichat = i
		case strings.EqualFold(c.name, "chatDate"):
			idate = i
		}
	}
	nodes, ok := d.idSet(ctx, "tblNode", "nodeID")
	if !ok {
		return nil
	}
	prins, ok := d.idSet(ctx, "tblPrincipal", "prinID")
	if !ok {
		return nil
	}
	rows, err := d.s.q().QueryContext(ctx, "SELECT "+strings.Join(names, ", ")+" FROM "+d.s.dialect.ident(chat.name))
	if err != nil {
		return nil
	}
	defer rows.Close()
	t := newChatTally()
	values := false
	// The driver gives an int64 for SQLite's integer storage class only
	// (typeof() 'integer'), nil for NULL.
	vals := make([]any, len(cols))
	raw := make([]sql.RawBytes, len(texts))
	dest := make([]any, len(cols)+len(texts))
	for i := range vals {
		dest[i] = &vals[i]
	}
	for i := range raw {
		dest[len(cols)+i] = &raw[i]
	}
	var badText, badDates, big []badMessage
	nBadText, nBadDates, nBig := 0, 0, 0
	chatID := func() int64 {
		if ichat >= 0 {
			if id, ok := vals[ichat].(int64); ok {
				return id
			}
		}
		return -1
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil
		}
		for i, c := range cols {
			switch v := vals[i].(type) {
			case int64:
				values = values || v < c.lo || v > c.hi
			case nil:
				values = values || !c.nullable
			default:
				values = true
			}
		}
		c, ok1 := vals[ich].(int64)
		u, ok2 := vals[iuser].(int64)
		if !ok1 || !ok2 {
			return nil
		}
		_, room := nodes[c]
		_, poster := prins[u]
		if !room || !poster {
			t.add(c, u, 1, !room, !poster)
		}
		if idate >= 0 {
			// A value that is not an integer is the "values" line's.
			if v, ok := vals[idate].(int64); ok && !pchat.ValidTicks(v) {
				if nBadDates++; len(badDates) < 10 {
					badDates = append(badDates, badMessage{room: c, chatID: chatID(), cols: strconv.FormatInt(v, 10)})
				}
			}
		}
		var bad []string
		size := 0
		for i, b := range raw {
			size += len(b)
			if !utf8.Valid(b) {
				bad = append(bad, texts[i])
			}
		}
		// The record holds the text and more: larger text alone is
		// refused by the export.
		if size >= archive.MaxRecordBytes {
			if nBig++; len(big) < 10 {
				big = append(big, badMessage{room: c, chatID: chatID(), cols: fmt.Sprintf("%d bytes of %s", size, strings.Join(texts, " and "))})
			}
		}
		if len(bad) > 0 {
			if nBadText++; len(badText) < 10 {
				badText = append(badText, badMessage{room: c, chatID: chatID(), cols: strings.Join(bad, " and ")})
			}
		}
	}
	if rows.Err() != nil {
		return nil
	}
	s := t.scan(values)
	s.text, s.badText, s.nBadText = len(texts) > 0, badText, nBadText
	s.dates, s.badDates, s.nBadDates = idate >= 0, badDates, nBadDates
	s.big, s.nBig = big, nBig
	return s
}

// idSet reads the IDs of a table's key column (once a doctor); false when
// it cannot, or when one is not an integer (the checks' own queries
// compare such a value as SQLite does).
func (d *doctorRun) idSet(ctx context.Context, table, column string) (map[int64]struct{}, bool) {
	if set, ok := d.ids[table]; ok {
		return set, set != nil
	}
	set, ok := d.readIDs(ctx, table, column)
	if d.ids == nil {
		d.ids = map[string]map[int64]struct{}{}
	}
	if !ok {
		set = nil
	}
	d.ids[table] = set
	return set, ok
}

func (d *doctorRun) readIDs(ctx context.Context, table, column string) (map[int64]struct{}, bool) {
	tab, ok := d.cat.tables[table]
	col, okCol := d.cat.column(table, column)
	if !ok || !okCol {
		return nil, false
	}
	id := d.s.dialect.ident
	rows, err := d.s.q().QueryContext(ctx, "SELECT "+id(col.Name)+" FROM "+id(tab.name))
	if err != nil {
		return nil, false
	}
	defer rows.Close()
	set := map[int64]struct{}{}
	for rows.Next() {
		var v any
		if err := rows.Scan(&v); err != nil {
			return nil, false
		}
		n, ok := v.(int64)
		if !ok {
			return nil, false
		}
		set[n] = struct{}{}
	}
	return set, rows.Err() == nil
}

// chatTally counts the messages of removed rooms and posters.
type chatTally struct {
	orphans, posters map[int64]int64
}

func newChatTally() *chatTally {
	return &chatTally{orphans: map[int64]int64{}, posters: map[int64]int64{}}
}

// add counts n messages of room ch by poster user; false when an ID is not
// an integer (NULL), which the checks' own queries report as they do.
func (t *chatTally) add(ch, user any, n int64, roomGone, posterGone bool) bool {
	c, ok1 := ch.(int64)
	u, ok2 := user.(int64)
	if !ok1 || !ok2 {
		return false
	}
	if roomGone {
		t.orphans[c] += n
	}
	if posterGone {
		t.posters[u] += n
	}
	return true
}

func (t *chatTally) scan(values bool) *chatScan {
	return &chatScan{values: values, orphans: sortedCounts(t.orphans), posters: sortedCounts(t.posters)}
}

// sortedCounts are the counts by ascending ID.
func sortedCounts(m map[int64]int64) []idCount {
	out := make([]idCount, 0, len(m))
	for id, n := range m {
		out = append(out, idCount{id: id, n: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// entriesEmbedded is entriesWithoutPrincipal's count on an embedded
// database: the role and allowed/denied entries' prinIDs are read once
// and looked up in the principal IDs the pass over tblChat read (SQLite
// would seek tblPrincipal for each entry). false when the query must
// answer: a table or column missing, or a prinID that is not an integer.
func (d *doctorRun) entriesEmbedded(ctx context.Context) ([]idCount, bool) {
	prins, ok := d.idSet(ctx, "tblPrincipal", "prinID")
	if !ok {
		return nil, false
	}
	gone := map[int64]int64{}
	for _, e := range []struct{ table, column string }{{"tblPrincipalRole", "prinRolePrinID"}, {"tblScopePrincipal", "scopePrinID"}} {
		tab, ok := d.cat.tables[e.table]
		col, okCol := d.cat.column(e.table, e.column)
		if !ok || !okCol {
			return nil, false
		}
		id := d.s.dialect.ident
		rows, err := d.s.q().QueryContext(ctx, "SELECT "+id(col.Name)+" FROM "+id(tab.name))
		if err != nil {
			return nil, false
		}
		var v any
		for rows.Next() {
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return nil, false
			}
			p, ok := v.(int64)
			if !ok {
				rows.Close()
				return nil, false
			}
			if _, ok := prins[p]; !ok {
				gone[p]++
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, false
		}
	}
	return sortedCounts(gone), true
}
