package importer_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmig/pcmig/exporter"
	"github.com/pcmig/pcmig/importer"
	"github.com/pcmig/pcmig/internal/labtest"
	"github.com/pcmig/pcmig/store"
)

// The helper process imports the archive named in its environment into the
// target named there, printing each progress report on its own line.
const (
	helperEnv        = "PCMIG_IMPORT_HELPER"
	helperTargetEnv  = "PCMIG_IMPORT_HELPER_TARGET"
	helperArchiveEnv = "PCMIG_IMPORT_HELPER_ARCHIVE"
	helperBatch      = 200 // messages per transaction: many commits to land between
	progressPrefix   = "progress "
)

// TestHelperImportProcess is not a test: TestImportKilledAndResumed runs
// the test binary with this test selected as the import it kills.
func TestHelperImportProcess(t *testing.T) {
	if os.Getenv(helperEnv) == "" {
		t.Skip("the import process that TestImportKilledAndResumed kills")
	}
	s, err := store.Open(ctx, store.Config{DSN: "sqlite:" + os.Getenv(helperTargetEnv)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Sequential: the test kills between the commits of parts, which an
	// import that writes while it reads does not make before its end
	// (overlap.go; TestOverlappedImportKilledResumes kills that one).
	_, err = importer.Import(ctx, s, os.Getenv(helperArchiveEnv), importer.Options{Sequential: true, Batch: helperBatch,
		Progress: func(p importer.Progress) { fmt.Printf("%s%s %d\n", progressPrefix, p.Phase, p.Done) }})
	if err != nil {
		t.Fatal(err)
	}
}

// kill says when to kill the helper: delay after it reports phase.
type kill struct {
	phase string
	delay time.Duration
}

// runAndKill runs the helper and kills it with SIGKILL as k says. It
// returns the last progress the helper reported, and whether it finished
// before the kill.
func runAndKill(t *testing.T, target, archive string, k kill) (last string, finished bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperImportProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"=1", helperTargetEnv+"="+target, helperArchiveEnv+"="+archive)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	var output []string
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	see := func(l string) {
		output = append(output, l)
		if p, ok := strings.CutPrefix(l, progressPrefix); ok {
			last = p
		}
	}
	wait := func() bool { // true: the helper ended by itself
		for l := range lines {
			see(l)
		}
		err := cmd.Wait()
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL {
			return false
		}
		if err != nil {
			t.Fatalf("helper import failed: %v\n%s\n%s", err, strings.Join(output, "\n"), stderr.String())
		}
		return true
	}
	for l := range lines {
		see(l)
		if strings.HasPrefix(last, k.phase) {
			break
		}
	}
	timer := time.NewTimer(k.delay)
	defer timer.Stop()
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				return last, wait()
			}
			see(l)
			continue
		case <-timer.C:
		}
		break
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatal(err)
	}
	return last, wait()
}

func TestImportKilledAndResumed(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the import in child processes")
	}
	t.Parallel()
	e := newEstate(t)
	// Parts of 300 messages: the import commits a part at a time, so
	// kills land between commits as well as inside a part's transaction.
	e.export(t, exporter.Options{ChunkMessages: 300})

	// The reference: one uninterrupted import into a copy of the target,
	// timed by phase to aim the kills.
	refDir := t.TempDir()
	refTarget, refArchive := filepath.Join(refDir, "target.db"), filepath.Join(refDir, "archive.zip")
	labtest.CopyFile(t, e.target, refTarget)
	labtest.CopyFile(t, e.archive, refArchive)
	var structureAt, messagesAt time.Time
	start := time.Now()
	if _, err := importInto(t, refTarget, refArchive, importer.Options{Sequential: true, Batch: helperBatch, Progress: func(p importer.Progress) {
		switch {
		case p.Phase == "structure":
			structureAt = time.Now()
		case p.Phase == "messages" && messagesAt.IsZero():
			messagesAt = time.Now()
		}
	}}); err != nil {
		t.Fatalf("reference Import: %v", err)
	}
	structure, messages := messagesAt.Sub(structureAt), time.Since(messagesAt)
	t.Logf("reference import: %v, structure %v, messages %v", time.Since(start), structure, messages)
	want := snapshot(t, refTarget)

	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("PCMIG_KILL_SEED"); s != "" {
		if _, err := fmt.Sscan(s, &seed); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("kill delays seeded with PCMIG_KILL_SEED=%d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	// Three kills aimed at the structure phase, five at the messages; the
	// delays are short enough that the runs together do not finish.
	var kills []kill
	for range 3 {
		kills = append(kills, kill{"structure", time.Duration(rng.Int64N(int64(structure/4) + 1))})
	}
	for range 5 {
		kills = append(kills, kill{"messages", time.Duration(rng.Int64N(int64(messages/8) + 1))})
	}
	// The untouched target, for a structure kill that misses its phase.
	pristine := filepath.Join(t.TempDir(), "pristine.db")
	labtest.CopyFile(t, e.target, pristine)
	landed := map[string]int{}
	for i, k := range kills {
		for try := 1; ; try++ {
			last, finished := runAndKill(t, e.target, e.archive, k)
			t.Logf("run %d (try %d): %s + %v: last progress %q, finished %v", i+1, try, k.phase, k.delay, last, finished)
			phase, _, _ := strings.Cut(last, " ")
			if !finished {
				landed[phase]++
			}
			if k.phase != "structure" || phase == "structure" && !finished || try == 6 {
				break
			}
			// The structure phase ended before the kill: this machine is
			// busier or quieter than during the reference import. Start
			// again from the untouched target, journal gone, with half the
			// delay, so that the structure phase is hit whatever the load.
			restoreTarget(t, pristine, e.target, e.archive)
			k.delay /= 2
		}
	}
	res, err := importInto(t, e.target, e.archive, importer.Options{Sequential: true, Batch: helperBatch})
	if err != nil {
		t.Fatalf("resumed Import: %v", err)
	}
	if landed["structure"] == 0 || landed["messages"] == 0 {
		t.Errorf("kills landed in phases %v: want some in the structure phase and some in the messages", landed)
	}
	if !res.Resumed {
		t.Errorf("final Import: Resumed = false, want true")
	}
	if diff := cmp.Diff(want, snapshot(t, e.target)); diff != "" {
		t.Errorf("resumed target content mismatch (-want +got):\n%s", diff)
	}
	// The same rooms have the same nodeIDs in both, since both imports
	// created them in archive order.
	if diff := cmp.Diff(checkChatIDs(t, refTarget), checkChatIDs(t, e.target)); diff != "" {
		t.Errorf("chat IDs per room mismatch (-want +got):\n%s", diff)
	}
}

// restoreTarget puts the untouched target back and removes the import's
// journals and the database's own journal files.
func restoreTarget(t *testing.T, pristine, target, archive string) {
	t.Helper()
	journals, _ := filepath.Glob(archive + ".import-*.json")
	for _, p := range append(journals, target+"-journal", target+"-wal", target+"-shm") {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
	}
	labtest.CopyFile(t, pristine, target)
}
