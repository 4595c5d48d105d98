package policy

import (
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// groupedReport is a report in which audit's grouping, not a finding's own
// names, says which company a finding belongs to: a form-matching finding
// without a receiver, named by an odd vendor string, sent in a request to
// Meta's host.
func groupedReport() *audit.Report {
	return &audit.Report{
		Schema: audit.Schema,
		ThirdParties: []audit.ThirdParty{
			{Company: "Meta", Domains: []string{"facebook.com"}, Hosts: []string{"www.facebook.com"}, Requests: 3, Categories: []string{"ad"}},
			{Company: "Acme CDP", Domains: []string{"platform.example"}, Hosts: []string{"acme.platform.example"}, Requests: 1},
			{Company: "Google", Domains: []string{"platform.example"}, Hosts: []string{"ga.platform.example"}, Requests: 9},
		},
		Requests: []audit.RequestDetail{{Index: 4, URL: "https://www.facebook.com/tr?id=1"}},
		Findings: []audit.Finding{
			{Type: audit.TypeAutomaticMatching, Vendor: "FB Pixel Inc", Request: &audit.RequestRef{Index: 4},
				Summary: "The pixel collects form fields."},
			{Type: audit.TypeLeak, Field: "email", Receiver: &audit.Receiver{Host: "acme.platform.example", Domain: "platform.example"},
				Request: &audit.RequestRef{Index: 5, URL: "https://acme.platform.example/e?em=x"}},
		},
	}
}

func TestRulesNameCompaniesAsTheReportGroups(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, policy string
		violations   int
	}{
		{"company of a finding without receiver", "rules:\n  - id: r\n    deny: { company: Meta, type: automatic-advanced-matching }\n", 1},
		{"category of its company", "rules:\n  - id: r\n    deny: { category: ad, type: automatic-advanced-matching }\n", 1},
		{"host's company on a shared domain", "rules:\n  - id: r\n    deny: { company: Acme CDP, data: [email] }\n", 1},
		{"not the busier company of the domain", "rules:\n  - id: r\n    deny: { company: Google, data: [email] }\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := Parse([]byte(tt.policy), "t")
			if err != nil {
				t.Fatal(err)
			}
			res := Evaluate(p, groupedReport(), nil)
			if res.Violations != tt.violations {
				t.Errorf("%d violations %v, want %d", res.Violations, res.Rules, tt.violations)
			}
		})
	}
}

// TestDiffComparesCompaniesAsGrouped: a report and the same report read
// back with its companies differ in nothing; a leak to a receiver no third
// party lists is a company of the diff, as it is a card of the report.
func TestDiffComparesCompaniesAsGrouped(t *testing.T) {
	t.Parallel()
	old := groupedReport()
	if d := Diff(old, old.Grouped()); !d.Empty() {
		t.Errorf("a report and its grouped self differ: %+v", d)
	}
	cur := groupedReport()
	cur.Findings = append(cur.Findings, audit.Finding{Type: audit.TypeLeak, Field: "phone",
		Receiver: &audit.Receiver{Host: "t.tracker.example", Domain: "tracker.example", Company: "Tracker Inc"}})
	d := Diff(old, cur)
	if len(d.NewCompanies) != 1 || d.NewCompanies[0].Company != "Tracker Inc" || len(d.NewCompanies[0].DataKinds) != 1 {
		t.Errorf("new companies %+v, want Tracker Inc receiving phone", d.NewCompanies)
	}
	if len(d.ChangedCompanies) != 0 {
		t.Errorf("changed companies %+v, want none", d.ChangedCompanies)
	}
}
