package bindings_test

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/pchat"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/store"
)

// creator.carry_over matches source creators with the target's principals
// by the one rule the import matches principals by (internal/prinmatch),
// applied to the principals of the import's archive when the archive the
// source was exported to was imported into the target, else to the
// source's principals: so step 6 of migrate.lua never credits a creator to
// another target principal than the one the import matched. Each case is
// a lab estate changed by hand.

// creatorLab is a lab estate and a creator of its source: a user who is an
// active, directly allowed member of the category it creates.
type creatorLab struct {
	dir, src, tgt  string
	cat, uri, guid string
}

func newCreatorLab(t *testing.T) *creatorLab {
	t.Helper()
	dir := newLab(t, smallLab(1))
	l := &creatorLab{dir: dir, src: filepath.Join(dir, "source-2015.db"), tgt: filepath.Join(dir, "target-2019.db")}
	row := labtest.QuerySQLite(t, l.src, `SELECT n.nodeName, p.prinUri, p.prinGuid FROM tblPrincipalRole r
		JOIN tblPrincipal p ON p.prinID = r.prinRolePrinID JOIN tblNode n ON n.nodeID = r.prinRoleNodeID
		JOIN tblScopePrincipal s ON s.scopeNodeID = n.nodeID AND s.scopePrinID = p.prinID AND s.scopeIsDenied = 0
		WHERE r.prinRoleTypeID = (SELECT rtypeID FROM tblRoleType WHERE rtypeDesc = 'Creator') AND p.prinDisabled = 0
		ORDER BY n.nodeID, p.prinID LIMIT 1`)
	if len(row) != 1 {
		t.Fatal("the lab has no active creator who is a direct allowed member of the category")
	}
	l.cat, l.uri, l.guid = row[0][0], row[0][1], strings.ToLower(row[0][2])
	return l
}

// run runs a Lua script on the estate and returns what it printed.
func (l *creatorLab) run(t *testing.T, script string) string {
	t.Helper()
	env := newEnv(t, l.dir)
	defer closeEnv(t, env)
	var stdout, stderr bytes.Buffer
	if _, err := pcrt.Run(t.Context(), pcrt.Script{Name: "case.lua", Source: []byte(script)}, pcrt.Options{
		Stdout: &stdout, Stderr: &stderr, Modules: env.Modules(), Now: clock,
	}); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	return stdout.String()
}

