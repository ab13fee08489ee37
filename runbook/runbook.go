// Package runbook writes the reviewed PowerShell runbook: the changes of a
// Persistent Chat migration that must be made with supported Skype for
// Business Server cmdlets rather than in SQL (the site's default Persistent
// Chat pool, user moves, category creators, and optionally the cmdlet route
// for export and import).
//
// A runbook is built step by step and rendered once:
//
//	rb := runbook.New(runbook.Header{Estate: "Contoso", Tool: "pcmig 1.0.0", Generated: now})
//	rb.AddSection(3, "Switch the site's default Persistent Chat pool")
//	err := rb.SetSiteDefaultPool("Redmond", "pchat19.contoso.com")
//	rb.AddSection(5, "Move users to the 2019 pool")
//	err = rb.MoveUsers("fe19.contoso.com", sips, 50, `D:\pcmig\reports`)
//	script := rb.Bytes()
//
// The typed adders validate their arguments and return an error before
// anything is added; all but Comment need a section first (ErrNoSection).
//
// # Rendering
//
// Bytes returns a Windows PowerShell script: a UTF-8 byte order mark (so
// that Windows PowerShell 5.1 does not read non-ASCII names as ANSI), CRLF
// line endings, a header comment saying what the script is, for which
// estate, when and by what it was generated and that it must be reviewed
// and run in the Skype for Business Server Management Shell, then
// "#Requires -Version 3.0" (Export-Csv -Append and [pscustomobject] need
// it), $ErrorActionPreference = 'Stop', and one commented section per step.
// A section without commands says so.
//
// Every value is written as a single-quoted literal by Quote, so names are
// never expanded or executed; text placed in comments goes through
// CommentText, so no line break in a name can end a comment. Values that
// hold line breaks or invisible characters get a warning comment.
//
// Each section with commands runs inside a progress guard: a section the
// script finished is recorded beside it (pcmig-runbook-progress.csv, keyed
// by the runbook's ID), so that a second run after a failure halfway skips
// it; the cmdlet route's sections run only when the administrator sets
// $PcmigUseCmdletRoute. Paths beside the script go through $PcmigDir, which
// also works when a selection is run in the ISE.
//
// User moves run Move-CsUser -MoveConferenceData for one user at a time in
// batches, never -Force, skipping users Get-CsUser already shows on the
// target; each user's result is appended to a CSV report (SipAddress,
// Target, Status, Error, Time) whose path is set at the top of the script,
// and a failed user does not stop the others. Creators are added only where
// the category lacks them. Where pcmig's reference does not document a
// cmdlet or property, the script checks it at run time or its comments say
// so. See docs/runbook.md.
package runbook

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pcmig/pcmig/fqdn"
)

// DefaultBatchSize is the number of users per Move-CsUser batch when
// MoveUsers is given a batch size below 1.
const DefaultBatchSize = 50

// ErrNoSection is returned by the adders when no section has been added.
var ErrNoSection = errors.New("runbook: add a section before adding commands")

// levels accepted by Export-CsPersistentChatData -Level.
var levels = []string{"All", "User", "Category", "RoomDirectory", "Content"}

// Header identifies a runbook. Generated is supplied by the caller so that
// output is reproducible.
type Header struct {
	Estate    string    // estate or project name
	Tool      string    // generating tool and version, e.g. "pcmig 1.0.0"
	Generated time.Time // written in UTC, RFC 3339
}

// Runbook accumulates the sections of a script. The zero value is not
// usable; call New.
type Runbook struct {
	header   Header
	notes    []string // comment lines added before the first section
	sections []*section
	reports  []moveReport
	// needFileCheck, needSettings and needCreators add the helper
	// functions of CopyFileStore, CarryPoolSettings and
	// AddCategoryCreators at the top of the script.
	needFileCheck, needSettings, needCreators bool
	// needScopeCopy adds CopyFileStoreScope's copy function.
	needScopeCopy bool
	// ops are the calls of the adders that succeeded (replay.go).
	ops []Op
}

type section struct {
	step  int
	title string
	lines []string
	// moves is set when the section moves users: it is recorded as
	// finished only when no move failed.
	moves bool
	// route is set when the section holds the cmdlet route (export or
	// import): it runs only when the administrator opts in.
	route bool
}

// moveReport is one report variable declared at the top of the script.
type moveReport struct {
	variable, dir, file string
}

