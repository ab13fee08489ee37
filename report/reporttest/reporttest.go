// Package reporttest checks report pages in tests: it parses the HTML with
// an HTML5 parser and checks that the page is self-contained (no scripts,
// no external resources, no event handlers) and that its first screen
// answers "did it work" before any detail.
package reporttest

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// Page is a parsed report.
type Page struct {
	Root *html.Node
}

// Parse parses a report page and checks that it is self-contained: a
// doctype, one title, inline style only, no script element, no attribute
// that loads or links anything from outside the file, no event handler.
func Parse(t testing.TB, data []byte) *Page {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("<!DOCTYPE html>")) {
		t.Errorf("report does not start with <!DOCTYPE html>: %.40q", data)
	}
	root, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("report HTML does not parse: %v", err)
	}
	p := &Page{Root: root}
	titles := 0
	for _, n := range p.All("title") {
		if n.Parent != nil && n.Parent.Data == "head" {
			titles++
		}
	}
	if titles != 1 {
		t.Errorf("report has %d <title> elements in its head, want 1", titles)
	}
	if n := len(p.All("style")); n != 1 {
		t.Errorf("report has %d <style> elements, want 1 (inline)", n)
	}
	for _, tag := range []string{"script", "link", "iframe", "object", "embed", "img", "base"} {
		if n := len(p.All(tag)); n > 0 {
			t.Errorf("report has %d <%s> elements: it must be self-contained", n, tag)
		}
	}
	walk(root, func(n *html.Node) {
		for _, a := range n.Attr {
			key := strings.ToLower(a.Key)
			if strings.HasPrefix(key, "on") {
				t.Errorf("<%s> has an event handler %s", n.Data, a.Key)
			}
			if (key == "src" || key == "href" || key == "action" || key == "xlink:href") && !strings.HasPrefix(a.Val, "#") {
				t.Errorf("<%s %s=%q> refers outside the file", n.Data, a.Key, a.Val)
			}
		}
	})
	if css := p.Text(p.All("style")[0]); strings.Contains(css, "url(") || strings.Contains(css, "@import") {
		t.Error("the style loads something from outside the file")
	}
	return p
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

// All returns the elements with the tag, in document order.
func (p *Page) All(tag string) []*html.Node {
	var out []*html.Node
	walk(p.Root, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			out = append(out, n)
		}
	})
	return out
}

// ByID returns the element with the id, or nil.
func (p *Page) ByID(id string) *html.Node {
	var out *html.Node
	walk(p.Root, func(n *html.Node) {
		if out == nil && n.Type == html.ElementNode && Attr(n, "id") == id {
			out = n
		}
	})
	return out
}

// Attr is an attribute's value ("" when absent).
func Attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// Text is the text content of a node, its white space collapsed.
func (p *Page) Text(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
			b.WriteByte(' ')
		}
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// Order returns the ids of the page's top-level sections as they come.
func (p *Page) Order() []string {
	var out []string
	walk(p.Root, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "section" {
			if id := Attr(n, "id"); id != "" {
				out = append(out, id)
			}
		}
	})
	return out
}

// FirstScreen checks that the status, the totals and, when wanted, the
// reconciliation and the chart come before any detail, and returns the
// status text.
func (p *Page) FirstScreen(t testing.TB, verdict, chart bool) string {
	t.Helper()
	want := []string{"status", "totals"}
	if verdict {
		want = append(want, "verdict")
	}
	if chart {
		want = append(want, "chart")
	}
	got := p.Order()
	if len(got) < len(want) {
		t.Fatalf("page sections %q, want %q first", got, want)
	}
	for i, id := range want {
		if got[i] != id {
			t.Fatalf("page sections %q, want %q first", got, want)
		}
	}
	if chart {
		svg := p.ByID("chart")
		var rects int
		walk(svg, func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "rect" {
				rects++
			}
		})
		if rects < 2 {
			t.Errorf("the chart has %d bars", rects)
		}
	}
	return p.Text(p.ByID("status"))
}
