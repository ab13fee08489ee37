package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/pcmig/pcmig/fsguard"
	"github.com/urfave/cli/v2"
)

// The files pcmig writes on request (--report, --plan, --runbook, of every
// command) follow one rule, checked by checkOutputs before the command
// reads or writes anything:
//
//   - an output is none of the command's inputs (databases, archive,
//     estate file and the files the estate names) and no other output;
//   - an output replaces an existing file only when that file is one pcmig
//     wrote of the same kind: a report (the HTML page, or the JSON of a
//     run, export, import or verification), a plan, a runbook. Anything
//     else there (a database, a document, a folder, a plan where a report
//     goes) is refused and left as it was.

// outputKind is what an output file is.
type outputKind int

const (
	kindReport  outputKind = iota // --report: an HTML or JSON report
	kindPlan                      // --plan: a run's plan as JSON
	kindRunbook                   // --runbook: the PowerShell runbook
)

func (k outputKind) String() string {
	switch k {
	case kindPlan:
		return "plan"
	case kindRunbook:
		return "runbook"
	}
	return "report"
}

// output is a file a command writes on request.
type output struct {
	Flag string // "--report"
	Path string // "" when not asked for
	Kind outputKind
}

// reportExts are the names --report takes: the extension picks the
// format (report.Write, runtime.Report.Render), in any letter case.
var reportExts = []string{".html", ".json"}

// checkReportName wraps the action of a command that takes --report so
// that a report name whose extension picks no format (report.txt, report,
// report.htm) is refused before the action reads or writes anything.
func checkReportName(action cli.ActionFunc) cli.ActionFunc {
	return func(c *cli.Context) error {
		if p := c.String("report"); p != "" && !slices.ContainsFunc(reportExts, func(ext string) bool {
			return strings.EqualFold(filepath.Ext(p), ext)
		}) {
			return usagef("--report %s: give a file name ending in .html (a page for people) or .json (for machines): the extension picks the report's format", p)
		}
		return action(c)
	}
}

// hasFlag reports whether cmd takes the flag name.
func hasFlag(cmd *cli.Command, name string) bool {
	return slices.ContainsFunc(cmd.Flags, func(f cli.Flag) bool { return slices.Contains(f.Names(), name) })
}

// errNotOurs is wrapped by the error of an output that would replace a
// file pcmig did not write.
var errNotOurs = errors.New("pcmig replaces only a file it wrote itself, of the same kind")

// checkOutputs applies the rule above: outputs against the inputs and each
// other, then each output against the file already at its path. Every
// refusal is a usageError (exit 64).
func checkOutputs(outs []output, inputs []fsguard.File) error {
	files := make([]fsguard.File, 0, len(outs))
	for _, o := range outs {
		files = append(files, fsguard.File{Role: o.Flag, Path: o.Path})
	}
	if err := checkFiles(files, inputs); err != nil {
		return err
	}
	return checkReplaceable(outs...)
}

// checkReplaceable refuses an output whose path holds a file that is not
// a pcmig file of the output's kind. Inputs are checked elsewhere (an
// estate's by estate.CheckOutputs).
func checkReplaceable(outs ...output) error {
	for _, o := range outs {
		if o.Path == "" {
			continue
		}
		if err := o.replaceable(); err != nil {
			return usageError{err}
		}
	}
	return nil
}

// recheckReplaceable is checkReplaceable just before an output is written,
// after the command's work: a file that appeared there meanwhile is an
// error (exit 1), not a command-line mistake, as in pcmig run.
func recheckReplaceable(outs ...output) error {
	err := checkReplaceable(outs...)
	var usage usageError
	if errors.As(err, &usage) {
		return usage.error
	}
	return err
}

// replaceable says whether o may be written: nothing is there, or a pcmig
// file of o's kind.
func (o output) replaceable() error {
	if err := o.folderExists(); err != nil {
		return err
	}
	st, err := os.Stat(o.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, lerr := os.Lstat(o.Path); lerr == nil {
			return fmt.Errorf("%s %s is a link to a missing file: %w", o.Flag, o.Path, errNotOurs)
		}
		return nil
	case err != nil:
		return fmt.Errorf("%s %s: %w", o.Flag, o.Path, err)
	case st.IsDir():
		return fmt.Errorf("%s %s is a folder: give a file name", o.Flag, o.Path)
	case !st.Mode().IsRegular():
		return fmt.Errorf("%s %s is not a regular file: %w", o.Flag, o.Path, errNotOurs)
	}
	if what, ok := identifyOutput(o.Path, o.Kind); !ok {
		return fmt.Errorf("%s %s is not a pcmig %s (%s): %w; give another file name", o.Flag, o.Path, o.Kind, what, errNotOurs)
	}
	return nil
}

