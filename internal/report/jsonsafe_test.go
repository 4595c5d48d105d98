package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
)

func TestJSONSafeEscapesBidi(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{`"plain é ✓"`, `"plain é ✓"`},
		{"\"a\u202eb\"", `"a\u202eb"`},
		{"\"\u2066x\u2069 \u200f \u061c \u2028\"", `"\u2066x\u2069 \u200f \u061c \u2028"`},
		{"\"€ – ’\"", "\"€ – ’\""}, // other E2 runes pass
		{"\"cut \xe2\x80\"", "\"cut \xe2\x80\""},
	} {
		// Every split point: a rune cut between two writes must be seen whole.
		for cut := 0; cut <= len(c.in); cut++ {
			var out bytes.Buffer
			j := &jsonSafe{w: &out, esc: jsonEscape}
			j.Write([]byte(c.in[:cut]))
			j.Write([]byte(c.in[cut:]))
			if err := j.Flush(); err != nil || out.String() != c.want {
				t.Fatalf("%q cut at %d: %q, %v; want %q", c.in, cut, out.String(), err, c.want)
			}
		}
	}
}

// TestJSONFormatsHaveNoBidi: a captured URL holding a right-to-left
// override comes out of the JSON, SARIF and JUnit formats escaped, and reads
// back as the same text.
func TestJSONFormatsHaveNoBidi(t *testing.T) {
	t.Parallel()
	evil := "https://t.example/p?u=\u202egnp.exe"
	r := &audit.Report{Findings: []audit.Finding{{Type: audit.TypeLeak, Value: "x\u2067y",
		Request: &audit.RequestRef{URL: evil}}},
		ThirdParties: []audit.ThirdParty{{Company: "Ads\u202egnp.exe", Hosts: []string{"t.example"}}}}
	for _, format := range []string{"json", "sarif", "junit"} {
		var out bytes.Buffer
		if err := Render(&out, r, format, Options{}); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"\u202e", "\u2067"} {
			if strings.Contains(out.String(), bad) {
				t.Errorf("%s output holds %q raw", format, bad)
			}
		}
		if format == "junit" {
			if !strings.Contains(out.String(), "&#x202e;gnp.exe") {
				t.Errorf("junit: the override is not escaped as a character reference:\n%s", out.String())
			}
			continue
		}
		var back any
		if err := json.Unmarshal(out.Bytes(), &back); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if !strings.Contains(fmtJSON(back), evil) {
			t.Errorf("%s: the URL does not read back as it was", format)
		}
	}
}

// fmtJSON prints a decoded JSON value with its strings unescaped.
func fmtJSON(v any) string {
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			b.WriteString(x + "\n")
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return b.String()
}

// TestTitleIgnoresNonWebPages: a page URL the site chose (javascript:,
// data:) never becomes the HTML title or the diagram's site.
func TestTitleIgnoresNonWebPages(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		pages []string
		want  string
	}{
		{[]string{"javascript:alert('Your account is locked, call 555')"}, "leakwatch report"},
		{[]string{"data:text/html,<h1>OK</h1>", "https://www.shop.example/cart"}, "leakwatch report: shop.example"},
		{[]string{"about:blank", "http://[::1]:8080/"}, "leakwatch report: ::1"},
	} {
		r := &audit.Report{}
		for _, u := range c.pages {
			r.Pages = append(r.Pages, audit.PageInfo{URL: u})
		}
		if got := reportTitle(r); got != c.want {
			t.Errorf("pages %q: title %q, want %q", c.pages, got, c.want)
		}
	}
}

func TestReceivedShort(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   []string
		want string
	}{
		{nil, "—"},
		{[]string{"tracking hits"}, "hits"},
		{[]string{"email", "tracking hits"}, "email + hits"},
		{[]string{"city", "email", "zip", "tracking hits"}, "3 data kinds + hits"},
		{[]string{"email", "zip"}, "email, zip"},
	} {
		if got := receivedShort(c.in); got != c.want {
			t.Errorf("receivedShort(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
