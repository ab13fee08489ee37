package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
)

// writtenText are the text columns pcmig writes.
var writtenText = []struct{ table, column string }{
	{"tblNode", "nodeName"}, {"tblNode", "nodeDesc"},
	{"tblPrincipal", "prinUri"}, {"tblPrincipal", "prinName"}, {"tblPrincipal", "prinDisplayName"},
	{"tblPrincipal", "prinCompanyName"}, {"tblPrincipal", "prinEmail"}, {"tblPrincipal", "prinADPath"},
	{"tblPrincipal", "prinADUserPrincipalName"},
	{"tblSiopWhiteList", "siopName"}, {"tblSiopWhiteList", "siopUrl"},
	{"tblChat", "content"}, {"tblChat", "rtf"},
}

func (d *doctorRun) server(ctx context.Context) {
	if !d.sqlServer {
		var v string
		if err := d.s.q().QueryRowContext(ctx, `SELECT sqlite_version()`).Scan(&v); err != nil {
			d.failed("connection", err)
			return
		}
		d.add(DoctorOK, "connection", fmt.Sprintf("embedded database %s (SQLite %s), opened read-only", d.s.cfg.SQLitePath(), v), "")
		return
	}
	var version, edition, db, login, user string
	err := d.s.q().QueryRowContext(ctx, `SELECT CONVERT(nvarchar(128), SERVERPROPERTY('ProductVersion')), CONVERT(nvarchar(128), SERVERPROPERTY('Edition')),
  DB_NAME(), SUSER_SNAME(), USER_NAME()`).Scan(&version, &edition, &db, &login, &user)
	if err != nil {
		d.failed("connection", err)
		return
	}
	d.add(DoctorOK, "connection", fmt.Sprintf("SQL Server %s (%s), database %s, login %s as user %s", version, edition, db, login, user), "")
}

func (d *doctorRun) schema() {
	r := d.cat.schemaReport()
	for _, t := range r.missingTables {
		d.add(DoctorFail, "schema", "table "+t+" is missing", "this is not a Persistent Chat back-end database (mgc), or the login cannot see the table: check the database name and the login's rights")
	}
	for _, c := range r.missingCols {
		table, col, _ := strings.Cut(c, ".")
		msg := "column " + c + " is missing"
		for _, have := range d.cat.tables[table].cols {
			switch {
			case !strings.EqualFold(have.Name, col):
			case d.cat.database.Turkic && !d.cat.database.CaseSensitive():
				msg += fmt.Sprintf(" (the table has %s, and this database's collation %s compares names by Turkish case rules, where I is the capital of ı and İ that of i)", have.Name, d.cat.database.Name)
			default:
				msg += fmt.Sprintf(" (the table has %s, and this database's collation %s compares names case-sensitively)", have.Name, d.cat.database.Name)
			}
		}
		d.add(DoctorFail, "schema", msg, "pcmig reads and writes the documented columns by their exact names; compare the table with the documented schema (docs/mappings.md)")
	}
	if d.opts.Role == RoleTarget { // a source is never inserted into
		for _, col := range d.cat.unfilledColumns() {
			d.add(DoctorFail, "schema", Unfilled(col),
				"the documented schema has no such column: find out what added it to this database; pcmig cannot fill it, so it must allow NULL or have a default before pcmig writes")
		}
	}
	for _, c := range r.caseOnly {
		d.add(DoctorWarn, "schema", "column "+c+": works because this database compares names case-insensitively", "nothing to do unless the database is moved to a case-sensitive collation")
	}
	if len(r.missingTables)+len(r.missingCols) == 0 {
		cols := 0
		for _, c := range requiredSchema {
			cols += len(c)
		}
		d.add(DoctorOK, "schema", fmt.Sprintf("all %d documented tables and %d columns pcmig uses are present", len(requiredSchema), cols), "")
	}
	schemas := map[string][]string{}
	for doc, t := range d.cat.tables {
		schemas[t.schema] = append(schemas[t.schema], doc)
	}
	if len(schemas) > 1 {
		var parts []string
		for s, ts := range schemas {
			sort.Strings(ts)
			parts = append(parts, s+": "+strings.Join(ts, ", "))
		}
		sort.Strings(parts)
		d.add(DoctorWarn, "schema", "the tables pcmig uses resolve to more than one schema ("+strings.Join(parts, "; ")+")", "the login's default schema ("+d.cat.schema+") holds copies of some tables; pcmig uses those, as the servers would not: run pcmig as a login whose default schema is dbo")
	} else if d.sqlServer && d.cat.schema != "" {
		for s := range schemas {
			if s != "dbo" {
				d.add(DoctorWarn, "schema", "the tables are in schema "+s+", not dbo", "Persistent Chat servers use dbo; check that this is the pool's database")
			}
		}
	}
}

