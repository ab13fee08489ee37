package lab_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/pchat"
)

// TestRolesWithinCategories checks, from the database alone, that every
// creator, member, manager and presenter is within the allowed members of
// its category minus the denied ones, directly or through the groups,
// containers and domain it is affiliated with; that managers and
// presenters are members; and that only auditorium rooms have presenters.
func TestRolesWithinCategories(t *testing.T) {
	t.Parallel()
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			t.Parallel()
			dir, sum := initLab(t, small(seed))
			s := openSource(t, dir)
			cats, err := s.Categories(ctx)
			if err != nil {
				t.Fatal(err)
			}
			rooms, err := s.Rooms(ctx)
			if err != nil {
				t.Fatal(err)
			}
			aff, err := s.Affiliations(ctx)
			if err != nil {
				t.Fatal(err)
			}
			uri := map[int32]string{}
			for _, p := range mustPrincipals(t, s) {
				uri[p.ID] = p.URI
			}
			// within resolves p and everything it is affiliated with.
			within := func(c pchat.Category, p int32) bool {
				self := append([]int32{p}, aff[p]...)
				allowed, denied := false, false
				for _, x := range self {
					allowed = allowed || slices.Contains(c.AllowedMembers, x)
					denied = denied || slices.Contains(c.DeniedMembers, x)
				}
				return allowed && !denied
			}
			byID := map[int32]pchat.Category{}
			var problems []string
			for _, c := range cats {
				byID[c.ID] = c
				if len(c.AllowedMembers) == 0 {
					problems = append(problems, fmt.Sprintf("category %q allows nobody", c.Name))
				}
				for _, p := range c.Creators {
					if !within(c, p) {
						problems = append(problems, fmt.Sprintf("category %q: creator %s is not allowed", c.Name, uri[p]))
					}
				}
				admin := principalID(uri, sum.Admin)
				if !within(c, admin) {
					problems = append(problems, fmt.Sprintf("category %q: %s (a creator of every category in the estate) is not allowed", c.Name, sum.Admin))
				}
			}
			for _, r := range rooms {
				c, ok := byID[r.CategoryID]
				if !ok {
					problems = append(problems, fmt.Sprintf("room %q is not in a category", r.Name))
					continue
				}
				lists := []struct {
					role  string
					prins []int32
				}{{"member", r.Members}, {"manager", r.Managers}, {"presenter", r.Presenters}}
				for _, l := range lists {
					for _, p := range l.prins {
						if !within(c, p) {
							problems = append(problems, fmt.Sprintf("room %q: %s %s is not within category %q", r.Name, l.role, uri[p], c.Name))
						}
						if l.role != "member" && !slices.Contains(r.Members, p) {
							problems = append(problems, fmt.Sprintf("room %q: %s %s is not a member", r.Name, l.role, uri[p]))
						}
					}
				}
				if len(r.Managers) == 0 {
					problems = append(problems, fmt.Sprintf("room %q has no manager", r.Name))
				}
				if len(r.Presenters) > 0 && r.Type != pchat.Auditorium {
					problems = append(problems, fmt.Sprintf("room %q has presenters but is %s", r.Name, r.Type))
				}
			}
			if diff := cmp.Diff([]string(nil), problems); diff != "" {
				t.Errorf("access problems (-want +got):\n%s", diff)
			}
		})
	}
}

func principalID(uri map[int32]string, u string) int32 {
	for id, v := range uri {
		if v == u {
			return id
		}
	}
	return 0
}

// TestSourceVariety checks that the pool holds every kind of object the
// migration has to deal with.
func TestSourceVariety(t *testing.T) {
	t.Parallel()
	dir, _ := initLab(t, small(9))
	s := openSource(t, dir)
	prins := mustPrincipals(t, s)
	cats, err := s.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rooms, err := s.Rooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	typeOf := map[int32]pchat.PrincipalType{}
	for _, p := range prins {
		typeOf[p.ID] = p.Type
		got["principal "+p.Type.String()] = true
		got["state "+p.State.String()] = true
		switch p.DisplayName {
		case "Zoë Ångström", "José Núñez", "Łukasz Żółć", "田中 太郎":
			got["named "+p.DisplayName] = true
		}
		if p.ADPath == "OU=Engineering,DC=contoso,DC=com" && p.Type == pchat.TypeFolder {
			got["OU Engineering"] = true
		}
		if p.ADPath == "CN=All Staff,OU=Distribution Lists,DC=contoso,DC=com" {
			got["distribution list"] = true
		}
	}
	for _, c := range cats {
		for _, p := range c.AllowedMembers {
			got["allowed "+typeOf[p].String()] = true
		}
		if len(c.DeniedMembers) > 0 {
			got["denied members"] = true
		}
		if len(c.Creators) > 0 {
			got["creators"] = true
		}
	}
	for _, r := range rooms {
		got["privacy "+string(r.Privacy)] = true
		got["type "+string(r.Type)] = true
		got["invitations "+string(r.Invitations)] = true
		got[fmt.Sprint("disabled ", r.Disabled)] = true
		got[fmt.Sprint("add-in ", r.AddinID != "")] = true
		for _, m := range r.Members {
			if typeOf[m] != pchat.TypeUser {
				got["non-user member"] = true
			}
		}
	}
	want := map[string]bool{}
	for _, k := range []string{
		"principal SystemUser", "principal User", "principal DC", "principal Group", "principal Folder",
		"state active", "state disabled", "state deleted",
		"named Zoë Ångström", "named José Núñez", "named Łukasz Żółć", "named 田中 太郎",
		"OU Engineering", "distribution list",
		"allowed User", "allowed DC", "allowed Group", "allowed Folder", "denied members", "creators",
		"privacy Open", "privacy Closed", "privacy Secret", "type Normal", "type Auditorium",
		"invitations Inherit", "invitations False", "disabled true", "disabled false", "add-in true", "add-in false",
		"non-user member",
	} {
		want[k] = true
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("variety mismatch (-want +got):\n%s", diff)
	}
}
