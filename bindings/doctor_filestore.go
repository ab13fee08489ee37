package bindings

import (
	"fmt"
	"runtime"
	"time"

	"github.com/pcmig/pcmig/estate"
	"github.com/pcmig/pcmig/filestore"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/store"
)

// The doctor's "file store" line, shared by pcmig doctor and the Lua
// doctor module: the step "copy the uploaded files" (pool.copy_files)
// reads the source's file store and writes the target's, and found a
// missing or unusable one only when it ran, after the export and the
// import had written.

// FileStoreCheckName is the check's name in a doctor report.
const FileStoreCheckName = "file store"

// fileStoreBudget bounds the count of a source's files.
const fileStoreBudget = 2 * time.Second

// FileStoreCheck is the "file store" line of a pool's doctor report, as
// role (store.RoleSource: pcmig reads the store; store.RoleTarget: it
// writes it); ok is false for a pool without a file store. real is a real
// estate's pool (its runbook copies the stores with robocopy): a UNC share
// can be checked only from Windows, and is N/A elsewhere. probe lets the
// check write (and remove) a test file in a target's store; a dry run
// passes false, since it writes nothing anywhere, and the OS is asked
// instead where it can be (filestore.CheckTarget).
func FileStoreCheck(p estate.Pool, role string, real, probe bool) (c store.DoctorCheck, ok bool) {
	return fileStoreCheck(p, role, real, runtime.GOOS == "windows", probe)
}

func fileStoreCheck(p estate.Pool, role string, real, windows, probe bool) (store.DoctorCheck, bool) {
	dir := p.FileStore
	if dir == "" {
		return store.DoctorCheck{}, false
	}
	c := store.DoctorCheck{Check: FileStoreCheckName}
	if real && estate.IsShare(dir) && !windows {
		c.Status = store.DoctorNA
		c.Message = fmt.Sprintf("%s file store %s is a share this host (%s) cannot reach; the runbook copies it with robocopy on Windows, "+
			"which stops on a share it cannot read or write, and then compares counts and sizes", role, dir, runtime.GOOS)
		c.Action = "run pcmig doctor on the Windows host that runs the runbook to check the share beforehand"
		return c, true
	}
	copier := "the step \"copy the uploaded files\" (pool.copy_files)"
	if real {
		copier = "the runbook's robocopy (step \"copy the uploaded files\")"
	}
	if role == store.RoleTarget {
		create, tried, err := filestore.CheckTarget(dir, probe)
		unchecked := ""
		if !tried {
			unchecked = " (whether it can be written is not tried in a dry run on this system: the run tries it before its first write)"
		}
		switch {
		case err != nil:
			c.Status = store.DoctorFail
			c.Message = fmt.Sprintf("target file store %s %v", dir, err)
			c.Action = copier + " writes into it: correct file_store in the estate, or make the folder one the account that runs the copy can write"
		case create != "":
			c.Status = store.DoctorOK
			c.Message = fmt.Sprintf("target file store %s does not exist yet: the copy creates it in %s, which can be written", dir, create)
			if !tried {
				c.Message = fmt.Sprintf("target file store %s does not exist yet: the copy creates it in %s%s", dir, create, unchecked)
			}
		default:
			c.Status = store.DoctorOK
			c.Message = fmt.Sprintf("target file store %s is a folder that can be written", dir)
			if !tried {
				c.Message = fmt.Sprintf("target file store %s is a folder%s", dir, unchecked)
			}
		}
		return c, true
	}
	s, err := filestore.CheckSource(dir, fileStoreBudget)
	if err != nil {
		c.Status = store.DoctorFail
		c.Message = fmt.Sprintf("%s file store %s %v", role, dir, err)
		c.Action = copier + " reads all of it: correct file_store in the estate, or restore the folder or its permissions"
		return c, true
	}
	held := fmt.Sprintf("%s files, %s", numtext.Thousands(s.Files), numtext.Bytes(s.Bytes))
	if !s.Complete {
		held = fmt.Sprintf("at least %s (counting stopped after %s)", held, fileStoreBudget)
	}
	c.Status = store.DoctorOK
	c.Message = fmt.Sprintf("%s file store %s can be listed: %s", role, dir, held)
	return c, true
}
