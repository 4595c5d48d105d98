package party

import (
	"context"
	"sync"
	"testing"
)

// newTestClassifier builds a classifier, failing the test on error.
func newTestClassifier(tb testing.TB, opts Options) *Classifier {
	tb.Helper()
	c, err := NewClassifier(context.Background(), opts)
	if err != nil {
		tb.Fatalf("NewClassifier: %v", err)
	}
	return c
}

func TestEmbeddedData(t *testing.T) {
	t.Parallel()
	idx, err := embeddedIndex()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(idx.ents); n < 2000 {
		t.Errorf("embedded entities: %d, want the full third-party-web set (>2000)", n)
	}
	// The embedded .net.pl entry of "Conversion Labs" names an ICANN suffix;
	// it must not claim every .net.pl site.
	if _, ok := idx.lookup("shop.net.pl"); ok {
		t.Errorf("shop.net.pl matched an entity through an ICANN public suffix entry")
	}
}

func TestEntityLookup(t *testing.T) {
	t.Parallel()
	c := newTestClassifier(t, Options{})
	tests := []struct {
		host, entity, company, category string
	}{
		{"www.facebook.com", "Facebook", "Meta", "social"},
		{"facebook.com", "Facebook", "Meta", "social"},
		{"static.xx.fbcdn.net", "Facebook", "Meta", "social"},
		{"connect.facebook.net", "Facebook", "Meta", "social"},
		{"www.instagram.com", "Instagram", "Meta", "social"},
		{"www.google-analytics.com", "Google Analytics", "Google", "analytics"},
		{"stats.g.doubleclick.net", "Google/Doubleclick Ads", "Google", "ad"},
		{"www.googletagmanager.com", "Google Tag Manager", "Google", "tag-manager"},
		{"maps.googleapis.com", "Google Maps", "Google", "utility"},
		{"bat.bing.com", "Bing Ads", "Microsoft", "ad"},
		{"analytics.tiktok.com", "TikTok", "ByteDance", "social"},
		{"pi.pardot.com", "Pardot", "Salesforce", "marketing"},
		{"static.klaviyo.com", "Klaviyo", "Klaviyo", "ad"},
		{"gum.criteo.com", "Criteo", "Criteo", "ad"},
		{"WWW.FACEBOOK.COM:443", "Facebook", "Meta", "social"},
		{"https://www.facebook.com/tr?id=1", "Facebook", "Meta", "social"},
	}
	for _, tt := range tests {
		e := c.Entity(tt.host)
		if e == nil {
			t.Errorf("Entity(%q) = nil, want %s", tt.host, tt.entity)
			continue
		}
		if e.Name != tt.entity || e.Company != tt.company || len(e.Categories) == 0 || e.Categories[0] != tt.category {
			t.Errorf("Entity(%q) = %s/%s/%v, want %s/%s/%s", tt.host, e.Name, e.Company, e.Categories, tt.entity, tt.company, tt.category)
		}
	}
	for _, host := range []string{"www.mylabbox.com", "example.test", "", "localhost", "10.0.0.1", "adservice.google.com.evil.test"} {
		if e := c.Entity(host); e != nil {
			t.Errorf("Entity(%q) = %s, want nil", host, e.Name)
		}
	}
	// An exact-host entry covers that host only.
	if e := c.Entity("x.adservice.google.com"); e != nil && e.Name == "Google/Doubleclick Ads" {
		t.Errorf("exact entry adservice.google.com matched a subdomain")
	}
}

func TestEntityReturnsCopy(t *testing.T) {
	t.Parallel()
	c := newTestClassifier(t, Options{})
	e := c.Entity("facebook.com")
	e.Domains[0] = "changed.test"
	e.Categories[0] = "changed"
	if again := c.Entity("facebook.com"); again.Domains[0] == "changed.test" || again.Categories[0] == "changed" {
		t.Fatal("Entity returned shared slices")
	}
}

