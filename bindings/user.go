package bindings

import (
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/pcmig/pcmig/atomicfile"
	"github.com/pcmig/pcmig/directory"
	"github.com/pcmig/pcmig/fsguard"
	"github.com/pcmig/pcmig/numtext"
	pcrt "github.com/pcmig/pcmig/runtime"
)

const directoryType = "pcmig.directory"

// userDir is a loaded user directory; moves made by a dry run or for a real
// estate are kept in memory so later steps see them.
type userDir struct {
	path string
	dir  *directory.Directory
}

// userLoader: require("user")
//
//	user.load(path) -> dir       (directory.ExportCommand's file)
//	dir:users() -> {{sip, upn, pool, line [, disabled=true] [, extra={column=value}]}...}
//	dir:select(filter) -> users  filter: {pool="fqdn"} or function(user) -> boolean
//	dir:problems() -> {{line, sip, message [, pool]}...}   rows that are not valid users
//	dir:left_behind(pool) -> lines, message|nil   rows of pool's users that no move reaches
//	dir:move(users, target_pool [, {batch=50}]) -> {moved, already, disabled, users}
//
// Rows with a missing or malformed SIP address or pool are reported when the
// directory loads (and by problems()), never silently skipped. load raises
// io and validation (not a user directory). move takes user tables or SIP
// addresses, each user once, and raises validation (moving nobody) for
// users not in the directory or on rows with problems and for a target
// that is not an FQDN. On a lab estate the directory file is rewritten
// atomically; on a real estate Move-CsUser -MoveConferenceData lines (never
// -Force) go into the runbook in batches, with a per-user report; in a dry
// run nothing is written. The directory in memory changes in every case.
// Disabled users (Enabled False: Set-CsUser -Enabled $False keeps them homed
// on their pool) are moved like the others, and said so: left on a pool
// that is then decommissioned, they could not be enabled again.
func (e *Env) userLoader(L *lua.LState) int {
	mt := L.NewTypeMetatable(directoryType)
	methods := L.NewTable()
	setMethods(L, methods, "user", map[string]lua.LGFunction{
		"users": e.dirUsers, "select": e.dirSelect, "problems": e.dirProblems, "move": e.dirMove,
		"left_behind": e.dirLeftBehind,
	})
	L.SetField(mt, "__index", methods)
	t := L.NewTable()
	setFuncs(L, t, "user", map[string]lua.LGFunction{"load": e.dirLoad})
	L.Push(t)
	return 1
}

func (e *Env) dirLoad(L *lua.LState) int {
	def := ""
	if e.Estate != nil {
		def = e.Estate.Directory
	}
	path := e.documentPath(L, def, "directory", "users.csv", directory.ExportCommand)
	return loadDocument(L, e, &e.dirs, path, directoryType, fsguard.MaxDirectory, func(data []byte) *userDir {
		dir, problems, err := directory.Parse(data)
		if err != nil {
			pcrt.RaiseError(L, pcrt.KindValidation, "%s: %v", path, err)
		}
		if lost := dir.Lossy(); len(lost) > 0 {
			// Windows PowerShell 5.1's Export-Csv without -Encoding: these
			// users could be neither found nor moved (Move-CsUser knows no
			// sip:j?rg@), and a run would leave them on the old pool. The
			// file is wrong as a whole; exporting it again is the fix.
			pcrt.RaiseError(L, pcrt.KindValidation, "%s", lossyMessage(path, lost))
		}
		if len(problems) == 0 && dir.Valid() == 0 {
			// A header row and nothing else (or blank and empty rows only):
			// Export-Csv writes no header for no users, so this was edited
			// by hand. Moving nobody would read as done.
			pcrt.RaiseError(L, pcrt.KindValidation, "%s: %s", path, noUsersMessage)
		}
		if len(problems) > 0 && dir.Valid() == 0 {
			// Not one user: the wrong file, or one saved wrongly. Moving
			// nobody would read as done.
			pcrt.RaiseError(L, pcrt.KindValidation, "%s: no row is a valid user (%s; the first: %s): export the directory again with "+directory.ExportCommand,
				path, numtext.Count(len(problems), "row has a problem", "rows have problems"), problems[0])
		}
		msgs := make([]string, 0, len(problems))
		for _, p := range problems {
			msgs = append(msgs, fmt.Sprintf("%s %s", path, p))
		}
		warnGroup(L, "rows of "+path+" that are not valid users", msgs)
		return &userDir{path: path, dir: dir}
	})
}

