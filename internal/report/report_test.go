package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/audit"
)

func TestRenderUnknownFormat(t *testing.T) {
	t.Parallel()
	err := Render(&bytes.Buffer{}, emptyReport(), "pdf", Options{})
	if err == nil {
		t.Fatal("no error for format pdf")
	}
	for _, f := range Formats() {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not list format %s", err, f)
		}
	}
	if err := Render(&bytes.Buffer{}, nil, "json", Options{}); err == nil {
		t.Error("no error for a nil report")
	}
}

func TestFormats(t *testing.T) {
	t.Parallel()
	want := "text json html markdown csv junit sarif"
	if got := strings.Join(Formats(), " "); got != want {
		t.Errorf("Formats() = %s, want %s", got, want)
	}
}

// TestDeterministic renders each format twice from fresh fixtures.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			var a, b bytes.Buffer
			opts := Options{Color: true, Width: 90}
			if err := Render(&a, shopReport(), format, opts); err != nil {
				t.Fatal(err)
			}
			if err := Render(&b, shopReport(), format, opts); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Error("two renderings differ")
			}
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := Render(&buf, shopReport(), "json", Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(buf.Bytes(), []byte("}\n")) {
		t.Error("JSON does not end with a newline")
	}
	var back audit.Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(&back)
	orig, _ := json.Marshal(shopReport())
	if !bytes.Equal(again, orig) {
		t.Error("JSON report does not read back equal")
	}
	if back.Schema != audit.Schema {
		t.Errorf("schema = %q", back.Schema)
	}
}

// TestTextWidth checks that no line of the text report is wider than the
// terminal, with and without colour.
func TestTextWidth(t *testing.T) {
	t.Parallel()
	for _, width := range []int{40, 60, 80, 100, 140} {
		for _, color := range []bool{false, true} {
			var buf bytes.Buffer
			if err := Render(&buf, shopReport(), "text", Options{Width: width, Color: color}); err != nil {
				t.Fatal(err)
			}
			hasANSI := strings.Contains(buf.String(), "\x1b[")
			if hasANSI != color {
				t.Errorf("width %d color %v: ANSI codes present = %v", width, color, hasANSI)
			}
			for i, line := range strings.Split(buf.String(), "\n") {
				if n := visibleRunes([]rune(line)); n > width {
					t.Errorf("width %d color %v: line %d is %d wide: %q", width, color, i+1, n, line)
				}
			}
		}
	}
}

func TestTextSections(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := Render(&buf, shopReport(), "text", Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"3 companies received personal data",
		"WHO RECEIVED YOUR DATA",
		"sha256 ← meta-normalize",
		"base64 ← gzip ← sha256",
		"initiator: https://snap.licdn.com/li.lms-analytics/insight.min.js",
		"IDENTIFIERS SHARED BETWEEN COMPANIES", "[automatic-advanced-matching]", "[pixel-config]", "[session-replay]",
		"FAILED shop release gate", "PageView ×1, Purchase ×1",
		"! 2 requests to blob: URLs were skipped",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q", want)
		}
	}
	// Most significant first: Meta (3 kinds) before LinkedIn (2) before Google (1) before Hotjar.
	order := []string{"\n  Meta ", "\n  LinkedIn ", "\n  Google ", "\n  Hotjar "}
	last := -1
	for _, name := range order {
		i := strings.Index(out, name)
		if i < last {
			t.Errorf("company %q out of order", strings.TrimSpace(name))
		}
		last = i
	}
}

