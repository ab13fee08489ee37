package runtime

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/klauspost/compress/s2"
	"github.com/pcmig/pcmig/atomicfile"
	"github.com/pcmig/pcmig/fsguard"
	"github.com/pcmig/pcmig/jsonerr"
	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/verify"
)

// ErrUnfinishedRun is wrapped by the error Run returns when the journal
// shows an unfinished run and neither Options.Resume nor Options.Fresh is
// set.
var ErrUnfinishedRun = errors.New("an earlier run did not finish")

// ErrEstateChanged is wrapped by the error Run returns when Options.Resume
// is set and Options.Subject differs from what the journal recorded.
var ErrEstateChanged = errors.New("the estate changed since the run that wrote the journal")

// ErrJournalSteps is wrapped by the error of a resumed run whose journal's
// finished steps are none of the steps its script reached before the
// first one it would run, while the script is not the text that ran them
// (journal.notReached).
var ErrJournalSteps = errors.New("the journal's finished steps are not this script's")

// Fact is one thing a run works on, for Options.Subject: a name ("target
// database") and its description ("sqlite:target-2019.db").
type Fact struct {
	Name, Value string
}

// journalData is the journal file. Version changes when fields are removed
// or change meaning.
type journalData struct {
	Version     int       `json:"version"`
	Script      string    `json:"script"`
	Fingerprint string    `json:"fingerprint"`
	Started     time.Time `json:"started"`
	Updated     time.Time `json:"updated"`
	Completed   bool      `json:"completed"`
	Current     string    `json:"current_step,omitempty"`
	Error       string    `json:"error,omitempty"`
	// Checksum seals the file (journalseal.go); it is never set here:
	// save writes it in front of the rest.
	Checksum string `json:"checksum,omitempty"`
	// Subject is Options.Subject, by name: what the run worked on.
	Subject map[string]string `json:"subject,omitempty"`
	Steps   []journalStep     `json:"finished_steps"`
}

type journalStep struct {
	Name        string    `json:"name"`
	Fingerprint string    `json:"fingerprint"` // of the script that ran the step
	Finished    time.Time `json:"finished"`
	// Data is what each StepRecorder kept of the step, by recorder.
	Data map[string]json.RawMessage `json:"data,omitempty"`
	// Report is the step's result, and Reconciliation the verification
	// it made, if any: a resumed run reports them for the step.
	Report         *StepReport    `json:"report,omitempty"`
	Reconciliation *verify.Result `json:"reconciliation,omitempty"`
}

// journal records which steps of a run finished. A nil *journal (no
// Options.Journal) records nothing; in a dry run it reads but never writes.
type journal struct {
	path  string
	write bool
	// begun is set when the first step starts: a run that stops before
	// it (refused by a lock, a failed pre-flight) did nothing to resume
	// and leaves the journal as it found it.
	begun bool
	scrub atomicfile.Option // Options.Scrub
	// lockHeld, when set, says whether the run still holds its lock
	// (runLock.check); each save asks first, and once it is lost the
	// journal is never written again (lost): it may be another run's.
	lockHeld func() error
	lost     bool
	now      func() time.Time
	data     journalData
	done     map[string]journalStep // the finished steps, by name
	// sealed is the checksum of the journal file as the last save wrote
	// it ("sha256:..."), which a step mark names (mark); marked says that
	// this run wrote a mark since, which the next save removes.
	sealed string
	marked bool
	// encoded holds data.Steps[i] as save writes it, S2-compressed, for
	// the steps save has encoded so far: a finished step never changes,
	// and a run's journal grows to megabytes (the import's actions, the
	// reconciliation's rooms), which were encoded again on every save
	// (2.4 s of CPU for the 20,000-room estate). Compressed, they add a
	// few hundred kilobytes to the run's memory rather than the 7-21 MB
	// the file holds.
	encoded [][]byte
	// prev is the journal's run as a resumed run read it, for messages.
	prev journalData
}