// columnTypes compares the text columns pcmig writes with their documented
// types: a shorter column refuses names the documentation allows, and a
// varchar where nvarchar is documented holds only its code page.
func (d *doctorRun) columnTypes() {
	docs := documentedColumns()
	bad := 0
	for _, w := range writtenText {
		col, ok := d.cat.column(w.table, w.column)
		if !ok {
			continue
		}
		doc := docs[w.table][strings.ToLower(w.column)]
		switch {
		case !col.IsText():
			bad++
			d.add(DoctorFail, "types", fmt.Sprintf("%s.%s is %s, documented %s", w.table, w.column, col.Declared(), doc.Declared()), "pcmig writes text there; compare the table with the documented schema")
		case doc.Unicode() && !col.Unicode():
			bad++
			d.add(DoctorWarn, "types", fmt.Sprintf("%s.%s is %s, documented %s: it holds only the characters of code page %d", w.table, w.column, col.Declared(), doc.Declared(), col.Collation.CodePage), "pcmig refuses text the column cannot hold, before writing")
		case doc.Length < 0 && col.Length > 0 || doc.Length > 0 && col.Length > 0 && col.Length < doc.Length:
			bad++
			d.add(DoctorWarn, "types", fmt.Sprintf("%s.%s is %s, documented %s: longer values are refused", w.table, w.column, col.Declared(), doc.Declared()), "pcmig checks every value against the column before writing")
		}
	}
	if bad == 0 {
		d.add(DoctorOK, "types", fmt.Sprintf("the %d text columns pcmig writes have their documented types or wider", len(writtenText)), "")
	}
}

func (d *doctorRun) identity() {
	for _, c := range idColumns {
		col, ok := d.cat.column(c.table, c.column)
		switch {
		case !ok:
		case col.Identity:
			d.add(DoctorOK, "identity", c.table+"."+c.column+" is an IDENTITY column: the server assigns new IDs and pcmig reads them back", "")
		case d.sqlServer:
			d.add(DoctorOK, "identity", c.table+"."+c.column+" is not an IDENTITY column: pcmig assigns new IDs above every ID in use, under a lock", "")
		default:
			d.add(DoctorOK, "identity", c.table+"."+c.column+": the embedded store assigns new IDs above every ID ever used", "")
		}
	}
}

func (d *doctorRun) triggers() {
	enabled := 0
	for _, tr := range d.cat.triggers {
		if tr.Disabled {
			d.add(DoctorOK, "triggers", "trigger "+tr.Name+" on "+tr.Table+" is disabled", "")
			continue
		}
		enabled++
		d.add(DoctorWarn, "triggers", "trigger "+tr.Name+" on "+tr.Table+" runs for pcmig's writes too (its bulk copies fire triggers, as INSERT does)",
			"find out what it does; pcmig never disables triggers and counts its rows without relying on row counts")
	}
	if len(d.cat.triggers) == 0 {
		d.add(DoctorOK, "triggers", "no triggers on the tables pcmig uses", "")
	}
}

