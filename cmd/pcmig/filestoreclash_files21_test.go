package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// sourceFiles lists the lab's source file store (paths relative to it,
// slash-separated, sorted).
func sourceFiles(t *testing.T, store string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(store, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(store, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil || len(out) == 0 {
		t.Fatalf("the lab's source file store holds %v (%v), want files", out, err)
	}
	sort.Strings(out)
	return out
}

// TestRunNeverWritesOverAnotherFileOfTheTarget: the target's file store
// already holds, under the name of one of the source's uploaded files, a
// file of other content (another pool's upload, the target pool's own,
// one put there by hand), once of another size and once of the same size
// and an older time. pcmig doctor --estate fails on it ("uploaded file
// names"), and so the dry run and the run stop before their first step,
// naming the file and the room and message that link to it; nothing is
// copied and the target's file is as it was (the copy itself refuses it
// too: filestore's TestCopyComparesTimesNotOnlySizes). Before, the
// copy renamed the source's file over it (exit 0): that upload was gone.
// A target file of the same content and another time (copied by hand
// without its time) is kept, not copied again.
func TestRunNeverWritesOverAnotherFileOfTheTarget(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, theirs, reason string }{
		{"other size", "the target pool's own upload, of another size", "bytes in the target"},
		{"same size", "", "the same size, other content"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := labEstate(t, "--messages", "200")
			src, dst := filepath.Join(dir, "filestore-2015"), filepath.Join(dir, "filestore-2019")
			files := sourceFiles(t, src)
			victim := files[0]
			orig, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(victim)))
			if err != nil {
				t.Fatal(err)
			}
			theirs := tc.theirs
			if theirs == "" {
				theirs = strings.Repeat("x", len(orig))
			}
			p := filepath.Join(dst, filepath.FromSlash(victim))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, p, theirs)
			old := time.Now().Add(-72 * time.Hour)
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
			est := filepath.Join(dir, "estate.lua")
			for _, args := range [][]string{{"run", "--estate", est, "--dry-run"}, {"run", "--estate", est}} {
				stdout, stderr, code := runCmd(t, args...)
				out := stdout + stderr
				if code != 1 {
					t.Fatalf("pcmig %s: exit %d, want 1\n%s", strings.Join(args, " "), code, out)
				}
				mustContain(t, strings.Join(args, " "), out, "FAIL uploaded file names", `"`+victim+`"`, tc.reason,
					"is not written over", `"`+victim+`": room "`, ") message ")
			}
			stdout, _, code := runCmd(t, "doctor", "--estate", est)
			if code != 1 {
				t.Errorf("pcmig doctor --estate: exit %d, want 1\n%s", code, stdout)
			}
			mustContain(t, "doctor --estate", stdout, "FAIL  uploaded file names", `"`+victim+`"`, tc.reason, `"`+victim+`": room "`)
			if got, err := os.ReadFile(p); err != nil || string(got) != theirs {
				t.Errorf("the target's own file now holds %q (%v), want %q", got, err, theirs)
			}
			if n := countFiles(t, dst); n != 1 {
				t.Errorf("the target's file store holds %d files, want only its own: nothing copied", n)
			}
		})
	}
	t.Run("same content", func(t *testing.T) {
		t.Parallel()
		dir := labEstate(t, "--messages", "200")
		src, dst := filepath.Join(dir, "filestore-2015"), filepath.Join(dir, "filestore-2019")
		files := sourceFiles(t, src)
		orig, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(files[0])))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dst, filepath.FromSlash(files[0]))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, p, string(orig))
		old := time.Now().Add(-72 * time.Hour)
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
		stdout, _ := mustRun(t, 0, "run", "--estate", filepath.Join(dir, "estate.lua"))
		mustContain(t, "run", stdout, "1 already there")
		if n := countFiles(t, dst); n != len(files) {
			t.Errorf("the target's file store holds %d files, want %d", n, len(files))
		}
	})
}