// Export holds the parameters of Export-CsPersistentChatData.
type Export struct {
	DBInstance string     // required: "sqlhost.contoso.com\instance"
	DBName     string     // optional, e.g. "mgc"; omitted when ""
	FileName   string     // required: the .zip to write
	Level      string     // All, User, Category, RoomDirectory or Content (any case); omitted when ""
	Scopes     []string   // categories to export (-Scope); all when empty
	StartDate  *time.Time // content start (-StartDate); omitted when nil
}

// New starts a runbook.
func New(h Header) *Runbook { return &Runbook{header: h} }

// AddSection starts the section for a migration step; the commands added
// next go into it.
func (r *Runbook) AddSection(step int, title string) {
	r.ops = append(r.ops, Op{Op: "section", Step: step, Args: []string{title}})
	r.sections = append(r.sections, &section{step: step, title: title})
}

// current returns the open section.
func (r *Runbook) current() (*section, error) {
	if len(r.sections) == 0 {
		return nil, ErrNoSection
	}
	return r.sections[len(r.sections)-1], nil
}

// Comment adds comment lines (one per line of text) to the current section,
// or below the header when no section has been added yet.
func (r *Runbook) Comment(text string) {
	r.ops = append(r.ops, Op{Op: "comment", Args: []string{text}})
	if s, err := r.current(); err == nil {
		s.lines = append(s.lines, comment(text)...)
		return
	}
	r.notes = append(r.notes, comment(text)...)
}

// add appends lines to the current section.
func (r *Runbook) add(lines ...string) error {
	s, err := r.current()
	if err != nil {
		return err
	}
	s.lines = append(s.lines, lines...)
	return nil
}

// SetSiteDefaultPool adds Set-CsSite -DefaultPersistentChatPool for a site
// (a name such as "Redmond"; "site:" is added) and a Get-CsSite line that
// shows the result.
func (r *Runbook) SetSiteDefaultPool(site, pool string) (err error) {
	defer r.logged(&err, Op{Op: "site", Args: []string{site, pool}})
	if err := checkUTF8("SetSiteDefaultPool", "the site", site); err != nil {
		return err
	}
	site = strings.TrimPrefix(site, "site:")
	if strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(site), "site:")) == "" {
		return errors.New("runbook: SetSiteDefaultPool: empty site name")
	}
	if !fqdn.Valid(pool) {
		return fmt.Errorf("runbook: SetSiteDefaultPool: pool %q is not an FQDN", pool)
	}
	id := "site:" + site
	lines := []string{
		"# Topology Builder equivalent: site > Edit Properties > Persistent Chat setting > Default Persistent",
		"# Chat pool, then Publish. pcmig's reference documents Set-CsSite -DefaultPersistentChatPool; it is",
		"# not documented whether the change also needs a Publish of the topology, nor in what form Get-CsSite",
		"# (not in the reference either) shows the default: check that its output below names the new pool.",
		"# Topology Builder publishes its whole document: if you publish from it later, download the",
		"# topology again first, or a document downloaded before this step puts the old default back.",
	}
	lines = append(lines, valueNote(id)...)
	lines = append(lines,
		fmt.Sprintf("Set-CsSite -Identity %s -DefaultPersistentChatPool %s", Quote(id), Quote(pool)),
		fmt.Sprintf("Get-CsSite -Identity %s | Format-List Identity, DefaultPersistentChatPool", Quote(id)),
		"# Every site's default. Topology Builder can make one pool the default of every site (\"Use this",
		"# pool as default for all sites\"), and the topology document pcmig reads may not show it: a site",
		"# still on the old pool must be switched too (Set-CsSite as above), or its users lose Persistent",
		"# Chat when the old pool is removed.",
		"Get-CsSite | Format-Table Identity, DefaultPersistentChatPool -AutoSize",
	)
	return r.add(lines...)
}

