package topology

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pcmig/pcmig/numtext"
)

// node is one element of a parsed document together with the byte ranges of
// its tags in the UTF-8 body. The ranges are what make splicing possible:
// pcmig never re-serialises a document, it only replaces or inserts bytes.
type node struct {
	name     xml.Name
	attrs    []xml.Attr
	parent   *node
	children []*node
	text     []byte // character data directly inside the element
	line     int    // line of the start tag, for error messages
	start    int    // offset of the '<' of the start tag
	startEnd int    // offset just past the '>' of the start tag
	endStart int    // offset of the "</" of the end tag (startEnd when self-closing)
	end      int    // offset just past the end tag (startEnd when self-closing)
}

// maxText bounds the character data kept per element; the elements pcmig
// reads text from (site names) are short.
const maxText = 4096

// Bounds on the element tree. A real Get-CsTopology -AsXml document nests
// fewer than a dozen levels and has some hundreds of elements (about 60
// bytes each); every element costs a node of about 160 bytes, so a file of
// tiny elements would cost far more memory than its size.
const (
	maxDepth    = 64
	maxElements = 250_000
	maxTag      = 64 << 10
)

// selfClosing reports whether the element was written as <x/>.
func (n *node) selfClosing() bool { return n.end == n.startEnd }

// attr returns the value of the attribute with the given local name and no
// namespace.
func (n *node) attr(local string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// child returns the first child element with the given namespace and local
// name, or nil.
func (n *node) child(space, local string) *node {
	for _, c := range n.children {
		if c.name.Space == space && c.name.Local == local {
			return c
		}
	}
	return nil
}

// all returns the child elements with the given namespace and local name.
func (n *node) all(space, local string) []*node {
	var out []*node
	for _, c := range n.children {
		if c.name.Space == space && c.name.Local == local {
			out = append(out, c)
		}
	}
	return out
}

// where describes the element for error messages, e.g. "<Cluster> on line 12".
func (n *node) where() string {
	return fmt.Sprintf("<%s> on line %d", n.name.Local, n.line)
}

// charsetPassthrough accepts the encoding labels that can describe a body
// that decodeText has already turned into UTF-8. A document produced by .NET
// through a StringWriter declares encoding="utf-16" whatever it is saved as,
// so the declaration is not trusted over the bytes.
func charsetPassthrough(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-16", "utf-16le", "utf-16be", "unicode", "utf8", "us-ascii", "ascii", "utf-32", "utf-32le", "utf-32be":
		return r, nil
	}
	return nil, errEncoding
}

