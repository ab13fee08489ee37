package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
)

// tableNeeds are the rights pcmig needs on each table it writes as a
// target. SELECT is needed on every table it uses.
var tableNeeds = map[string][]string{
	"tblPrincipal":             {"INSERT"},
	"tblPrincipalAffiliations": {"INSERT"},
	"tblSiopWhiteList":         {"INSERT"},
	"tblNode":                  {"INSERT", "UPDATE", "DELETE"},
	"tblPrincipalRole":         {"INSERT", "DELETE"},
	"tblScopePrincipal":        {"INSERT"},
	"tblChat":                  {"INSERT", "DELETE"},
	"tblLastChatId":            {"INSERT", "UPDATE", "DELETE"},
	"tblFileToken":             {"DELETE"},
	"tblPrincipalInvites":      {"DELETE"},
	"tblSystemRevision":        {"UPDATE"},
}

// sourceNeeds are the rights of a source: export reads, and
// --disable-exported updates rooms.
var sourceNeeds = map[string][]string{"tblNode": {"UPDATE"}, "tblSystemRevision": {"UPDATE"}}

// permissionsSQL asks the server which rights the login has on each table
// pcmig uses, as its unqualified statements resolve them.
func permissionsSQL() string {
	perm := func(p string) string {
		return "HAS_PERMS_BY_NAME(QUOTENAME(SCHEMA_NAME(t.schema_id)) + N'.' + QUOTENAME(t.name), N'OBJECT', N'" + p + "')"
	}
	return `SELECT v.doc, ` + perm("SELECT") + `, ` + perm("INSERT") + `, ` + perm("UPDATE") + `, ` + perm("DELETE") + `
FROM (VALUES ` + tableValues() + `) AS v(doc)
JOIN sys.tables t ON t.object_id = OBJECT_ID(v.doc)
ORDER BY v.doc`
}

func (d *doctorRun) permissions(ctx context.Context) {
	if !d.sqlServer {
		path := d.s.cfg.SQLitePath()
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			d.add(d.severe(), "permissions", "the embedded database file cannot be opened for writing: "+err.Error(), "pcmig writes to a target: check the file's permissions")
			return
		}
		f.Close()
		d.add(DoctorOK, "permissions", "the embedded database file can be written", "")
		return
	}
	rows, err := d.s.q().QueryContext(ctx, permissionsSQL())
	if err != nil {
		d.failed("permissions", err)
		return
	}
	defer rows.Close()
	have := map[string]map[string]bool{}
	for rows.Next() {
		var table string
		var sel, ins, upd, del sql.NullInt64
		if err := rows.Scan(&table, &sel, &ins, &upd, &del); err != nil {
			d.failed("permissions", err)
			return
		}
		have[table] = map[string]bool{"SELECT": sel.Int64 == 1, "INSERT": ins.Int64 == 1, "UPDATE": upd.Int64 == 1, "DELETE": del.Int64 == 1}
	}
	if err := rows.Err(); err != nil {
		d.failed("permissions", err)
		return
	}
	var noRead, noWrite []string
	for _, t := range catalogTables() {
		h, ok := have[t]
		if !ok {
			continue // missing table: the schema check says so
		}
		if !h["SELECT"] {
			noRead = append(noRead, t)
		}
		needs := tableNeeds[t]
		if d.opts.Role == RoleSource {
			needs = sourceNeeds[t]
		}
		for _, p := range needs {
			if !h[p] {
				noWrite = append(noWrite, p+" on "+t)
			}
		}
	}
	if len(noRead) > 0 {
		d.add(DoctorFail, "permissions", "the login cannot read "+strings.Join(noRead, ", "), "grant it db_datareader in this database")
	} else {
		d.add(DoctorOK, "permissions", "the login can read every table pcmig uses", "")
	}
	switch {
	case len(noWrite) > 0 && d.opts.Role == RoleSource:
		d.add(DoctorWarn, "permissions", "the login lacks "+strings.Join(noWrite, ", "), "export works; --disable-exported needs UPDATE on tblNode and tblSystemRevision (db_datawriter)")
	case len(noWrite) > 0:
		d.add(DoctorFail, "permissions", "the login lacks "+strings.Join(noWrite, ", "), "grant it db_datawriter in this database: db_datareader and db_datawriter are all pcmig needs")
	case d.opts.Role == RoleTarget:
		d.add(DoctorOK, "permissions", "the login can write every table pcmig writes", "")
	}
	d.add(DoctorOK, "permissions", "pcmig needs no ALTER permission: it never sets IDENTITY_INSERT or disables triggers or constraints, and its bulk copies check constraints and fire triggers", "")
}

// spaceSQL sums the data (type 0) and log (type 1) files: allocated and
// used bytes, files that may grow, files without a size limit, and the
// limits of the others.
const spaceSQL = `SELECT type, SUM(CAST(size AS bigint)) * 8192, SUM(CAST(FILEPROPERTY(name, 'SpaceUsed') AS bigint)) * 8192,
  SUM(CASE WHEN growth = 0 THEN 0 ELSE 1 END), SUM(CASE WHEN max_size = -1 THEN 1 ELSE 0 END),
  SUM(CAST(CASE WHEN max_size = -1 THEN 0 ELSE max_size END AS bigint)) * 8192
FROM sys.database_files WHERE type IN (0, 1) GROUP BY type ORDER BY type`

