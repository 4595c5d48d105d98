package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// urlAttrs are the attributes through which a browser fetches something.
var urlAttrs = map[string]bool{
	"src": true, "href": true, "srcset": true, "action": true, "formaction": true, "poster": true,
	"background": true, "data": true, "xlink:href": true, "ping": true, "manifest": true, "cite": true,
	"codebase": true, "longdesc": true, "lowsrc": true, "dynsrc": true, "icon": true,
}

var cssURL = regexp.MustCompile(`(?i)url\(\s*['"]?([^'")\s]*)`)

// fetchable reports whether a browser would load v as an attribute value.
func fetchable(v string) bool {
	v = strings.TrimSpace(strings.ToLower(v))
	return v != "" && !strings.HasPrefix(v, "#") && !strings.HasPrefix(v, "data:")
}

// TestHTMLFetchesNothing parses every HTML rendering and checks that no
// element would make the browser fetch a URL and that every report URL
// appears only as text.
func TestHTMLFetchesNothing(t *testing.T) {
	t.Parallel()
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			opts := Options{Screenshots: map[string][]byte{"page-1.png": fakeScreenshot()}}
			if err := Render(&buf, fx.report(), "html", opts); err != nil {
				t.Fatal(err)
			}
			doc, err := html.Parse(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			for _, p := range fetchProblems(doc) {
				t.Error(p)
			}
			if fx.name == "shop" && !strings.Contains(buf.String(), `src="data:image/png;base64,`) {
				t.Error("screenshot not embedded as a data: URI")
			}
		})
	}
}

// fetchProblems lists every element, attribute or style in the tree
// that would make a browser load something.
func fetchProblems(n *html.Node) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			checkElement(n, add)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func checkElement(n *html.Node, add func(string, ...any)) {
	switch n.Data {
	case "link", "iframe", "object", "embed", "base", "form", "frame", "audio", "video", "source", "track":
		add("element <%s> present", n.Data)
	}
	for _, a := range n.Attr {
		name := strings.ToLower(a.Key)
		if a.Namespace != "" {
			name = a.Namespace + ":" + name
		}
		if urlAttrs[name] && fetchable(a.Val) {
			add("<%s %s=%q> would be fetched", n.Data, name, a.Val)
		}
		if name == "style" {
			checkCSS("style attribute", a.Val, add)
		}
	}
	if n.Data == "meta" && strings.EqualFold(attr(n, "http-equiv"), "refresh") {
		add("meta refresh present")
	}
	if n.Data == "style" && n.FirstChild != nil {
		checkCSS("<style>", n.FirstChild.Data, add)
	}
	if n.Data == "script" && attr(n, "src") != "" {
		add("script with src")
	}
	if n.Data == "script" && n.FirstChild != nil {
		for _, api := range []string{"fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "import(", "new Image"} {
			if strings.Contains(n.FirstChild.Data, api) {
				add("script uses %s", api)
			}
		}
	}
}

func checkCSS(where, css string, add func(string, ...any)) {
	for _, m := range cssURL.FindAllStringSubmatch(css, -1) {
		if !strings.HasPrefix(strings.ToLower(m[1]), "data:") {
			add("%s has url(%s)", where, m[1])
		}
	}
	if strings.Contains(strings.ToLower(css), "@import") {
		add("%s has @import", where)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// TestHTMLFetchCheckCatches makes sure the checker above fails on the
// things it looks for.
func TestHTMLFetchCheckCatches(t *testing.T) {
	t.Parallel()
	bad := []string{
		`<img src="https://www.facebook.com/tr?id=1">`,
		`<a href="//tracker.example/x">x</a>`,
		`<link rel="stylesheet" href="https://cdn.example/x.css">`,
		`<div style="background:url(https://t.example/p.gif)"></div>`,
		`<style>@import "https://fonts.example/f.css";</style>`,
		`<svg><image xlink:href="https://t.example/i.png"/></svg>`,
		`<img srcset="https://t.example/a.png 2x">`,
	}
	for _, b := range bad {
		doc, err := html.Parse(strings.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if len(fetchProblems(doc)) == 0 {
			t.Errorf("checker missed %s", b)
		}
	}
}

// Escaping: report text that looks like markup must come out as text.
func TestHTMLEscapes(t *testing.T) {
	t.Parallel()
	r := shopReport()
	r.ThirdParties[0].Company = `Meta<script>alert(1)</script>`
	r.Findings[0].Receiver = nil
	r.Findings[0].Vendor = r.ThirdParties[0].Company
	r.Requests[0].Headers = append(r.Requests[0].Headers, `X-Evil: "><img src=https://evil.example/x>`)
	var buf bytes.Buffer
	if err := Render(&buf, r, "html", Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, s := range []string{"<script>alert(1)", "<img src=https://evil.example", `"><img`} {
		if strings.Contains(out, s) {
			t.Errorf("unescaped %q in HTML output", s)
		}
	}
	doc, err := html.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range fetchProblems(doc) {
		t.Error(p)
	}
}
