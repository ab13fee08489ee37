package bindings

import (
	"fmt"

	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/poolsettings"
	"github.com/pcmig/pcmig/store"
)

// The doctor's "pool settings" line, shared by pcmig doctor and the Lua
// doctor module: the step "carry the pool's own settings over"
// (pool.carry_settings) reads a lab estate's pool_settings file, and found
// one too large or not JSON only when it ran, after the export, the import,
// the copy of the files and the topology switch had written.

// PoolSettingsCheckName is the check's name in a doctor report.
const PoolSettingsCheckName = "pool settings"

// PoolSettingsCheck is the "pool settings" line of the target's doctor
// report (role store.RoleTarget) of a lab estate that names a
// pool_settings file, read from path (the file, or where a dry run keeps
// its copy); ok is false for any other report. A real estate's runbook
// reads the settings with the cmdlets. An error names the file and what is
// wrong, never its content.
func PoolSettingsCheck(est *estate.Estate, role, path string) (c store.DoctorCheck, ok bool) {
	if est == nil || !est.IsLab() || est.PoolSettings == "" || role != store.RoleTarget {
		return store.DoctorCheck{}, false
	}
	c = store.DoctorCheck{Check: PoolSettingsCheckName}
	s, err := poolsettings.Load(path)
	if err != nil {
		c.Status = store.DoctorFail
		c.Message = err.Error()
		c.Action = "the step \"carry the pool's own settings over\" (pool.carry_settings) reads and rewrites it: correct pool_settings in the estate, or restore the file"
		return c, true
	}
	c.Status = store.DoctorOK
	c.Message = fmt.Sprintf("pool settings file %s can be read (%s): %s, %s, %s", est.PoolSettings, s.Encoding(),
		numtext.Count(len(s.Configurations), "configuration", "configurations"), numtext.Count(len(s.Compliance), "compliance configuration", "compliance configurations"),
		numtext.Count(len(s.Endpoints), "endpoint", "endpoints"))
	return c, true
}