// noUsersMessage says that a directory holds a header row but no user row.
const noUsersMessage = "no user in it (a header row, then only blank or empty rows; Export-Csv writes no header for no users): " +
	"export the directory again with " + directory.ExportCommand

// lossyMessage says that rows of the directory at path (lines lost) have a
// SIP address that lost characters to '?'.
func lossyMessage(path string, lost []int) string {
	return fmt.Sprintf("%s: %s a SIP address that lost characters to '?' (the first on line %d): "+
		"Windows PowerShell 5.1's Export-Csv writes ASCII unless given -Encoding, so those users could be neither found nor moved; "+
		"export the directory again with "+directory.ExportCommand+" "+
		"(in PowerShell 7, -Encoding utf8BOM: a file with a byte order mark is read as written, also where an address really holds a '?')",
		path, numtext.Count(len(lost), "row has", "rows have"), lost[0])
}

func checkDir(L *lua.LState) *userDir {
	ud := L.CheckUserData(1)
	if d, ok := ud.Value.(*userDir); ok {
		return d
	}
	L.ArgError(1, "user directory expected (call as dir:method())")
	return nil
}

func userTable(L *lua.LState, u directory.User) *lua.LTable {
	t := L.NewTable()
	t.RawSetString("sip", lua.LString(u.SipAddress))
	t.RawSetString("upn", lua.LString(u.UserPrincipalName))
	t.RawSetString("pool", lua.LString(u.RegistrarPool))
	t.RawSetString("line", lua.LNumber(u.Line))
	if u.Disabled {
		t.RawSetString("disabled", lua.LTrue)
	}
	if len(u.Extra) > 0 {
		t.RawSetString("extra", toLua(L, u.Extra))
	}
	return t
}

func usersTable(L *lua.LState, users []directory.User) *lua.LTable {
	t := L.CreateTable(len(users), 0)
	for _, u := range users {
		t.Append(userTable(L, u))
	}
	return t
}

func (e *Env) dirUsers(L *lua.LState) int {
	L.Push(usersTable(L, checkDir(L).dir.Users()))
	return 1
}

func (e *Env) dirSelect(L *lua.LState) int {
	d := checkDir(L)
	switch f := L.Get(2).(type) {
	case *lua.LTable:
		pool := optString(L, opts(L, "user:select"), "pool", "")
		if pool == "" {
			L.ArgError(2, "filter table needs pool")
		}
		L.Push(usersTable(L, d.dir.ByPool(pool)))
	case *lua.LFunction:
		var keep []directory.User
		for _, u := range d.dir.Users() {
			L.Push(f)
			L.Push(userTable(L, u))
			L.Call(1, 1)
			if lua.LVAsBool(L.Get(-1)) {
				keep = append(keep, u)
			}
			L.Pop(1)
		}
		L.Push(usersTable(L, keep))
	default:
		L.ArgError(2, "filter expected: {pool=...} or function(user) -> boolean")
	}
	return 1
}

func (e *Env) dirProblems(L *lua.LState) int {
	d := checkDir(L)
	t := L.NewTable()
	for _, p := range d.dir.Problems() {
		pt := L.NewTable()
		pt.RawSetString("line", lua.LNumber(p.Line))
		pt.RawSetString("sip", lua.LString(p.SipAddress))
		pt.RawSetString("message", lua.LString(p.Message))
		if p.Pool != "" {
			pt.RawSetString("pool", lua.LString(p.Pool))
		}
		t.Append(pt)
	}
	L.Push(t)
	return 1
}