// MoveUsers adds Move-CsUser -MoveConferenceData for each user, in batches of
// batchSize (DefaultBatchSize when below 1), with a per-user CSV report in
// reportDir (the script's own folder when ""). -Force is never used: it
// moves users without their contacts and meetings, which are then lost. An
// empty sips list adds a comment only.
func (r *Runbook) MoveUsers(target string, sips []string, batchSize int, reportDir string) (err error) {
	defer r.logged(&err, Op{Op: "move", Args: []string{target, reportDir}, Values: slices.Clone(sips), Batch: batchSize})
	if !fqdn.Valid(target) {
		return fmt.Errorf("runbook: MoveUsers: target pool %q is not an FQDN", target)
	}
	if err := checkValues("MoveUsers", sips); err != nil {
		return err
	}
	if err := checkUTF8("MoveUsers", "the report folder", reportDir); err != nil {
		return err
	}
	if _, err := r.current(); err != nil {
		return err
	}
	if len(sips) == 0 {
		return r.add("# No users to move to " + target + ".")
	}
	if batchSize < 1 {
		batchSize = DefaultBatchSize
	}
	rep := moveReport{
		variable: fmt.Sprintf("$MoveReport%d", len(r.reports)+1),
		dir:      reportDir,
		file:     fmt.Sprintf("move-users-%d-to-%s.csv", len(r.reports)+1, target),
	}
	r.reports = append(r.reports, rep)
	r.sections[len(r.sections)-1].moves = true
	batches := (len(sips) + batchSize - 1) / batchSize
	lines := []string{
		fmt.Sprintf("# Move %d user(s) to %s in %d batch(es) of up to %d. Each result is appended to %s.",
			len(sips), target, batches, batchSize, rep.variable),
	}
	for b := 0; b < batches; b++ {
		batch := sips[b*batchSize : min(len(sips), (b+1)*batchSize)]
		lines = append(lines,
			fmt.Sprintf("Write-Host %s", Quote(fmt.Sprintf("Batch %d of %d: %d user(s) to %s", b+1, batches, len(batch), target))),
			fmt.Sprintf("Move-PcmigUserBatch -Report %s -Target %s -Users @(", rep.variable, Quote(target)))
		for _, s := range batch {
			lines = append(lines, indent(valueNote(s))...)
			lines = append(lines, "    "+Quote(s))
		}
		lines = append(lines, ")")
	}
	return r.add(lines...)
}

// AddCategoryCreators adds Set-CsPersistentChatCategory -Creators @{Add=...}
// for the category POOL\CATEGORY. An empty sips list adds a comment only.
func (r *Runbook) AddCategoryCreators(poolFQDN, category string, sips []string) (err error) {
	defer r.logged(&err, Op{Op: "creators", Args: []string{poolFQDN, category}, Values: slices.Clone(sips)})
	if !fqdn.Valid(poolFQDN) {
		return fmt.Errorf("runbook: AddCategoryCreators: pool %q is not an FQDN", poolFQDN)
	}
	if strings.TrimSpace(category) == "" {
		return errors.New("runbook: AddCategoryCreators: empty category name")
	}
	if err := checkValues("AddCategoryCreators", sips); err != nil {
		return err
	}
	if err := checkUTF8("AddCategoryCreators", "the category", category); err != nil {
		return err
	}
	id := poolFQDN + `\` + category
	if len(sips) == 0 {
		return r.add("# No creators to add to category " + CommentText(id) + ".")
	}
	lines := []string{fmt.Sprintf("# Category %s: add %d creator(s). Creators must be within the category's AllowedMembers.",
		CommentText(id), len(sips))}
	if strings.Contains(category, `\`) {
		lines = append(lines, `# NOTE: the category name holds a \: the identity POOL\CATEGORY is then ambiguous, and the reference`,
			"# does not say how the cmdlets split it. Check with Get-CsPersistentChatCategory -Identity before running.")
	}
	lines = append(lines, valueNote(id)...)
	lines = append(lines, fmt.Sprintf("Add-PcmigCategoryCreators -Identity %s -Creators @(", Quote(id)))
	for _, s := range sips {
		lines = append(lines, indent(valueNote(s))...)
		lines = append(lines, "    "+Quote(s))
	}
	r.needCreators = true
	return r.add(append(lines, ")")...)
}