func fingerprint(src []byte) string {
	sum := sha256.Sum256(src)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// openJournal reads the journal of opts and decides, from Resume and Fresh,
// which finished steps this run skips. It refuses to start over an
// unfinished run unless told how to proceed. Notes go to h's log.
func openJournal(h *Host, script Script, opts Options) (*journal, error) {
	if opts.Resume && opts.Fresh {
		return nil, errors.New("--resume and --fresh exclude each other: resume continues the unfinished run, fresh discards it")
	}
	if opts.Journal == "" {
		if opts.Resume {
			return nil, errors.New("cannot resume without a journal file")
		}
		return nil, nil
	}
	j := &journal{path: opts.Journal, write: !opts.DryRun, now: opts.Now, done: map[string]journalStep{}, scrub: opts.Scrub}
	j.data = journalData{
		Version:     1,
		Script:      script.Name,
		Fingerprint: fingerprint(script.Source),
		Started:     opts.Now(),
		Subject:     subjectMap(opts.Subject),
		Steps:       []journalStep{},
	}
	old, err := readJournal(opts.Journal)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if opts.Resume {
			h.Infof("no journal at %s: starting from the first step", opts.Journal)
		}
		return j, nil
	case err != nil && opts.Fresh:
		return j, nil
	case err != nil:
		return nil, fmt.Errorf("%w; use --fresh to start over", err)
	case opts.Fresh:
		return j, nil
	}
	if base := filepath.Base(script.Name); filepath.Base(old.Script) != base && filepath.Base(old.Script) != filepath.Base(maskString(opts.Scrub, script.Name)) {
		state := "its run did not finish: --fresh discards it and starts over"
		if old.Completed {
			state = "its run finished: --fresh replaces it with this run's"
		}
		return nil, fmt.Errorf("journal %s belongs to script %s, not %s (%s); to keep it, run %s with another state folder: a copy of the estate file whose state names another folder",
			opts.Journal, old.Script, script.Name, state, script.Name)
	}
	if !opts.Resume {
		if old.Completed {
			return j, nil
		}
		if opts.DryRun {
			h.Warnf("journal %s shows an unfinished run; this dry run plans every step (use --resume to plan the rest only)", opts.Journal)
			return j, nil
		}
		return nil, fmt.Errorf("%w: journal %s shows that the run of %s started %s stopped%s; use --resume to continue it, or --fresh to start over",
			ErrUnfinishedRun, opts.Journal, old.Script, old.Started.Format(time.RFC3339), stoppedIn(old))
	}
	if err := checkSubject(h, opts, old); err != nil {
		return nil, err
	}
	if err := checkRecorders(h, opts.Recorders, old); err != nil {
		return nil, fmt.Errorf("%w: journal %s shows that the run of %s started %s worked on another estate: %v; its finished steps were made there and would not be made here: put the estate back as it was to --resume, or use --fresh to start over on this one",
			ErrEstateChanged, opts.Journal, old.Script, old.Started.Format(time.RFC3339), err)
	}
	if old.Completed {
		// Nothing to continue: said, so that "every step skipped" is not
		// taken for a run that checked the target as it is now.
		h.Warnf("journal %s shows that the run of %s started %s finished (%s): --resume has nothing to continue and skips every step it finished, its reconciliation included; to run the script again, checking the pools as they are now, run it without --resume",
			opts.Journal, old.Script, old.Started.Format(time.RFC3339), numtext.Count(len(old.Steps), "step", "steps"))
	}
	if old.Fingerprint != j.data.Fingerprint {
		h.Warnf("%s has changed since the journal was written; steps are matched by name", script.Name)
	}
	for k, v := range old.Subject {
		if now, ok := j.data.Subject[k]; ok && now == "" {
			j.data.Subject[k] = v // not known now: kept for the next resume
		}
	}
	j.data.Steps = old.Steps
	j.prev = old
	for _, s := range old.Steps {
		j.done[s.Name] = s
	}
	return j, nil
}