func TestSameCompany(t *testing.T) {
	t.Parallel()
	c := newTestClassifier(t, Options{})
	tests := []struct {
		a, b string
		want bool
	}{
		{"www.facebook.com", "static.xx.fbcdn.net", true},
		{"facebook.com", "www.instagram.com", true},
		{"fbcdn.net", "instagram.com", true},
		{"www.google-analytics.com", "stats.g.doubleclick.net", true},
		{"www.google-analytics.com", "www.googletagmanager.com", true},
		{"www.youtube.com", "www.google-analytics.com", true},
		{"bat.bing.com", "www.linkedin.com", false}, // LinkedIn is reported as its own company (data/owners.tsv),
		{"www.facebook.com", "www.google-analytics.com", false},
		{"analytics.tiktok.com", "www.facebook.com", false},
		{"www.mylabbox.com", "mylabbox.com", true},
		{"info.oraquick.com", "oraquick.com", true},
		{"www.mylabbox.com", "www.facebook.com", false},
		{"shop-a.test", "shop-b.test", false},
		// Two customers of one hosting platform are not one company.
		{"alice.github.io", "bob.github.io", false},
		{"alice.github.io", "www.alice.github.io", true},
		{"a.herokuapp.com", "b.herokuapp.com", false},
		{"", "", false},
		{"", "facebook.com", false},
	}
	for _, tt := range tests {
		if got := c.SameCompany(tt.a, tt.b); got != tt.want {
			t.Errorf("SameCompany(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := c.SameCompany(tt.b, tt.a); got != tt.want {
			t.Errorf("SameCompany(%q, %q) = %v, want %v (not symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestClassifyThirdParty(t *testing.T) {
	t.Parallel()
	c := newTestClassifier(t, Options{})
	tests := []struct {
		name, page, req string
		third           bool
		company, domain string
		known           bool
	}{
		{"same host", "https://www.shop.test/", "https://www.shop.test/app.js", false, "shop.test", "shop.test", false},
		{"sibling subdomain", "https://www.shop.test/", "https://cdn.shop.test/app.js", false, "shop.test", "shop.test", false},
		{"unknown third party", "https://www.shop.test/", "https://cdn.other.test/x.js", true, "other.test", "other.test", false},
		{"tracker on shop", "https://www.mylabbox.com/", "https://www.facebook.com/tr?id=1", true, "Meta", "facebook.com", true},
		{"same company cdn", "https://www.facebook.com/", "https://static.xx.fbcdn.net/rsrc.php", false, "Meta", "fbcdn.net", true},
		{"same company sister brand", "https://www.instagram.com/", "https://connect.facebook.net/sdk.js", false, "Meta", "facebook.net", true},
		{"google on google", "https://www.youtube.com/", "https://www.google-analytics.com/g/collect", false, "Google", "google-analytics.com", true},
		{"port and case", "https://Shop.test:8443/", "http://SHOP.TEST/x", false, "shop.test", "shop.test", false},
		{"platform neighbours", "https://alice.github.io/", "https://bob.github.io/x.js", true, "GitHub", "bob.github.io", true},
		{"unknown page", "", "https://www.shop.test/x", true, "shop.test", "shop.test", false},
		{"page without host", "about:blank", "https://www.shop.test/x", true, "shop.test", "shop.test", false},
		{"data URL", "https://www.shop.test/", "data:image/gif;base64,R0lGOD", false, "", "", false},
		{"IP page, IP request", "http://127.0.0.1:8080/", "http://127.0.0.1:9090/x", false, "127.0.0.1", "127.0.0.1", false},
		{"localhost to tracker", "http://localhost:8080/", "https://bat.bing.com/action/0", true, "Microsoft", "bing.com", true},
	}
	for _, tt := range tests {
		p := c.Classify(tt.page, tt.req, "script")
		if p.ThirdParty != tt.third || p.Company != tt.company || p.Domain != tt.domain || p.Known != tt.known {
			t.Errorf("%s: Classify(%q, %q) = third %v company %q domain %q known %v; want %v %q %q %v",
				tt.name, tt.page, tt.req, p.ThirdParty, p.Company, p.Domain, p.Known, tt.third, tt.company, tt.domain, tt.known)
		}
		if p.Filter != nil {
			t.Errorf("%s: filter match %v without filter lists", tt.name, p.Filter)
		}
	}
}

func TestClassifyConcurrent(t *testing.T) {
	t.Parallel()
	c := newTestClassifier(t, Options{FilterLists: []string{"testdata/lists/exceptions.txt"}})
	reqs := []string{"https://tracker.test/a", "https://www.facebook.com/tr", "https://cdn.shop.test/x", "https://tracker.test/allowed/x"}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				r := reqs[(g+i)%len(reqs)]
				p := c.Classify("https://www.shop.test/", r, "image")
				if (r == "https://tracker.test/a") != (p.Filter != nil) {
					t.Errorf("Classify(%q): filter %v", r, p.Filter)
					return
				}
			}
		}()
	}
	wg.Wait()
}
