package runtime

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestYieldInsideStep checks that a coroutine that yields inside a step's
// body does not leave the step finished: Lua 5.1 refuses to yield across
// the Go call that runs the body ("attempt to yield across
// metamethod/C-call boundary"), so the step fails, the journal does not
// record it as finished, and the run fails unless the script catches the
// error. Released gopher-lua let the yield through: the step was journaled
// as finished although its body never completed, a nil-pointer error
// followed, and the run reported success.
func TestYieldInsideStep(t *testing.T) {
	tests := []struct {
		name, src  string
		wantRunErr bool
	}{
		{
			name: "coroutine.wrap: the error ends the run",
			src: `local co = coroutine.wrap(function()
  step("import", function()
    coroutine.yield("half way")
    print("second half")
  end)
end)
co()
co()
print("after")`,
			wantRunErr: true,
		},
		{
			name: "coroutine.resume whose error the script ignores",
			src: `local co = coroutine.create(function()
  step("import", function()
    coroutine.yield("half way")
    print("second half")
  end)
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print("after")`,
			// The step failed: the run is not done although the script
			// ends normally (caughtFailure).
			wantRunErr: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "journal.json")
			r := runSource(t, context.Background(), tc.src, "", Options{Journal: path})
			if (r.err != nil) != tc.wantRunErr {
				t.Fatalf("Run() error = %v, want an error: %v\nstdout:\n%s", r.err, tc.wantRunErr, r.stdout)
			}
			if strings.Contains(r.stdout, "second half") {
				t.Errorf("the step's body went on after a yield:\n%s", r.stdout)
			}
			const want = "attempt to yield across metamethod/C-call boundary"
			if !strings.Contains(r.stdout, want) {
				t.Errorf("output does not say %q:\n%s", want, r.stdout)
			}
			if len(r.rep.Steps) != 1 || r.rep.Steps[0].Status != StatusFailed {
				t.Errorf("report steps = %+v, want one failed step", r.rep.Steps)
			}
			j := readJournalFile(t, path)
			if len(j.Steps) != 0 {
				t.Errorf("journal records finished steps %+v; the step never finished", j.Steps)
			}
			if tc.wantRunErr && j.Completed {
				t.Errorf("journal says the run completed")
			}
		})
	}
}
