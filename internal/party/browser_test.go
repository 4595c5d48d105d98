package party

import "testing"

func TestBrowserTrafficTable(t *testing.T) {
	t.Parallel()
	if _, err := parseBrowserRules(browserTSV); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{
		"a.test\t/\t-\tFirefox",
		"a.test\tpath\t-\tFirefox\tx",
		"a.test\t/\tkey\tFirefox\tx",
		"a*b.test\t/\t-\tFirefox\tx",
		"a.test\t/\t-\tFirefox\tx\nA.test\t/\t-\tChrome\ty",
	} {
		if _, err := parseBrowserRules(bad); err == nil {
			t.Errorf("parseBrowserRules(%q): no error", bad)
		}
	}
}

func TestBrowserTraffic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url, browser string
		ok           bool
	}{
		{"https://shavar.services.mozilla.com/downloads?client=navclient-auto-ffox", "Firefox", true},
		{"https://tracking-protection.cdn.mozilla.net/ads-track-digest256/1.html", "Firefox", true},
		{"https://normandy.cdn.mozilla.net/api/v1/", "Firefox", true},
		{"https://aus5.mozilla.org/update/6/Firefox/120.0/", "Firefox", true},
		{"wss://push.services.mozilla.com/", "Firefox", true},
		{"https://incoming.telemetry.mozilla.org/submit/telemetry/abc/main/Firefox", "Firefox", true},
		{"https://firefox.settings.services.mozilla.com/v1/buckets/main/collections", "Firefox", true},
		{"http://detectportal.firefox.com/canonical.html", "Firefox", true},
		{"https://www.google.com/complete/search?client=firefox&q=abc", "Firefox", true},
		{"https://contile.services.mozilla.com/v1/tiles", "Firefox", true},
		{"https://merino.services.mozilla.com/api/v1/suggest?q=x", "Firefox", true},
		{"https://new-service.services.mozilla.com/x", "Firefox", true},
		{"https://update.googleapis.com/service/update2/json", "Chrome", true},
		{"https://clients2.google.com/service/update2/crx?os=mac", "Chrome", true},
		{"https://optimizationguide-pa.googleapis.com/v1:GetModels?key=x", "Chrome", true},
		{"https://content-autofill.googleapis.com/v1/pages/ChRDaHJvbWU", "Chrome", true},
		{"https://clientservices.googleapis.com/chrome-variations/seed?osname=mac", "Chrome", true},
		{"https://accounts.google.com/ListAccounts?gpsia=1&source=ChromiumBrowser&json=standard", "Chrome", true},
		{"https://redirector.gvt1.com/edgedl/chrome/dict/en-us-10-1.bdic", "Chrome", true},
		{"http://edgedl.me.gvt1.com/edgedl/release2/chrome_component/abc", "Chrome", true},
		{"https://r2---sn-abc.gvt1.com/edgedl/release2/chrome_component/x.crx3", "Chrome", true},
		{"https://www.gstatic.com/chrome/intelligence/assist/ranker/models/translate/model.pb", "Chrome", true},
		{"https://www.google.com/complete/search?client=chrome-omni&gs_ri=chrome-ext", "Chrome", true},
		{"https://safebrowsing.googleapis.com/v4/threatListUpdates:fetch?key=x", "Chrome or Firefox", true},
		{"https://edge.microsoft.com/componentupdater/api/v1/update", "Edge", true},
		{"https://config.edge.skype.com/config/v1/Edge/120.0", "Edge", true},
		{"https://nav.smartscreen.microsoft.com/api/browser/edge/navigate/3", "Edge", true},
		{"https://api.safebrowsing.apple/v4/threatListUpdates", "Safari", true},
		{"https://configuration.apple.com/configurations/pep/config/geo/networkDefaults-osx-10.10.4.plist", "Safari", true},
		{"https://api-glb-euc1b.smoot.apple.com/search?q=x", "Safari", true},
		{"http://ocsp.digicert.com/MFEwTzBN", "any", true},
		{"http://ocsp2.apple.com/ocsp03-wwdr", "any", true},
		{"http://r3.o.lencr.org/MFMwUTBP", "any", true},
		{"http://crl3.digicert.com/sha2-ev-server-g3.crl", "any", true},
		// A page's own traffic to the same companies.
		{"https://www.google.com/complete/search?client=gws-wiz&q=abc", "", false},
		{"https://www.google.com/complete/search?q=abc", "", false},
		{"https://accounts.google.com/ListAccounts?gpsia=1&source=ogb", "", false},
		{"https://accounts.google.com/o/oauth2/auth", "", false},
		{"https://www.gstatic.com/recaptcha/releases/x/recaptcha__en.js", "", false},
		{"https://clientservices.googleapis.com/other", "", false},
		{"https://www.mozilla.org/en-US/firefox/", "", false},
		{"https://www.microsoft.com/edge", "", false},
		{"https://www.apple.com/", "", false},
		{"https://www.google-analytics.com/g/collect?v=2", "", false},
		// First-label rules need a service host, not a site's own name.
		{"https://ocspapp.com/", "", false},
		{"https://crlaw.com/contact", "", false},
		{"https://crlaw.example.com/", "", false},
		{"https://www.ocsp.example/", "", false},
		{"data:text/plain,ocsp", "", false},
		{"http://10.0.0.1/ocsp", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		b, purpose, ok := BrowserTraffic(tt.url)
		if ok != tt.ok || b != tt.browser || ok && purpose == "" {
			t.Errorf("BrowserTraffic(%q) = %q, %q, %v; want %q, %v", tt.url, b, purpose, ok, tt.browser, tt.ok)
		}
	}
}

func FuzzBrowserTraffic(f *testing.F) {
	for _, s := range []string{"https://update.googleapis.com/x", "http://ocsp.digicert.com/", "https://www.google.com/complete/search?client=chrome", "://", "a://b?c=d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, u string) {
		if b, p, ok := BrowserTraffic(u); ok && (b == "" || p == "") {
			t.Fatalf("BrowserTraffic(%q) ok with empty fields", u)
		}
	})
}

func BenchmarkBrowserTraffic(b *testing.B) {
	urls := []string{
		"https://www.google-analytics.com/g/collect?v=2&tid=G-1",
		"https://connect.facebook.net/en_US/fbevents.js",
		"https://shavar.services.mozilla.com/downloads",
		"http://ocsp.digicert.com/MFEwTzBN",
		"https://cdn.shop.example/app.js?v=3",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		BrowserTraffic(urls[i%len(urls)])
	}
}