// addPrincipals adds principals to the pool at path, through the store.
func addPrincipals(t *testing.T, path string, prins ...pchat.Principal) {
	t.Helper()
	s, err := store.Open(context.Background(), store.Config{DSN: "sqlite:" + path})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prins {
		p.Type, p.Name, p.AddedOn, p.UpdatedOn = pchat.TypeUser, p.URI, 1, 1
		if _, _, err := s.EnsurePrincipal(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// creatorGUIDs are the GUIDs of the target category's creators.
func (l *creatorLab) creatorGUIDs(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, r := range labtest.QuerySQLite(t, l.tgt, `SELECT p.prinGuid FROM tblPrincipalRole r JOIN tblPrincipal p ON p.prinID = r.prinRolePrinID
		JOIN tblNode n ON n.nodeID = r.prinRoleNodeID WHERE n.nodeName = '`+l.cat+`'
		AND r.prinRoleTypeID = (SELECT rtypeID FROM tblRoleType WHERE rtypeDesc = 'Creator') ORDER BY 1`) {
		out = append(out, strings.ToLower(r[0]))
	}
	return out
}

// dropCreator removes a target principal's creator grants behind pcmig's
// back, as the cmdlet import may drop creators (step 6 adds them again).
func (l *creatorLab) dropCreator(t *testing.T, guid string) {
	t.Helper()
	labtest.ExecSQLite(t, l.tgt, `DELETE FROM tblPrincipalRole WHERE prinRoleTypeID = (SELECT rtypeID FROM tblRoleType WHERE rtypeDesc = 'Creator')
		AND prinRolePrinID = (SELECT prinID FROM tblPrincipal WHERE prinGuid = '`+guid+`')`)
}

const migrateLua = `
local export, import = require("export"), require("import")
export.run("source")
import.run("target")
`

const carryLua = `
local creator, verify = require("creator"), require("verify")
local r = creator.carry_over("source", "target")
print("added " .. r.added .. " unknown " .. r.unknown .. " not_allowed " .. r.not_allowed)
local v = verify.run("source", "target")
for _, d in ipairs(v.differences) do print("difference: " .. d.text) end
`

func TestCarryOverMatchesAsTheImportDid(t *testing.T) {
	t.Parallel()
	other := "0badc0de-0000-4000-8000-0000000000a1"
	for _, c := range []struct {
		name string
		// before changes the lab before the export; after changes the
		// source after the import.
		before, after func(t *testing.T, l *creatorLab)
	}{
		// The target holds a deleted principal of the creator's address
		// (the lowest prinID of it) and an active one: the import matches
		// the creator with the active one. carry_over took the lowest,
		// found it deleted and left the creator out as not provisioned.
		{"the target's lowest principal of the address is deleted", func(t *testing.T, l *creatorLab) {
			addPrincipals(t, l.tgt, pchat.Principal{GUID: "0badc0de-0000-4000-8000-0000000000a0", URI: l.uri, State: pchat.Deleted},
				pchat.Principal{GUID: other, URI: l.uri})
		}, nil},
		// AD Sync disabled the creator in the source after the export:
		// the import matched it, active in the archive, with the target's
		// principal of its address. carry_over judged by the source's
		// state now and left it out.
		{"the creator was disabled in the source after the export", func(t *testing.T, l *creatorLab) {
			addPrincipals(t, l.tgt, pchat.Principal{GUID: other, URI: l.uri})
		}, func(t *testing.T, l *creatorLab) {
			labtest.ExecSQLite(t, l.src, `UPDATE tblPrincipal SET prinDisabled = 1 WHERE prinGuid = '`+l.guid+`'`)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			l := newCreatorLab(t)
			c.before(t, l)
			l.run(t, migrateLua)
			if got := l.creatorGUIDs(t); !slices.Contains(got, other) || slices.Contains(got, l.guid) {
				t.Fatalf("after the import the creators of %q are %q, want the target's %s (matched by URI)", l.cat, got, other)
			}
			l.dropCreator(t, other)
			if c.after != nil {
				c.after(t, l)
			}
			out := l.run(t, carryLua)
			if got := l.creatorGUIDs(t); !slices.Contains(got, other) {
				t.Errorf("carry_over did not make the target's %s (the import's match for %s) a creator of %q again: %q\n%s", other, l.uri, l.cat, got, out)
			}
			// verify judges by the same rule: the category is no
			// difference (the lab's file stores and other categories
			// are not this test's).
			if strings.Contains(out, "difference: category "+l.cat+":") {
				t.Errorf("verify after carry_over:\n%s", out)
			}
		})
	}
}

// Without an import of the source's archive into the target, the rule is
// applied to the source's principals: the target's principals come from
// its own AD Sync. Two cases where carry_over matched by URI and credited
// the creator to another AD object.
func TestCarryOverWithoutTheImportMatchesByTheSourcesPrincipals(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, l *creatorLab) (holder string)
	}{
		// The target's principal of the creator's address is another
		// source user's AD object (one GUID): that user's address changed.
		{"the target's principal of the address is another source user's by GUID", func(t *testing.T, l *creatorLab) string {
			row := labtest.QuerySQLite(t, l.src, `SELECT prinGuid FROM tblPrincipal WHERE prinTypeID = 5 AND prinDisabled = 0 AND prinGuid <> '`+l.guid+`' ORDER BY prinID LIMIT 1`)
			holder := strings.ToLower(row[0][0])
			addPrincipals(t, l.tgt, pchat.Principal{GUID: holder, URI: l.uri})
			return holder
		}},
		// The source holds two active principals of the address: two AD
		// objects that it does not tell apart.
		{"the source holds two active principals of the address", func(t *testing.T, l *creatorLab) string {
			addPrincipals(t, l.src, pchat.Principal{GUID: "0badc0de-0000-4000-8000-0000000000b1", URI: strings.ToUpper(l.uri[:5]) + l.uri[5:]})
			holder := "0badc0de-0000-4000-8000-0000000000b2"
			addPrincipals(t, l.tgt, pchat.Principal{GUID: holder, URI: l.uri})
			return holder
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			l := newCreatorLab(t)
			holder := c.setup(t, l)
			out := l.run(t, `
local category, creator = require("category"), require("creator")
category.create("target", { name = "`+l.cat+`", allowed_members = { "`+l.uri+`" } })
local r = creator.carry_over("source", "target", { categories = { "`+l.cat+`" } })
print("added " .. r.added .. " unknown " .. r.unknown)
`)
			if got := l.creatorGUIDs(t); slices.Contains(got, holder) {
				t.Errorf("carry_over credited %s's creator role to the target's %s, another AD object: creators %q\n%s", l.uri, holder, got, out)
			}
			if !strings.Contains(out, "added 0 unknown 1") {
				t.Errorf("carry_over: %s, want the creator not provisioned", out)
			}
		})
	}
}
