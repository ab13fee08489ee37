package main

import (
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// TestDocsNameRealFlags: every command line the README and docs/ show (a
// shell line of a code block, the first cell of a README table row, whose
// later spans continue it, and a code span "pcmig COMMAND ...") names a
// command pcmig has, and only options that command takes.
func TestDocsNameRealFlags(t *testing.T) {
	flags := commandFlags()
	files, err := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join("..", "..", "README.md"))
	n := 0
	for _, f := range files {
		for _, c := range docCommandLines(string(readFile(t, f))) {
			cmd, opts, ok := splitCommand(flags, c.text)
			if !ok && c.command {
				t.Errorf("%s:%d: %q names no pcmig command", filepath.Base(f), c.line, c.text)
				continue
			}
			n++
			for _, o := range opts {
				if !flags[cmd][o] {
					t.Errorf("%s:%d: pcmig %s has no --%s (%q)", filepath.Base(f), c.line, cmd, o, c.text)
				}
			}
		}
	}
	if n < 50 {
		t.Errorf("found %d command lines in the docs, want at least 50: the search no longer finds them", n)
	}
}

// commandFlags is every command path ("lab init") with the long and short
// names of its options.
func commandFlags() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	var walk func(prefix string, cmds []*cli.Command)
	walk = func(prefix string, cmds []*cli.Command) {
		for _, c := range cmds {
			p := strings.TrimSpace(prefix + " " + c.Name)
			out[p] = map[string]bool{"help": true, "h": true}
			for _, f := range c.Flags {
				for _, n := range f.Names() {
					out[p][n] = true
				}
			}
			walk(p, c.Subcommands)
		}
	}
	walk("", newApp(env{stdout: io.Discard, stderr: io.Discard}).Commands)
	return out
}

type docLine struct {
	line int
	text string // from "pcmig " on
	// command: a code block's line or a table's command cell, which must
	// name a command; a span of prose may quote a message ("pcmig
	// writes nothing ...").
	command bool
}

var (
	spanRE   = regexp.MustCompile("`([^`]*)`")
	pcmigRE  = regexp.MustCompile(`(?:^|[\s(])pcmig ([a-z])`)
	optionRE = regexp.MustCompile(`(?:^|[\s\[(|])--([a-z][a-z0-9-]*)`)
)

// docCommandLines finds the command lines of a Markdown document.
func docCommandLines(doc string) []docLine {
	var out []docLine
	fenced := false
	for i, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		var texts []string
		command := fenced || strings.HasPrefix(line, "| `pcmig ")
		switch {
		case fenced:
			// A shell line: "pcmig ...", "$ pcmig ...", "go run ./cmd/pcmig ...".
			code, _, _ := strings.Cut(line, " #")
			code = strings.TrimPrefix(strings.TrimSpace(code), "$ ")
			code = strings.Replace(code, "go run ./cmd/pcmig ", "pcmig ", 1)
			if strings.HasPrefix(code, "pcmig ") {
				texts = append(texts, code)
			}
		case strings.HasPrefix(line, "| `pcmig "):
			first, _, _ := strings.Cut(strings.Trim(strings.ReplaceAll(line, `\|`, "/"), "|"), "|")
			var spans []string
			for _, m := range spanRE.FindAllStringSubmatch(first, -1) {
				spans = append(spans, m[1])
			}
			texts = append(texts, strings.Join(spans, " "))
		default:
			for _, m := range spanRE.FindAllStringSubmatch(line, -1) {
				texts = append(texts, m[1])
			}
		}
		for _, text := range texts {
			loc := pcmigRE.FindAllStringSubmatchIndex(text, -1)
			for j, l := range loc {
				end := len(text)
				if j+1 < len(loc) {
					end = loc[j+1][0]
				}
				out = append(out, docLine{i + 1, strings.TrimSpace(text[l[2]-len("pcmig ") : end]), command})
			}
		}
	}
	return out
}

// splitCommand finds the longest command path at the start of text
// ("pcmig lab init DIR --seed 3") and the options after it. ok is false
// when the words after "pcmig" are no command and do not read as prose.
func splitCommand(flags map[string]map[string]bool, text string) (cmd string, opts []string, ok bool) {
	words := strings.Fields(strings.TrimPrefix(text, "pcmig "))
	for k := min(len(words), 2); k > 0; k-- {
		if p := strings.Join(words[:k], " "); flags[p] != nil {
			cmd = p
			break
		}
	}
	if cmd == "" {
		return "", nil, false
	}
	for _, m := range optionRE.FindAllStringSubmatch(text, -1) {
		opts = append(opts, m[1])
	}
	return cmd, opts, true
}