func (d *doctorRun) collations() {
	if !d.sqlServer {
		d.add(DoctorNA, "collation", "embedded database: text is Unicode (UTF-8) throughout; names compare case-insensitively, accents count, trailing spaces are ignored", "")
		return
	}
	d.add(DoctorOK, "collation", "database collation "+d.cat.database.Describe(), "")
	name := d.s.Collation("tblNode", "nodeName")
	how := "case-insensitively"
	if name.CaseSensitive() {
		how = "case-sensitively (Sales and sales are two rooms)"
	}
	d.add(DoctorOK, "collation", "category and room names compare "+how+" (tblNode.nodeName: "+name.Name+"); pcmig matches names the same way", "")
	unicode := map[string][]string{}
	for _, w := range writtenText {
		col, ok := d.cat.column(w.table, w.column)
		if !ok || !col.IsText() {
			continue
		}
		if col.Unicode() {
			unicode[col.Collation.Name] = append(unicode[col.Collation.Name], w.table+"."+w.column)
			continue
		}
		cp := col.Collation.CodePage
		switch _, known := codePages[cp]; {
		case cp == 65001:
			d.add(DoctorOK, "collation", fmt.Sprintf("%s.%s is %s with the UTF-8 collation %s: it holds any text", w.table, w.column, col.Declared(), col.Collation.Name), "")
		case known:
			d.add(DoctorOK, "collation", fmt.Sprintf("%s.%s is %s in code page %d (%s): characters outside that code page cannot be stored there", w.table, w.column, col.Declared(), cp, col.Collation.Name),
				"nothing to do: pcmig encodes for the code page and refuses, before writing, a message it cannot store (the import's pre-flight names them)")
		default:
			d.add(DoctorWarn, "collation", fmt.Sprintf("%s.%s is %s in code page %d (%s), which pcmig cannot encode: only ASCII text can be written there", w.table, w.column, col.Declared(), cp, col.Collation.Name),
				"messages with other characters there are refused before writing")
		}
	}
	var names []string
	for c := range unicode {
		names = append(names, c)
	}
	sort.Strings(names)
	for _, c := range names {
		d.add(DoctorOK, "collation", fmt.Sprintf("%d Unicode (nvarchar) columns pcmig writes use %s: %s", len(unicode[c]), c, strings.Join(unicode[c], ", ")), "")
	}
}

// vocabulary finds the rows pcmig looks up by description.
func (d *doctorRun) vocabulary(ctx context.Context) {
	q := d.s.q()
	if r, err := loadRoleTypes(ctx, q); err != nil {
		d.add(DoctorFail, "roles", err.Error(), "tblRoleType must describe each of the four documented roles (Member, Manager, Voiced, Creator) in one row: the role type IDs are not documented, so pcmig finds them by description")
	} else {
		d.add(DoctorOK, "roles", fmt.Sprintf("role types found by description: Member %d, Manager %d, Voiced %d, Creator %d", r.Member, r.Manager, r.Voiced, r.Creator), "")
	}
	if _, err := loadEnums(ctx, q); err != nil {
		d.add(DoctorFail, "enums", err.Error(), "tblEnumValue must hold each of the documented visibility and behavior values once: their IDs are found by value")
	} else {
		d.add(DoctorOK, "enums", "room visibility and behavior values found by description", "")
	}
	if root, err := findRoot(ctx, q); err != nil {
		d.add(DoctorFail, "root", err.Error(), "a Persistent Chat database has one root node")
	} else {
		d.add(DoctorOK, "root", fmt.Sprintf("root node %d", root), "")
	}
	d.principalTypes(ctx)
}

// principalTypes checks the principal type IDs pcmig writes against their
// descriptions in tblPrincipalType.
func (d *doctorRun) principalTypes(ctx context.Context) {
	rows, err := d.s.q().QueryContext(ctx, `SELECT ptypeID, ptypeDesc FROM tblPrincipalType`)
	if err != nil {
		d.failed("principal types", err)
		return
	}
	defer rows.Close()
	have := map[string]int64{}
	for rows.Next() {
		var id int64
		var desc string
		if err := rows.Scan(&id, &desc); err != nil {
			d.failed("principal types", err)
			return
		}
		have[strings.ToLower(strings.TrimSpace(desc))] = id
	}
	if err := rows.Err(); err != nil {
		d.failed("principal types", err)
		return
	}
	var bad []string
	for _, t := range []pchat.PrincipalType{pchat.TypeSystemUser, pchat.TypeUser, pchat.TypeGroup, pchat.TypeFolder, pchat.TypeDC} {
		id, ok := have[strings.ToLower(t.String())]
		if !ok || id != int64(t) {
			bad = append(bad, fmt.Sprintf("%s is %d here, pcmig writes %d", t.String(), id, int64(t)))
		}
	}
	if len(bad) > 0 {
		d.add(d.severe(), "principal types", "tblPrincipalType differs from the documented IDs: "+strings.Join(bad, "; "), "pcmig would write principals with the wrong type; do not import into this database")
		return
	}
	d.add(DoctorOK, "principal types", "tblPrincipalType has the documented IDs for SystemUser, User, Group, Folder and DC", "")
}

