package directory

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestMove(t *testing.T) {
	in := bom + lf2crlf(ps51)
	d, _ := mustParse(t, in)
	moved, err := d.Move([]string{"sip:ann@contoso.com", "BOB@contoso.com", "sip:cem@contoso.com", "sip:ann@contoso.com"}, "fe19.contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	if moved != 2 {
		t.Errorf("Move() = %d, want 2 (cem is already on fe19)", moved)
	}
	want := bom + lf2crlf(TypeLine+`
"SipAddress","UserPrincipalName","RegistrarPool"
"sip:ann@contoso.com","ann@contoso.com","fe19.contoso.com"
"sip:bob@contoso.com","bob@contoso.com","fe19.contoso.com"
"sip:cem@contoso.com","cem@contoso.com","FE19.contoso.com"
`)
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("Write() mismatch (-want +got):\n%s", diff)
	}
	if got := len(d.ByPool("fe19.CONTOSO.com")); got != 3 {
		t.Errorf("ByPool(fe19) = %d users, want 3", got)
	}
}

func TestMoveRewritesQuoting(t *testing.T) {
	in := "\"RegistrarPool\";\"Note\";\"SipAddress\"\n" +
		"fe15.contoso.com;\"a \"\"quoted\"\"; note\nover two lines\";sip:eve@contoso.com\n" +
		"\"fe15.contoso.com\";\"\";\"sip:fay@contoso.com\""
	d, _ := mustParse(t, in)
	if _, err := d.Move([]string{"eve@contoso.com", "fay@contoso.com"}, "fe19.contoso.com"); err != nil {
		t.Fatal(err)
	}
	want := "\"RegistrarPool\";\"Note\";\"SipAddress\"\n" +
		"\"fe19.contoso.com\";\"a \"\"quoted\"\"; note\nover two lines\";\"sip:eve@contoso.com\"\n" +
		"\"fe19.contoso.com\";\"\";\"sip:fay@contoso.com\""
	if diff := cmp.Diff(want, string(d.Bytes())); diff != "" {
		t.Errorf("Bytes() mismatch (-want +got):\n%s", diff)
	}
	again, problems := mustParse(t, string(d.Bytes()))
	if diff := cmp.Diff(d.Users(), again.Users(), cmpopts.EquateEmpty()); diff != "" || len(problems) != 0 {
		t.Errorf("re-read users mismatch (-want +got):\n%s\nproblems: %v", diff, problems)
	}
}

func TestMoveErrors(t *testing.T) {
	in := ps51 + `"sip:dan@contoso.com","dan@contoso.com",""` + "\n"
	tests := []struct {
		name   string
		sips   []string
		target string
		is     error
		want   string
	}{
		{"unknown", []string{"sip:ann@contoso.com", "sip:zed@contoso.com", "yan@contoso.com"}, "fe19.contoso.com", ErrUnknownUser,
			`directory: unknown user: not in the directory: "sip:zed@contoso.com", "yan@contoso.com"`},
		{"broken row", []string{"sip:dan@contoso.com"}, "fe19.contoso.com", ErrUnknownUser,
			`directory: unknown user: on rows with problems: "sip:dan@contoso.com" (line 6)`},
		{"bad target", []string{"sip:ann@contoso.com"}, "fe19", nil, `directory: target pool "fe19" is not an FQDN`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _ := mustParse(t, in)
			n, err := d.Move(tt.sips, tt.target)
			if err == nil || err.Error() != tt.want || tt.is != nil && !errors.Is(err, tt.is) || n != 0 {
				t.Errorf("Move() = %d, %v; want 0, %q", n, err, tt.want)
			}
			if string(d.Bytes()) != in {
				t.Errorf("a failed Move changed the directory")
			}
		})
	}
}

