package runtime

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pcmig/pcmig/verify"
)

// TestJournalEncodeIsMarshalIndent checks that the journal, which encodes
// each finished step once, writes what encoding the whole journal on every
// save wrote, byte for byte: before any step, as steps finish, after a
// resume took over an earlier run's steps, and when the header changes
// (failed, completed).
func TestJournalEncodeIsMarshalIndent(t *testing.T) {
	clock := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { clock = clock.Add(time.Second); return clock }
	j := &journal{now: now, done: map[string]journalStep{}, data: journalData{Version: 1, Script: "migrate.lua",
		Fingerprint: "sha256:00", Started: now(), Subject: map[string]string{"target database": "sqlite:t.db"}, Steps: []journalStep{}}}
	check := func(when string) {
		t.Helper()
		buf, err := j.encode(sealRoom - 1)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		got := buf[sealRoom-1:]
		want, err := json.MarshalIndent(j.data, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Fatalf("%s: encode differs from json.MarshalIndent (-want +got):\n%s", when, diff)
		}
		if sealed, want := sealInPlace(buf), seal(want); string(sealed) != string(want) {
			t.Fatalf("%s: sealInPlace differs from seal", when)
		}
	}
	check("no step")
	step := func(i int) journalStep {
		return journalStep{Name: fmt.Sprintf("step <%d> & \"more\"", i),
			Data: map[string]json.RawMessage{"estate": json.RawMessage(`{"b": [1, 2,  {}], "a":"x"}`), "empty": json.RawMessage(`[]`)},
			Report: &StepReport{Index: i, Name: fmt.Sprintf("step %d", i), Status: StatusDone, Warnings: []string{"w\u2028", "é"},
				Actions: []Action{{Step: "s", Module: "import", Op: "add", Target: "t", Detail: "<b>", Count: 3}}},
			Reconciliation: &verify.Result{Verdict: verify.Equal, Equal: true, Rooms: []verify.RoomFigure{{Name: "r", Equal: true}}, Notes: []string{}}}
	}
	for i := 1; i <= 3; i++ {
		if err := j.started(fmt.Sprint(i)); err != nil { // no file: write is false
			t.Fatal(err)
		}
		check(fmt.Sprintf("step %d started", i))
		if err := j.finishedStep(step(i)); err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprintf("step %d finished", i))
	}
	j.data.Current, j.data.Error = "4", "failed"
	check("failed")
	j.data.Completed = true
	check("completed")

	resumed := &journal{now: now, done: map[string]journalStep{}, data: j.data}
	j = resumed
	check("resumed")
	if err := j.finishedStep(journalStep{Name: "5", Data: map[string]json.RawMessage{}}); err != nil {
		t.Fatal(err)
	}
	check("resumed, one more step")
}
