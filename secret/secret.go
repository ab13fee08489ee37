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
	"encoding/hex"
	"encoding/json"
	"html"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
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

// JSON returns b, JSON text, with every secret masked in its string
// values, which JSON text holds as JSON escapes them. The rest is left as
// it is: object keys (pcmig's field names), numbers, true, false and null,
// which masked would no longer be JSON (a password "2026", "true" or
// "123" made a journal, report or plan pcmig or any program could not
// read), and string values that are wholly a time (RFC 3339), a sha256:
// digest or a GUID, which pcmig writes and reads back and which hold no
// secret (a password "2026" in every time, "beef" in a digest, made a run
// journal refused on --resume). Text that is not JSON is masked as Bytes
// masks it.
func (s *Scrubber) JSON(b []byte) []byte {
	if s == nil || !s.holds(b) {
		return b
	}
	if !json.Valid(b) {
		return s.Bytes(b)
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		if b[i] != '"' {
			out = append(out, b[i])
			i++
			continue
		}
		// Valid JSON: a " outside a string starts one.
		end := i + 1
		for b[end] != '"' {
			if b[end] == '\\' {
				end++
			}
			end++
		}
		lit := b[i : end+1]
		i = end + 1
		next := i
		for next < len(b) && (b[next] == ' ' || b[next] == '\t' || b[next] == '\n' || b[next] == '\r') {
			next++
		}
		isKey := next < len(b) && b[next] == ':'
		var str string
		if isKey || !s.holds(lit) || json.Unmarshal(lit, &str) != nil || pcmigValue(str) {
			out = append(out, lit...)
			continue
		}
		masked := s.String(str)
		if masked == str {
			out = append(out, lit...) // a form matched across escapes only
			continue
		}
		enc, _ := json.Marshal(masked)
		out = append(out, enc...)
	}
	return out
}

// holds reports whether b holds a form of a secret.
func (s *Scrubber) holds(b []byte) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, x := range s.secrets {
		if bytes.Contains(b, []byte(x)) {
			return true
		}
	}
	return false
}

// pcmigValue reports a string that is wholly one of the values pcmig
// writes in its JSON and reads back, which hold no secret: a time (RFC
// 3339), a "sha256:" digest in hex, or a GUID.
func pcmigValue(v string) bool {
	if _, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return true
	}
	if d, ok := strings.CutPrefix(v, "sha256:"); ok && len(d) == 64 {
		_, err := hex.DecodeString(d)
		return err == nil
	}
	if len(v) == 36 && v[8] == '-' && v[13] == '-' && v[18] == '-' && v[23] == '-' {
		_, err := hex.DecodeString(v[:8] + v[9:13] + v[14:18] + v[19:23] + v[24:])
		return err == nil
	}
	return false
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
// callers that compare the count are not confused by the masking. A write
// that is a JSON object or array (--json output, written whole) is masked
// as JSON, so that it stays JSON whatever the password.
func (w *writer) Write(p []byte) (int, error) {
	var out []byte
	if t := bytes.TrimLeft(p, " \t\r\n"); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		out = w.s.JSON(p)
	} else {
		out = w.s.Bytes(p)
	}
	if _, err := w.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