// buildTree parses body into an element tree with byte offsets. It accepts
// exactly one root element with only comments, processing instructions and
// white space around it.
func buildTree(body []byte) (*node, error) {
	if err := checkTags(body); err != nil {
		return nil, err
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = charsetPassthrough
	var root, cur *node
	line, lineOff := 1, 0
	depth, elements := 0, 0
	for {
		off := int(d.InputOffset())
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if errors.Is(err, errEncoding) {
				return nil, errEncoding
			}
			return nil, fmt.Errorf("malformed XML: %s", xmlProblem(err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if cur == nil && root != nil {
				return nil, fmt.Errorf("malformed XML: second root element <%s> at byte %d", t.Name.Local, off)
			}
			line += bytes.Count(body[lineOff:off], []byte{'\n'})
			lineOff = off
			depth++
			elements++
			switch {
			case depth > maxDepth:
				return nil, fmt.Errorf("malformed XML: line %d: elements nested more than %d deep; a topology document nests far less", line, maxDepth)
			case elements > maxElements:
				return nil, fmt.Errorf("malformed XML: line %d: more than %s elements; a topology document has far fewer", line, numtext.Thousands(maxElements))
			}
			n := &node{
				line:     line,
				name:     t.Name,
				attrs:    append([]xml.Attr(nil), t.Attr...),
				parent:   cur,
				start:    off,
				startEnd: int(d.InputOffset()),
			}
			if cur == nil {
				root = n
			} else {
				cur.children = append(cur.children, n)
			}
			cur = n
		case xml.EndElement:
			depth--
			cur.endStart = off
			cur.end = int(d.InputOffset())
			cur = cur.parent
		case xml.CharData:
			if cur == nil {
				if len(bytes.TrimSpace(t)) > 0 {
					return nil, fmt.Errorf("malformed XML: text outside the root element at byte %d", off)
				}
				continue
			}
			if len(cur.text)+len(t) <= maxText {
				cur.text = append(cur.text, t...)
			}
		case xml.Directive:
			if root != nil {
				return nil, fmt.Errorf("malformed XML: directive after the root element at byte %d", off)
			}
		}
	}
	if root == nil {
		return nil, errors.New("malformed XML: no root element")
	}
	return root, nil
}

// checkTags refuses a start or end tag longer than maxTag bytes before
// encoding/xml reads it: the decoder builds all of a tag's attributes at
// once (11 MiB of them allocated 323 MB). Comments, CDATA sections,
// processing instructions and directives are skipped; anything malformed
// is left for the decoder to report.
func checkTags(body []byte) error {
	skip := func(i int, open, close string) int {
		if k := bytes.Index(body[i+len(open):], []byte(close)); k >= 0 {
			return i + len(open) + k + len(close)
		}
		return len(body)
	}
	for i := 0; i < len(body); {
		k := bytes.IndexByte(body[i:], '<')
		if k < 0 {
			return nil
		}
		i += k
		rest := body[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			i = skip(i, "<!--", "-->")
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			i = skip(i, "<![CDATA[", "]]>")
		case bytes.HasPrefix(rest, []byte("<?")):
			i = skip(i, "<?", "?>")
		case bytes.HasPrefix(rest, []byte("<!")):
			i = directiveEnd(body, i)
		default:
			end := tagEnd(body, i)
			if end-i > maxTag {
				line := bytes.Count(body[:i], []byte{'\n'}) + 1
				return fmt.Errorf("malformed XML: line %d: a start tag longer than %s bytes; a topology document's are far shorter",
					line, numtext.Thousands(maxTag))
			}
			i = end
		}
	}
	return nil
}

// tagEnd returns the offset just past the '>' that ends the tag starting at
// body[i], outside quoted attribute values, or len(body).
func tagEnd(body []byte, i int) int {
	var quote byte
	for j := i + 1; j < len(body); j++ {
		switch c := body[j]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return j + 1
		}
	}
	return len(body)
}

// directiveEnd returns the offset just past the '>' that ends the <!...>
// directive starting at body[i] (a DOCTYPE's internal subset in brackets
// included), or len(body).
func directiveEnd(body []byte, i int) int {
	var quote byte
	depth := 0
	for j := i + 2; j < len(body); j++ {
		switch c := body[j]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '>' && depth <= 0:
			return j + 1
		}
	}
	return len(body)
}

// rawAttr is an attribute as it is written in a start tag.
type rawAttr struct {
	name       string // qualified name as written, e.g. "xmlns:t" or "Fqdn"
	valStart   int    // offset of the first byte of the value (after the quote)
	valEnd     int    // offset of the closing quote
	quote      byte
	afterValue int // offset just past the closing quote
}

// scanStartTag lists the attributes of the start tag that starts at
// body[start] and returns the raw element name and the offset just past the
// last attribute (or the name), where a new attribute can be inserted. The
// tag has already been validated by encoding/xml, so the scanner is simple.
func scanStartTag(body []byte, start, end int) (name string, attrs []rawAttr, insertAt int) {
	i := start + 1
	for i < end && !isXMLSpace(body[i]) && body[i] != '/' && body[i] != '>' {
		i++
	}
	name = string(body[start+1 : i])
	insertAt = i
	for i < end {
		for i < end && isXMLSpace(body[i]) {
			i++
		}
		if i >= end || body[i] == '/' || body[i] == '>' {
			break
		}
		ns := i
		for i < end && body[i] != '=' && !isXMLSpace(body[i]) {
			i++
		}
		a := rawAttr{name: string(body[ns:i])}
		for i < end && body[i] != '"' && body[i] != '\'' {
			i++
		}
		if i >= end {
			break
		}
		a.quote = body[i]
		a.valStart = i + 1
		j := bytes.IndexByte(body[a.valStart:end], a.quote)
		if j < 0 {
			break
		}
		a.valEnd = a.valStart + j
		a.afterValue = a.valEnd + 1
		attrs = append(attrs, a)
		insertAt = a.afterValue
		i = a.afterValue
	}
	return name, attrs, insertAt
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// escapeAttr escapes s for use inside a double-quoted attribute value.
func escapeAttr(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // writing to a strings.Builder cannot fail
	return b.String()
}
