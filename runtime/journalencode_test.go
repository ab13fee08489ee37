package runtime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pcmig/pcmig/verify"
)

// TestJournalEncodeIsMarshalIndent checks that the journal, which encodes
// each finished step once, writes the header as json.MarshalIndent does
// and each finished step as one line of json.Marshal, and that it decodes
// to the journal: before any step, as steps finish, after a resume took
// over an earlier run's steps, and when the header changes (failed,
// completed).
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
		head := j.data
		head.Steps = nil
		want, err := json.MarshalIndent(head, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		want = bytes.TrimSuffix(want, []byte("null\n}"))
		if len(j.data.Steps) == 0 {
			want = append(want, "[]\n}"...)
		} else {
			for i, st := range j.data.Steps {
				line, err := json.Marshal(st)
				if err != nil {
					t.Fatal(err)
				}
				want = append(append(append(want, "[,"[min(i, 1)]), "\n    "...), line...)
			}
			want = append(want, "\n  ]\n}"...)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Fatalf("%s: encode differs from the header indented and a line of compact JSON per step (-want +got):\n%s", when, diff)
		}
		var back journalData
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		w, _ := json.Marshal(j.data)
		g, _ := json.Marshal(back)
		if diff := cmp.Diff(string(w), string(g)); diff != "" {
			t.Fatalf("%s: the encoded journal decodes to another journal (-want +got):\n%s", when, diff)
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
