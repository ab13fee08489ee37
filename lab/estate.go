package lab

import (
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/directory"
	"github.com/pcmig/pcmig/numtext"
)

// luaQuote writes s as a Lua string literal. Non-ASCII text stays UTF-8.
func luaQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch c {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteRune(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(&b, `\%03d`, c)
				continue
			}
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// estateLua is the estate file of the lab, in the format of docs/estate.md,
// with comments for the administrators who rehearse on it.
func estateLua(p *plan) []byte {
	o := p.opts
	q := luaQuote
	exampleCat, exampleUser := q(p.cats[0].c.Name), q(p.dir.users[1].p.URI)
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("-- %s: a practice estate written by `pcmig lab init` (seed %d).", o.Name, o.Seed)
	w("--")
	w("-- It describes one migration of Persistent Chat from Skype for Business")
	w("-- Server 2015 to 2019, following Microsoft's procedure:")
	w("--   from pool  %s (users homed on %s)", o.SourcePool, o.SourceRegistrar)
	w("--   to pool    %s (users move to %s)", o.TargetPool, o.TargetRegistrar)
	w("--   in site    %s", o.Site)
	w("-- Steps: export, import, switch the site's default Persistent Chat pool,")
	w("-- move the users, and add the creators the import leaves out.")
	w("--")
	w("-- Both pools are embedded databases here: %s holds %s,", sourceDB, numtext.Count(len(p.cats), "category", "categories"))
	w("-- %s and %s; %s is empty. Paths are relative to", numtext.Count(len(p.rooms), "room", "rooms"), numtext.Count(o.Messages, "message", "messages"), targetDB)
	w("-- this file's folder. Writing the lab again (overwriting it) starts from")
	w("-- scratch and forgets earlier runs on it.")
	w("--")
	w("-- To describe your own estate, copy this file, set kind = \"real\" and point")
	w("-- the databases at your SQL Server instances (see the comments on db below).")
	// c writes a line of code with a comment aligned after it.
	c := func(code, comment string) {
		if comment == "" {
			w("%s", code)
			return
		}
		w("%-34s -- %s", code, comment)
	}
	c("return {", "")
	c("  name = "+q(o.Name)+",", "shown in plans, reports and the runbook header")
	c(`  kind = "lab",`, `"lab": pcmig switches the topology and moves users itself;`)
	c("", `"real": those steps go into the PowerShell runbook instead`)
	c("  site = "+q(o.Site)+",", "the site whose default Persistent Chat pool is switched")
	c("  topology = "+q(topologyFile)+",", "Get-CsTopology -AsXml (lab: rewritten in place)")
	c("  directory = "+q(directoryFile)+",", directory.ExportCommand)
	c(`  archive = "archive/pchat-2015.zip",`, "where step 1 writes the export")
	c(`  runbook = "runbook.ps1",`, "where cmdlets for a real estate are written")
	c(`  pool_settings = "`+settingsFile+`",`, "lab only: the pools' own settings (real: read with cmdlets)")
	c(`  state = ".pcmig",`, "run journal and lock (never written in a dry run)")
	c("", "")
	c("  source = {", "")
	c("    pool = "+q(o.SourcePool)+",", "Persistent Chat pool FQDN")
	c("    registrar = "+q(o.SourceRegistrar)+",", "Front End pool its users are homed on")
	c("    db = "+q("sqlite:"+sourceDB)+",", "real: { instance = "+q(o.SourceSQL)+`, database = "mgc" }`)
	c("    file_store = "+q(sourceFiles)+",", `uploaded files; real: the share, e.g. [[\\`+o.FileStore+`\pchat]]`)
	c("  },", "")
	c("  target = {", "")
	c("    pool = "+q(o.TargetPool)+",", "")
	c("    registrar = "+q(o.TargetRegistrar)+",", "")
	c("    db = "+q("sqlite:"+targetDB)+",", "real: { instance = "+q(o.TargetSQL)+`, database = "mgc" }`)
	c("    file_store = "+q(targetFiles)+",", "")
	c("", `with a SQL login add user = "pcmig", password_env = "PCMIG_TARGET_PASSWORD"`)
	c("", "(never the password itself); without user, Windows authentication is used")
	c("  },", "")
	c("", "")
	c("  -- level: All | User | Category | RoomDirectory | Content; scope: category names", "")
	c(`  -- (empty: every category); since: "YYYY-MM-DD", the oldest content to copy;`, "")
	c("  -- disable_exported: disable the exported rooms in the source; replace_unpaired_surrogates: U+FFFD for a lone UTF-16 surrogate.", "")
	c(`  export = { level = "All", scope = {}, since = nil, disable_exported = false, replace_unpaired_surrogates = false },`, "")
	c(`  on_conflict = "merge",`, "merge | skip | rename | fail (duplicate categories)")
	c("  creators = {", "creators to add on top of the source's, per category;")
	c("", "the source's own arrive with the import")
	c("    -- ["+exampleCat+"] = { "+exampleUser+" },", "")
	c(`    ["*"] = { `+q(p.dir.admin.p.URI)+" },", "every migrated category (the target's own are left alone)")
	c("  },", "")
	c("  move_batch = 50,", "Move-CsUser lines per batch in the runbook")
	c("  allow_other_site = false,", "allow a default pool from another site")
	c("}", "")
	return []byte(b.String())
}
