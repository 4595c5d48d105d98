package policy

import (
	"strings"
	"testing"
)

// TestRealReport runs rules against the report leakwatch made of
// health-shop-mylabbox.har (persona email test@gmail.com), where receivers
// go by several names: the entity "Facebook", the pixel vendor "Meta",
// products such as "Bing Ads" owned by "Microsoft".
func TestRealReport(t *testing.T) {
	t.Parallel()
	report := loadReport(t, "report-mylabbox.json")
	tests := []struct {
		name, rule string
		n          int    // violations
		first      string // substring of the first one
	}{
		{"vendor name reaches entity", `deny: {company: Meta, finding_types: third-party-cookie}`, 1,
			"Facebook (facebook.com): third-party-cookie: Third party Facebook (facebook.com) received 5 cookie(s)"},
		{"entity name", `deny: {company: Facebook, finding_types: automatic-advanced-matching}`, 1,
			"Meta Pixel 1790176861228431 sent values scraped from the page's form fields"},
		{"owner of a product name", `deny: {company: Microsoft, finding_types: [cookie-sync, identifier-cookie, third-party-cookie]}`, 4, "Bing Ads"},
		{"owner category", `deny: {category: ad, finding_types: cookie-sync}`, 5, "Criteo (criteo.com): cookie-sync"},
		{"persona leak", `deny: {data: email, channel: body}`, 12, "Klaviyo (klaviyo.com) received email in plain text in body data > customer_properties.$email"},
		{"persona leak only", `deny: {finding_types: leak}`, 6, "Klaviyo"},
		{"pattern on wrong company", `deny: {patterns: fedex, company: "*"}`, 1, "Facebook (facebook.com) received a value that looks like fedex"},
		{"pixel IDs", `deny: {pixels: true}
    allow: {accounts: ["1790176861228431"]}`, 4, ""},
		{"third parties without data", `deny: {third_parties: true, company: "Stripe"}`, 1, "Stripe (stripe.com) received 3 requests"},
		{"nothing to LinkedIn", `deny: {company: LinkedIn}`, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := Parse([]byte("rules:\n  - id: r\n    "+tc.rule+"\n"), tc.name)
			if err != nil {
				t.Fatal(err)
			}
			got := Evaluate(p, report, nil).Rules[0].Violations
			if len(got) != tc.n {
				t.Fatalf("%d violations, want %d:\n%s", len(got), tc.n, strings.Join(got, "\n"))
			}
			if tc.n > 0 && !strings.Contains(got[0], tc.first) {
				t.Errorf("first violation %q lacks %q", got[0], tc.first)
			}
		})
	}
}

// BenchmarkEvaluate runs the example policies and --fail-on new against the
// real mylabbox report with itself as baseline, and diffs it with itself.
func BenchmarkEvaluate(b *testing.B) {
	report := loadReport(b, "report-mylabbox.json")
	var ps []*Policy
	for _, name := range []string{"no-persona-data", "analytics-page-urls-only", "no-replay-on-account", "no-contact-data-to-ads", "approved-vendors"} {
		p, err := Load("testdata/examples/" + name + ".yaml")
		if err != nil {
			b.Fatal(err)
		}
		ps = append(ps, p)
	}
	fo, _ := FailOn([]string{"leak,pattern,new"})
	p, err := Combine(append(ps, fo)...)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(report.Findings)), "findings")
	for b.Loop() {
		Evaluate(p, report, report)
		Diff(report, report)
	}
}
