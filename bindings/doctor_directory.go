package bindings

import (
	"fmt"
	"strings"

	"github.com/pcmig/pcmig/directory"
	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/fsguard"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/store"
)

// The doctor's "user directory" line (pcmig doctor --estate): the bundled
// scripts read the estate's directory before their first write
// (user.load), and refuse one that cannot be used; the pre-flight an
// administrator runs beforehand passed such a file without a word.

// DirectoryCheckName is the check's name in a doctor report.
const DirectoryCheckName = "user directory"

// DirectoryCheck is the "user directory" line of the target's doctor report
// (role store.RoleTarget) of an estate that names a directory; ok is false
// for any other report. FAIL for what user.load refuses, WARN for rows that
// are not valid users, OK with the users and those homed on the source
// registrars. Never the file's text.
func DirectoryCheck(est *estate.Estate, role string) (c store.DoctorCheck, ok bool) {
	if est == nil || est.Directory == "" || role != store.RoleTarget {
		return store.DoctorCheck{}, false
	}
	path := est.Directory
	c = store.DoctorCheck{Check: DirectoryCheckName, Status: store.DoctorFail,
		Action: "the step \"move the users to the target pool\" reads it, and the run refuses it before step 1: export it again with " +
			directory.ExportCommand}
	data, err := fsguard.ReadFile(path, fsguard.MaxDirectory, "user directory")
	if err != nil {
		c.Message = fmt.Sprintf("%s: %v", path, err)
		return c, true
	}
	dir, problems, err := directory.Parse(data)
	switch {
	case err != nil:
		c.Message = fmt.Sprintf("%s: %v", path, err)
		return c, true
	case len(dir.Lossy()) > 0:
		c.Message = lossyMessage(path, dir.Lossy())
		return c, true
	case len(problems) == 0 && dir.Valid() == 0:
		c.Message = fmt.Sprintf("%s: %s", path, noUsersMessage)
		return c, true
	case len(problems) > 0 && dir.Valid() == 0:
		c.Message = fmt.Sprintf("%s: no row is a valid user (%s; the first: %s)", path,
			numtext.Count(len(problems), "row has a problem", "rows have problems"), problems[0])
		return c, true
	}
	var regs []string
	pools := est.Sources
	if est.Source != nil {
		pools = append([]estate.Pool{*est.Source}, pools...)
	}
	for _, p := range pools {
		if p.Registrar != "" {
			users := dir.ByPool(p.Registrar)
			reg := fmt.Sprintf("%d homed on %s", len(users), p.Registrar)
			// Disabled users move too (see dir:move): the pre-flight
			// says so, so that the count is not read as active users.
			if n := countDisabled(users); n > 0 {
				reg += fmt.Sprintf(" (%d of them disabled, Enabled False: they move too)", n)
			}
			regs = append(regs, reg)
		}
	}
	counts := numtext.Count(dir.Valid(), "user", "users")
	if len(regs) > 0 {
		counts += ", " + strings.Join(regs, ", ")
	}
	if len(problems) > 0 {
		c.Status = store.DoctorWarn
		c.Message = fmt.Sprintf("%s: %s (the first: %s); %s", path,
			numtext.Count(len(problems), "row is not a valid user", "rows are not valid users"), problems[0], counts)
		c.Action = "those users are not moved: correct the rows, or move them with Move-CsUser"
		return c, true
	}
	c.Status, c.Action = store.DoctorOK, ""
	if !dir.HasEnabled() {
		// Without the column every user reads as enabled, and the
		// disabled ones move unannounced.
		counts += "; it has no Enabled column, so users suspended with Set-CsUser -Enabled $False cannot be told apart (" +
			directory.ExportCommand + " writes it)"
	}
	c.Message = fmt.Sprintf("user directory %s can be read (%s): %s", path, dir.Encoding(), counts)
	return c, true
}

// countDisabled is how many of users are disabled (Enabled False).
func countDisabled(users []directory.User) int {
	n := 0
	for _, u := range users {
		if u.Disabled {
			n++
		}
	}
	return n
}
