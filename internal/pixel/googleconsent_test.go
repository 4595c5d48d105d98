package pixel

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

func TestConsentState(t *testing.T) {
	t.Parallel()
	g := func(s ConsentValue, src string) ConsentSignal { return ConsentSignal{s, src} }
	unknown := ConsentSignal{State: ConsentUnknown}
	cases := []struct {
		name, url string
		ok        bool
		want      [4]ConsentSignal // ad_storage, analytics_storage, ad_user_data, ad_personalization
	}{
		{name: "gcd all denied by default", ok: true,
			url: "https://www.google.com/pagead/1p-conversion/1/?gcd=13p3p3p3p5&npa=0",
			want: [4]ConsentSignal{g(ConsentDenied, "gcd: default"), g(ConsentDenied, "gcd: default"),
				g(ConsentDenied, "gcd: default"), g(ConsentDenied, "gcd: default")}},
		{name: "gcd granted by update over denied default", ok: true,
			url: "https://region1.google-analytics.com/g/collect?v=2&tid=G-1&en=x&gcd=13r3r3r2r5l1",
			want: [4]ConsentSignal{g(ConsentGranted, "gcd: update over a denied default"), g(ConsentGranted, "gcd: update over a denied default"),
				g(ConsentGranted, "gcd: update over a denied default"), g(ConsentGranted, "gcd: update over a denied default")}},
		{name: "gcd mixed letters", ok: true,
			url: "https://www.google.co.uk/pagead/1p-user-list/1/?gcd=11t1q1n1u5",
			want: [4]ConsentSignal{g(ConsentGranted, "gcd: default"), g(ConsentDenied, "gcd: default and update"),
				g(ConsentGranted, "gcd: update"), g(ConsentDenied, "gcd: update over a granted default")}},
		{name: "gcs wins for storage, npa denies personalization", ok: true,
			url: "https://www.google-analytics.com/g/collect?v=2&tid=G-1&en=x&gcs=G101&gcd=13v3v3l3l5&npa=1",
			want: [4]ConsentSignal{g(ConsentDenied, "gcs"), g(ConsentGranted, "gcs"), g(ConsentUnknown, "gcd: not set, implicit granted"),
				g(ConsentDenied, "npa")}},
		{name: "not set everywhere", ok: true,
			url: "https://www.google.com/ccm/collect?en=page_view&gcd=13l3l3l3l1l1&dma=0",
			want: [4]ConsentSignal{g(ConsentUnknown, "gcd: not set, implicit granted"), g(ConsentUnknown, "gcd: not set, implicit granted"),
				g(ConsentUnknown, "gcd: not set, implicit granted"), g(ConsentUnknown, "gcd: not set, implicit granted")}},
		{name: "not set, no implicit default", ok: true,
			url: "https://www.google.com/ccm/collect?en=page_view&gcd=11l1l1l1l5",
			want: [4]ConsentSignal{g(ConsentUnknown, "gcd: not set"), g(ConsentUnknown, "gcd: not set"),
				g(ConsentUnknown, "gcd: not set"), g(ConsentUnknown, "gcd: not set")}},
		{name: "unknown letter", ok: true,
			url: "https://www.google.com/ccm/collect?en=page_view&gcd=13z3p3p3p5",
			want: [4]ConsentSignal{g(ConsentUnknown, "gcd: unknown letter z"), g(ConsentDenied, "gcd: default"),
				g(ConsentDenied, "gcd: default"), g(ConsentDenied, "gcd: default")}},
		{name: "declared granted, invalid field", ok: true,
			url: "https://www.google.com/ccm/collect?en=page_view&gcd=11R1R101R5",
			want: [4]ConsentSignal{g(ConsentGranted, "gcd: declared"), g(ConsentGranted, "gcd: declared"),
				g(ConsentUnknown, "gcd: unknown letter 0"), g(ConsentGranted, "gcd: declared")}},
		{name: "malformed gcs and short gcd", ok: true,
			url:  "https://www.google.com/ccm/collect?en=page_view&gcs=G1&gcd=1",
			want: [4]ConsentSignal{unknown, unknown, unknown, unknown}},
		{name: "no consent parameters", url: "https://www.google-analytics.com/g/collect?v=2&tid=G-1&en=x"},
		{name: "not google", url: "https://www.facebook.com/tr/?id=1&ev=PageView&gcs=G111"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			hits := Decode(get(c.url))
			if len(hits) != 1 {
				t.Fatalf("got %d hits", len(hits))
			}
			got, ok := ConsentState(hits[0])
			if ok != c.ok {
				t.Fatalf("ok = %v, want %v", ok, c.ok)
			}
			if !ok {
				return
			}
			have := [4]ConsentSignal{got.AdStorage, got.AnalyticsStorage, got.AdUserData, got.AdPersonalization}
			if !reflect.DeepEqual(have, c.want) {
				t.Errorf("got %+v\nwant %+v", have, c.want)
			}
		})
	}
}

