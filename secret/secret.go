// Package secret keeps the passwords pcmig knows out of everything it
// writes. A Scrubber holds the secrets of one invocation (the value of
// PCMIG_DB_PASSWORD and --db-password, every password_env variable the
// estate or a script names, the passwords of DSNs) and replaces them, in
// every form they may take in text (as given, URL-, JSON-, Go-quoted and
// HTML-escaped as html/template escapes, in lower and upper case), with
// "xxxxx". pcmig applies it where text leaves the
// process: the console, and every file it writes (reports, plans, the run
// journal, runbooks, import journals).
package secret

import (
	"bytes"
	"encoding/json"
	"html"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Mask replaces a secret.
const Mask = "xxxxx"

// MinLength is the length below which a value is not treated as a secret:
// replacing every "ab" in the output would garble it and hide nothing.
const MinLength = 3

// Scrubber replaces known secrets. The zero value and a nil *Scrubber are
// ready to use and replace nothing. It is safe for concurrent use.
type Scrubber struct {
	mu      sync.RWMutex
	secrets []string // every form of every secret, longest first
}

// New returns a Scrubber that knows values.
func New(values ...string) *Scrubber {
	s := &Scrubber{}
	s.Add(values...)
	return s
}

// Add makes values secrets from now on. Empty and very short values are
// ignored.
func (s *Scrubber) Add(values ...string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	have := map[string]bool{}
	for _, x := range s.secrets {
		have[x] = true
	}
	for _, v := range values {
		if len(v) < MinLength {
			continue
		}
		for _, f := range forms(v) {
			if len(f) >= MinLength && !have[f] {
				have[f] = true
				s.secrets = append(s.secrets, f)
			}
		}
	}
	sort.Slice(s.secrets, func(i, j int) bool { return len(s.secrets[i]) > len(s.secrets[j]) })
}

// forms are the ways a secret may appear in text pcmig writes.
func forms(v string) []string {
	jsonForm, _ := json.Marshal(v)
	// The JSON pcmig writes (reports, plans) leaves <, > and & as they
	// are (json.Encoder.SetEscapeHTML(false)); Go's %q quotes as JSON does
	// for most text.
	var plainJSON bytes.Buffer
	enc := json.NewEncoder(&plainJSON)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	userinfo := strings.TrimPrefix(url.UserPassword("", v).String(), ":")
	// html/template (the HTML report) writes + as &#43; too.
	htmlForm := html.EscapeString(v)
	// A driver may repeat a value in another case (go-mssqldb's
	// "invalid encrypt 's3cretpw'").
	return []string{v, url.QueryEscape(v), url.PathEscape(v), userinfo,
		strings.Trim(string(jsonForm), `"`), strings.Trim(strings.TrimSuffix(plainJSON.String(), "\n"), `"`),
		strings.Trim(strconv.Quote(v), `"`),
		htmlForm, strings.ReplaceAll(htmlForm, "+", "&#43;"), strings.ToLower(v), strings.ToUpper(v)}
}

// String returns s with every secret masked.
func (s *Scrubber) String(text string) string {
	if s == nil {
		return text
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, x := range s.secrets {
		if strings.Contains(text, x) {
			text = strings.ReplaceAll(text, x, Mask)
		}
	}
	return text
}

// Bytes returns b with every secret masked (b itself when there is none).
func (s *Scrubber) Bytes(b []byte) []byte {
	if s == nil {
		return b
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, x := range s.secrets {
		if bytes.Contains(b, []byte(x)) {
			b = bytes.ReplaceAll(b, []byte(x), []byte(Mask))
		}
	}
	return b
}

// Writer returns a writer that masks secrets in each write before passing
// it to w. A secret split across two writes is not seen; pcmig writes its
// console lines whole.
func (s *Scrubber) Writer(w io.Writer) io.Writer {
	if w == nil {
		return nil
	}
	return &writer{s: s, w: w}
}

type writer struct {
	s *Scrubber
	w io.Writer
}

// Write reports len(p) when the masked text was written whole, so that
// callers that compare the count are not confused by the masking.
func (w *writer) Write(p []byte) (int, error) {
	out := w.s.Bytes(p)
	if _, err := w.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
