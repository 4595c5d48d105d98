package audit

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/leakwatch/leakwatch/internal/pixel"
)

// groupingReport has two third parties that share a platform domain, the
// site's own domains, and request details for the findings without a
// receiver to be placed by.
func groupingReport() *Report {
	return &Report{
		FirstParty: FirstParty{Company: "Shop", Domains: []string{"shop.example"}},
		ThirdParties: []ThirdParty{
			{Company: "Meta", Domains: []string{"facebook.com"}, Hosts: []string{"www.facebook.com"},
				Products: []string{"Meta Pixel"}, Requests: 4},
			{Company: "Google", Domains: []string{"google-analytics.com", "platform.example"},
				Hosts: []string{"region1.google-analytics.com", "ga.platform.example"}, Products: []string{"GA4"}, Requests: 9},
			{Company: "Acme CDP", Domains: []string{"platform.example"}, Hosts: []string{"acme.platform.example"}, Requests: 1},
		},
		Requests: []RequestDetail{
			{Index: 3, URL: "https://region1.google-analytics.com/g/collect"},
			{Index: 7, URL: "https://acme.platform.example/e"},
			{Index: 9, URL: "https://api.shop.example/me"},
			{Index: 12, URL: "https://nobody.example/x"},
		},
	}
}

func TestAttribute(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		finding *Finding
		pixel   *PixelHit
		want    string // company name; "" for unattributed
		first   bool   // the site's own company
	}{
		{name: "receiver company", want: "Meta",
			finding: &Finding{Type: TypeLeak, Field: "email", Receiver: &Receiver{Host: "www.facebook.com", Domain: "facebook.com", Company: "Meta"}}},
		{name: "receiver host on a shared domain goes to the host's company, not the busier one", want: "Acme CDP",
			finding: &Finding{Type: TypeLeak, Field: "email", Receiver: &Receiver{Host: "acme.platform.example", Domain: "platform.example"}}},
		{name: "unlisted host of a shared domain goes to the busier company", want: "Google",
			finding: &Finding{Type: TypePattern, Rule: "phone", Receiver: &Receiver{Host: "x.platform.example", Domain: "platform.example"}}},
		{name: "receiver on the site's own domain, named by its owner", want: "Shop Holdings", first: true,
			finding: &Finding{Type: TypeLeak, Field: "email", Receiver: &Receiver{Host: "api.shop.example", Domain: "shop.example", Company: "Shop Holdings", Entity: "Shop"}}},
		{name: "receiver on the site's own host, no owner named", want: "Shop", first: true,
			finding: &Finding{Type: TypeIdentifierCookie, Receiver: &Receiver{Host: "www.shop.example"}}},
		{name: "receiver no third party lists", want: "Tracker Inc",
			finding: &Finding{Type: TypeLeak, Field: "email", Receiver: &Receiver{Host: "t.tracker.example", Domain: "tracker.example", Company: "Tracker Inc"}}},
		{name: "no receiver: the host of its request detail", want: "Acme CDP",
			finding: &Finding{Type: TypeSessionReplay, Vendor: "Hotjar", Request: &RequestRef{Index: 7}, Requests: []int{7}}},
		{name: "no receiver: the host of any request it names", want: "Google",
			finding: &Finding{Type: TypeFingerprinting, Vendor: "Unknown", Requests: []int{12, 3}}},
		{name: "no receiver: the vendor, case folded", want: "Meta",
			finding: &Finding{Type: TypeAutomaticMatching, Vendor: "meta", Product: "Meta Pixel"}},
		{name: "no receiver: the product", want: "Google",
			finding: &Finding{Type: TypePixelConfig, Vendor: "Alphabet", Product: "GA4"}},
		{name: "no receiver, nothing known", want: "",
			finding: &Finding{Type: TypeFingerprinting, Vendor: "Unknown", Requests: []int{12}}},
		{name: "pixel by its request's host", want: "Google",
			pixel: &PixelHit{Vendor: "Meta", Product: "Meta Pixel", Request: RequestRef{URL: "https://ga.platform.example/g/collect"}}},
		{name: "pixel served through the site's host goes to its vendor", want: "Meta",
			pixel: &PixelHit{Vendor: "Meta", Product: "Meta Pixel", Request: RequestRef{URL: "https://shop.example/tr?id=1"}}},
		{name: "pixel of an unknown vendor on the site's host", want: "",
			pixel: &PixelHit{Vendor: "Someone", Product: "Beacon", Request: RequestRef{URL: "https://shop.example/b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := groupingReport()
			if tt.finding != nil {
				r.Findings = []Finding{*tt.finding}
			}
			if tt.pixel != nil {
				r.Pixels = []PixelHit{*tt.pixel}
			}
			r.Companies, r.Unattributed = attribute(r)
			if !r.attributionFits() {
				t.Fatalf("attribution does not cover the report: %+v %+v", r.Companies, r.Unattributed)
			}
			fo, po := r.Owners()
			ci := slices.Concat(fo, po)[0]
			got, first := "", false
			if ci >= 0 {
				got, first = r.Companies[ci].Name, r.Companies[ci].FirstParty
			}
			if got != tt.want || first != tt.first {
				t.Errorf("attributed to %q (first party %v), want %q (%v)", got, first, tt.want, tt.first)
			}
		})
	}
}

