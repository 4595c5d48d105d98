package pixel

import (
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// withCookies returns a GET of rawURL that sent the given name=value cookies.
func withCookies(rawURL string, kv ...string) *traffic.Request {
	r := get(rawURL)
	for i := 0; i+1 < len(kv); i += 2 {
		r.Cookies = append(r.Cookies, traffic.Cookie{Name: kv[i], Value: kv[i+1]})
	}
	return r
}

// setting returns a GET of rawURL whose response set name=value.
func setting(rawURL, name, value string) *traffic.Request {
	r := get(rawURL)
	r.Response = &traffic.Response{Status: 200, Cookies: []traffic.Cookie{{Name: name, Value: value}}}
	return r
}

// syncSummary lists cookie-sync findings as "identifier cookie→receiver
// [requests]" and vendors' own identifier cookies as "own vendor:cookies→domain".
func syncSummary(a *Analyzer) []string {
	var out []string
	for _, f := range a.Findings() {
		switch {
		case f.Type == FindingCookieSync:
			reqs := strings.Join(strings.Fields(strings.Trim(fmt.Sprint(f.Requests), "[]")), ",")
			out = append(out, detail(f, "identifier")+" "+detail(f, "cookie")+"→"+f.Domain+" "+reqs)
		case f.Type == FindingIdentifierCookie && detail(f, "receiver") != "":
			out = append(out, "own "+f.Vendor+":"+detail(f, "cookies")+"→"+f.Domain)
		}
	}
	sort.Strings(out)
	return out
}

func runAnalyzer(page string, reqs ...*traffic.Request) *Analyzer {
	a := NewAnalyzer()
	for i, r := range reqs {
		r.Index = i
		a.Request(r, testParty(page, r.URL), page)
	}
	return a
}

func TestCookieSyncRules(t *testing.T) {
	t.Parallel()
	const page = "https://shop.example/products"
	cases := []struct {
		name string
		reqs []*traffic.Request
		want []string
	}{
		{"host-label word is not an identifier", []*traffic.Request{
			withCookies("https://shop.example/", "partner", "pubmatic", "edge", "cdn77node42x"),
			get("https://sync.tracker.example/r?to=https://ads.pubmatic.com/x&e=cdn77node42x"),
			get("https://cdn77node42x.cdn.example/lib.js"),
		}, nil},
		{"v1 UUID time fragment is not shared", []*traffic.Request{
			withCookies("https://shop.example/", "uid", "6f2c1a10-90b1-11e7-8b1c-0242ac120002"),
			get("https://ads.tracker.example/p?id=0a3d7e22-90b1-11e7-9f3a-0242ac130003&x=90b1-11e7"),
		}, nil},
		{"a UUID counts whole", []*traffic.Request{
			withCookies("https://shop.example/", "uid", "6f2c1a10-90b1-11e7-8b1c-0242ac120002"),
			get("https://ads.tracker.example/p?id=6f2c1a10-90b1-11e7-8b1c-0242ac120002"),
		}, []string{"6f2c1a10-90b1-11e7-8b1c-0242ac120002 uid→tracker.example 1"}},
		{"timestamps and dates are not identifiers", []*traffic.Request{
			withCookies("https://shop.example/", "ts", "1685396013574", "seen", "2021-10-19T23:17",
				"when", "20231204153000", "v", "4.17.21.1234"),
			get("https://ads.tracker.example/p?t=1685396013574&d=2021-10-19T23:17&w=20231204153000&v=4.17.21.1234"),
		}, nil},
		{"the longest wins over its substrings", []*traffic.Request{
			withCookies("https://shop.example/", "short", "Zx8kQ2mP9vL4tR7w", "long", "Zx8kQ2mP9vL4tR7w.Hq7Lm2Xv9P"),
			get("https://ads.tracker.example/p?a=Zx8kQ2mP9vL4tR7w.Hq7Lm2Xv9P"),
			get("https://ads.tracker.example/q?a=Zx8kQ2mP9vL4tR7w"),
		}, []string{"Zx8kQ2mP9vL4tR7w.Hq7Lm2Xv9P long→tracker.example 1,2"}},
		{"_ga to Google Analytics is Google's own cookie", []*traffic.Request{
			withCookies("https://shop.example/", "_ga", "GA1.1.1784540141.1682453443"),
			get("https://www.google-analytics.com/g/collect?v=2&tid=G-X&cid=1784540141.1682453443"),
		}, []string{"own Google:_ga→google-analytics.com"}},
		{"_fbp to Facebook is Meta's own cookie", []*traffic.Request{
			withCookies("https://shop.example/", "_fbp", "fb.1.1686166419258.1182598534"),
			get("https://www.facebook.com/tr/?id=1&ev=PageView&fbp=fb.1.1686166419258.1182598534"),
		}, []string{"own Meta:_fbp→facebook.com"}},
		{"_ga to an ad server is a sync", []*traffic.Request{
			withCookies("https://shop.example/", "_ga", "GA1.1.1784540141.1682453443"),
			get("https://px.adserver.example/s?gaid=1784540141.1682453443"),
		}, []string{"1784540141.1682453443 _ga→adserver.example 1"}},
		{"first-party cookie id to a third party", []*traffic.Request{
			withCookies("https://shop.example/", "_shop_uid", "a81f-77Qd-Kp02-zz19"),
			get("https://match.broker.example/sync?puid=a81f-77Qd-Kp02-zz19"),
			get("https://match.broker.example/sync?again=a81f-77Qd-Kp02-zz19"),
		}, []string{"a81f-77Qd-Kp02-zz19 _shop_uid→broker.example 1,2"}},
		{"a third party's id in another third party's URL", []*traffic.Request{
			setting("https://sync.tracker.example/pixel", "tuid", "Hq7Lm2Xv9Pw3Kd8R"),
			get("https://match.broker.example/sync?partner=tracker&tuid=Hq7Lm2Xv9Pw3Kd8R"),
			get("https://sync.tracker.example/again?tuid=Hq7Lm2Xv9Pw3Kd8R"), // back to its owner
		}, []string{"Hq7Lm2Xv9Pw3Kd8R tuid→broker.example 1"}},
		{"credited to the cookie that carried it first", []*traffic.Request{
			withCookies("https://shop.example/", "first_id", "Qm9vL4tR7wZx8kQ2"),
			withCookies("https://shop.example/b", "copy_id", "Qm9vL4tR7wZx8kQ2", "copy2", "Qm9vL4tR7wZx8kQ2"),
			get("https://match.broker.example/sync?u=Qm9vL4tR7wZx8kQ2"),
		}, []string{"Qm9vL4tR7wZx8kQ2 first_id→broker.example 2"}},
		{"a value that is part of the page URL", []*traffic.Request{
			withCookies("https://shop.example/", "ref", "Hq7Lm2Xv9Pw3Kd8R"),
			get("https://cdn.other.example/p?r=Hq7Lm2Xv9Pw3Kd8R"),
		}, nil},
		{"part of a longer token is not a match", []*traffic.Request{
			withCookies("https://shop.example/", "uid", "Zx8kQ2mP9vL4tR7w"),
			get("https://ads.tracker.example/p?a=xZx8kQ2mP9vL4tR7w9"),
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := page
			if tc.name == "a value that is part of the page URL" {
				p = "https://shop.example/account?ref=Hq7Lm2Xv9Pw3Kd8R"
			}
			got := syncSummary(runAnalyzer(p, tc.reqs...))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestCookieSyncFindingShape(t *testing.T) {
	t.Parallel()
	a := runAnalyzer("https://shop.example/",
		withCookies("https://shop.example/", "_shop_uid", "Zx8kQ2mP9vL4tR7w"),
		get("https://match.broker.example/sync?puid=Zx8kQ2mP9vL4tR7w"))
	fs := findingsOf(a.Findings(), FindingCookieSync)
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", fs)
	}
	f := fs[0]
	want := []Detail{{"identifier", "Zx8kQ2mP9vL4tR7w"}, {"cookie", "_shop_uid"}, {"giver", "shop.example"},
		{"giver_kind", "first-party"}, {"receiver", "broker.example"}, {"first_request", "0"}}
	if !reflect.DeepEqual(f.Details, want) || f.Host != "match.broker.example" ||
		!reflect.DeepEqual(f.Requests, []int{1}) {
		t.Errorf("finding = %+v", f)
	}
	const summary = "The identifier in first-party cookie _shop_uid of shop.example was sent to " +
		"broker.example (broker.example) in 1 request(s)."
	if f.Summary != summary {
		t.Errorf("summary = %q", f.Summary)
	}
}

func TestIdentifierLookup(t *testing.T) {
	t.Parallel()
	a := runAnalyzer("https://shop.example/",
		withCookies("https://shop.example/", "_ga", "GA1.1.1784540141.1682453443", "card", "4539148803436467"))
	cases := []struct {
		value, cookie string
		ok            bool
	}{
		{"4539148803436467", "card", true},
		{"1784540141.1682453443", "_ga", true},
		{"1784540141", "", false}, // part of a value that looks like a timestamp
		{"4539148803436468", "", false},
		{"GA1", "", false},
	}
	for _, c := range cases {
		cookie, owner, ok := a.Identifier(c.value)
		if ok != c.ok || cookie != c.cookie || ok && owner != "shop.example" {
			t.Errorf("Identifier(%q) = %q, %q, %v", c.value, cookie, owner, ok)
		}
	}
}

func TestSyncBudgetWarnings(t *testing.T) {
	t.Parallel()
	a := NewAnalyzerWith(AnalyzerOptions{MaxKeptURLBytes: 600, MaxIdentifiers: 1})
	page := "https://shop.example/"
	reqs := []*traffic.Request{
		withCookies(page, "a", "Zx8kQ2mP9vL4tR7w", "b", "Hq7Lm2Xv9Pw3Kd8R"),
		get("https://match.broker.example/sync?puid=Zx8kQ2mP9vL4tR7w"),
		get("https://match.broker.example/sync?puid=Zx8kQ2mP9vL4tR7w&pad=" + strings.Repeat("x", 300)),
	}
	for i, r := range reqs {
		r.Index = i
		a.Request(r, testParty(page, r.URL), page)
	}
	if got := len(findingsOf(a.Findings(), FindingCookieSync)); got != 1 {
		t.Errorf("cookie-sync findings = %d, want 1 (from what was kept)", got)
	}
	w := a.Warnings()
	if len(w) != 2 || !strings.Contains(w[0], "budget of kept URL text") || !strings.Contains(w[1], "identifier cookies") {
		t.Errorf("warnings = %q", w)
	}
	if NewAnalyzer().Warnings() != nil {
		t.Error("an empty analyzer warns")
	}
}

func TestSyncCandidates(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		"GA1.1.1784540141.1682453443":            {"1784540141.1682453443"},
		"fb.1.1686166419258.1182598534":          {"1686166419258.1182598534"},
		"6f2c1a10-90b1-11e7-8b1c-0242ac120002":   {"6f2c1a10-90b1-11e7-8b1c-0242ac120002"},
		"u_038e80e9-382f-4eb8-93cd-526d04739139": {"038e80e9-382f-4eb8-93cd-526d04739139"},
		"pubmatic":                               nil,
		"1685396013574":                          nil,
		"2021-10-19T23:17:05.123Z":               nil,
		"Lm-9qVlU":                               {"Lm-9qVlU"},
		"1685383555|15:shop|44:N2IzYTI5NjRhNmU0": {"N2IzYTI5NjRhNmU0"},
	}
	for v, want := range cases {
		got := syncCandidates(v)
		if len(got) > len(want) {
			got = got[:len(want)] // the longest first; shorter runs may follow
		}
		if len(want) == 0 && len(syncCandidates(v)) > 0 || !reflect.DeepEqual(got, want) && len(want) > 0 {
			t.Errorf("syncCandidates(%q) = %q, want first %q", v, syncCandidates(v), want)
		}
	}
}

func TestKeyTokensAreNotCandidates(t *testing.T) {
	t.Parallel()
	v := "v_id:017c80766a9400144a19d2565fc000087003f07f004bb$_sn:1$db_iey9i2bw:true"
	for _, c := range syncCandidates(v) {
		if strings.Contains(c, "iey9i2bw") {
			t.Errorf("candidate %q is a field name", c)
		}
	}
	if got := syncCandidates(v); len(got) == 0 || got[0] != "017c80766a9400144a19d2565fc000087003f07f004bb" {
		t.Errorf("candidates = %q", got)
	}
}

func TestVendorCookies(t *testing.T) {
	t.Parallel()
	cases := []struct {
		cookie, domain, company string
		owns                    bool
	}{
		{"_ga", "google-analytics.com", "Google", true},
		{"_ga_37ZNM9SYHH", "google.co.uk", "Google", true},
		{"_gcl_au", "doubleclick.net", "Google", true},
		{"_ga", "adserver.example", "Google", false},
		{"_ga", "google-fake.example", "Google", false},
		{"_fbp", "facebook.com", "Meta", true},
		{"_ttp", "tiktok.com", "TikTok", true},
		{"AMP_0123456789", "amplitude.com", "Amplitude", true},
		{"ph_phc_abc_posthog", "posthog.com", "PostHog", true},
		{"_hjSessionUser_123", "hotjar.com", "Hotjar", true},
		{"session", "", "", false},
	}
	for _, c := range cases {
		v := vendorOfCookie(c.cookie)
		company := ""
		if v >= 0 {
			company = vendorCookies[v].company
		}
		if company != c.company || vendorOwnsDomain(v, c.domain) != c.owns {
			t.Errorf("%s → %q (owns %s: %v), want %q, %v", c.cookie, company, c.domain,
				vendorOwnsDomain(v, c.domain), c.company, c.owns)
		}
	}
}

func TestHugeCookiesStayBounded(t *testing.T) {
	t.Parallel()
	a := NewAnalyzer()
	huge := strings.Repeat("Zx8kQ2mP9vL4tR7w", 1<<16) // 1 MiB
	for i := 0; i < 50; i++ {
		r := withCookies("https://shop.example/", strings.Repeat("n", 1<<12)+itoa3(i), huge+itoa3(i))
		r.Index = i
		a.Request(r, testParty("https://shop.example/", r.URL), "https://shop.example/")
	}
	kept := 0
	for k := range a.pairs {
		kept += len(k.name) + len(k.value) + 1
	}
	if kept > 50*(maxCookieValue+maxCandidateLen+1) {
		t.Errorf("pair keys hold %d bytes", kept)
	}
}

func itoa3(i int) string { return fmt.Sprintf("%03d", i) }

// TestLengthSetBounds: lengths out of range are never members and adding
// them is a no-op (a value of many bad %-escapes made embeddedDocs ask for
// a negative length, which panicked).
func TestLengthSetBounds(t *testing.T) {
	var s lengthSet
	for _, n := range []int{-1, -64, maxURLKept + 1, 1 << 40} {
		s.add(n)
	}
	s.add(0)
	s.add(maxURLKept)
	for _, tc := range []struct {
		n    int
		want bool
	}{{-2, false}, {-64, false}, {0, true}, {1, false}, {maxURLKept, true}, {maxURLKept + 1, false}, {1 << 40, false}} {
		if got := s.has(tc.n); got != tc.want {
			t.Errorf("has(%d) = %v, want %v", tc.n, got, tc.want)
		}
	}
	a := NewAnalyzer()
	a.recordDocument(&traffic.Request{URL: "https://www.shop.test/", ResourceType: "document"})
	if got := a.embeddedDocs("https://t.test/p?u=000%%%%%&v=%%%%%%%%%%%%%%%%"); got != nil {
		t.Errorf("embeddedDocs = %q", got)
	}
}

// TestDecoderPanicIsReported: a pixel decoder that panics on a request
// loses that request's hits, not the analysis, and the Analyzer's warnings
// say so instead of dropping them silently.
func TestDecoderPanicIsReported(t *testing.T) {
	saved := table
	defer func() { table = saved }()
	table = append([]Decoder{{Vendor: "Broken", Product: "Broken Pixel",
		Match:  func(_ *traffic.Request, u *url.URL) bool { return u.Host == "broken.test" },
		Decode: func(*traffic.Request, *url.URL) []Hit { panic("hostile input") }}}, saved...)
	a := NewAnalyzer()
	a.Request(&traffic.Request{Index: 3, URL: "https://broken.test/p?ev=1"}, party.Party{ThirdParty: true}, "https://www.shop.test/")
	hits := a.Request(&traffic.Request{Index: 4, URL: "https://www.facebook.com/tr/?id=1&ev=PageView"},
		party.Party{ThirdParty: true}, "https://www.shop.test/")
	if len(hits) != 1 {
		t.Errorf("the next request gave %d hits, want 1", len(hits))
	}
	a.Finish()
	w := strings.Join(a.Warnings(), "\n")
	if !strings.Contains(w, "internal error dropped the pixel hits of 1 request(s)") || !strings.Contains(w, "from request 3") {
		t.Errorf("warnings %q do not report the decoder's panic", w)
	}
}
