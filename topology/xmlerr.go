package topology

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
)

// encoding/xml's errors quote what they stopped at: element and entity
// names ("element <Sites> closed by </x>", "invalid character entity
// &x;"), the declared version or encoding. A file given as the topology
// may be anything, and file contents never appear in pcmig's errors:
// xmlProblem says where (the line) and what is wrong, in words of its own.

// errEncoding is charsetPassthrough's refusal of a declared encoding.
var errEncoding = errors.New("the XML declaration names an encoding pcmig does not read: save the topology as UTF-8 or UTF-16")

// xmlWords words encoding/xml's syntax errors by the start of their
// message; the names that follow are never used.
var xmlWords = []struct{ prefix, words string }{
	{"unexpected EOF in CDATA", "the file ends inside a CDATA section (is it truncated?)"},
	{"unexpected EOF", "the file ends inside an element (is it truncated?)"},
	{"unexpected end element", "an end tag without its start tag"},
	{"element <", "an end tag does not match the element it closes"},
	{"expected element name after </", "expected an element name after '</'"},
	{"invalid characters between </", "an end tag holds more than the element's name"},
	{"expected target name after <?", "expected a name after '<?'"},
	{"invalid sequence <!-", "'<!-' that does not begin a comment ('<!--')"},
	{"invalid <![ sequence", "'<![' that does not begin a CDATA section"},
	{"expected element name after <", "expected an element name after '<'"},
	{"expected /> in element", "expected '/>' at the end of an empty element"},
	{"expected attribute name in element", "expected an attribute name in a start tag"},
	{"attribute name without = in element", "an attribute without '=' and a quoted value"},
	{"unquoted or missing attribute value", "an attribute value without quotes"},
	{"unescaped ]]> not in CDATA", "']]>' outside a CDATA section"},
	{"unescaped < inside quoted string", "'<' inside an attribute value (write &lt;)"},
	{"invalid character entity", "an unknown character entity (&name;)"},
	{"invalid UTF-8", "invalid UTF-8: save the topology as UTF-8 or UTF-16"},
	{"illegal character code", "a character XML does not allow"},
	{"invalid XML name", "a name XML does not allow"},
}

// xmlProblem words an error of encoding/xml's Decoder without its text.
func xmlProblem(err error) string {
	if errors.Is(err, errEncoding) {
		return errEncoding.Error()
	}
	var se *xml.SyntaxError
	if !errors.As(err, &se) {
		if strings.HasPrefix(err.Error(), "xml: unsupported version") {
			return "the XML declaration names a version other than 1.0"
		}
		return "not well-formed XML"
	}
	what := "not well-formed XML"
	for _, w := range xmlWords {
		if strings.HasPrefix(se.Msg, w.prefix) {
			what = w.words
			break
		}
	}
	return fmt.Sprintf("line %d: %s", se.Line, what)
}
