package policy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"

	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

var update = sharedtest.Update

func loadReport(t testing.TB, name string) *audit.Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var r audit.Report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// expectations reads the "# expect on testdata/<report>: pass" or
// "...: fail <rule id>..." lines that document each example policy, keyed by
// report fixture.
func expectations(t *testing.T, data []byte) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, line := range strings.Split(string(data), "\n") {
		rest, ok := strings.CutPrefix(line, "# expect on testdata/")
		if !ok {
			continue
		}
		file, outcome, ok := strings.Cut(rest, ": ")
		f := strings.Fields(outcome)
		if !ok || len(f) == 0 || (f[0] == "pass") != (len(f) == 1) || (f[0] != "pass" && f[0] != "fail") {
			t.Fatalf("bad expect line %q", line)
		}
		out[file] = f[1:]
	}
	if len(out) < 2 {
		t.Fatal("each example documents its outcome on both report fixtures")
	}
	return out
}

// TestExamples evaluates every example policy against the report fixtures
// (a parcel-delivery site like the demo, and the real report of
// health-shop-mylabbox.har with the persona email test@gmail.com) and
// checks the documented outcome, rule by rule.
func TestExamples(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/examples/*.yaml")
	if err != nil || len(files) < 4 {
		t.Fatalf("examples: %v %v", files, err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Parse(data, file)
		if err != nil {
			t.Fatal(err)
		}
		for fixture, failing := range expectations(t, data) {
			t.Run(filepath.Base(file)+"/"+fixture, func(t *testing.T) {
				t.Parallel()
				checkOutcome(t, p, loadReport(t, fixture), failing)
			})
		}
	}
}

func checkOutcome(t *testing.T, p *Policy, report *audit.Report, failing []string) {
	t.Helper()
	res := Evaluate(p, report, nil)
	if res.Passed != (len(failing) == 0) {
		t.Errorf("passed = %v, documented %v: %+v", res.Passed, len(failing) == 0, res.Rules)
	}
	var got []string
	n := 0
	for _, rr := range res.Rules {
		n += len(rr.Violations)
		if !rr.Passed {
			got = append(got, rr.ID)
			if len(rr.Violations) == 0 {
				t.Errorf("rule %s failed without a sentence", rr.ID)
			}
		}
		for _, i := range rr.Findings {
			if i < 0 || i >= len(report.Findings) {
				t.Errorf("rule %s: finding index %d out of range", rr.ID, i)
			}
		}
	}
	if !slices.Equal(got, failing) {
		t.Errorf("failing rules %v, documented %v", got, failing)
	}
	if n != res.Violations {
		t.Errorf("violations = %d, sentences %d", res.Violations, n)
	}
}

func TestEvaluateSelectors(t *testing.T) {
	t.Parallel()
	report := loadReport(t, "report-parcels.json")
	tests := []struct {
		name, rule string
		want       []string // substrings of the violations, in order; nil: passes
	}{
		{"any persona data", `deny: {data: "*"}`, []string{
			"Meta (facebook.com) received email as sha256(lowercase(email)) in query ud[em] (hashed_email) on https://parcels.example/account (request #3)",
			"Meta (facebook.com) received zip", "Meta (facebook.com) received city", "Meta (facebook.com) received email as sha256(email) in body udff[em]",
			"Meta (facebook.com) received tracking_numbers", "Google (google-analytics.com) received tracking_numbers",
			"Google (doubleclick.net) received email as base64url(sha256(lowercase(email)))", "LinkedIn (linkedin.com) received email",
			"FullStory (fullstory.com) received street as gzip(street) in body evts > 3 > args > 1 on https://parcels.example/account/orders (request #20)",
			"Microsoft (bing.com) received a value that looks like usps-impb in query p (page_url)",
			"Google (google-analytics.com) received a value that looks like usps-impb"}},
		{"data kind and company glob", `deny: {data: email, company: "link*"}`, []string{"LinkedIn (linkedin.com) received email"}},
		{"domain covers subdomains", `deny: {data: "*", domain: bing.com}`, []string{"Microsoft (bing.com) received a value that looks like usps-impb"}},
		{"domain glob on host", `deny: {data: "*", domain: "region*.google-analytics.com"}`, []string{"Google (google-analytics.com) received tracking_numbers", "Google (google-analytics.com) received a value"}},
		{"category", `deny: {categories: [analytics], finding_types: [leak], company: "*story"}`, []string{"FullStory"}},
		{"channel", `deny: {data: "*", channel: body}`, []string{"udff[em]", "received tracking_numbers as urlencode(tracking_numbers) in body dl", "FullStory"}},
		{"page path", `deny: {data: "*", pages: "/track"}`, []string{"udff[em]", "Meta (facebook.com) received tracking_numbers", "Google (google-analytics.com) received tracking_numbers", "bing.com", "Google (google-analytics.com) received a value"}},
		{"page full URL", `deny: {finding_types: session-replay, pages: "https://parcels.example/account/*"}`, []string{
			"FullStory (fullstory.com): session-replay: FullStory records the session (DOM snapshots and input events) on https://parcels.example/account/orders (requests #19, #20, #21)"}},
		{"page mismatch", `deny: {finding_types: session-replay, pages: "/checkout/*"}`, nil},
		{"pattern rule", `deny: {patterns: "usps-*", company: Microsoft}`, []string{"Microsoft (bing.com) received a value that looks like usps-impb"}},
		{"data covers patterns", `deny: {data: tracking_numbers, company: Microsoft}`, []string{"usps-impb"}},
		{"meaning", `deny: {meanings: hashed_email}`, []string{"ud[em]", "udff[em]", "doubleclick", "LinkedIn"}},
		{"account", `deny: {accounts: "AW-*"}`, []string{"Google (doubleclick.net) received email"}},
		{"config type", `deny: {finding_types: automatic-advanced-matching}`, []string{"Meta (facebook.net): automatic-advanced-matching: Meta Pixel 1790176861228431 has automatic advanced matching on"}},
		{"match scopes", "match: {company: Meta}\n    deny: {data: [email]}", []string{"ud[em]", "udff[em]"}},
		{"allow excepts", "deny: {data: email}\n    allow: {company: [Meta, Google]}", []string{"LinkedIn"}},
		{"third parties", "deny: {third_parties: true}\n    allow: {category: [ad, utility]}", []string{"FullStory (fullstory.com) received 6 requests and the persona's street"}},
		{"pixels", `deny: {pixels: true, company: Meta}`, []string{"Meta Pixel 1790176861228431 (Meta) fired 2 hits on https://parcels.example/account"}},
		{"nothing matches", `deny: {data: date_of_birth}`, nil},
		{"custom data", `deny: {data: "custom.*"}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := Parse([]byte("rules:\n  - id: r\n    "+tc.rule+"\n"), tc.name)
			if err != nil {
				t.Fatal(err)
			}
			res := Evaluate(p, report, nil)
			got := res.Rules[0].Violations
			if res.Passed != (tc.want == nil) || len(got) != len(tc.want) {
				t.Fatalf("got %d violations, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("violation %d:\n got %s\nwant %s", i, got[i], w)
				}
			}
		})
	}
}

func TestBaseline(t *testing.T) {
	t.Parallel()
	old, cur := loadReport(t, "report-parcels.json"), loadReport(t, "report-parcels-next.json")
	p, err := Parse([]byte("rules:\n  - id: no-data\n    deny: {data: \"*\"}\n"), "p")
	if err != nil {
		t.Fatal(err)
	}
	if res := Evaluate(p, old, old); !res.Passed || res.Violations != 0 {
		t.Errorf("a report against itself: %+v", res)
	}
	res := Evaluate(p, cur, old)
	want := []string{"new: Meta (facebook.com) received phone", "new: Criteo (criteo.com) received email as md5(lowercase(email))"}
	got := res.Rules[0].Violations
	if res.Passed || len(got) != len(want) {
		t.Fatalf("violations: %q", got)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("got %q, want prefix %q", got[i], want[i])
		}
	}
	for _, i := range res.Rules[0].Findings {
		if f := cur.Findings[i]; f.Field != "phone" && f.Receiver.Company != "Criteo" {
			t.Errorf("finding %d is not new: %+v", i, f)
		}
	}
	// Request indexes and pages do not make a finding new.
	moved := loadReport(t, "report-parcels.json")
	for i := range moved.Findings {
		if moved.Findings[i].Request != nil {
			moved.Findings[i].Request.Index += 100
		}
		moved.Findings[i].Page += "?again"
	}
	if res := Evaluate(p, moved, old); !res.Passed {
		t.Errorf("moved findings counted as new: %v", res.Rules[0].Violations)
	}
}

func TestFailOn(t *testing.T) {
	t.Parallel()
	old, cur := loadReport(t, "report-parcels.json"), loadReport(t, "report-parcels-next.json")
	tests := []struct {
		kinds    []string
		baseline *audit.Report
		failing  []string
		counts   []int
	}{
		{[]string{"leak"}, nil, []string{"fail-on-leak"}, []int{11}},
		{[]string{"pattern"}, nil, []string{"fail-on-pattern"}, []int{2}},
		{[]string{"leak,pattern"}, old, []string{"fail-on-leak"}, []int{2, 0}},
		{[]string{"new"}, old, []string{"fail-on-new-finding", "fail-on-new-third-party", "fail-on-new-pixel"}, []int{2, 1, 2}},
		{[]string{" New ", "leak"}, cur, nil, []int{0, 0, 0, 0}},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.kinds, "+"), func(t *testing.T) {
			t.Parallel()
			p, err := FailOn(tc.kinds)
			if err != nil {
				t.Fatal(err)
			}
			res := Evaluate(p, cur, tc.baseline)
			var failing []string
			var counts []int
			for _, rr := range res.Rules {
				counts = append(counts, len(rr.Violations))
				if !rr.Passed {
					failing = append(failing, rr.ID)
				}
			}
			if !slices.Equal(failing, tc.failing) || !slices.Equal(counts, tc.counts) || res.Passed != (tc.failing == nil) {
				t.Errorf("failing %v counts %v, want %v %v", failing, counts, tc.failing, tc.counts)
			}
		})
	}
	for _, bad := range [][]string{nil, {""}, {"leaks"}, {"leak,everything"}} {
		if _, err := FailOn(bad); err == nil {
			t.Errorf("FailOn(%q) accepted", bad)
		}
	}
	p, _ := FailOn([]string{"leak,new"})
	if !p.NeedsBaseline() || p.Name != "fail-on leak,new" {
		t.Errorf("leak,new: %q %v", p.Name, p.NeedsBaseline())
	}
	if p, _ := FailOn([]string{"pattern"}); p.NeedsBaseline() {
		t.Error("pattern needs no baseline")
	}
}

func TestCombine(t *testing.T) {
	t.Parallel()
	a, _ := Parse([]byte("name: gate\nrules: [{id: x, deny: {data: email}}]"), "a")
	b, _ := FailOn([]string{"leak"})
	c, err := Combine(a, nil, b)
	if err != nil || len(c.Rules) != 2 || c.Name != "gate + fail-on leak" {
		t.Fatalf("combine: %+v %v", c, err)
	}
	if _, err := Combine(a, a); err == nil || !strings.Contains(err.Error(), `rule id "x"`) {
		t.Errorf("duplicate ids: %v", err)
	}
}

func TestNilInputs(t *testing.T) {
	t.Parallel()
	p, _ := FailOn([]string{"leak"})
	if res := Evaluate(nil, &audit.Report{}, nil); !res.Passed {
		t.Error("nil policy failed")
	}
	if res := Evaluate(p, nil, nil); !res.Passed {
		t.Error("nil report failed")
	}
	if d := Diff(nil, loadReport(t, "report-parcels.json")); len(d.NewCompanies) != 6 {
		t.Errorf("diff from nothing: %d new companies", len(d.NewCompanies))
	}
}

func TestViolationFindingsSkipped(t *testing.T) {
	t.Parallel()
	r := &audit.Report{Findings: []audit.Finding{{Type: audit.TypeViolation, Summary: "earlier run"}}}
	p, _ := FailOn([]string{"new"})
	if res := Evaluate(p, r, nil); !res.Passed {
		t.Errorf("a policy-violation finding broke a rule: %+v", res)
	}
}

// TestExamplesGolden writes each example's result on both fixtures, rule by
// rule with its sentences, to testdata/examples.golden.txt: the text the
// README quotes.
func TestExamplesGolden(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("testdata/examples/*.yaml")
	var b strings.Builder
	for _, fixture := range []string{"report-parcels.json", "report-mylabbox.json"} {
		report := loadReport(t, fixture)
		for _, file := range files {
			p, err := Load(file)
			if err != nil {
				t.Fatal(err)
			}
			res := Evaluate(p, report, nil)
			fmt.Fprintf(&b, "== %s on %s: passed=%v violations=%d\n", filepath.Base(file), fixture, res.Passed, res.Violations)
			for _, rr := range res.Rules {
				fmt.Fprintf(&b, "  [%s] %s: %s\n", map[bool]string{true: "pass", false: "FAIL"}[rr.Passed], rr.ID, rr.Description)
				for _, v := range rr.Violations {
					fmt.Fprintf(&b, "    - %s\n", v)
				}
			}
		}
	}
	golden(t, "examples.golden.txt", []byte(b.String()))
}

// TestPatternConfidence: deny selectors and --fail-on pattern count only
// high-confidence pattern findings unless a confidence key widens them.
func TestPatternConfidence(t *testing.T) {
	t.Parallel()
	report := loadReport(t, "report-parcels.json")
	for i := range report.Findings {
		f := &report.Findings[i]
		if f.Type == audit.TypePattern && strings.Contains(f.Receiver.Domain, "bing.com") {
			f.Confidence, f.Reason = audit.ConfidenceLow, "passes the check digit, but sits in a cache-buster"
		}
	}
	const microsoft, google = "Microsoft (bing.com) received a value", "Google (google-analytics.com) received a value"
	fo, err := FailOn([]string{"pattern"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		rule string
		want []string
	}{
		{"pattern type", `deny: {finding_types: pattern}`, []string{google}},
		{"pattern rule", `deny: {patterns: "usps-*"}`, []string{google}},
		{"data covers high patterns only", `deny: {data: tracking_numbers, channel: query}`, []string{"Google (google-analytics.com) received tracking_numbers", google}},
		{"widened", `deny: {finding_types: pattern, confidence: [low, medium, high]}`, []string{microsoft, google}},
		{"confidence alone picks patterns", `deny: {confidence: low}`, []string{microsoft}},
		{"allow by confidence", "deny: {finding_types: pattern, confidence: [low, high]}\n    allow: {confidence: low}", []string{google}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := Parse([]byte("rules:\n  - id: r\n    "+tc.rule+"\n"), tc.name)
			if err != nil {
				t.Fatal(err)
			}
			checkViolations(t, Evaluate(p, report, nil).Rules[0].Violations, tc.want)
		})
	}
	t.Run("fail-on pattern", func(t *testing.T) {
		t.Parallel()
		checkViolations(t, Evaluate(fo, report, nil).Rules[0].Violations, []string{google})
	})
	if _, err := Parse([]byte("rules:\n  - id: r\n    deny: {confidence: certain}\n"), "bad"); err == nil ||
		!strings.Contains(err.Error(), "confidence value \"certain\" is not known") {
		t.Errorf("unknown confidence accepted or badly named: %v", err)
	}
}

func checkViolations(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d violations, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i, w := range want {
		if !strings.Contains(got[i], w) {
			t.Errorf("violation %d:\n got %s\nwant %s", i, got[i], w)
		}
	}
}
