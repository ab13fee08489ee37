package bindings_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/lab"
	pcrt "github.com/pcmig/pcmig/runtime"
	"github.com/pcmig/pcmig/scripts"
)

// twoSources writes a lab estate whose estate file lists two source pools:
// the lab's own 2015 pool ("emea", 6 categories) and the 2015 pool of a
// second lab written with another seed into another folder ("amer", 8
// categories: the same 6 names and 2 more), with the given category policy.
func twoSources(t *testing.T, policy string) (dir, amer string) {
	t.Helper()
	dir = newLab(t, smallLab(1))
	amer = newLab(t, lab.Options{Users: 24, Categories: 8, Rooms: 12, Messages: 300, Seed: 2})
	estate := fmt.Sprintf(`return {
  name = "Two pools", kind = "lab", site = "Redmond",
  topology = "topology.xml", directory = "users.csv", archive = "archive/all.zip",
  sources = {
    { name = "emea", pool = "pchat15.contoso.com", registrar = "fe15.contoso.com",
      db = "sqlite:source-2015.db", archive = "archive/emea.zip", file_store = "filestore-2015" },
    { name = "amer", pool = "pchat-amer.contoso.com",
      db = [[sqlite:%s]], archive = "archive/amer.zip", file_store = [[%s]] },
  },
  target = { pool = "pchat19.contoso.com", registrar = "fe19.contoso.com", db = "sqlite:target-2019.db",
    file_store = "filestore-2019" },
  category_policy = %q,
}
`, filepath.Join(amer, "source-2015.db"), filepath.Join(amer, "filestore-2015"), policy)
	if err := os.WriteFile(filepath.Join(dir, lab.EstateFile), []byte(estate), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, amer
}

func TestMultipool(t *testing.T) {
	t.Parallel()
	for _, policy := range []string{"merge", "first"} {
		t.Run(policy, func(t *testing.T) {
			t.Parallel()
			dir, amerDir := twoSources(t, policy)
			emea := readPool(t, filepath.Join(dir, "source-2015.db"))
			amer := readPool(t, filepath.Join(amerDir, "source-2015.db"))

			before := hashFiles(t, dir)
			env := newEnv(t, dir)
			dry, _ := run(t, env, "multipool.lua", true)
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
			if !strings.Contains(out, "6 categories exist in more than one source") {
				t.Errorf("output does not count the shared categories:\n%s", out)
			}
			target := readPool(t, filepath.Join(dir, "target-2019.db"))
			checkPolicy(t, policy, emea, amer, target, warnings(applied))
			// Every uploaded file of both sources is in the target's file
			// store (the paths hold GUIDs, so the two do not collide).
			want := append(relFiles(t, filepath.Join(dir, "filestore-2015")), relFiles(t, filepath.Join(amerDir, "filestore-2015"))...)
			slices.Sort(want)
			if got := relFiles(t, filepath.Join(dir, "filestore-2019")); len(want) == 0 || !slices.Equal(got, want) {
				t.Errorf("the target's file store holds %d files, want the sources' %d", len(got), len(want))
			}
			users, err := directoryUsers(filepath.Join(dir, "users.csv"))
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range users {
				if u.RegistrarPool != "fe19.contoso.com" {
					t.Errorf("user %s is homed on %s, want fe19.contoso.com", u.SipAddress, u.RegistrarPool)
				}
			}
		})
	}
}

// checkPolicy checks the target against the two sources: every category of
// both is there; a category of the first source only, or of the second
// only, arrives whole, but for the creators the import warned are not
// allowed in it; shared categories follow the policy. The two labs are two
// forests (other GUIDs): the second source's users are matched by address
// with the principals the first import created, whose memberships in the
// target are the first source's groups, so a creator the second source
// allows through one of its groups is outside the category in the target.
func checkPolicy(t *testing.T, policy string, first, second, target poolContent, warned []string) {
	t.Helper()
	var names []string
	for n := range first.Categories {
		names = append(names, n)
	}
	for n := range second.Categories {
		if _, ok := first.Categories[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	var got []string
	for n := range target.Categories {
		got = append(got, n)
	}
	slices.Sort(got)
	if diff := cmp.Diff(names, got); diff != "" {
		t.Errorf("target categories mismatch (-want +got):\n%s", diff)
	}
	// The first source's rooms all arrive, in their categories, with their
	// messages.
	for name, r := range first.Rooms {
		tr, ok := target.Rooms[name]
		if !ok || tr.Category != r.Category {
			t.Errorf("room %q of the first source: in the target %v, category %q; want category %q", name, ok, tr.Category, r.Category)
			continue
		}
		if policy == "first" {
			if diff := cmp.Diff(first.Messages[name], target.Messages[name]); diff != "" {
				t.Errorf("room %q messages mismatch (-first source +target):\n%s", name, diff)
			}
		}
	}
	wantMessages := first.messageCount()
	for name, r := range second.Rooms {
		_, shared := first.Categories[r.Category]
		_, taken := first.Rooms[name]
		tr, ok := target.Rooms[name]
		switch {
		case policy == "merge" && !taken:
			// A room of its own, in its category, merged or new.
			if !ok || tr.Category != r.Category {
				t.Errorf("room %q of the second source: in the target %v, category %q; want category %q", name, ok, tr.Category, r.Category)
			}
			wantMessages += len(second.Messages[name])
		case policy == "merge":
			// Same name as a room of the first source: merged into it.
			wantMessages += len(second.Messages[name])
		case !shared && !taken:
			if !ok || tr.Category != r.Category {
				t.Errorf("room %q of the second source's own category: in the target %v, category %q; want %q", name, ok, tr.Category, r.Category)
			}
			wantMessages += len(second.Messages[name])
		case !taken:
			if ok {
				t.Errorf("room %q of the second source's copy of %q is in the target; policy first skips it", name, r.Category)
			}
		}
	}
	if got := target.messageCount(); got != wantMessages {
		t.Errorf("target holds %d messages, want %d", got, wantMessages)
	}
	for name, fc := range first.Categories {
		sc, shared := second.Categories[name]
		tc := target.Categories[name]
		switch {
		case !shared || policy == "first":
			// The first source's category as it was.
			if diff := cmp.Diff(fc, tc); diff != "" {
				t.Errorf("category %q mismatch (-first source +target):\n%s", name, diff)
			}
		default:
			// Merged: both sources' allowed members (unless the first denies them).
			for _, uri := range append(slices.Clone(fc.Allowed), sc.Allowed...) {
				if !slices.Contains(tc.Allowed, uri) && !slices.Contains(tc.Denied, uri) {
					t.Errorf("category %q: allowed member %s of a source is in neither list of the target", name, uri)
				}
			}
			if tc.Description != fc.Description {
				t.Errorf("category %q: description %q, want the first source's %q", name, tc.Description, fc.Description)
			}
		}
	}
	for name, sc := range second.Categories {
		if _, shared := first.Categories[name]; !shared {
			sc.Creators = slices.DeleteFunc(slices.Clone(sc.Creators), func(uri string) bool {
				return !slices.Contains(target.Categories[name].Creators, uri) && slices.ContainsFunc(warned, func(w string) bool {
					return strings.Contains(w, fmt.Sprintf("creator %s is not within category %q's allowed members minus denied members", uri, name))
				})
			})
			if diff := cmp.Diff(sc, target.Categories[name]); diff != "" {
				t.Errorf("category %q of the second source only mismatch (-source +target):\n%s", name, diff)
			}
		}
	}
}

// multipool.lua touches only what the imports migrated: with the first
// source renamed on import (estate on_conflict = "rename") because the
// target already has a category of that name, the creators go to the
// renamed copy, never to the target's own category.
func TestMultipoolLeavesTheTargetsOwnCategory(t *testing.T) {
	t.Parallel()
	dir, _ := twoSources(t, "first")
	estFile := filepath.Join(dir, lab.EstateFile)
	src, err := os.ReadFile(estFile)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), `category_policy = "first",`, `category_policy = "first", on_conflict = "rename",`, 1)
	if edited == string(src) {
		t.Fatalf("estate lacks the category_policy line:\n%s", src)
	}
	if err := os.WriteFile(estFile, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	emea := readPool(t, filepath.Join(dir, "source-2015.db"))
	var name string
	for n, c := range emea.Categories {
		if len(c.Creators) > 0 && (name == "" || n < name) {
			name = n
		}
	}
	env := newEnv(t, dir)
	var stdout, stderr bytes.Buffer
	own := `require("category").create("target", { name = "` + name + `", description = "the target's own" })`
	if _, err := pcrt.Run(t.Context(), pcrt.Script{Name: "own.lua", Source: []byte(own)}, pcrt.Options{
		Stdout: &stdout, Stderr: &stderr, Modules: env.Modules(), Now: clock,
	}); err != nil {
		t.Fatalf("own.lua: %v\n%s", err, stderr.String())
	}
	closeEnv(t, env)

	env = newEnv(t, dir)
	rep, _ := run(t, env, "multipool.lua", false)
	closeEnv(t, env)
	// The target's own category is not asked to take the source's
	// creators (it allows nobody, so each would be "not allowed").
	for _, s := range rep.Steps {
		for _, w := range s.Warnings {
			if strings.Contains(w, fmt.Sprintf("category %q:", name)) {
				t.Errorf("step %q warned about the target's own category: %s", s.Name, w)
			}
		}
	}
	target := readPool(t, filepath.Join(dir, "target-2019.db"))
	if got := target.Categories[name].Creators; len(got) != 0 {
		t.Errorf("the target's own %q got creators %q, want none", name, got)
	}
	renamed, ok := target.Categories[name+" (imported)"]
	if !ok {
		t.Fatalf("no %q in the target", name+" (imported)")
	}
	for _, c := range emea.Categories[name].Creators {
		if !slices.Contains(renamed.Creators, c) {
			t.Errorf("%q (imported): creators %q lack the source's %s", name, renamed.Creators, c)
		}
	}
}

// A resumed multipool.lua whose import journals are gone does not guess
// which target category a renamed source category became: the creators
// step stops with an error naming the lost record, and the target's own
// category of that name gets no creators.
func TestMultipoolWithoutImportRecordDoesNotGuess(t *testing.T) {
	t.Parallel()
	dir, _ := twoSources(t, "first")
	estFile := filepath.Join(dir, lab.EstateFile)
	src, err := os.ReadFile(estFile)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), `category_policy = "first",`, `category_policy = "first", on_conflict = "rename",`, 1)
	if err := os.WriteFile(estFile, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	emea := readPool(t, filepath.Join(dir, "source-2015.db"))
	var name string
	for n, c := range emea.Categories {
		if len(c.Creators) > 0 && (name == "" || n < name) {
			name = n
		}
	}
	script, ok := scripts.Read("multipool.lua")
	if !ok {
		t.Fatal("no bundled multipool.lua")
	}
	runWith := func(s pcrt.Script, resume bool) (string, error) {
		env := newEnv(t, dir)
		defer closeEnv(t, env)
		var stdout, stderr bytes.Buffer
		opts := pcrt.Options{Stdout: &stdout, Stderr: &stderr, Modules: env.Modules(), BundledFS: scripts.FS(), Now: clock}
		if s.Name == "multipool.lua" {
			opts.Journal, opts.Resume = filepath.Join(dir, "run-journal.json"), resume
		}
		_, err := pcrt.Run(t.Context(), s, opts)
		return stdout.String() + stderr.String(), err
	}
	own := `require("category").create("target", { name = "` + name + `", description = "the target's own" })`
	if out, err := runWith(pcrt.Script{Name: "own.lua", Source: []byte(own)}, false); err != nil {
		t.Fatalf("own.lua: %v\n%s", err, out)
	}
	// The run stops after the imports (an unreadable directory), ...
	users := filepath.Join(dir, "users.csv")
	good, err := os.ReadFile(users)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(users, []byte("no,header\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := runWith(pcrt.Script{Name: "multipool.lua", Source: script}, false); err == nil || !strings.Contains(out, "move the users ==\n   failed") {
		t.Fatalf("the first run: error %v, want it to stop at moving the users\n%s", err, out)
	}
	// ... the directory is mended and the import journals are deleted.
	if err := os.WriteFile(users, good, 0o644); err != nil {
		t.Fatal(err)
	}
	journals, _ := filepath.Glob(filepath.Join(dir, "archive", "*.import-*.json"))
	if len(journals) == 0 {
		t.Fatal("no import journals beside the archives")
	}
	for _, j := range journals {
		if err := os.Remove(j); err != nil {
			t.Fatal(err)
		}
	}
	out, err := runWith(pcrt.Script{Name: "multipool.lua", Source: script}, true)
	if err == nil || !strings.Contains(err.Error(), "is gone") || !strings.Contains(err.Error(), "pcmig import") {
		t.Errorf("resumed run: error %v, want one that says the import record is gone\n%s", err, out)
	}
	target := readPool(t, filepath.Join(dir, "target-2019.db"))
	if got := target.Categories[name].Creators; len(got) != 0 {
		t.Errorf("the target's own %q got creators %q, want none", name, got)
	}
}

// relFiles lists the files under dir by their slash-separated paths
// relative to it, sorted.
func relFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		out = append(out, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TestMultipoolMissingSourceFileStoreStopsBeforeWriting: a source whose
// file store folder is gone is refused by the pre-flight, before anything
// is written (the doctor was given the pool's table, whose file_store it
// does not use, and the run failed at that source's copy step).
func TestMultipoolMissingSourceFileStoreStopsBeforeWriting(t *testing.T) {
	t.Parallel()
	dir, amer := twoSources(t, "merge")
	if err := os.RemoveAll(filepath.Join(amer, "filestore-2015")); err != nil {
		t.Fatal(err)
	}
	before := hashFiles(t, dir)
	env := newEnv(t, dir)
	src, _ := scripts.Read("multipool.lua")
	var stdout, stderr bytes.Buffer
	_, err := pcrt.Run(t.Context(), pcrt.Script{Name: "multipool.lua", Source: src}, pcrt.Options{
		Stdout: &stdout, Stderr: &stderr, Modules: env.Modules(), BundledFS: scripts.FS(), Now: clock})
	closeEnv(t, env)
	if err == nil || !strings.Contains(err.Error(), "file store") {
		t.Fatalf("multipool.lua with a source's file store gone: %v, want a file store error", err)
	}
	if strings.Contains(stdout.String(), "export ") {
		t.Errorf("the run started exporting:\n%s", stdout.String())
	}
	after := hashFiles(t, dir)
	for _, name := range []string{"source-2015.db", "target-2019.db"} {
		if before[name] == "" || before[name] != after[name] {
			t.Errorf("%s changed (or was not found)", name)
		}
	}
}

// TestMultipoolRunTwice: the bundled multipool.lua run a second time on
// the same estate without --resume (each run exports again, so every
// import journal belongs to an earlier archive) leaves every target room
// with exactly the messages of the source rooms merged into it, once
// each: a room of the second source merged by name into the first
// source's room got all its messages appended again.
func TestMultipoolRunTwice(t *testing.T) {
	t.Parallel()
	dir, amerDir := twoSources(t, "merge")
	emea := readPool(t, filepath.Join(dir, "source-2015.db"))
	amer := readPool(t, filepath.Join(amerDir, "source-2015.db"))
	want := map[string]int{}
	for _, src := range []poolContent{emea, amer} {
		for name, msgs := range src.Messages {
			want[name] += len(msgs)
		}
	}
	merged := 0
	for name := range amer.Rooms {
		if _, ok := emea.Rooms[name]; ok && len(amer.Messages[name]) > 0 {
			merged++
		}
	}
	if merged == 0 {
		t.Fatal("the two sources share no room name with messages: the test proves nothing")
	}
	for i := range 2 {
		env := newEnv(t, dir)
		// A later run is a later export: its archive is another one.
		env.Now = func() time.Time { return clock().Add(time.Duration(i) * time.Hour) }
		run(t, env, "multipool.lua", false)
		closeEnv(t, env)
		target := readPool(t, filepath.Join(dir, "target-2019.db"))
		for name, n := range want {
			if got := len(target.Messages[name]); got != n {
				t.Errorf("run %d: room %q holds %d messages in the target, want the sources' %d", i+1, name, got, n)
			}
		}
		if got, total := target.messageCount(), emea.messageCount()+amer.messageCount(); got != total {
			t.Errorf("run %d: the target holds %d messages, want the sources' %d", i+1, got, total)
		}
	}
}

// TestMultipoolVerifyCountsCopies: verify of several sources merged into
// one target fails when a merged room holds one source's messages twice
// (each source's range of the room compares equal, so it said EQUAL).
func TestMultipoolVerifyCountsCopies(t *testing.T) {
	t.Parallel()
	dir, amerDir := twoSources(t, "merge")
	emea := readPool(t, filepath.Join(dir, "source-2015.db"))
	amer := readPool(t, filepath.Join(amerDir, "source-2015.db"))
	env := newEnv(t, dir)
	run(t, env, "multipool.lua", false)
	closeEnv(t, env)
	var room string
	for name, msgs := range amer.Messages {
		if len(msgs) > 0 && len(emea.Messages[name]) > 0 && (room == "" || name < room) {
			room = name
		}
	}
	if room == "" {
		t.Fatal("no room of the second source merged into one of the first that has messages")
	}
	reconcile := func() (string, error) {
		env := newEnv(t, dir)
		defer closeEnv(t, env)
		src := `local estate, verify = require("estate"), require("verify")
local r = verify.run(estate.sources, "target", { archive = { "archive/emea.zip", "archive/amer.zip" } })
for _, d in ipairs(r.differences) do print(d.source .. ": " .. d.text) end
print(r.verdict)`
		var stdout, stderr bytes.Buffer
		_, err := pcrt.Run(t.Context(), pcrt.Script{Name: "reconcile.lua", Source: []byte(src)}, pcrt.Options{
			Stdout: &stdout, Stderr: &stderr, Modules: env.Modules(), Now: clock})
		return stdout.String(), err
	}
	if out, err := reconcile(); err != nil || !strings.HasSuffix(out, "EQUAL\n") {
		t.Fatalf("before the change: %v\n%s", err, out)
	}
	// The second source's run of the room is appended again, as a re-run
	// that did not recognise it did.
	db, err := sql.Open("sqlite", filepath.Join(dir, "target-2019.db"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf)
SELECT c.channelId, c.chatId + ?2, c.chatDate, c.userId, c.isAlert, c.content, c.rtf FROM tblChat c JOIN tblNode n ON n.nodeID = c.channelId
WHERE n.nodeName = ?1 AND c.chatId > (SELECT MAX(chatId) FROM tblChat x WHERE x.channelId = c.channelId) - ?2`, room, len(amer.Messages[room]))
	if cerr := db.Close(); err != nil || cerr != nil {
		t.Fatal(err, cerr)
	}
	if got, want := len(readPool(t, filepath.Join(dir, "target-2019.db")).Messages[room]), len(emea.Messages[room])+2*len(amer.Messages[room]); got != want {
		t.Fatalf("room %q holds %d messages after the change, want %d", room, got, want)
	}
	out, err := reconcile()
	want := fmt.Sprintf("pchat-amer.contoso.com, pchat15.contoso.com: room %s: the target holds %d copies too many of the %d messages in 2 source rooms",
		room, len(amer.Messages[room]), len(emea.Messages[room])+len(amer.Messages[room]))
	if err != nil || !strings.HasSuffix(out, "DIFFERENT\n") || !strings.Contains(out, want) {
		t.Errorf("after the second source's messages were doubled in room %q: %v\n%s\nwant DIFFERENT with %q", room, err, out, want)
	}
}

// warnings are every warning of a run's report.
func warnings(rep *pcrt.Report) []string {
	out := slices.Clone(rep.Warnings)
	for _, st := range rep.Steps {
		out = append(out, st.Warnings...)
	}
	return out
}
