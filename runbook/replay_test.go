package runbook

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReplayRebuildsTheRunbook splits a runbook's calls at every position,
// stores each part as JSON and replays both parts on a new runbook: the
// script is the same, byte for byte (move report numbering and helper
// functions included).
func TestReplayRebuildsTheRunbook(t *testing.T) {
	build := func() *Runbook {
		rb := fullRunbook(t)
		rb.AddSection(7, "Copy the uploaded files")
		must(t, rb.CopyFileStore("pchat15.contoso.com", "pchat19.contoso.com", "", `\\fs19\pchat`, ""))
		must(t, rb.CarryPoolSettingsLeavingEndpoints("pchat15.contoso.com", "pchat19-emea.contoso.com", "", "pchat19.contoso.com"))
		must(t, rb.CopyFileStoreScope("pchat15.contoso.com", "pchat19-emea.contoso.com", "", "", "", []string{"Sales"}, []string{"r1/f1/a b.txt"}))
		must(t, rb.CarryPoolSettings("pchat15.contoso.com", "pchat19.contoso.com", `D:\reports`))
		must(t, rb.CarryPoolSettingsKeeping("pchat-amer.contoso.com", "pchat19.contoso.com", `D:\reports`))
		must(t, rb.MoveUsers("fe19.contoso.com", []string{"sip:zed@contoso.com"}, 0, ""))
		return rb
	}
	want := build().Bytes()
	all := build().Since(0)
	for cut := 0; cut <= len(all); cut++ {
		rb := New(testHeader)
		for _, part := range [][]Op{all[:cut], all[cut:]} {
			b, err := json.Marshal(part)
			if err != nil {
				t.Fatal(err)
			}
			var ops []Op
			if err := json.Unmarshal(b, &ops); err != nil {
				t.Fatal(err)
			}
			if err := rb.Replay(ops); err != nil {
				t.Fatalf("cut %d: %v", cut, err)
			}
		}
		if got := rb.Bytes(); string(got) != string(want) {
			t.Fatalf("cut at call %d of %d: replayed runbook differs:\n%s", cut, len(all), cmp.Diff(string(want), string(got)))
		}
	}
	if got := build().Since(Mark(len(all))); len(got) != 0 {
		t.Errorf("Since the end: %d calls, want none", len(got))
	}
}

// TestReplayFailedCallsAreNotRecorded: an adder that refuses its arguments
// records nothing.
func TestReplayFailedCallsAreNotRecorded(t *testing.T) {
	rb := New(testHeader)
	if err := rb.SetSiteDefaultPool("Redmond", "pchat19.contoso.com"); err == nil {
		t.Fatal("a command without a section was accepted")
	}
	rb.AddSection(3, "switch")
	if err := rb.SetSiteDefaultPool("Redmond", "not a pool"); err == nil {
		t.Fatal("a pool that is not an FQDN was accepted")
	}
	if got := rb.Since(0); len(got) != 1 || got[0].Op != "section" {
		t.Errorf("calls = %+v, want the section only", got)
	}
}

// TestReplayChecksStoredCalls: stored calls come from a file, so they are
// checked again: an unknown call or a wrong number of arguments is refused,
// and values are quoted as the adders quote them, whatever they hold.
func TestReplayChecksStoredCalls(t *testing.T) {
	for _, tc := range []struct {
		ops  []Op
		want string
	}{
		{[]Op{{Op: "raw", Args: []string{"Remove-Item C:\\"}}}, "call 1 of 1 (raw): not a runbook call"},
		{[]Op{{Op: "section", Args: []string{"s"}}, {Op: "site", Args: []string{"Redmond"}}}, "call 2 of 2 (site): 1 arguments, want 2"},
		{[]Op{{Op: "site", Args: []string{"Redmond", "pchat19.contoso.com"}}}, ErrNoSection.Error()},
		{[]Op{{Op: "export"}}, "no export parameters"},
	} {
		err := New(testHeader).Replay(tc.ops)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Replay(%+v) = %v, want an error with %q", tc.ops, err, tc.want)
		}
	}
	rb := New(testHeader)
	evil := "Redmond'; Remove-Item -Recurse C:\\; '"
	if err := rb.Replay([]Op{{Op: "section", Step: 3, Args: []string{"switch"}}, {Op: "site", Args: []string{evil, "pchat19.contoso.com"}}}); err != nil {
		t.Fatal(err)
	}
	out := string(rb.Bytes())
	if !strings.Contains(out, "Set-CsSite -Identity "+Quote("site:"+evil)) {
		t.Errorf("the replayed site is not quoted as a literal:\n%s", out)
	}
	checkScript(t, rb.Bytes())
}