// TestAttributeRequestsFollowFindings: a request detail sits with the
// finding that points at it, even on the site's own host.
func TestAttributeRequestsFollowFindings(t *testing.T) {
	t.Parallel()
	r := groupingReport()
	r.Findings = []Finding{{Type: TypeLeak, Field: "email", Request: &RequestRef{Index: 9},
		Receiver: &Receiver{Host: "api.shop.example", Domain: "shop.example"}}}
	r.Companies, r.Unattributed = attribute(r)
	want := map[string][]int{"Google": {0}, "Acme CDP": {1}, "Shop": {2}}
	for _, c := range r.Companies {
		if !slices.Equal(c.Requests, want[c.Name]) {
			t.Errorf("%s has requests %v, want %v", c.Name, c.Requests, want[c.Name])
		}
	}
	if r.Unattributed == nil || !slices.Equal(r.Unattributed.Requests, []int{3}) {
		t.Errorf("unattributed = %+v, want request 3 only", r.Unattributed)
	}
	if got := []string{r.Companies[0].Name, r.Companies[1].Name, r.Companies[2].Name}; !slices.Equal(got, []string{"Google", "Acme CDP", "Shop"}) {
		t.Errorf("company order %v: third parties in their order, then the site", got)
	}
}

// TestGroupedRepairs: a report whose companies do not fit its findings
// (read from JSON: written before companies existed, edited, hostile) is
// grouped again; one that fits is returned as it is.
func TestGroupedRepairs(t *testing.T) {
	t.Parallel()
	base := groupingReport()
	base.Findings = []Finding{{Type: TypeLeak, Field: "email", Receiver: &Receiver{Company: "Meta"}}}
	base.Pixels = []PixelHit{{Vendor: "Meta", Request: RequestRef{URL: "https://www.facebook.com/tr"}}}
	good := base.Grouped()
	if good == base || !good.attributionFits() {
		t.Fatal("a report without companies was not grouped")
	}
	if good.Grouped() != good {
		t.Error("a grouped report was grouped again")
	}
	tests := map[string]string{
		"no companies":       `{"findings":[{"type":"leak"}]}`,
		"index out of range": `{"findings":[{"type":"leak"}],"companies":[{"name":"x","third_party":-1,"findings":[0,5]}]}`,
		"negative index":     `{"findings":[{"type":"leak"}],"companies":[{"name":"x","third_party":-1,"findings":[-1]}]}`,
		"twice":              `{"findings":[{"type":"leak"}],"companies":[{"name":"x","third_party":-1,"findings":[0]}],"unattributed":{"findings":[0]}}`,
		"missing":            `{"findings":[{"type":"leak"},{"type":"leak"}],"companies":[{"name":"x","third_party":-1,"findings":[0]}]}`,
		"bad third party":    `{"findings":[{"type":"leak"}],"companies":[{"name":"x","third_party":3,"findings":[0]}]}`,
		"nameless":           `{"findings":[{"type":"leak"}],"companies":[{"name":"","third_party":-1,"findings":[0]}]}`,
	}
	for name, js := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var r Report
			if err := json.Unmarshal([]byte(js), &r); err != nil {
				t.Fatal(err)
			}
			if r.attributionFits() {
				t.Fatal("a broken grouping fits")
			}
			if g := r.Grouped(); !g.attributionFits() {
				t.Errorf("grouped again, it still does not fit: %+v %+v", g.Companies, g.Unattributed)
			}
		})
	}
}

