package audit

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

// realWorldTruth is ../shared/testdata/realworld/truth.json: the first party
// of each capture, read by hand, and what was typed where.
type realWorldTruth struct {
	FirstParty map[string]string `json:"first_party"`
	Typed      map[string]any    `json:"personal_data_typed"`
}

// realWorldFlows are the (company, persona key) flows to third parties that
// truth.json describes for the captures where values were typed, found with
// the persona files in testdata/realworld (the values truth.json names). No
// more may be found: a flow that is not here is a false alarm.
var realWorldFlows = map[string][]string{
	"charles-cgilib-form":                          nil,
	"chrome-devtools-211palmbeach-contact-form":    {"Meta email", "Meta first_name", "Meta last_name"},
	"chrome-devtools-classdojo-teacher-login":      nil,
	"chrome-devtools-crisis-center-contact":        nil,
	"chrome-devtools-gryphon-contact-form":         {"Meta email", "Meta first_name", "Meta phone"},
	"chrome-devtools-ncssinc-contact-form":         {"Meta email", "Meta first_name", "Meta last_name"},
	"chrome-devtools-responsecrisiscenter-contact": nil,
	"chrome-devtools-solari-contact-form":          {"Meta email"},
	"chrome-devtools-unitedwaynefl-contact-form":   {"Meta email"},
	"chrome-har-plannedparenthood":                 nil,
	"chrome-har-ppgulfcoast":                       nil,
	"chrome-har-suntrust":                          {"Verisk custom.password", "Verisk custom.user_id"},
	"chrome-har-usmint":                            {"Salesforce custom.typed", "Taboola email"},
	"firefox-cgilib-form":                          nil,
}

func loadTruth(t *testing.T) (string, realWorldTruth) {
	t.Helper()
	dir := sharedtest.Path(t, "realworld")
	b, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var truth realWorldTruth
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatal(err)
	}
	return dir, truth
}

func auditFile(t *testing.T, path string, personas []leak.Persona) *Report {
	t.Helper()
	c, err := har.ReadFile(context.Background(), path, har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pool, _ := leak.NewPool(personas)
	r, err := Run(context.Background(), Options{Classifier: classifier(t), Pool: pool}, c)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRealWorldFirstParty: on every real capture the site visited is the
// first party, whatever the first request, the page titles or the busiest
// Referer say.
func TestRealWorldFirstParty(t *testing.T) {
	t.Parallel()
	dir, truth := loadTruth(t)
	if len(truth.FirstParty) < 42 {
		t.Fatalf("truth.json lists %d captures, want 42", len(truth.FirstParty))
	}
	for name, want := range truth.FirstParty {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := auditFile(t, filepath.Join(dir, name+".har.gz"), nil)
			if got := r.Sources[0].Site; got != want {
				t.Errorf("first party %q, want %q", got, want)
			}
			for _, tp := range r.ThirdParties {
				if slices.Contains(tp.Domains, want) {
					t.Errorf("the site %s is listed as third party %q", want, tp.Company)
				}
			}
			checkOneNamePerCompany(t, r)
			checkAttribution(t, r)
			for _, w := range r.Warnings {
				if strings.Contains(w, "internal error") { // a recovered panic
					t.Error(w)
				}
			}
			if truth.Typed[name] != false {
				return
			}
			for _, f := range r.Findings {
				if f.Type == TypePattern && f.Confidence == ConfidenceHigh {
					t.Errorf("nothing personal was typed, yet a high-confidence %s pattern %q in %s %s of request %d",
						f.Rule, f.Value, f.Channel, f.Location, f.Request.Index)
				}
			}
		})
	}
}

// checkOneNamePerCompany: a receiving domain is credited to one company
// everywhere in the report, under the name the third parties use.
func checkOneNamePerCompany(t *testing.T, r *Report) {
	t.Helper()
	owner := map[string]string{}
	for _, tp := range r.ThirdParties {
		for _, d := range tp.Domains {
			owner[d] = tp.Company
		}
	}
	check := func(what, domain, company string) {
		if want, ok := owner[domain]; ok && want != company {
			t.Errorf("%s names %s's owner %q, third parties say %q", what, domain, company, want)
		}
	}
	for _, f := range r.Findings {
		if f.Receiver != nil {
			check("finding "+f.Type, f.Receiver.Domain, f.Receiver.Company)
			if f.Vendor != "" && f.Receiver.Company != "" && f.Vendor != f.Receiver.Company {
				check("finding "+f.Type+" vendor", f.Receiver.Domain, f.Vendor)
			}
		}
	}
	for _, h := range r.Pixels {
		check("pixel "+h.Product, siteOf(h.Request.URL), h.Vendor)
	}
}

// checkAttribution: every finding, pixel hit and request detail is in one
// company or unattributed; a company with a third-party entry has its
// name and data kinds; a finding with a receiver is in its receiver's
// company.
func checkAttribution(t *testing.T, r *Report) {
	t.Helper()
	if !r.attributionFits() {
		t.Fatal("the companies do not cover every finding, pixel hit and request detail exactly once")
	}
	for _, c := range r.Companies {
		if c.ThirdParty < 0 {
			continue
		}
		tp := r.ThirdParties[c.ThirdParty]
		if tp.Company != c.Name || !slices.Equal(tp.DataKinds, c.DataKinds) {
			t.Errorf("company %q %v, its third-party entry %q %v", c.Name, c.DataKinds, tp.Company, tp.DataKinds)
		}
	}
	fo, po := r.Owners()
	for i, f := range r.Findings {
		if f.Receiver != nil && fo[i] >= 0 && !r.Companies[fo[i]].FirstParty && r.Companies[fo[i]].Name != f.Receiver.Company {
			t.Errorf("finding %d to %q is attributed to %q", i, f.Receiver.Company, r.Companies[fo[i]].Name)
		}
	}
	none := 0
	if r.Unattributed != nil {
		none = len(r.Unattributed.Findings)
	}
	t.Logf("%d companies (%d third parties): %d findings (%d unattributed), %d pixel hits (%d unattributed)",
		len(r.Companies), len(r.ThirdParties), len(fo), none, len(po), len(po)-countOwned(po))
}

func countOwned(owners []int) int {
	n := 0
	for _, ci := range owners {
		if ci >= 0 {
			n++
		}
	}
	return n
}

// TestRealWorldPersonaFlows: where values were typed, a persona of those
// values finds exactly the flows truth.json describes.
func TestRealWorldPersonaFlows(t *testing.T) {
	t.Parallel()
	dir, truth := loadTruth(t)
	for name, val := range truth.Typed {
		if val == false {
			continue
		}
		want, ok := realWorldFlows[name]
		if !ok {
			t.Errorf("%s: values were typed (%v) but the test table has no flows for it", name, val)
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			personas, err := leak.LoadPersonas(filepath.Join("testdata", "realworld", name+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			r := auditFile(t, filepath.Join(dir, name+".har.gz"), personas)
			var got []string
			for _, f := range r.Findings {
				if f.Type == TypeLeak {
					got = append(got, f.Receiver.Company+" "+f.Field)
				}
			}
			slices.Sort(got)
			got = slices.Compact(got)
			if !slices.Equal(got, want) {
				t.Errorf("flows\n got  %s\n want %s", strings.Join(got, ", "), strings.Join(want, ", "))
			}
		})
	}
}