func TestShorten(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abcdef", 10, "abcdef"},
		{"abcdef", 6, "abcdef"},
		{"abcdef", 4, "abc…"},
		{"äöüßäöü", 3, "äö…"},
		{"abc", 1, ""},
	}
	for _, tt := range tests {
		got := shorten(tt.in, tt.n)
		if got != tt.want || utf8.RuneCountInString(got) > max(tt.n, 0) {
			t.Errorf("shorten(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestMarkdownEscaping(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"a|b", `a\|b`},
		{"<script>", `\<script\>`},
		{"[x](http://e)", `\[x\](http://e)`},
		{"line\nbreak", "line break"},
	}
	for _, tt := range tests {
		if got := mdText(tt.in); got != tt.want {
			t.Errorf("mdText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	codes := []struct{ in, want string }{
		{"a`b", "``a`b``"},
		{"x|y", "`x\\|y`"},
		{"`q`", "`` `q` ``"},
		{"", ""},
	}
	for _, tt := range codes {
		if got := mdCode(tt.in); got != tt.want {
			t.Errorf("mdCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCSVSafe(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "+1 555": "'+1 555", "@SUM": "'@SUM", "email": "email", "": "",
	} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTextNoTerminalEscapes: values from websites cannot reach the terminal
// as control sequences.
func TestTextNoTerminalEscapes(t *testing.T) {
	t.Parallel()
	r := shopReport()
	r.Findings[0].Request.URL = "https://t.example/?x=\x1b]0;pwned\x07\x1b[2J"
	r.ThirdParties[0].Company = "Meta\x1b[8m"
	r.Findings[0].Evidence = "a\rb\u009bc"
	r.Warnings = append(r.Warnings, "bell\a")
	var buf bytes.Buffer
	if err := Render(&buf, r, "text", Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"\x1b", "\a", "\r", "\u009b"} {
		if strings.Contains(out, bad) {
			t.Errorf("text output carries control character %q", bad)
		}
	}
	if !strings.Contains(out, `\x1b]0;pwned`) {
		t.Error("escaped control sequence not shown")
	}
	if r.ThirdParties[0].Company != "Meta\x1b[8m" {
		t.Error("rendering changed the caller's report")
	}
}

// TestHeadline covers the verdict at the top of every human format: never
// an all-clear unless a persona was searched for in a complete capture.
func TestHeadline(t *testing.T) {
	t.Parallel()
	onlyPatterns := func(conf string) *audit.Report {
		r := shopReport()
		r.Findings = slices.DeleteFunc(r.Findings, func(f audit.Finding) bool {
			return f.Type == audit.TypeLeak || f.Type == audit.TypeSessionReplay
		})
		for i := range r.Findings {
			if r.Findings[i].Type == audit.TypePattern {
				r.Findings[i].Confidence, r.Findings[i].Reason = conf, "passes Luhn but sits in a cache-buster"
			}
		}
		for i := range r.ThirdParties {
			r.ThirdParties[i].DataKinds = nil
		}
		r.Summary.DataKinds, r.Summary.Leaks = nil, 0
		return r
	}
	quiet := func(personas int, unseen ...string) *audit.Report {
		r := onlyPatterns(audit.ConfidenceHigh)
		r.Findings = slices.DeleteFunc(r.Findings, func(f audit.Finding) bool { return f.Type == audit.TypePattern })
		r.Summary.Personas, r.Summary.Unseen = personas, unseen
		return r
	}
	replay := quiet(1)
	replay.Summary.SessionReplay = []string{"Hotjar"}
	noLooks := func() *audit.Report {
		r := shopReport()
		r.Findings = slices.DeleteFunc(r.Findings, func(f audit.Finding) bool { return f.Type == audit.TypePattern })
		return r
	}
	tests := []struct {
		name   string
		report *audit.Report
		state  string
		want   string
		hidden bool
	}{
		{"persona and patterns", shopReport(), stateBad, "3 companies received personal data (email address, ZIP code, parcel tracking number and street address): Meta, LinkedIn and Google. It left from 2 pages: " + shopConfirm + " and " + shopAccount + ". Values that look personal (phone number) also went to 1 company: Hotjar.", false},
		{"persona only", noLooks(), stateBad, "3 companies received personal data (email address, ZIP code, parcel tracking number and street address): Meta, LinkedIn and Google. It left from 2 pages: " + shopConfirm + " and " + shopAccount + ".", false},
		{"patterns only", onlyPatterns(""), stateWarn, "Values that look personal (phone number) went to 1 company: Hotjar.", false},
		{"low-confidence patterns only", onlyPatterns(audit.ConfidenceLow), stateNeutral, "The site contacted 5 third-party companies; the tester's own data was not checked, because no persona was given.", true},
		{"no persona, nothing", quiet(0), stateNeutral, "The site contacted 5 third-party companies; the tester's own data was not checked, because no persona was given.", false},
		{"persona, bodies dropped", quiet(1, "3 of 9 POST/PUT/PATCH request bodies were not recorded by the exporter: data sent in them cannot be seen."), stateNeutral, "No persona value was found in what the capture recorded of the requests to the 5 third-party companies this site contacted.", false},
		{"persona, complete", quiet(1), stateGood, "No personal data was found going to the 5 third-party companies this site contacted.", false},
		{"persona, session replay", replay, stateWarn, "No personal data was found going to the 5 third-party companies this site contacted.", false},
		{"nothing", emptyReport(), stateNeutral, "No third party received requests, and no personal data was found leaving the site.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := newView(tt.report, Options{}).verdict()
			if d.Title != tt.want || d.State != tt.state {
				t.Errorf("headline\n got: %s %s\nwant: %s %s", d.State, d.Title, tt.state, tt.want)
			}
			if (d.Hidden != "") != tt.hidden {
				t.Errorf("hidden note %q, want one: %v", d.Hidden, tt.hidden)
			}
			if tt.report.Summary.Personas == 0 && tt.report.Summary.Leaks == 0 {
				if strings.Contains(d.Title, "No persona value") || len(d.NotChecked) == 0 {
					t.Errorf("no persona given, but the verdict reads %q, not checked %q", d.Title, d.NotChecked)
				}
			}
		})
	}
}

func TestSiteLabel(t *testing.T) {
	t.Parallel()
	r := shopReport()
	r.Pages = append(r.Pages, audit.PageInfo{URL: "https://www.other.example/x"}, audit.PageInfo{URL: "https://third.example/"})
	name, sub := siteLabel(newView(r, Options{}))
	if name != "shop.example" || sub != "and 2 more sites" {
		t.Errorf("siteLabel = %q, %q", name, sub)
	}
	if got := reportTitle(r); got != "leakwatch report: shop.example and 2 more sites" {
		t.Errorf("reportTitle = %q", got)
	}
}

// TestPixelsFindTheirCompany: a pixel whose vendor name differs from the
// company name (Meta pixel, company "Facebook") lands on the right card by
// its request host.
func TestPixelsFindTheirCompany(t *testing.T) {
	t.Parallel()
	r := shopReport()
	r.ThirdParties[0].Company = "Facebook"
	r.ThirdParties[0].Products = nil
	for i := range r.Findings {
		if r.Findings[i].Receiver != nil && r.Findings[i].Receiver.Company == "Meta" {
			rc := *r.Findings[i].Receiver
			rc.Company = "Facebook"
			r.Findings[i].Receiver = &rc
		}
	}
	v := newView(r, Options{})
	for _, c := range v.companies {
		if c.tp.Company == "Facebook" && len(c.pixels) != 2 {
			t.Errorf("Facebook card has %d pixel hits, want 2", len(c.pixels))
		}
		if c.tp.Company == "Facebook" && len(c.other) != 2 {
			t.Errorf("Facebook card has %d config findings, want 2 (matched by vendor→product)", len(c.other))
		}
	}
}

// TestMarkdownFitsAComment: a big report stays under GitHub's comment limit.
func TestMarkdownFitsAComment(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := Render(&buf, bigReport(100), "markdown", Options{}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 65536 {
		t.Errorf("markdown is %d bytes, over GitHub's 65,536 limit", buf.Len())
	}
	if !strings.Contains(buf.String(), "… and 650 more") {
		t.Error("capped leak table does not say how many were left out")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestRenderWriteError: a failing writer is reported, never swallowed.
func TestRenderWriteError(t *testing.T) {
	t.Parallel()
	for _, format := range Formats() {
		err := Render(failWriter{}, shopReport(), format, Options{})
		if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), format) {
			t.Errorf("%s: error = %v, want one naming the format and the cause", format, err)
		}
	}
}

func TestCutVisible(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abcdef", 3, "abc"},
		{"\x1b[1mabcdef\x1b[0m", 3, "\x1b[1mabc"},
		{"ab\x1b[31mcd", 2, "ab\x1b[31m"},
		{"ab\x1b[31mcd", 3, "ab\x1b[31mc"},
		{"abc", 5, "abc"},
	}
	for _, tt := range tests {
		rs := []rune(tt.in)
		if got := string(rs[:cutVisible(rs, tt.n)]); got != tt.want {
			t.Errorf("cutVisible(%q, %d) keeps %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
