package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"
)

// The doctor is a read-only pre-flight of a database: everything pcmig
// assumes about an mgc database, checked without writing, one line per
// finding. It opens its own connection and never runs the store's open-time
// checks, so a database that Open would refuse is still described line by
// line. docs/doctor.md lists the checks.

// Doctor statuses.
const (
	DoctorOK   = "OK"
	DoctorWarn = "WARN"
	DoctorFail = "FAIL"
	DoctorNA   = "N/A"
)

// DoctorCheck is one line of a doctor report.
type DoctorCheck struct {
	Status  string `json:"status"`           // OK, WARN, FAIL or N/A
	Check   string `json:"check"`            // what was checked: schema, identity, triggers, ...
	Message string `json:"message"`          // what was found
	Action  string `json:"action,omitempty"` // what to do about it
}

// DoctorReport is the result of Doctor.
type DoctorReport struct {
	Database string        `json:"database"` // described without secrets
	Dialect  string        `json:"dialect"`
	Role     string        `json:"role"`
	Checks   []DoctorCheck `json:"checks"`
}

// Count returns how many checks have the status.
func (r *DoctorReport) Count(status string) int {
	n := 0
	for _, c := range r.Checks {
		if c.Status == status {
			n++
		}
	}
	return n
}

// Failed reports whether any check failed.
func (r *DoctorReport) Failed() bool { return r.Count(DoctorFail) > 0 }

func (r *DoctorReport) add(status, check, message, action string) {
	r.Checks = append(r.Checks, DoctorCheck{Status: status, Check: check, Message: message, Action: action})
}

// Doctor roles: what pcmig will do with the database.
const (
	RoleTarget = "target" // pcmig writes (import, creators, probe room)
	RoleSource = "source" // pcmig reads (export; --disable-exported updates rooms)
)

// DoctorOptions say what the database is for and how big the import is.
type DoctorOptions struct {
	// Role is RoleTarget (default) or RoleSource. A target that cannot be
	// written or has live servers fails; a source only warns.
	Role string
	// ImportBytes and ImportMessages size the import a target will take
	// (0: unknown, the space checks then only report).
	ImportBytes, ImportMessages int64
	// ImportUnknown says why the import's size could not be found (a
	// source whose messages could not be read); the space checks then
	// warn that they compared nothing, rather than say OK.
	ImportUnknown string
	// Relaxed turns failures that only matter when writing now (live
	// servers) into warnings: dry runs, --force.
	Relaxed bool
	// TargetNames is how the target of a source's import compares category
	// and room names (its tblNode.nodeName collation; nil: unknown). The
	// import compares an archive's names that way, so a source's names
	// line also fails on names only the target holds as one.
	TargetNames *Collation
	// ReplaceUnpaired says the export will run with
	// --replace-unpaired-surrogates (an estate's
	// export.replace_unpaired_surrogates): a SQL Server source's text
	// holding a UTF-16 surrogate without its pair is then a warning (the
	// export carries U+FFFD, naming each), not a failure.
	ReplaceUnpaired bool
}

// Doctor checks a database without writing to it. The error is only for a
// configuration that names no database or an unknown role; everything
// about the database, a failed connection included, is a line of the
// report. A doctor of several databases that need each other's figures
// opens each once instead (OpenDoctor).
func Doctor(ctx context.Context, cfg Config, opts DoctorOptions) (*DoctorReport, error) {
	return doctorOnce(ctx, cfg, nil, opts)
}

// DoctorUnconfigured is the report on a database whose configuration
// could not be made (an estate's password_env naming an empty or unset
// variable): one FAIL line saying why, so that a doctor of several
// databases goes on to the others. err must name no secret (a variable's
// name, never its value); it is redacted all the same.
func DoctorUnconfigured(cfg Config, role string, err error) *DoctorReport {
	kind, kerr := cfg.Kind()
	if kerr != nil {
		kind = "unknown"
	}
	if role == "" {
		role = RoleTarget
	}
	rep := &DoctorReport{Database: cfg.Describe(), Dialect: kind, Role: role}
	rep.add(DoctorFail, "connection", cfg.Redact(err.Error()),
		"set the environment variable the message names, or fix the database's entry in the estate file; nothing else can be checked on this database")
	return rep
}

// DoctorConnector is Doctor through conn instead of go-mssqldb's own
// connector (tests: the recording driver).
func DoctorConnector(ctx context.Context, cfg Config, conn driver.Connector, opts DoctorOptions) (*DoctorReport, error) {
	if conn == nil {
		return nil, errors.New("store: DoctorConnector needs a connector")
	}
	return doctorOnce(ctx, cfg, conn, opts)
}

// DoctorStore is Doctor on the database an open store works on (in a
// dry run, the real database behind its scratch copy), through the
// store's own connection.
func DoctorStore(ctx context.Context, s *Store, opts DoctorOptions) (*DoctorReport, error) {
	return DoctorOn(s).Check(ctx, opts)
}