func (d *doctorRun) lastChatIDs(ctx context.Context) {
	q := d.s.q()
	found := 0
	for _, c := range []struct {
		query, status string
		// format's %s are the count (one or many) and the rooms' list
		// in unit.
		format, one, many, unit, units string
		action                         string
	}{
		{`SELECT nodeID, COUNT(*) FROM tblLastChatId GROUP BY nodeID HAVING COUNT(*) > 1 ORDER BY nodeID`, DoctorFail,
			"%s more than one tblLastChatId row: %s", "room has", "rooms have", "row", "rows",
			"the room's chat counter is ambiguous: in a maintenance window, keep the row with the highest lastChatID of each room and delete the others (back up first)"},
		{`SELECT l.nodeID, COUNT(*) FROM tblLastChatId l WHERE NOT EXISTS (SELECT 1 FROM tblNode n WHERE n.nodeID = l.nodeID) GROUP BY l.nodeID ORDER BY l.nodeID`, DoctorWarn,
			"tblLastChatId has rows for %s: %s", "node that no longer exists", "nodes that no longer exist", "row", "rows",
			"left over from removed rooms; pcmig never gives a new room one of these IDs"},
		{lastChatBehindSQL, DoctorWarn,
			"%s messages above the recorded lastChatID: %s", "room has", "rooms have", "ID behind", "IDs behind",
			"pcmig continues after the highest chat ID either way"},
		{lastChatMissingSQL, DoctorWarn,
			"%s messages but no tblLastChatId row: %s", "room has", "rooms have", "highest chat ID", "highest chat ID",
			"pcmig writes the row after the highest chat ID when it imports into the room; a Persistent Chat server posting there may reuse chat IDs"},
	} {
		ids, err := idCounts(ctx, q, c.query)
		if err != nil {
			d.failed("tblLastChatId", err)
			return
		}
		if len(ids) > 0 {
			d.add(c.status, "tblLastChatId", fmt.Sprintf(c.format, numtext.Count(len(ids), c.one, c.many), listIDs(ids, c.unit, c.units)), c.action)
		}
		found += len(ids)
	}
	if found == 0 {
		d.add(DoctorOK, "tblLastChatId", "one row per room, each at or above the room's highest chat ID", "")
	}
}

