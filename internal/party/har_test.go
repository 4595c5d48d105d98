package party

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

var update = sharedtest.Update

// harRequest is the part of a HAR entry these tests need. The HAR reader is
// another package's; this is a minimal decoding of the test files only.
type harRequest struct {
	page, url, typ string
}

func readHAR(tb testing.TB, path string) []harRequest {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var doc struct {
		Log struct {
			Pages []struct {
				ID    string `json:"id"`
				Title string `json:"title"`
			} `json:"pages"`
			Entries []struct {
				PageRef      string `json:"pageref"`
				ResourceType string `json:"_resourceType"`
				Request      struct {
					URL string `json:"url"`
				} `json:"request"`
			} `json:"entries"`
		} `json:"log"`
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // Fiddler writes a BOM
	if err := json.Unmarshal(b, &doc); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	pages := map[string]string{}
	for _, p := range doc.Log.Pages {
		pages[p.ID] = p.Title // chrome-har writes the page URL as its title
	}
	out := make([]harRequest, 0, len(doc.Log.Entries))
	for _, e := range doc.Log.Entries {
		out = append(out, harRequest{page: pages[e.PageRef], url: e.Request.URL, typ: e.ResourceType})
	}
	return out
}

// hostSummary is one line of a golden file: what Classify said for a host.
type hostSummary struct {
	party    Party
	requests int
	blocked  int
	rules    []string
}

func TestHealthShopHARs(t *testing.T) {
	t.Parallel()
	c := easyPrivacy(t)
	tests := []struct {
		file string
		page string // registrable domain of the shop
		// third parties that must be found, by registrable domain → company
		want map[string]string
	}{
		{"health-shop-mylabbox.har", "mylabbox.com", map[string]string{
			"facebook.com": "Meta", "bing.com": "Microsoft", "criteo.com": "Criteo", "klaviyo.com": "Klaviyo",
			"google.com": "Google", "stripe.com": "Stripe", "doubleclick.net": "Google",
		}},
		{"health-shop-oraquick.har", "oraquick.com", map[string]string{
			"facebook.com": "Meta", "google-analytics.com": "Google", "pardot.com": "Salesforce",
		}},
		{"health-shop-personalabs.har", "personalabs.com", map[string]string{
			"facebook.com": "Meta", "tiktok.com": "ByteDance", "bing.com": "Microsoft",
			"doubleclick.net": "Google", "google-analytics.com": "Google", "paypal.com": "PayPal",
		}},
	}
	for _, tt := range tests {
		reqs := readHAR(t, sharedtest.Path(t, "har", tt.file))
		hosts := map[string]*hostSummary{}
		for _, r := range reqs {
			if RegistrableDomain(hostOf(r.page)) != tt.page {
				t.Fatalf("%s: page %q is not on %s", tt.file, r.page, tt.page)
			}
			p := c.Classify(r.page, r.url, r.typ)
			s := hosts[p.Host]
			if s == nil {
				s = &hostSummary{party: p}
				hosts[p.Host] = s
			}
			s.requests++
			if p.Filter != nil {
				s.blocked++
				if !slices.Contains(s.rules, p.Filter.Rule) {
					s.rules = append(s.rules, p.Filter.Rule)
				}
			}
			// The shop's own hosts are first party. EasyPrivacy may still flag
			// one (oraquick's info.oraquick.com is a Pardot endpoint under the
			// shop's name), but never the shop's pages themselves.
			if p.Domain == tt.page && p.ThirdParty {
				t.Errorf("%s: the shop's own %s classified third party", tt.file, r.url)
			}
			if r.typ == "document" && p.Domain == tt.page && p.Filter != nil {
				t.Errorf("%s: the shop's page %s blocked by %q", tt.file, r.url, p.Filter.Rule)
			}
		}
		for domain, company := range tt.want {
			found := false
			for _, s := range hosts {
				if s.party.Domain == domain {
					found = true
					if !s.party.ThirdParty || !s.party.Known || s.party.Company != company {
						t.Errorf("%s: %s = third %v known %v company %q, want third-party %q",
							tt.file, s.party.Host, s.party.ThirdParty, s.party.Known, s.party.Company, company)
					}
				}
			}
			if !found {
				t.Errorf("%s: no request to %s", tt.file, domain)
			}
		}
		checkGolden(t, strings.TrimSuffix(tt.file, ".har")+".txt", renderHosts(hosts))
	}
}

func renderHosts(hosts map[string]*hostSummary) []byte {
	keys := make([]string, 0, len(hosts))
	for h := range hosts {
		keys = append(keys, h)
	}
	slices.Sort(keys)
	var b bytes.Buffer
	b.WriteString("# host\tdomain\tcompany\tentity\tparty\trequests\tblocked\trules\n")
	for _, h := range keys {
		s := hosts[h]
		side := "first"
		if s.party.ThirdParty {
			side = "third"
		}
		slices.Sort(s.rules)
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", h, s.party.Domain, s.party.Company,
			s.party.Entity, side, s.requests, s.blocked, strings.Join(s.rules, " "))
	}
	return b.Bytes()
}

// checkGolden compares got with testdata/golden/name, rewriting it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	sharedtest.Golden(t, filepath.Join("testdata", "golden", name), got, *update)
}

// TestSharedHARInvariants classifies every request of every shared HAR and
// checks what must hold whatever the data says.
func TestSharedHARInvariants(t *testing.T) {
	t.Parallel()
	c := easyPrivacy(t)
	files, err := filepath.Glob(sharedtest.Path(t, "har", "*.har"))
	if err != nil || len(files) < 10 {
		t.Fatalf("shared HARs: %v, %d files", err, len(files))
	}
	for _, f := range files {
		reqs := readHAR(t, f)
		if len(reqs) == 0 {
			t.Errorf("%s: no entries", f)
			continue
		}
		third := 0
		// One github.io site only; Wikipedia loads from its own wikimedia.org.
		ownSite := strings.Contains(f, "harviewer-firefox47") || strings.Contains(f, "harviewer-ie11") ||
			strings.Contains(f, "wikipedia")
		for _, r := range reqs {
			page := r.page
			if hostOf(page) == "" {
				page = reqs[0].url // exporters without page URLs: the first request is the page
			}
			p := c.Classify(page, r.url, r.typ)
			if p.Domain != RegistrableDomain(p.Host) {
				t.Errorf("%s: %s: Domain %q, RegistrableDomain(Host) %q", f, r.url, p.Domain, RegistrableDomain(p.Host))
			}
			if p.Known != (p.Entity != "") || p.Known && p.Company == "" || !p.Known && p.Company != p.Domain {
				t.Errorf("%s: %s: inconsistent company fields %+v", f, r.url, p)
			}
			if p.Host != "" && p.Domain == RegistrableDomain(hostOf(page)) && p.ThirdParty {
				t.Errorf("%s: %s: same domain as page %s but third party", f, r.url, page)
			}
			if again := c.Classify(page, r.url, r.typ); again.ThirdParty != p.ThirdParty || again.Company != p.Company || (again.Filter == nil) != (p.Filter == nil) {
				t.Errorf("%s: %s: second Classify differs", f, r.url)
			}
			if p.ThirdParty {
				third++
			}
		}
		if ownSite != (third == 0) {
			t.Errorf("%s: %d third-party requests among %d", f, third, len(reqs))
		}
	}
}