// TestRunSaysWhichUploadsAWindowsStoreWouldMakeOne: the source's file
// store (a lab, a rehearsal copy on a case-sensitive folder) holds an
// uploaded file and a second one whose name differs only by case, and a
// name Windows cannot hold. This machine's target folder tells them
// apart, so the run copies all three; the dry run and the run warn,
// naming both files and the room and message that link to the first, that
// a Windows file store makes them one file, and pcmig doctor --estate
// warns ("uploaded file names"). Before, none of them said anything.
func TestRunSaysWhichUploadsAWindowsStoreWouldMakeOne(t *testing.T) {
	t.Parallel()
	dir := labEstate(t, "--messages", "200")
	src, dst := filepath.Join(dir, "filestore-2015"), filepath.Join(dir, "filestore-2019")
	var linked string
	for _, f := range sourceFiles(t, src) {
		if strings.ToUpper(f) != f {
			linked = f
			break
		}
	}
	if linked == "" {
		t.Fatal("no source file has a name with letters")
	}
	other := filepath.ToSlash(filepath.Join(filepath.Dir(linked), strings.ToUpper(filepath.Base(linked))))
	writeFile(t, filepath.Join(src, filepath.FromSlash(other)), "another upload")
	unfit := filepath.ToSlash(filepath.Join(filepath.Dir(linked), "notes.txt."))
	writeFile(t, filepath.Join(src, filepath.FromSlash(unfit)), "a name Windows strips")
	est := filepath.Join(dir, "estate.lua")
	for _, args := range [][]string{{"run", "--estate", est, "--dry-run"}, {"run", "--estate", est}} {
		want := 0
		if args[len(args)-1] == "--dry-run" {
			want = 2
		}
		stdout, stderr := mustRun(t, want, args...)
		mustContain(t, strings.Join(args, " "), stdout+stderr, "differ only by case or Unicode form",
			`"`+linked+`"`, `"`+other+`"`, "a Windows file store (NTFS) makes each one file",
			`"`+unfit+`" ends in a dot or a space`,
			`"`+linked+`": room "`, `"`+other+`": none`)
	}
	stdout, _ := mustRun(t, 0, "doctor", "--estate", est)
	mustContain(t, "doctor --estate", stdout, "WARN  uploaded file names", `"`+linked+`"`, `"`+other+`"`, `"`+unfit+`" ends in a dot`)
	for name, want := range map[string]string{other: "another upload", unfit: "a name Windows strips"} {
		if got, err := os.ReadFile(filepath.Join(dst, filepath.FromSlash(name))); err != nil || string(got) != want {
			t.Errorf("target %s = %q, %v; want %q", name, got, err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dst, filepath.FromSlash(linked))); err != nil {
		t.Errorf("target %s: %v", linked, err)
	}
}

// TestMultipoolNeverWritesOneSourcesUploadOverAnothers: two source pools
// migrated into one target (multipool.lua) whose file stores both hold a
// file at one path, with other content. The second source's copy would
// be refused (filestore), so the doctor fails on it before anything is
// written, naming the file, both pools and the message that links to it.
// Before, the second copy renamed its file over the first's, and the run
// succeeded.
func TestMultipoolNeverWritesOneSourcesUploadOverAnothers(t *testing.T) {
	t.Parallel()
	est, _, _ := sharedSources(t)
	dir := filepath.Dir(est)
	emea, amer := filepath.Join(dir, "filestore-2015"), filepath.Join(dir, "filestore-amer")
	files := sourceFiles(t, emea)
	clash := files[0]
	if err := os.MkdirAll(filepath.Join(amer, filepath.Dir(filepath.FromSlash(clash))), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(amer, filepath.FromSlash(clash)), "amer's own upload of that name")
	data, err := os.ReadFile(est)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, est, strings.Replace(string(data), `archive = "archive/amer.zip",
      file_store = "filestore-2015"`, `archive = "archive/amer.zip",
      file_store = "filestore-amer"`, 1))
	stdout, stderr, code := runCmd(t, "run", "multipool", "--estate", est)
	if code != 1 {
		t.Fatalf("multipool: exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	mustContain(t, "multipool", stdout+stderr, "FAIL uploaded file names", "pchat15.contoso.com and pchat-amer.contoso.com both hold",
		`"`+clash+`", with other content`, "the copy of pchat-amer.contoso.com would be refused", `"`+clash+`": room "`)
	if n := countFiles(t, filepath.Join(dir, "filestore-2019")); n != 0 {
		t.Errorf("the target's file store holds %d files, want none: the run stops before its first step", n)
	}
	stdout, _, code = runCmd(t, "doctor", "--estate", est)
	if code != 1 {
		t.Errorf("pcmig doctor --estate: exit %d, want 1\n%s", code, stdout)
	}
	mustContain(t, "doctor --estate", stdout, "FAIL  uploaded file names", "both hold", `"`+clash+`"`)
}
