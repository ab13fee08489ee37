package runtime

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// TestTimeLimitKeepsTheCause: a module whose work is ended by the run's
// time limit and that says why it was waiting (a database held by
// another process) is reported with the time limit and that cause, not
// the time limit alone. Before, scriptError replaced the message with
// "time limit of 1s exceeded", and who held the database was lost.
func TestTimeLimitKeepsTheCause(t *testing.T) {
	held := Module{Name: "heldmod", Loader: func(L *lua.LState) int {
		tb := L.NewTable()
		SetFuncs(L, tb, "heldmod", map[string]lua.LGFunction{
			"wait": func(L *lua.LState) int {
				<-L.Context().Done()
				Raise(L, &ScriptError{Kind: KindDatabase, Message: "target.db is held by pid 4242 on host lab1 (pcmig import)", Err: L.Context().Err()})
				return 0
			},
		})
		L.Push(tb)
		return 1
	}}
	r := runSource(t, context.Background(), "\nrequire('heldmod').wait()\n", "", Options{Timeout: time.Second, Modules: []Module{held}})
	se := asScriptError(t, r.err)
	if se.Kind != KindTimeout || !errors.Is(r.err, context.DeadlineExceeded) {
		t.Errorf("kind %q, error %v: want a timeout", se.Kind, r.err)
	}
	for _, want := range []string{"time limit of 1s exceeded", "target.db is held by pid 4242 on host lab1"} {
		if !strings.Contains(r.err.Error(), want) {
			t.Errorf("Error() = %q, want it to say %q", r.err, want)
		}
	}
}