// subjectMap is a subject by name; a fact not known now is "".
func subjectMap(facts []Fact) map[string]string {
	if facts == nil {
		return nil
	}
	m := map[string]string{}
	for _, f := range facts {
		m[f.Name] = f.Value
	}
	return m
}

// checkSubject refuses to resume a run on something else than the
// journal's run worked on: its finished steps were made there, and the
// rest would be made here. A fact not known now, or not known then (a
// database that could not be opened), is not compared; a
// journal that records no subject (an older pcmig's) gets a warning.
func checkSubject(h *Host, opts Options, old journalData) error {
	if opts.Subject == nil {
		return nil
	}
	if old.Subject == nil {
		h.Warnf("journal %s does not record what its run worked on (an older pcmig wrote it): make sure the estate is the one it ran on", opts.Journal)
		return nil
	}
	var changed []string
	seen := map[string]bool{}
	for _, f := range opts.Subject {
		seen[f.Name] = true
		was, ok := old.Subject[f.Name]
		switch {
		// The journal holds the value masked as every write masks it (a
		// password that is also the site's name).
		case f.Value == "" || was == f.Value || ok && was == "" || was == maskString(opts.Scrub, f.Value):
		case !ok:
			changed = append(changed, fmt.Sprintf("%s: was not given, now %s", f.Name, f.Value))
		default:
			changed = append(changed, fmt.Sprintf("%s: was %s, now %s", f.Name, was, f.Value))
		}
	}
	var gone []string
	for name, was := range old.Subject {
		if !seen[name] && was != "" {
			gone = append(gone, fmt.Sprintf("%s: was %s, now not in the estate", name, was))
		}
	}
	slices.Sort(gone)
	changed = append(changed, gone...)
	if len(changed) == 0 {
		return nil
	}
	return fmt.Errorf("%w: journal %s shows that the run of %s started %s worked on another estate (%s); its finished steps were made there and would not be made here: put the estate back as it was to --resume, or use --fresh to start over on this one",
		ErrEstateChanged, opts.Journal, old.Script, old.Started.Format(time.RFC3339), strings.Join(changed, "; "))
}

func stoppedIn(d journalData) string {
	s := fmt.Sprintf(" after %d finished %s", len(d.Steps), numtext.Noun(len(d.Steps), "step", "steps"))
	if d.Current != "" {
		s += fmt.Sprintf(", in step %q", d.Current)
	}
	if d.Error != "" {
		s += " (" + d.Error + ")"
	}
	return s
}

// maxRunJournal bounds what is read of a run journal: the 20,000-room
// estate's is 15 MB (the import's actions and the reconciliation's rooms,
// about 730 bytes a room), so this is a pool of about 350,000 rooms.
const maxRunJournal = 256 << 20

func readJournal(path string) (journalData, error) {
	var d journalData
	// Not os.ReadFile: a named pipe in its place would block the run for
	// good, and a file of gigabytes be read into memory.
	b, err := fsguard.ReadFile(path, maxRunJournal, "run journal")
	if err != nil {
		return d, err
	}
	sum, err := unseal(path, b)
	if err != nil {
		return d, err
	}
	if err := json.Unmarshal(b, &d); err != nil {
		// Where and what was expected, never the file's bytes or values.
		return d, fmt.Errorf("journal %s is not valid: %s", path, jsonerr.Describe(b, err, &d))
	}
	if d.Version != 1 {
		return d, fmt.Errorf("journal %s has version %d; this pcmig reads version 1", path, d.Version)
	}
	if m, ok := readMark(path); ok && m.Journal == sum && !d.Completed && d.Error == "" {
		d.Current = m.Current
	}
	return d, nil
}