func (d *doctorRun) orphanChats(ctx context.Context) {
	count := "COUNT(*)"
	if d.sqlServer {
		count = "COUNT_BIG(*)"
	}
	pass := d.chatPass(ctx)
	var orphans []idCount
	if pass != nil {
		orphans = pass.orphans
	} else {
		var err error
		orphans, err = idCounts(ctx, d.s.q(), `SELECT c.channelId, `+count+` FROM tblChat c WHERE NOT EXISTS (SELECT 1 FROM tblNode n WHERE n.nodeID = c.channelId)
GROUP BY c.channelId ORDER BY c.channelId`)
		if err != nil {
			d.failed("tblChat", err)
			return
		}
	}
	d.missingPosters(ctx, count, pass)
	// Messages on a category or the root: one seek per category node.
	outside, err := idCounts(ctx, d.s.q(), `SELECT c.channelId, `+count+` FROM tblChat c WHERE c.channelId IN (SELECT n.nodeID FROM tblNode n WHERE n.nodeType = 1)
GROUP BY c.channelId ORDER BY c.channelId`)
	if err != nil {
		d.failed("tblChat", err)
		return
	}
	if len(outside) > 0 {
		d.add(DoctorWarn, "tblChat", fmt.Sprintf("%s on a category or the root node, in no room: %s", numtext.Count(total(outside), "message is", "messages are"), listIDs(outside, "message", "messages")),
			"Persistent Chat keeps messages in rooms only: no export carries these, and pcmig leaves them where they are")
	}
	if dates := d.messageChecks(ctx); dates != nil && dates.datesErr != nil {
		d.failed("tblChat", dates.datesErr)
	} else if dates != nil && dates.nBadDates > 0 {
		named := make([]string, len(dates.badDates))
		for i, m := range dates.badDates {
			named[i] = d.describeMessage(ctx, badMessage{room: m.room, chatID: m.chatID, cols: "chatDate " + m.cols})
		}
		status, action := DoctorWarn, "a target's messages are left as they are; verify compares them as they are"
		if d.opts.Role == RoleSource {
			status, action = DoctorFail, "the export carries them as they are (and warns), and the import refuses the archive before writing anything: correct the messages' chatDate after a backup"
		}
		d.add(status, "tblChat", fmt.Sprintf("%s outside the .NET DateTime range (ticks %d to %d, 0001-01-01 to 9999-12-31): %s",
			numtext.Count(dates.nBadDates, "message is dated", "messages are dated"), pchat.MinTicks, pchat.MaxTicks, numtext.Listed(named, dates.nBadDates, "; ")), action)
	}
	if len(orphans) == 0 {
		if len(outside) == 0 {
			d.add(DoctorOK, "tblChat", "every message belongs to an existing room", "")
		}
		return
	}
	d.add(DoctorWarn, "tblChat", fmt.Sprintf("%s to %s: %s", numtext.Count(total(orphans), "message belongs", "messages belong"), numtext.Count(len(orphans), "room that no longer exists", "rooms that no longer exist"), listIDs(orphans, "message", "messages")),
		"left over from removed rooms: export skips them, and pcmig never gives a new room one of these IDs, so they never reappear")
}

func (d *doctorRun) heartbeats(ctx context.Context) {
	live, err := d.s.LiveServers(ctx)
	if err != nil {
		d.failed("heartbeat", err)
		return
	}
	if len(live) == 0 {
		var n int
		if err := d.s.q().QueryRowContext(ctx, `SELECT COUNT(*) FROM tblServerIdentity`).Scan(&n); err != nil {
			d.failed("heartbeat", err)
			return
		}
		d.add(DoctorOK, "heartbeat", fmt.Sprintf("no Persistent Chat server heartbeats within %s (%s)", d.s.cfg.HeartbeatWindow, numtext.Count(n, "server registered", "servers registered")), "")
		return
	}
	status, action := d.severe(), "stop the Persistent Chat services (Stop-CsWindowsService) before pcmig writes: writes belong in a maintenance window"
	if d.opts.Relaxed {
		status = DoctorWarn
	}
	if d.opts.Role == RoleSource {
		action = "export only reads; --disable-exported writes and needs the services stopped"
	}
	for _, l := range live {
		d.add(status, "heartbeat", fmt.Sprintf("Persistent Chat server %s is running (last heartbeat %s)", l.Address, l.LastPing.UTC().Format(time.RFC3339)), action)
	}
}

// idCount is a node ID with a number.
type idCount struct {
	id int64
	n  int64
}

// total is the sum of the numbers of xs.
func total(xs []idCount) int64 {
	var n int64
	for _, x := range xs {
		n += x.n
	}
	return n
}

func idCounts(ctx context.Context, q querier, query string) ([]idCount, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []idCount
	for rows.Next() {
		var c idCount
		if err := rows.Scan(&c.id, &c.n); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// listIDs shows the first ten "12 (3 rows)", "13 (1 row)".
func listIDs(cs []idCount, one, many string) string {
	var parts []string
	for i, c := range cs {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("and %d more", len(cs)-10))
			break
		}
		parts = append(parts, fmt.Sprintf("%d (%s)", c.id, numtext.Count(c.n, one, many)))
	}
	return strings.Join(parts, ", ")
}

// lastChatBehindSQL lists the rooms whose highest chat ID is above their
// recorded lastChatID, by how much. Each room's highest chat ID is one seek
// on tblChat's key (channelId, chatId), never a read of all its messages:
// the doctor runs against live production databases.
const lastChatBehindSQL = `SELECT nodeID, mx - lc FROM (
  SELECT l.nodeID, l.lc, (SELECT MAX(c.chatId) FROM tblChat c WHERE c.channelId = l.nodeID) AS mx
  FROM (SELECT nodeID, MAX(lastChatID) AS lc FROM tblLastChatId GROUP BY nodeID) l) x
WHERE mx > lc ORDER BY nodeID`

