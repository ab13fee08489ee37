package runtime

import (
	"strings"
	"testing"
)

func samplePlanActions() []Action {
	return []Action{
		{Module: "check", Op: "freeze_source", Target: "pc2015.contoso.com", Detail: "disable exported categories"},
		{Step: "import categories", Module: "category", Op: "create", Target: "Sales", Count: 12, Detail: "with 12 rooms"},
		{Step: "import categories", Module: "category", Op: "merge", Target: "Engineering", Detail: "into the existing category", Fields: map[string]any{"existing_id": "4611686018427387905", "rooms": 3}},
		{Step: "import categories", Module: "chat", Op: "import", Target: "Sales/General", Count: 1234567},
		{Step: "import categories", Module: "category", Op: "create", Target: "Ventes-Équipe", Detail: "aligned by code points"},
		{Step: "switch default pool", Module: "topology", Op: "set_default_pool", Target: "site:Redmond", Detail: "pc2015.contoso.com -> pc2019.contoso.com"},
	}
}

func TestPlanRendering(t *testing.T) {
	tests := []struct {
		name        string
		dryRun      bool
		actions     []Action
		wantPending bool
	}{
		{name: "dry_run", dryRun: true, actions: samplePlanActions(), wantPending: true},
		{name: "applied", dryRun: false, actions: samplePlanActions()},
		{name: "dry_run_empty", dryRun: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPlan(tc.dryRun)
			for _, a := range tc.actions {
				p.Add(a)
			}
			if got := p.Pending(); got != tc.wantPending {
				t.Errorf("Pending() = %v, want %v", got, tc.wantPending)
			}
			var text, js strings.Builder
			if err := p.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			if err := p.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, "plan_"+tc.name+".txt", text.String())
			checkGolden(t, "plan_"+tc.name+".json", js.String())
		})
	}
}

func TestPlanAddFillsStep(t *testing.T) {
	p := NewPlan(true)
	p.Add(Action{Module: "m", Op: "before"})
	mark := p.begin("one")
	p.Add(Action{Module: "m", Op: "inside"})
	p.Add(Action{Step: "explicit", Module: "m", Op: "named"})
	inStep := p.end(mark)
	p.Add(Action{Module: "m", Op: "after"})
	var got []string
	for _, a := range p.Actions() {
		got = append(got, a.Op+"@"+a.Step)
	}
	want := "before@ inside@one named@explicit after@"
	if strings.Join(got, " ") != want {
		t.Errorf("actions = %q, want %q", strings.Join(got, " "), want)
	}
	if len(inStep) != 2 {
		t.Errorf("end() returned %d actions, want 2", len(inStep))
	}
}