// stepMark is the small file beside the journal (markPath) that says which
// step a run is in: a step's start writes it rather than the whole journal
// again, which holds every finished step's records (megabytes: the
// import's actions, the reconciliation's rooms). It names the journal file
// it follows by its checksum, so a mark that a later save of the journal
// made stale (a step finished or failed since, a new run began) is not
// read; the journal without its mark is the run as it stood after its last
// finished step. Only the step it names is read from it: what a resumed
// run skips comes from the journal alone.
type stepMark struct {
	Journal string    `json:"journal"` // the checksum of the journal file (its "checksum")
	Current string    `json:"current_step"`
	Updated time.Time `json:"updated"`
}

// markPath is the step mark of the journal at path.
func markPath(path string) string { return StepMarkPath(path) }

// StepMarkPath is the step mark of the run journal at path: the small file
// beside it that says which step a run is in. The estate names it too
// (estate.RunStepMarkName), so that no output may be written over it.
func StepMarkPath(journal string) string { return journal + ".step" }

// maxMark bounds what is read of a step mark: a step's name and a
// checksum, scrubbed (step names are at most maxStepName bytes, escaped in
// JSON at most 6 bytes each).
const maxMark = 6*maxStepName + 4096

// readMark reads the step mark of the journal at path. One that is not
// there, not a file, too large or not pcmig's JSON is not read (ok false):
// it would only have named the step the run stopped in.
func readMark(path string) (stepMark, bool) {
	var m stepMark
	b, err := fsguard.ReadFile(markPath(path), maxMark, "run journal's step mark")
	if err != nil || json.Unmarshal(b, &m) != nil || m.Journal == "" {
		return stepMark{}, false
	}
	return m, true
}

// notReached is the refusal of a resumed run about to run step next, its
// first, when the journal records finished steps, none of them was among
// the steps the run skipped before (skipped is 0), and no finished step
// was made by the script's text as it is now (each step records the
// fingerprint of the script that ran it). The script changed since (its
// steps renamed) or is another script of the same file name: the journal
// then resumes nothing, and every step, those the journal says finished
// included, would run again from the first. With the same text the
// journal's steps are the script's (a failed step the script caught may
// come before them), and nothing is refused.
func (j *journal) notReached(next string, skipped int) error {
	if j == nil || skipped > 0 || len(j.prev.Steps) == 0 {
		return nil
	}
	for _, st := range j.prev.Steps {
		if st.Fingerprint == j.data.Fingerprint {
			return nil
		}
	}
	const shown = 10
	var names []string
	for i, st := range j.prev.Steps {
		if i == shown {
			names = append(names, fmt.Sprintf("and %d more", len(j.prev.Steps)-shown))
			break
		}
		names = append(names, fmt.Sprintf("%q", st.Name))
	}
	n := len(j.prev.Steps)
	return fmt.Errorf("%w: journal %s records %s of the run of %s started %s (%s), and the first step this run would run, %q, is none of them: "+
		"%s is not the script text that ran them (it changed since, or it is another script of that name), so --resume would resume nothing and run every step again, those included; "+
		"put back the script that wrote the journal to --resume, or run with --fresh to start over from the first step",
		ErrJournalSteps, j.path, numtext.Count(n, "finished step", "finished steps"), j.prev.Script, j.prev.Started.Format(time.RFC3339),
		strings.Join(names, ", "), next, j.data.Script)
}