// lastChatMissingSQL lists the rooms that hold messages but have no
// tblLastChatId row, with their highest chat ID (one seek each).
const lastChatMissingSQL = `SELECT nodeID, mx FROM (
  SELECT n.nodeID, (SELECT MAX(c.chatId) FROM tblChat c WHERE c.channelId = n.nodeID) AS mx
  FROM tblNode n WHERE n.nodeType = 0 AND NOT EXISTS (SELECT 1 FROM tblLastChatId l WHERE l.nodeID = n.nodeID)) x
WHERE mx IS NOT NULL ORDER BY nodeID`

// missingPosters finds messages whose poster (tblChat.userId, no
// documented foreign key) is not in tblPrincipal (from the shared pass
// over tblChat when there is one). An export refuses them:
// the archive names a poster by GUID. FAIL for a source, WARN for a target
// (pcmig reads a target's history only to compare it).
func (d *doctorRun) missingPosters(ctx context.Context, count string, pass *chatScan) {
	var gone []idCount
	if pass != nil {
		gone = pass.posters
	} else {
		var err error
		gone, err = idCounts(ctx, d.s.q(), `SELECT m.userId, `+count+` FROM tblChat AS m WHERE NOT EXISTS (SELECT 1 FROM tblPrincipal p WHERE p.prinID = m.userId)
GROUP BY m.userId ORDER BY m.userId`)
		if err != nil {
			d.failed("tblChat", err)
			return
		}
	}
	if len(gone) == 0 {
		return
	}
	status, action := DoctorWarn, "left over from removed principals: an import leaves them as they are, and an export of this pool would refuse them"
	if d.opts.Role == RoleSource {
		status, action = DoctorFail, "the export refuses them (an archive names each poster by GUID): restore the principals, or remove the messages after a backup"
	}
	d.add(status, "tblChat", fmt.Sprintf("%s posted by %s not in tblPrincipal: %s", numtext.Count(total(gone), "message was", "messages were"),
		numtext.Count(len(gone), "prinID", "prinIDs"), listIDs(gone, "message", "messages")), action)
}

// entriesWithoutPrincipalSQL counts, per prinID not in tblPrincipal, the
// role and allowed/denied entries that name it (one index seek into
// tblPrincipal's key per entry).
const entriesWithoutPrincipalSQL = `SELECT x.prin, COUNT(*) FROM (SELECT prinRolePrinID AS prin FROM tblPrincipalRole
  UNION ALL SELECT scopePrinID FROM tblScopePrincipal) AS x
WHERE NOT EXISTS (SELECT 1 FROM tblPrincipal p WHERE p.prinID = x.prin) GROUP BY x.prin ORDER BY x.prin`

// entriesWithoutPrincipal finds role grants (tblPrincipalRole) and allowed
// or denied entries (tblScopePrincipal) whose principal is not in
// tblPrincipal: rows left by removed principals in a damaged pool. An
// export leaves them out with a warning (an archive names principals by
// GUID) and verify notes them, so they are a warning, for a source and a
// target alike.
func (d *doctorRun) entriesWithoutPrincipal(ctx context.Context) {
	var gone []idCount
	ok := false
	if !d.sqlServer {
		gone, ok = d.entriesEmbedded(ctx)
	}
	if !ok {
		var err error
		gone, err = idCounts(ctx, d.s.q(), entriesWithoutPrincipalSQL)
		if err != nil {
			d.failed("role entries", err)
			return
		}
	}
	if len(gone) == 0 {
		d.add(DoctorOK, "role entries", "every role and allowed/denied entry names a principal in tblPrincipal", "")
		return
	}
	d.add(DoctorWarn, "role entries", fmt.Sprintf("%s %s not in tblPrincipal: %s",
		numtext.Count(total(gone), "role or allowed/denied entry names", "role or allowed/denied entries name"),
		numtext.Count(len(gone), "prinID", "prinIDs"), listIDs(gone, "entry", "entries")),
		"left over from removed principals: an export leaves them out with a warning (an archive names principals by GUID), and verify notes them")
}