// folderExists refuses an output whose folder is missing or is not a
// folder: found before the command works, not after.
func (o output) folderExists() error {
	dir := filepath.Dir(o.Path)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s %s: no such folder %s; create it first", o.Flag, o.Path, dir)
	case err != nil && errors.Is(err, syscall.ENOTDIR), err == nil && !st.IsDir():
		return fmt.Errorf("%s %s: %s is not a folder", o.Flag, o.Path, dir)
	case err != nil:
		return fmt.Errorf("%s %s: %w", o.Flag, o.Path, err)
	}
	return nil
}

// jsonKinds are the top-level keys that mark each kind of JSON file pcmig
// writes. Every key is always written, and all come early in the file.
var jsonKinds = map[outputKind][][]string{
	kindReport: {
		{"script", "dry_run", "resumed", "start", "status"},           // pcmig run
		{"source", "archive", "level", "counts"},                      // pcmig export
		{"archive", "target", "dry_run", "on_conflict", "principals"}, // pcmig import
		{"verdict", "equal", "target", "sources"},                     // pcmig verify
	},
	kindPlan: {{"version", "dry_run", "changes_pending", "actions"}},
}

// htmlMarker is in the head of every HTML report (report/template.go).
const htmlMarker = `<meta name="generator" content="pcmig">`

// runbookMarker is in the header of every runbook (runbook/render.go).
const runbookMarker = "# Persistent Chat migration runbook:"

// identifyOutput says whether the file at path is a pcmig file of kind k,
// and if not, what it looks like. It reads at most the first megabyte and
// never quotes the file.
func identifyOutput(path string, k outputKind) (string, bool) {
	f, err := os.Open(path)
	if err != nil {
		return "it cannot be read: " + err.Error(), false
	}
	defer f.Close()
	br := bufio.NewReader(io.LimitReader(f, 1<<20))
	head, _ := br.Peek(2048)
	body := bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	switch {
	case len(head) == 0:
		return "it is empty", false
	case bytes.HasPrefix(head, []byte("SQLite format 3\x00")):
		return "it is an SQLite database", false
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "it is a zip file", false
	}
	// Which pcmig file it is, whatever kind is wanted, so that a refusal
	// names it ("it is a pcmig report").
	ours := ""
	switch {
	case bytes.Contains(head, []byte(htmlMarker)):
		ours = kindReport.String()
	case bytes.HasPrefix(trimmed, []byte("{")):
		ours = jsonKind(br)
	case bytes.Contains(head, []byte(runbookMarker)):
		ours = kindRunbook.String()
	}
	if ours != "" {
		if ours == k.String() {
			return "", true
		}
		return "it is a pcmig " + ours, false
	}
	switch {
	case bytes.HasPrefix(trimmed, []byte("{")) || bytes.HasPrefix(trimmed, []byte("[")):
		return "it is another JSON file", false
	case bytes.HasPrefix(bytes.ToLower(trimmed), []byte("<!doctype html")) || bytes.HasPrefix(bytes.ToLower(trimmed), []byte("<html")):
		return "it is another HTML page", false
	}
	return "it is another file", false
}

// jsonKind reads the top-level keys of a JSON object and names the kind of
// pcmig file they mark ("report", "plan"), or "".
func jsonKind(r io.Reader) string {
	dec := json.NewDecoder(r)
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return ""
	}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return ""
		}
		key, ok := t.(string)
		if !ok {
			return ""
		}
		seen[key] = true
		for _, k := range []outputKind{kindPlan, kindReport} {
			for _, sig := range jsonKinds[k] {
				if hasAll(seen, sig) {
					return k.String()
				}
			}
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return ""
		}
	}
	return ""
}

func hasAll(seen map[string]bool, keys []string) bool {
	for _, k := range keys {
		if !seen[k] {
			return false
		}
	}
	return true
}

// writeOutput writes o with write after checking again, just before, that
// the file at its path (if any) is a pcmig file of o's kind: a command
// runs for a while between its first check and its outputs.
func writeOutput(o output, write func() error) error {
	if err := o.replaceable(); err != nil {
		return err
	}
	return write()
}
