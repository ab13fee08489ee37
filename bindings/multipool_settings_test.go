package bindings_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/lab"
	"github.com/pcmig/pcmig/poolsettings"
)

// TestMultipoolCarriesEveryPoolsSettings: several pools into one. The
// first source's service-scope configurations go to the target, the
// second source's differing configuration is kept from the first and said
// so, and the endpoints of both sources move to the target with their SIP
// addresses; the dry run plans it and changes nothing.
func TestMultipoolCarriesEveryPoolsSettings(t *testing.T) {
	t.Parallel()
	dir, _ := twoSources(t, "merge")
	estatePath := filepath.Join(dir, lab.EstateFile)
	src, err := os.ReadFile(estatePath)
	if err != nil {
		t.Fatal(err)
	}
	withSettings := strings.Replace(string(src), `archive = "archive/all.zip",`, `archive = "archive/all.zip", pool_settings = "pool-settings.json",`, 1)
	if withSettings == string(src) {
		t.Fatalf("estate lacks the archive line:\n%s", src)
	}
	if err := os.WriteFile(estatePath, []byte(withSettings), 0o644); err != nil {
		t.Fatal(err)
	}
	settingsPath := filepath.Join(dir, "pool-settings.json")
	s, err := poolsettings.Load(settingsPath)
	if err != nil {
		t.Fatal(err)
	}
	emeaScope, amerScope, targetScope := poolsettings.ServiceScope("pchat15.contoso.com"),
		poolsettings.ServiceScope("pchat-amer.contoso.com"), poolsettings.ServiceScope("pchat19.contoso.com")
	var emea poolsettings.Configuration
	for _, c := range s.Configurations {
		if c.Identity == emeaScope {
			emea = c
		}
	}
	if emea.Identity == "" {
		t.Fatalf("the lab's pool settings lack %s: %+v", emeaScope, s.Configurations)
	}
	amer := emea
	amer.Identity, amer.MaxFileSizeKB = amerScope, emea.MaxFileSizeKB/2
	s.Configurations = append(s.Configurations, amer)
	s.Endpoints = append(s.Endpoints, poolsettings.Endpoint{SipAddress: "sip:amerchat@contoso.com", DisplayName: "Amer chat", Pool: "pchat-amer.contoso.com"})
	if err := s.Save(settingsPath); err != nil {
		t.Fatal(err)
	}

	before := hashFiles(t, dir)
	env := newEnv(t, dir)
	dry, dryOut := run(t, env, "multipool.lua", true)
	closeEnv(t, env)
	if diff := cmp.Diff(before, hashFiles(t, dir)); diff != "" {
		t.Fatalf("the dry run changed the estate folder (-before +after):\n%s", diff)
	}
	env = newEnv(t, dir)
	applied, out := run(t, env, "multipool.lua", false)
	closeEnv(t, env)
	if diff := cmp.Diff(actions(dry), actions(applied)); diff != "" {
		t.Errorf("the real run did other than the dry run planned (-planned +done):\n%s", diff)
	}
	// The dry run says what it would do, the run what it did.
	for _, want := range []string{
		"emea: configuration " + targetScope + ": would create (",
		"amer: configuration " + targetScope + ": would keep (the new pool's own values kept: MaxFileSizeKB",
		"amer: endpoint sip:amerchat@contoso.com: would move (from pchat-amer.contoso.com to pchat19.contoso.com, SIP address kept)",
	} {
		if !strings.Contains(dryOut, want) {
			t.Errorf("the dry run's output lacks %q:\n%s", want, dryOut)
		}
	}
	for _, want := range []string{
		"emea: configuration " + targetScope + ": created (",
		"amer: configuration " + targetScope + ": kept (the new pool's own values kept: MaxFileSizeKB",
		"amer: endpoint sip:amerchat@contoso.com: moved (from pchat-amer.contoso.com to pchat19.contoso.com, SIP address kept)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	after, err := poolsettings.Load(settingsPath)
	if err != nil {
		t.Fatal(err)
	}
	var got *poolsettings.Configuration
	for i, c := range after.Configurations {
		if c.Identity == targetScope {
			got = &after.Configurations[i]
		}
	}
	if want := emea; got == nil || got.MaxFileSizeKB != want.MaxFileSizeKB || got.DefaultChatHistory != want.DefaultChatHistory {
		t.Errorf("the target's configuration is %+v, want the first source's values %+v", got, want)
	}
	for _, e := range after.Endpoints {
		if e.Pool != "pchat19.contoso.com" {
			t.Errorf("endpoint %s still points at %s", e.SipAddress, e.Pool)
		}
	}
	if len(after.Endpoints) != 2 {
		t.Errorf("%d endpoints after the run, want both sources' 2", len(after.Endpoints))
	}
}
