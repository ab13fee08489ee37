package bindings

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/atomicfile"
	"github.com/pcmig/pcmig/jsonerr"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// ProbeRoomName is the name of the room room.probe creates and removes.
const ProbeRoomName = "pcmig probe room"

// probeFile holds, in the estate's state folder, the GUID of each probe
// room pcmig is about to create, by database (Store.Describe, which holds
// no secret). It is written before the room is created and removed once the
// room is, so a run killed in between leaves a record that proves the
// leftover room is pcmig's own.
const probeFile = "probe-room.json"

type probeRecord struct {
	Pool string `json:"pool"`
	Name string `json:"name"`
	GUID string `json:"guid"`
}

type probeResult struct {
	Name     string `json:"name"`
	GUID     string `json:"guid"`
	Category string `json:"category"`
	Creator  string `json:"creator"`
	// Leftover is true when pcmig's own probe room, left by a run stopped
	// between creating and removing it, was removed first.
	Leftover bool `json:"leftover"`
}

// roomProbe is room.probe(pool, category, creator): it creates pcmig's
// probe room in the category as the creator would, and removes it at once.
// A room of that name that an earlier, interrupted probe created (its GUID
// is the one recorded in the state folder) is removed first; any other
// room of that name is left alone and raises conflict.
func (e *Env) roomProbe(L *lua.LState) int {
	p, s := e.poolStore(L, 1)
	catName, who := L.CheckString(2), L.CheckString(3)
	name := ProbeRoomName
	records := e.readProbes(L)
	key := s.Describe()
	res := probeResult{Name: name, Category: catName, Creator: who}
	if e.roomTaken(L, s, name) {
		r := e.rooms(L, s).find(name)
		// The record is found by the database's description, or, when the
		// estate folder moved since (the description holds the path), by
		// the room's GUID: a GUID pcmig drew and recorded is its own.
		owned := ""
		for k, rec := range records {
			if r != nil && strings.EqualFold(r.GUID, rec.GUID) && (k == key || owned == "") {
				owned = k
			}
		}
		if owned == "" {
			pcrt.RaiseError(L, pcrt.KindConflict, "room %q already exists in %s and is not pcmig's probe room of this estate "+
				"(this estate's state folder records no probe room of its GUID): pcmig leaves it alone. If another "+
				"estate's run that shares this pool stopped during its room-creation check, resume that run; "+
				"otherwise rename the room or remove it (Remove-CsPersistentChatRoom), then run again", name, p.Pool)
		}
		delete(records, owned)
		e.removeRoom(L, p, s, name)
		res.Leftover = true
	}
	res.GUID = store.NewGUID()
	records[key] = probeRecord{Pool: p.Pool, Name: name, GUID: res.GUID}
	e.writeProbes(L, records)
	e.createRoom(L, p, s, roomFields{Name: name, Category: catName, Creator: who, Privacy: "Secret",
		Type: "Normal", Invitations: "Inherit",
		Description: "created and removed by pcmig to prove rooms can be created (probe " + res.GUID + ")"}, res.GUID)
	e.removeRoom(L, p, s, name)
	delete(records, key)
	e.writeProbes(L, records)
	L.Push(toLua(L, res))
	return 1
}

// probePath is the probe record's file, or "" when the run has no state
// folder (no estate).
func (e *Env) probePath(L *lua.LState) string {
	if e.Estate == nil || e.Estate.State == "" {
		return ""
	}
	return filepath.Join(e.Estate.State, probeFile)
}

// readProbes reads the probe records; none when there is no file.
func (e *Env) readProbes(L *lua.LState) map[string]probeRecord {
	out := map[string]probeRecord{}
	path := e.probePath(L)
	if path == "" {
		return out
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return out
	}
	if err != nil {
		pcrt.RaiseError(L, pcrt.KindIO, "probe room record: %v", err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		pcrt.RaiseError(L, pcrt.KindIO, "probe room record %s is damaged (%s): remove it; a probe room it named is then treated as not pcmig's", path, jsonerr.Describe(b, err, &out))
	}
	return out
}

// writeProbes replaces the probe records, removing the file when there are
// none (a dry run writes nothing).
func (e *Env) writeProbes(L *lua.LState, records map[string]probeRecord) {
	path := e.probePath(L)
	if path == "" || dryRun(L) {
		return
	}
	if len(records) == 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			pcrt.RaiseError(L, pcrt.KindIO, "probe room record: %v", err)
		}
		return
	}
	b, err := json.MarshalIndent(records, "", "  ")
	if err != nil {
		pcrt.RaiseError(L, pcrt.KindInternal, "probe room record: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		pcrt.RaiseError(L, pcrt.KindIO, "probe room record: %v", err)
	}
	if err := atomicfile.Write(path, append(b, '\n')); err != nil {
		pcrt.RaiseError(L, pcrt.KindIO, "probe room record: %v", err)
	}
}