// TestVocabularyMatchesPixel: the report's finding types and meanings are
// the decoders' words.
func TestVocabularyMatchesPixel(t *testing.T) {
	t.Parallel()
	types := map[string]string{
		TypePixelConfig: pixel.FindingPixelConfig, TypeCookieSync: pixel.FindingCookieSync,
		TypeSessionReplay: pixel.FindingSessionReplay, TypeThirdPartyCookie: pixel.FindingThirdPartyCookie,
		TypeIdentifierCookie: pixel.FindingIdentifierCookie, TypeFingerprinting: pixel.FindingFingerprinting,
		TypeTrackingBeacon: pixel.FindingUnknownBeacon, TypeAutomaticMatching: pixel.FindingAutomaticMatching,
	}
	for ours, theirs := range types {
		if ours != theirs {
			t.Errorf("finding type %q, pixel says %q", ours, theirs)
		}
	}
	meanings := map[Meaning]pixel.Meaning{
		MeaningPageURL: pixel.PageURL, MeaningReferrer: pixel.Referrer, MeaningTitle: pixel.Title,
		MeaningUserID: pixel.UserID, MeaningHashedEmail: pixel.HashedEmail, MeaningHashedPhone: pixel.HashedPhone,
		MeaningHashedName: pixel.HashedName, MeaningHashedAddress: pixel.HashedAddress, MeaningPlainPII: pixel.PlainPII,
		MeaningCustomData: pixel.CustomData, MeaningClickID: pixel.ClickID, MeaningDevice: pixel.Device,
		MeaningEventName: pixel.EventName, MeaningAccountID: pixel.AccountID, MeaningHashedOther: pixel.HashedOther,
		MeaningBrowserID: pixel.BrowserID, MeaningTechnical: pixel.Technical,
	}
	for ours, theirs := range meanings {
		if string(ours) != string(theirs) {
			t.Errorf("meaning %q, pixel says %q", ours, theirs)
		}
	}
}

// BenchmarkAttribute groups a report of 300,000 third parties (a page
// that contacted every host of a hostile capture) and 1,000 findings and
// pixel hits: the lookups index only what the findings name.
func BenchmarkAttribute(b *testing.B) {
	r := &Report{}
	for i := range 300_000 {
		d := "host" + itoa(i) + ".example"
		r.ThirdParties = append(r.ThirdParties, ThirdParty{Company: d, Domains: []string{d}, Hosts: []string{"www." + d}, Requests: 1})
	}
	for i := range 500 {
		d := "host" + itoa(i*600) + ".example"
		r.Findings = append(r.Findings, Finding{Type: TypeLeak, Field: "email", Receiver: &Receiver{Host: "www." + d, Domain: d, Company: d}})
		r.Pixels = append(r.Pixels, PixelHit{Vendor: "V", Product: "P", Request: RequestRef{URL: "https://www." + d + "/p"}})
	}
	b.ReportAllocs()
	for b.Loop() {
		attribute(r)
	}
}