// doctorOnce opens the database, checks it and closes it.
func doctorOnce(ctx context.Context, cfg Config, conn driver.Connector, opts DoctorOptions) (*DoctorReport, error) {
	if _, err := doctorRole(opts.Role); err != nil {
		return nil, err
	}
	db, err := openDoctor(ctx, cfg, conn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return db.Check(ctx, opts)
}

// doctorRole is the role a doctor checks for: target when none is given.
func doctorRole(role string) (string, error) {
	if role == "" {
		role = RoleTarget
	}
	if role != RoleTarget && role != RoleSource {
		return "", fmt.Errorf("doctor role %q: want %s or %s", role, RoleTarget, RoleSource)
	}
	return role, nil
}

// doctorConfig is cfg as the doctor reads with it: read-only, with the
// clock and heartbeat window of an open store.
func doctorConfig(cfg Config) Config {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HeartbeatWindow == 0 {
		cfg.HeartbeatWindow = 10 * time.Minute
	}
	cfg.ReadOnly = true
	return cfg
}

// newDoctorReport checks the options and starts the report with the
// connection's security warnings.
func newDoctorReport(cfg Config, kind string, opts DoctorOptions) (*DoctorReport, error) {
	role, err := doctorRole(opts.Role)
	if err != nil {
		return nil, err
	}
	rep := &DoctorReport{Database: cfg.Describe(), Dialect: kind, Role: role}
	for _, w := range cfg.Warnings() {
		rep.add(DoctorWarn, "connection", w, "")
	}
	return rep, nil
}

func runDoctor(ctx context.Context, rep *DoctorReport, s *Store, opts DoctorOptions) *DoctorReport {
	opts.Role = rep.Role
	d := &doctorRun{s: s, rep: rep, opts: opts, sqlServer: s.dialect.name() == "sqlserver"}
	d.run(ctx)
	for i := range rep.Checks {
		rep.Checks[i].Message = s.cfg.Redact(rep.Checks[i].Message)
	}
	return rep
}

// openForDoctor connects read-only without the open-time checks.
func openForDoctor(ctx context.Context, cfg Config, kind string, conn driver.Connector) (*Store, error) {
	if kind == "sqlite" {
		path := cfg.SQLitePath()
		if _, err := sqliteFile(path, false); err != nil {
			return nil, err
		}
		if err := checkSQLiteHeader(path); err != nil {
			return nil, err
		}
		if err := waitUnlocked(ctx, cfg.checkNoWriter); err != nil {
			return nil, err
		}
		db, err := openSQLiteDB(path, true)
		if err != nil {
			return nil, err
		}
		return newStore(cfg, db, sqliteDialect{}), nil
	}
	db, err := openSQLServerDB(ctx, cfg, conn)
	if err != nil {
		return nil, err
	}
	return newStore(cfg, db, mssqlDialect{}), nil
}

// doctorRun is one doctor's state while it checks.
type doctorRun struct {
	s         *Store
	rep       *DoctorReport
	opts      DoctorOptions
	sqlServer bool
	cat       *catalog
	// chat is the shared pass over tblChat (chatPass), once chatRead.
	chat     *chatScan
	chatRead bool
	// msg and msgRead: the SQL Server read of the messages' dates and
	// text (messageChecks).
	msg     *chatScan
	msgRead bool
	// ids are the key column sets idSet read, by table.
	ids map[string]map[int64]struct{}
}

func (d *doctorRun) add(status, check, message, action string) {
	d.rep.add(status, check, message, action)
}

// severe is FAIL for a target and WARN for a source.
func (d *doctorRun) severe() string {
	if d.opts.Role == RoleTarget {
		return DoctorFail
	}
	return DoctorWarn
}

// failed records a check that could not run. A conversion error's value
// is left out (a column of the wrong type: SQLite stores what it is
// given), as the store's errors leave it out.
//
// A check stopped by the context (Ctrl-C, a run's time limit) says so;
// the permission named in the advice is SQL Server's, so an embedded
// database's advice does not name it.
func (d *doctorRun) failed(check string, err error) {
	action := "see the error; the table may be missing or not of the documented shape"
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		action = "the doctor was stopped before this check finished, by Ctrl-C or a time limit; run it again"
	case d.sqlServer:
		action = "see the error; the login may lack VIEW DEFINITION or the table may be missing"
	}
	d.add(DoctorFail, check, "could not check: "+withoutValues(err.Error()), action)
}

func (d *doctorRun) run(ctx context.Context) {
	d.server(ctx)
	cat, err := readCatalog(ctx, d.s.q(), d.s.dialect)
	if err != nil {
		d.failed("schema", err)
		return
	}
	d.cat, d.s.cat = cat, cat
	d.schema()
	d.columnTypes()
	d.identity()
	d.triggers()
	d.collations()
	d.permissions(ctx)
	d.vocabulary(ctx)
	d.values(ctx)
	d.guids(ctx)
	d.texts(ctx)
	d.roomSettings(ctx)
	d.poolID(ctx)
	d.names(ctx)
	d.categoryPlaces(ctx)
	d.lastChatIDs(ctx)
	d.orphanChats(ctx)
	d.entriesWithoutPrincipal(ctx)
	d.entriesWithoutNode(ctx)
	d.principalStates(ctx)
	d.exportable(ctx)
	d.heartbeats(ctx)
	d.space(ctx)
}