// unmet is the warning of a resumed run about to run step next while
// finished steps of the journal were not among the steps it met before
// (seen), and the script is not the text that ran them: the script's
// steps were renamed or reordered since, and a step renamed runs again
// though its work was done. "" when there is nothing to say. The refusal
// of notReached comes first, when no finished step was met at all.
func (j *journal) unmet(next string, seen map[string]bool) string {
	if j == nil || len(j.prev.Steps) == 0 {
		return ""
	}
	var names []string
	for _, st := range j.prev.Steps {
		if st.Fingerprint == j.data.Fingerprint {
			return ""
		}
		if !seen[st.Name] {
			names = append(names, fmt.Sprintf("%q", st.Name))
		}
	}
	if len(names) == 0 {
		return ""
	}
	n := len(names)
	if n > 10 {
		names = append(names[:10], fmt.Sprintf("and %d more", n-10))
	}
	return fmt.Sprintf("journal %s records %s (%s) that this run has not met before step %q, which it runs now: %s changed since (steps renamed or reordered), so a step renamed runs again though it finished; if that is not what you want, stop this run and put back the script that wrote the journal",
		j.path, numtext.Count(n, "finished step", "finished steps"), strings.Join(names, ", "), next, j.data.Script)
}

func (j *journal) resuming() bool { return j != nil && len(j.done) > 0 }

// unfinished says that this run wrote its journal (it began a step) and
// left it recording an unfinished run, which --resume continues.
func (j *journal) unfinished() bool {
	return j != nil && j.write && j.begun && !j.lost && !j.data.Completed
}

func (j *journal) finished(name string) bool {
	if j == nil {
		return false
	}
	_, ok := j.done[j.key(name)]
	return ok
}

// entry is the journal's entry of a finished step.
func (j *journal) entry(name string) journalStep {
	if j == nil {
		return journalStep{}
	}
	return j.done[j.key(name)]
}

// key is a step's name as the journal file holds it: with the run's
// secrets masked, as every write masks them. A step whose name holds a
// secret (a script value that is the password) is then found again when
// the run is resumed, not run a second time.
func (j *journal) key(name string) string {
	return maskString(j.scrub, name)
}

// maskString is s as the journal file holds it once scrub has masked the
// file: s written as a JSON string, masked, and read back.
func maskString(scrub atomicfile.Option, s string) string {
	if scrub == nil {
		return s
	}
	lit, err := json.Marshal(s)
	var out string
	if err != nil || json.Unmarshal(scrub(lit), &out) != nil {
		return string(scrub([]byte(s)))
	}
	return out
}

// started records that a step started; the first one marks the run
// unfinished. Until a step starts the journal is not written: a run that
// stops before its first step (a database's writer lock held by another
// process, a failed pre-flight) leaves the journal as it found it (none,
// or an earlier run's), so the next run is not told to resume a run that
// did nothing.
//
// The first step's start saves the journal; a later one, after a step
// that finished, writes only the step mark beside it (stepMark).
func (j *journal) started(name string) error {
	if j == nil {
		return nil
	}
	j.data.Current = name
	if !j.begun || j.data.Error != "" || j.sealed == "" {
		j.begun = true
		j.data.Error = ""
		return j.save()
	}
	return j.mark()
}

// mark writes the step mark: the step the run is in, after the journal
// file the last save wrote.
func (j *journal) mark() error {
	if err := j.mayWrite(); err != nil || !j.write {
		return err
	}
	j.data.Updated = j.now()
	b, err := json.Marshal(stepMark{Journal: j.sealed, Current: j.data.Current, Updated: j.data.Updated})
	if err != nil {
		return fmt.Errorf("encode the journal's step mark: %w", err)
	}
	j.marked = true
	return atomicfile.Write(markPath(j.path), append(b, '\n'), j.scrub)
}

// mayWrite says whether the journal may be written: not once the run's
// lock was lost (it may be another run's journal by then).
func (j *journal) mayWrite() error {
	if !j.write {
		return nil
	}
	if j.lost {
		return ErrLockLost
	}
	if j.lockHeld != nil {
		if err := j.lockHeld(); err != nil {
			j.lost = true
			return err
		}
	}
	return nil
}

// finishedStep records that step st.Name finished, with what st holds of
// it (recorders' data, result, reconciliation), in one write.
func (j *journal) finishedStep(st journalStep) error {
	if j == nil {
		return nil
	}
	st.Fingerprint, st.Finished = j.data.Fingerprint, j.now()
	j.data.Steps = append(j.data.Steps, st)
	j.data.Current = ""
	j.done[j.key(st.Name)] = st
	return j.save()
}

