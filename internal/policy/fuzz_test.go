package policy

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// FuzzParse feeds arbitrary bytes to the YAML policy parser; whatever it
// accepts must evaluate without panicking.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/examples/*.yaml")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("rules: [{deny: {data: email}}]"))
	f.Add([]byte("rules:\n  - &r {deny: {data: email}}\n  - *r\n"))
	f.Add([]byte("rules: [{deny: {third_parties: yes, pages: '/a/*?'}, allow: {company: [\"*\"]}}]"))
	f.Add([]byte("name: [\nrules"))
	report := &audit.Report{
		ThirdParties: []audit.ThirdParty{{Company: "Meta", Domains: []string{"facebook.com"}, Categories: []string{"ad"}}},
		Pixels:       []audit.PixelHit{{Vendor: "Meta", Product: "Meta Pixel", Account: "1", Page: "https://a.example/x"}},
		Findings: []audit.Finding{
			{Type: "leak", Field: "email", Channel: "query", Location: "ud[em]", Page: "https://a.example/account/1",
				Receiver: &audit.Receiver{Host: "www.facebook.com", Domain: "facebook.com", Company: "Meta"}},
			{Type: "pattern", Rule: "ups", Page: "/x"},
			{Type: "session-replay", Vendor: "FullStory", Requests: []int{1, 2, 3, 4, 5}},
		},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data, "fuzz.yaml")
		if err != nil {
			return
		}
		if len(p.Rules) == 0 {
			t.Fatal("accepted a policy without rules")
		}
		for _, r := range p.Rules {
			if r.ID == "" || r.Deny == nil {
				t.Fatalf("accepted rule %+v", r)
			}
		}
		Evaluate(p, report, report)
		Evaluate(p, report, nil)
	})
}