// ExportData adds Export-CsPersistentChatData.
func (r *Runbook) ExportData(e Export) (err error) {
	defer r.logged(&err, Op{Op: "export", Export: e.clone()})
	if strings.TrimSpace(e.DBInstance) == "" || strings.TrimSpace(e.FileName) == "" {
		return errors.New("runbook: ExportData: DBInstance and FileName are required")
	}
	if err := checkUTF8("ExportData", "DBInstance", e.DBInstance, "DBName", e.DBName, "FileName", e.FileName); err != nil {
		return err
	}
	cmd := fmt.Sprintf("Export-CsPersistentChatData -DBInstance %s", Quote(e.DBInstance))
	values := []string{e.DBInstance, e.DBName, e.FileName}
	if e.DBName != "" {
		cmd += " -DBName " + Quote(e.DBName)
	}
	cmd += " -FileName " + Quote(e.FileName)
	if e.Level != "" {
		level, ok := canonicalLevel(e.Level)
		if !ok {
			return fmt.Errorf("runbook: ExportData: level %q is not one of %s", e.Level, strings.Join(levels, ", "))
		}
		cmd += " -Level " + Quote(level)
	}
	if err := checkValues("ExportData scope", e.Scopes); err != nil {
		return err
	}
	if len(e.Scopes) > 0 {
		cmd += " -Scope @(" + quoteList(e.Scopes) + ")"
		values = append(values, e.Scopes...)
	}
	if e.StartDate != nil {
		cmd += " -StartDate " + Quote(e.StartDate.UTC().Format(time.RFC3339))
	}
	if _, err := r.current(); err != nil {
		return err
	}
	r.sections[len(r.sections)-1].route = true
	lines := []string{"# Export Persistent Chat data from " + CommentText(e.DBInstance) + "."}
	if len(e.Scopes) > 0 {
		lines = append(lines, "# -Scope limits the export to these categories; whether it takes category names (as here) or",
			`# POOL\CATEGORY identities is not documented: check Get-Help Export-CsPersistentChatData -Parameter Scope.`)
	}
	if e.StartDate != nil {
		lines = append(lines, "# -StartDate is documented as valid only with -Level RoomDirectory (probably meant: Content);",
			"# check Get-Help Export-CsPersistentChatData -Parameter StartDate with the level used here.")
	}
	lines = append(lines, valueNote(values...)...)
	return r.add(append(lines, cmd)...)
}

// ImportData adds Import-CsPersistentChatData.
func (r *Runbook) ImportData(dbInstance, file string) (err error) {
	defer r.logged(&err, Op{Op: "import", Args: []string{dbInstance, file}})
	if strings.TrimSpace(dbInstance) == "" || strings.TrimSpace(file) == "" {
		return errors.New("runbook: ImportData: DBInstance and FileName are required")
	}
	if err := checkUTF8("ImportData", "DBInstance", dbInstance, "FileName", file); err != nil {
		return err
	}
	if _, err := r.current(); err != nil {
		return err
	}
	r.sections[len(r.sections)-1].route = true
	lines := []string{
		"# Import into " + CommentText(dbInstance) + ". The import overwrites same-named categories, rooms and",
		"# add-ins in the target: back up its mgc database first.",
	}
	lines = append(lines,
		"# -Confirm:$false answers the cmdlet's confirmation (the reference lists -Confirm), so that an",
		"# unattended run cannot wait at a prompt. Microsoft's Group Chat migration runs the import with",
		"# -WhatIf first and fixes its errors and warnings: run this line with -WhatIf to do the same.")
	lines = append(lines, valueNote(dbInstance, file)...)
	lines = append(lines, fmt.Sprintf("Import-CsPersistentChatData -DBInstance %s -FileName %s -Confirm:$false", Quote(dbInstance), Quote(file)))
	return r.add(lines...)
}

func canonicalLevel(s string) (string, bool) {
	for _, l := range levels {
		if strings.EqualFold(l, strings.TrimSpace(s)) {
			return l, true
		}
	}
	return "", false
}

// checkValues rejects empty entries in a list of SIP addresses or names,
// and entries that are not valid UTF-8.
func checkValues(what string, values []string) error {
	for i, v := range values {
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("runbook: %s: entry %d is empty", what, i+1)
		}
		if !utf8.ValidString(v) {
			return fmt.Errorf("runbook: %s: entry %d is not valid UTF-8 (read in another encoding?): the script, UTF-8, cannot hold it", what, i+1)
		}
	}
	return nil
}

// checkUTF8 rejects a named argument that is not valid UTF-8: written into
// the UTF-8 script, its invalid bytes would become U+FFFD and the command
// would name something else. The error names the argument, not its bytes.
func checkUTF8(adder string, args ...string) error {
	for i := 0; i+1 < len(args); i += 2 {
		if !utf8.ValidString(args[i+1]) {
			return fmt.Errorf("runbook: %s: %s is not valid UTF-8 (read in another encoding?): the script, UTF-8, cannot hold it", adder, args[i])
		}
	}
	return nil
}

func indent(lines []string) []string {
	for i := range lines {
		lines[i] = "    " + lines[i]
	}
	return lines
}

// HasCommands reports whether any section holds a command (a line that is
// not a comment).
func (r *Runbook) HasCommands() bool {
	return slices.ContainsFunc(r.sections, (*section).hasCommands)
}