func (j *journal) failed(name, msg string) error {
	if j == nil || j.lost {
		return nil // a lost lock was said when it was found
	}
	j.data.Current, j.data.Error = name, msg
	return j.save()
}

// end records the outcome of the run: completed when runErr is nil. A
// run that failed before its first step started records nothing.
func (j *journal) end(runErr error) error {
	if j == nil || runErr != nil && !j.begun || j.lost {
		return nil
	}
	j.data.Completed = runErr == nil
	switch {
	case runErr == nil:
		j.data.Current, j.data.Error = "", ""
	case j.data.Error == "":
		j.data.Error = runErr.Error()
	}
	return j.save()
}

func (j *journal) save() error {
	if err := j.mayWrite(); err != nil || !j.write {
		return err
	}
	j.data.Updated = j.now()
	// The body is encoded after room for the seal (sealInPlace), so that
	// a journal of megabytes is not copied again to be sealed.
	const room = sealRoom - 1
	buf, err := j.encode(room)
	if err != nil {
		return fmt.Errorf("encode journal: %w", err)
	}
	buf = append(buf, '\n')
	// Masked first, then sealed: the checksum is of what the file holds.
	if j.scrub != nil {
		body := buf[room:]
		if m := j.scrub(body); len(m) != len(body) || &m[0] != &body[0] {
			buf = append(make([]byte, room, room+len(m)), m...)
		}
	}
	buf = sealInPlace(buf)
	if err := atomicfile.Write(j.path, buf); err != nil {
		return err
	}
	j.sealed = sealOf(buf)
	if j.marked {
		// Stale now (it names the journal file just replaced): removed,
		// or left to be ignored if that fails.
		if err := os.Remove(markPath(j.path)); err == nil || errors.Is(err, fs.ErrNotExist) {
			j.marked = false
		}
	}
	return nil
}

// encode is json.MarshalIndent(j.data, "", "  ") after room zero bytes,
// except that each finished step is one line of compact JSON (one
// json.Marshal), encoded once (j.encoded) rather than on every save. The
// steps are read by programs (a resumed run, jq), and the import's and
// the reconciliation's are megabytes: indented, the 20,000-room estate's
// journal was 21 MB, the indenting 0.22 s of the run's CPU, and every save
// wrote and synced the indentation again (a quarter of the file).
func (j *journal) encode(room int) ([]byte, error) {
	for i := len(j.encoded); i < len(j.data.Steps); i++ {
		b, err := json.Marshal(j.data.Steps[i])
		if err != nil {
			return nil, err
		}
		j.encoded = append(j.encoded, s2.Encode(nil, b))
	}
	head := j.data
	head.Steps = []journalStep{}
	b, err := json.MarshalIndent(head, "", "  ")
	if err != nil {
		return nil, err
	}
	// The steps are the last member: "finished_steps": []\n} ends b.
	const empty = "[]\n}"
	if !bytes.HasSuffix(b, []byte(empty)) {
		return nil, fmt.Errorf("journal steps are not the last member")
	}
	n := room + len(b)
	sizes := make([]int, len(j.encoded))
	for i, c := range j.encoded {
		if sizes[i], err = s2.DecodedLen(c); err != nil {
			return nil, err
		}
		n += sizes[i] + 6
	}
	out := make([]byte, room, n+16)
	if len(j.encoded) == 0 {
		return append(out, b...), nil
	}
	out = append(out, b[:len(b)-len(empty)]...)
	out = append(out, '[')
	for i, c := range j.encoded {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, "\n    "...)
		at := len(out)
		out = out[:at+sizes[i]] // within its capacity: decoded in place
		if _, err := s2.Decode(out[at:], c); err != nil {
			return nil, err
		}
	}
	return append(out, "\n  ]\n}"...), nil
}