func TestConsentFields(t *testing.T) {
	t.Parallel()
	hits := Decode(get("https://www.google.com.ar/pagead/1p-user-list/9/?gcs=G110&gcd=13q3t3p3v5&dma=1&dma_cps=syphamo&npa=0&pscdl=noapi"))
	if len(hits) != 1 {
		t.Fatalf("got %d hits", len(hits))
	}
	for _, w := range []wantField{
		{"gcs>ad_storage", "granted", Technical}, {"gcs>analytics_storage", "denied", Technical},
		{"gcd>ad_storage", "denied (default and update)", Technical}, {"gcd>analytics_storage", "granted (default)", Technical},
		{"gcd>ad_user_data", "denied (default)", Technical}, {"gcd>ad_personalization", "granted (default and update)", Technical},
		{"dma", "1", Technical}, {"dma_cps>services", "search,youtube,play,shopping,ads,maps,other", Technical},
		{"npa", "0", Technical}, {"pscdl", "noapi", Technical},
	} {
		if !hasField(hits[0].Fields, w) {
			t.Errorf("missing %s=%q; fields: %s", w.name, w.value, fieldList(hits[0].Fields))
		}
	}
	c, ok := ConsentState(hits[0])
	if !ok || c.DMACPS != "syphamo" || c.PSCDL != "noapi" || c.DMA != "1" {
		t.Errorf("raw consent parameters = %+v", c)
	}
}

// TestEmptyHits: a matched request that carries no event data is not a hit.
func TestEmptyHits(t *testing.T) {
	t.Parallel()
	for _, r := range []*traffic.Request{
		post("https://analytics.tiktok.com/api/v2/pixel", "text/plain", ""),
		{Method: "OPTIONS", URL: "https://region1.google-analytics.com/g/collect?v=2&tid=G-1&en=page_view"},
		post("https://analytics.tiktok.com/api/v2/pixel/act", "", ""),
		get("https://ct.pinterest.com/ct.html"),
		get("https://ct.pinterest.com/ct.html?tid=1&event=init"),
		get("https://ct.pinterest.com/v3/"),
		post("https://www.google-analytics.com/collect", "", ""),
		post("https://logx.optimizely.com/log/event", "", ""),
		get("https://pixel.adsafeprotected.com/rjss/st/366741/42584055/skeleton.js"),
		get("https://insight.adsrvr.org/track/up"),
		get("https://dpm.demdex.net/dest5.html"),
		get("https://beacon.krxd.net/optout_check?callback=x"),
		get("https://tr.outbrain.com/cachedClickId?marketerId=1"),
		get("https://www.google.com/ccm/collect"),
		get("https://service.maxymiser.net/api/us/ferguson.com/4488bd/mmapi.js"),
		get("https://cdn.taboola.com/libtrc/unip/1977/tfa.js"),
		get("https://collection.decibelinsight.net/i/13874/253647/c.json"),
	} {
		if hits := Decode(r); len(hits) != 0 {
			t.Errorf("%s %s: got %d hits (%s)", r.Method, r.URL, len(hits), hits[0].Product)
		}
	}
}

func TestIsGoogleDomain(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]bool{
		"www.google.com": true, "google.com.ar": true, "www.google.co.uk": true, "adservice.google.se": true,
		"www.google.de.": true, "google.github.io": false, "notgoogle.com": false, "google.evil.example": false,
		"www.google.com.evil.example": false, "com": false, "google": false,
	} {
		u, _ := url.Parse("https://" + host + "/")
		if got := isGoogleDomain(u); got != want {
			t.Errorf("isGoogleDomain(%q) = %v, want %v", host, got, want)
		}
	}
}