func TestQueries(t *testing.T) {
	d, _ := mustParse(t, ps51)
	if diff := cmp.Diff(ps51Users[:2], d.ByPool(" FE15.contoso.com ")); diff != "" {
		t.Errorf("ByPool() mismatch (-want +got):\n%s", diff)
	}
	got := d.Select(func(u User) bool { return strings.HasPrefix(u.UserPrincipalName, "c") })
	if diff := cmp.Diff(ps51Users[2:], got); diff != "" {
		t.Errorf("Select() mismatch (-want +got):\n%s", diff)
	}
	for _, sip := range []string{"sip:bob@contoso.com", "Bob@Contoso.com", " SIP:BOB@contoso.com"} {
		u, ok := d.Lookup(sip)
		if diff := cmp.Diff(ps51Users[1], u); !ok || diff != "" {
			t.Errorf("Lookup(%q) = %v mismatch (-want +got):\n%s", sip, ok, diff)
		}
	}
	if _, ok := d.Lookup("sip:zed@contoso.com"); ok {
		t.Errorf("Lookup(zed) found a user")
	}
	if len(d.ByPool("fe99.contoso.com")) != 0 {
		t.Errorf("ByPool(fe99) found users")
	}
}

func TestGenerate(t *testing.T) {
	users := []User{
		{SipAddress: "sip:ann@contoso.com", UserPrincipalName: "ann@contoso.com", RegistrarPool: "fe15.contoso.com"},
		{SipAddress: "sip:bob@contoso.com", UserPrincipalName: "bob@contoso.com", RegistrarPool: "fe15.contoso.com",
			Extra: map[string]string{"DisplayName": `Bob "the builder", Ünïcødé 日本語`}},
		{SipAddress: "sip:cem@contoso.com", RegistrarPool: "fe19.contoso.com", Extra: map[string]string{"Department": "Ops"}},
		{SipAddress: "sip:dee@contoso.com", RegistrarPool: "fe15.contoso.com", Disabled: true,
			Extra: map[string]string{"Enabled": "True"}}, // written once, from Disabled
	}
	data := Generate(users)
	golden(t, "generated.csv", data)
	d, problems := mustParse(t, string(data))
	if len(problems) != 0 {
		t.Errorf("problems = %v", problems)
	}
	for i := range users {
		users[i].Line = i + 3
		delete(users[i].Extra, "Enabled") // read back as Disabled only
		for _, c := range []string{"Department", "DisplayName"} {
			if users[i].Extra == nil {
				users[i].Extra = map[string]string{}
			}
			if _, ok := users[i].Extra[c]; !ok {
				users[i].Extra[c] = ""
			}
		}
	}
	if diff := cmp.Diff(users, d.Users()); diff != "" {
		t.Errorf("Users() of the generated directory mismatch (-want +got):\n%s", diff)
	}
}

// FuzzRead checks that Read never panics, that a directory it accepts is
// written back byte for byte, and that moving its first user produces a
// directory that reads back with that user moved and nothing else changed.
// The seed corpus is in testdata/fuzz/FuzzRead.
func FuzzRead(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		d, problems, err := Parse(data)
		if err != nil {
			return
		}
		if !bytes.Equal(d.Bytes(), data) {
			t.Fatalf("Bytes() differs from the input")
		}
		users := d.Users()
		if len(users) == 0 {
			return
		}
		if _, err := d.Move([]string{users[0].SipAddress}, "moved.example.com"); err != nil {
			t.Fatalf("Move(%q): %v", users[0].SipAddress, err)
		}
		again, problems2, err := Parse(d.Bytes())
		if err != nil {
			t.Fatalf("moved directory does not parse: %v", err)
		}
		if len(problems2) != len(problems) {
			t.Fatalf("moving a user changed the problems from %v to %v", problems, problems2)
		}
		got := again.Users()
		if len(got) != len(users) || got[0].RegistrarPool != "moved.example.com" {
			t.Fatalf("after Move: %d users, first on %q; want %d users, first on moved.example.com", len(got), got[0].RegistrarPool, len(users))
		}
		for i := 1; i < len(users); i++ {
			if got[i].SipAddress != users[i].SipAddress || got[i].RegistrarPool != users[i].RegistrarPool {
				t.Fatalf("after Move user %d is %+v, want %+v", i, got[i], users[i])
			}
		}
	})
}
