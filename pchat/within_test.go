package pchat

import "testing"

// The rule of Persistent Chat's roles: within when the principal or one of
// its groups is allowed and none of them is denied (denied wins).
func TestWithin(t *testing.T) {
	allowed := map[string]bool{"domain": true, "ann": true}
	denied := map[string]bool{"contractors": true, "bob": true}
	in := func(ids ...string) bool {
		return Within(ids[0], ids[1:], func(g string) bool { return allowed[g] }, func(g string) bool { return denied[g] })
	}
	for _, c := range []struct {
		ids  []string
		want bool
	}{
		{[]string{"ann"}, true},
		{[]string{"carol", "domain"}, true},
		{[]string{"carol"}, false},                         // in no allowed group
		{[]string{"bob", "domain"}, false},                 // denied himself
		{[]string{"dave", "domain", "contractors"}, false}, // denied through a group
		{[]string{"ann", "contractors"}, false},            // denied wins over allowed
	} {
		if got := in(c.ids...); got != c.want {
			t.Errorf("Within(%v) = %v, want %v", c.ids, got, c.want)
		}
	}
}