func (e *Env) dirMove(L *lua.LState) int {
	d := checkDir(L)
	var sips []string
	list := L.CheckTable(2)
	pcrt.CheckPlain(L, "", "argument #2", list)
	for i := 1; i <= list.Len(); i++ {
		switch v := list.RawGetInt(i).(type) {
		case lua.LString:
			sips = append(sips, string(v))
		case *lua.LTable:
			sips = append(sips, lua.LVAsString(v.RawGetString("sip")))
		default:
			L.ArgError(2, "list of users or SIP addresses expected")
		}
	}
	target := L.CheckString(3)
	batch := int(lua.LVAsNumber(opts(L, "user:move").get(L, "batch")))
	if batch <= 0 && e.Estate != nil {
		batch = e.Estate.MoveBatch
	}
	// Each user once, spelt as the directory spells it, so the runbook
	// moves nobody twice.
	var already int
	var disabled []string
	todo := []string{}
	seen := map[string]bool{}
	for _, s := range sips {
		u, ok := d.dir.Lookup(s)
		if ok {
			s = u.SipAddress
		}
		key := strings.ToLower(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "sip:"))
		if seen[key] {
			continue
		}
		seen[key] = true
		if ok && equalFold(u.RegistrarPool, target) {
			already++
			continue
		}
		todo = append(todo, s)
		if ok && u.Disabled {
			disabled = append(disabled, s)
		}
	}
	moved, err := d.dir.Move(todo, target)
	if err != nil {
		pcrt.RaiseError(L, pcrt.KindValidation, "%s: %v", d.path, err)
	}
	lab := e.Estate == nil || e.Estate.IsLab()
	detail := fmt.Sprintf("home %s on %s", numtext.Count(moved, "user", "users"), target)
	note := ""
	if len(disabled) > 0 && moved > 0 {
		note = disabledNote(disabled, !lab)
		detail += fmt.Sprintf(", %d of them disabled (Enabled False)", len(disabled))
		say(L, "%s: %s", d.path, note)
	}
	if moved > 0 {
		switch {
		case !lab:
			e.runbookSection(L)
			if note != "" {
				e.Runbook.Comment(note)
			}
			check(L, e.Runbook.MoveUsers(target, todo, batch, ""))
			detail += " (Move-CsUser -MoveConferenceData in the runbook)"
		case !dryRun(L):
			check(L, atomicfile.Write(d.path, d.dir.Bytes()))
		}
		record(L, pcrt.Action{Module: "user", Op: "move", Target: target, Count: int64(moved), Detail: detail,
			Fields: map[string]any{"users": todo}})
	}
	t := L.NewTable()
	t.RawSetString("moved", lua.LNumber(moved))
	t.RawSetString("already", lua.LNumber(already))
	t.RawSetString("disabled", lua.LNumber(len(disabled)))
	users := L.NewTable()
	for _, s := range todo {
		users.Append(lua.LString(s))
	}
	t.RawSetString("users", users)
	L.Push(t)
	return 1
}

// disabledNote says that the users sips, disabled in the directory, are
// moved too, and why; byRunbook adds where a refusal would show.
func disabledNote(sips []string, byRunbook bool) string {
	list := strings.Join(sips[:min(len(sips), 5)], ", ")
	if len(sips) > 5 {
		list += ", ..."
	}
	msg := fmt.Sprintf("%s disabled (Enabled False: Set-CsUser -Enabled $False, which keeps the account homed on its pool): %s; "+
		"moved with the others, since left on the old pool they would be homed on a pool that is gone once it is decommissioned, "+
		"and could not sign in when enabled again",
		numtext.Count(len(sips), "user to move is", "users to move are"), list)
	if byRunbook {
		msg += " (if Move-CsUser refuses one, the move report says so)"
	}
	return msg
}

// dirLeftBehind: dir:left_behind(pool) -> lines, message|nil
//
// The lines of the rows that are not valid users but name pool as their
// registrar pool (a user no move reaches; a second row of a SIP address is
// not counted), and a warning that says how many and where, nil when there
// are none.
func (e *Env) dirLeftBehind(L *lua.LState) int {
	d := checkDir(L)
	pool := L.CheckString(2)
	lines := d.dir.LeftBehind(pool)
	t := L.CreateTable(len(lines), 0)
	for _, n := range lines {
		t.Append(lua.LNumber(n))
	}
	L.Push(t)
	if len(lines) == 0 {
		L.Push(lua.LNil)
		return 2
	}
	shown := make([]string, 0, 11)
	for _, n := range lines[:min(len(lines), 10)] {
		shown = append(shown, fmt.Sprint(n))
	}
	if len(lines) > 10 {
		shown = append(shown, "...")
	}
	one := len(lines) == 1
	pick := func(a, b string) string {
		if one {
			return a
		}
		return b
	}
	L.Push(lua.LString(fmt.Sprintf("%s homed on %s %s not moved: %s (%s %s); correct the directory and run again, or move %s with Move-CsUser",
		numtext.Count(len(lines), "user", "users"), strings.TrimSpace(pool), pick("is", "are"),
		pick("its row has problems", "their rows have problems"), pick("line", "lines"), strings.Join(shown, ", "),
		pick("that user", "those users"))))
	return 2
}

func equalFold(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}