const recoverySQL = `SELECT recovery_model_desc, log_reuse_wait_desc FROM sys.databases WHERE database_id = DB_ID()`

// importEstimate is roughly what an import adds to the data files and to
// the log: content is stored as UTF-16 (about twice its UTF-8 bytes) and
// each row has some bytes of overhead; bulk copy without TABLOCK is fully
// logged, so the log takes about as much again.
func importEstimate(bytes, messages int64) int64 { return 2*bytes + 64*messages }

type fileSpace struct {
	size, used         sql.NullInt64
	growing, unlimited int64
	limit              int64
	known, usedKnown   bool
}

func (f fileSpace) free() int64 { return f.size.Int64 - f.used.Int64 }

func (f fileSpace) canGrow() bool {
	return f.growing > 0 && (f.unlimited > 0 || f.limit > f.size.Int64)
}

func (d *doctorRun) space(ctx context.Context) {
	need := importEstimate(d.opts.ImportBytes, d.opts.ImportMessages)
	unknown := d.opts.ImportUnknown
	if unknown != "" {
		need = -1 // fileCheck: nothing to compare with
	}
	if !d.sqlServer {
		st, err := os.Stat(d.s.cfg.SQLitePath())
		if err != nil {
			d.failed("size", err)
			return
		}
		msg := "embedded database of " + fmtBytes(st.Size())
		switch {
		case unknown != "":
			d.add(DoctorWarn, "size", msg+"; the import's size is unknown: "+unknown, importUnknownAction)
			return
		case need > 0:
			msg += fmt.Sprintf("; the import adds about %s (free disk space is not checked)", fmtBytes(need))
		}
		d.add(DoctorNA, "size", msg, "")
		return
	}
	rows, err := d.s.q().QueryContext(ctx, spaceSQL)
	if err != nil {
		d.failed("size", err)
		return
	}
	var data, logf fileSpace
	for rows.Next() {
		var typ int64
		var f fileSpace
		var growing, unlimited, limit sql.NullInt64
		if err := rows.Scan(&typ, &f.size, &f.used, &growing, &unlimited, &limit); err != nil {
			rows.Close()
			d.failed("size", err)
			return
		}
		f.growing, f.unlimited, f.limit, f.known, f.usedKnown = growing.Int64, unlimited.Int64, limit.Int64, true, f.used.Valid
		if typ == 0 {
			data = f
		} else {
			logf = f
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		d.failed("size", err)
		return
	}
	var model, wait string
	if err := d.s.q().QueryRowContext(ctx, recoverySQL).Scan(&model, &wait); err != nil {
		d.failed("recovery", err)
		return
	}
	d.fileCheck("size", "data files", data, need, "add space to the data files (ALTER DATABASE ... MODIFY FILE) or allow them to grow, before the import")
	logNeed := need
	switch model {
	case "SIMPLE":
		logNeed = 0 // reused at checkpoints; pcmig commits every batch
		d.add(DoctorOK, "recovery", "recovery model SIMPLE: the log is reused at checkpoints, and pcmig commits every batch", "")
	default:
		d.add(DoctorOK, "recovery", "recovery model "+model+": the import stays in the log until the next log backup",
			"take a full or log backup before the import and keep the log backups running during it")
	}
	d.fileCheck("log", "log files", logf, logNeed, "take a log backup, add log space or allow the log to grow, before the import")
	switch wait {
	case "NOTHING", "CHECKPOINT", "LOG_BACKUP", "":
	default:
		d.add(DoctorWarn, "log", "the log cannot be reused now: "+wait, "resolve it before a long import (sys.databases.log_reuse_wait_desc)")
	}
}

// fileCheck compares the free space of the data or log files with what
// the import needs.
func (d *doctorRun) fileCheck(check, what string, f fileSpace, need int64, action string) {
	if !f.known || !f.usedKnown {
		d.add(DoctorWarn, check, "the "+what+"' used space cannot be read", "pcmig could not compare the "+what+" with the import's size")
		return
	}
	grow := "cannot grow"
	if f.canGrow() {
		grow = "may grow"
		if f.unlimited == 0 {
			grow += " to " + fmtBytes(f.limit)
		}
	}
	msg := fmt.Sprintf("%s: %s allocated, %s free, %s", what, fmtBytes(f.size.Int64), fmtBytes(f.free()), grow)
	switch {
	case need < 0:
		d.add(DoctorWarn, check, msg+"; the import's size is unknown, so it was not compared: "+d.opts.ImportUnknown, importUnknownAction)
	case need == 0:
		d.add(DoctorOK, check, msg, "")
	case need <= f.free():
		d.add(DoctorOK, check, msg+fmt.Sprintf("; the import needs about %s", fmtBytes(need)), "")
	case f.canGrow() && (f.unlimited > 0 || f.limit-f.used.Int64 >= need):
		d.add(DoctorWarn, check, msg+fmt.Sprintf("; the import needs about %s, so the files will grow", fmtBytes(need)), "check that the disk has room for the growth, or grow the files beforehand")
	default:
		d.add(d.severe(), check, msg+fmt.Sprintf("; the import needs about %s", fmtBytes(need)), action)
	}
}

// importUnknownAction is the action of a space check that had no import
// size to compare with.
const importUnknownAction = "correct what the source's report says, then run the doctor again"

// fmtBytes writes a size in binary units.
func fmtBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
