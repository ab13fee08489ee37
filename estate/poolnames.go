package estate

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/pcmig/pcmig/fqdn"
	"github.com/pcmig/pcmig/runbook"
	"github.com/pcmig/pcmig/textwidth"
)

// namedField is a pool's FQDN or a source's name, with the place that
// gives it in the estate file.
type namedField struct {
	field string // "sources[2].pool"
	line  string // "line 12: " or ""
	value string // compared form: lower case, no trailing dot
	name  bool   // a source's name rather than an FQDN
}

// checkPoolNames refuses an estate in which two pools (the source or each
// of the sources, and the target) share an FQDN, compared without case and
// trailing dot, or two sources share a name, or a source's name is another
// pool's FQDN or a role ("source", "target"). Scripts find a pool by its
// FQDN or name (pool.copy_files(src.pool), category.list("b")): such an
// estate would resolve the second pool to the first, and its rooms and
// files would never be migrated. line gives "line N: " for a path.
func (e *Estate) checkPoolNames(line func(path []step) string) error {
	var fields []namedField
	add := func(path []step, field, v string, name bool) {
		if v = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(v)), "."); v != "" {
			fields = append(fields, namedField{field: field, line: line(path), value: v, name: name})
		}
	}
	if e.Source != nil {
		add([]step{{key: "source"}, {key: "pool"}}, "source.pool", e.Source.Pool, false)
	}
	for i, s := range e.Sources {
		at := func(key string) []step { return []step{{key: "sources"}, {index: i + 1}, {key: key}} }
		add(at("pool"), fmt.Sprintf("sources[%d].pool", i+1), s.Pool, false)
		add(at("name"), fmt.Sprintf("sources[%d].name", i+1), s.Name, true)
	}
	add([]step{{key: "target"}, {key: "pool"}}, "target.pool", e.Target.Pool, false)
	var probs []string
	for i, f := range fields {
		if f.name && (f.value == "source" || f.value == "target") {
			probs = append(probs, fmt.Sprintf("%s%s: a source may not be named source or target: scripts name the estate's pools by their roles with those words", f.line, f.field))
			continue
		}
		for _, g := range fields[:i] {
			if f.value != g.value {
				continue
			}
			what := "one FQDN"
			switch {
			case f.name && g.name:
				what = "one name"
			case f.name || g.name:
				what = "one name for two pools (a source's name and a pool's FQDN)"
			}
			probs = append(probs, fmt.Sprintf("%s%s and %s%s give %s (compared without case): scripts find a pool by its FQDN or name, so the second would be taken for the first and never migrated; give each pool its own",
				f.line, f.field, g.line, g.field, what))
			break
		}
	}
	if len(probs) > 0 {
		return errors.New(strings.Join(probs, "; "))
	}
	return nil
}

// checkHosts refuses a pool or registrar that is not a host name (an FQDN
// of letters, digits, hyphens and dots; one trailing dot is allowed): each
// is written into the runbook's cmdlets, the directory's user moves and
// the topology, and one holding a line break, a quote or a space would
// otherwise be refused only at the step that uses it, after the export and
// the import had written. The error names the field and its line, not the
// value.
func (e *Estate) checkHosts(line func(path []step) string) error {
	var probs []string
	check := func(path []step, field, v string) {
		if v != "" && !fqdn.Valid(strings.TrimSuffix(v, ".")) {
			probs = append(probs, fmt.Sprintf("%s%s: want a host name such as pchat19.contoso.com (letters, digits, hyphens and dots), the FQDN of a pool", line(path), field))
		}
	}
	pool := func(p *Pool, at func(key string) []step, prefix string) {
		check(at("pool"), prefix+".pool", p.Pool)
		check(at("registrar"), prefix+".registrar", p.Registrar)
	}
	if e.Source != nil {
		pool(e.Source, func(key string) []step { return []step{{key: "source"}, {key: key}} }, "source")
	}
	for i := range e.Sources {
		pool(&e.Sources[i], func(key string) []step { return []step{{key: "sources"}, {index: i + 1}, {key: key}} }, fmt.Sprintf("sources[%d]", i+1))
	}
	pool(&e.Target, func(key string) []step { return []step{{key: "target"}, {key: key}} }, "target")
	if len(probs) > 0 {
		return errors.New(strings.Join(probs, "; "))
	}
	return nil
}

// checkShares refuses, in a real estate, a file_store that holds a
// character Windows allows in no path (runbook.CheckWindowsPath): the
// runbook passes each share to robocopy.exe, and a double quote in it
// would split it into other arguments there. Found when the estate is
// loaded, before the export and the import, naming the field and its line.
func (e *Estate) checkShares(line func(path []step) string) error {
	if e.Kind != KindReal {
		return nil
	}
	var probs []string
	check := func(path []step, field, v string) {
		if err := runbook.CheckWindowsPath(v); err != nil {
			probs = append(probs, fmt.Sprintf("%s%s %v", line(path), field, err))
		}
	}
	if e.Source != nil {
		check([]step{{key: "source"}, {key: "file_store"}}, "source.file_store", e.Source.FileStore)
	}
	for i, s := range e.Sources {
		check([]step{{key: "sources"}, {index: i + 1}, {key: "file_store"}}, fmt.Sprintf("sources[%d].file_store", i+1), s.FileStore)
	}
	check([]step{{key: "target"}, {key: "file_store"}}, "target.file_store", e.Target.FileStore)
	if len(probs) > 0 {
		return errors.New(strings.Join(probs, "; "))
	}
	return nil
}

// maxTextChars is the most characters an estate name, site or source
// name may have: every name of a pool holds at most 256 (nvarchar(256)),
// and scripts print these whole on the console and in every plan, report,
// journal and runbook (a name of 60 MiB made a dry run print 63 MB).
const maxTextChars = 256

// checkTexts refuses an estate name, site or source name longer than
// maxTextChars, or holding a
// control character, a line or paragraph separator or a bidirectional
// formatting character: scripts print them as they are (the bundled ones
// "site NAME: default Persistent Chat pool ..."), so a line break would
// start a console line of the value's own, and no Topology Builder site
// or pool name holds one. The error names the field and its line, not the
// value.
func (e *Estate) checkTexts(line func(path []step) string) error {
	var probs []string
	check := func(path []step, field, v string) {
		if strings.ContainsFunc(v, hiddenText) {
			probs = append(probs, fmt.Sprintf("%s%s: holds a line break, a control character or a bidirectional control: give it as Topology Builder shows it", line(path), field))
		}
		if n := utf8.RuneCountInString(v); n > maxTextChars {
			probs = append(probs, fmt.Sprintf("%s%s: %d characters, more than %d: give it as Topology Builder shows it", line(path), field, n, maxTextChars))
		}
	}
	check([]step{{key: "name"}}, "name", e.Name)
	check([]step{{key: "site"}}, "site", e.Site)
	for i, s := range e.Sources {
		check([]step{{key: "sources"}, {index: i + 1}, {key: "name"}}, fmt.Sprintf("sources[%d].name", i+1), s.Name)
	}
	if len(probs) > 0 {
		return errors.New(strings.Join(probs, "; "))
	}
	return nil
}

// hiddenText reports whether r is a C0 or C1 control, DEL, a line or
// paragraph separator or a bidirectional formatting character.
func hiddenText(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f, r == '\u2028', r == '\u2029':
		return true
	}
	return textwidth.Bidi(r)
}
