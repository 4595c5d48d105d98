package pixel

import (
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

const testPage = "https://shop.example/account"

// analyze runs reqs through a new Analyzer against testPage.
func analyze(reqs ...*traffic.Request) []Finding {
	a := NewAnalyzer()
	for i, r := range reqs {
		r.Index = i
		a.Request(r, testParty(testPage, r.URL), testPage)
	}
	return a.Findings()
}

func findingsOf(fs []Finding, typ string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Type == typ {
			out = append(out, f)
		}
	}
	return out
}

func detail(f Finding, name string) string {
	for _, d := range f.Details {
		if d.Name == name {
			return d.Value
		}
	}
	return ""
}

func withResponse(r *traffic.Request, resp *traffic.Response) *traffic.Request {
	r.Response = resp
	return r
}

const signalsConfigOn = `fbq.registerPlugin("config:1234", {__fbEventsPlugin: 1, plugin: function(fbq, instance, config) {
config.set("1234", "automaticMatching", {"selectedMatchKeys":["em","fn","ln","ph","zp","ct","st"]});
config.set("1234", "unwantedData", {"blacklisted_keys":{"PageView":{"url":["email"]}}});
config.set("1234", "protectedDataMode", {"standardParamChecks":{"content_ids":[]}});
instance.optIn("1234", "InferredEvents", true, true);
instance.optIn("1234", "AutomaticMatching", true);
}});`

func TestMetaSignalsConfig(t *testing.T) {
	t.Parallel()
	on := withResponse(get("https://connect.facebook.net/signals/config/1234?v=2.9.1&r=stable"),
		&traffic.Response{Status: 200, Body: []byte(signalsConfigOn)})
	off := withResponse(get("https://connect.facebook.net/signals/config/999?v=2.9.1&r=stable"),
		&traffic.Response{Status: 200, Body: []byte(`config.set("999", "inferredEvents", {"buttonSelector":"x"});`)})
	fs := analyze(on, off)
	am := findingsOf(fs, FindingAutomaticMatching)
	if len(am) != 1 || am[0].Account != "1234" || am[0].Vendor != "Meta" {
		t.Fatalf("automatic matching findings = %+v", am)
	}
	if got := detail(am[0], "selectedMatchKeys"); got != "em,fn,ln,ph,zp,ct,st" {
		t.Errorf("selectedMatchKeys = %q", got)
	}
	if !strings.Contains(detail(am[0], "unwantedData"), "blacklisted_keys") ||
		!strings.Contains(detail(am[0], "protectedDataMode"), "standardParamChecks") ||
		detail(am[0], "optIn AutomaticMatching") != "true" {
		t.Errorf("details = %+v", am[0].Details)
	}
	cfg := findingsOf(fs, FindingPixelConfig)
	if len(cfg) != 1 || cfg[0].Account != "999" || detail(cfg[0], "automaticMatching") != "off" {
		t.Errorf("pixel-config findings = %+v", cfg)
	}
	if !reflect.DeepEqual(am[0].Requests, []int{0}) || !reflect.DeepEqual(cfg[0].Requests, []int{1}) {
		t.Errorf("requests = %v, %v", am[0].Requests, cfg[0].Requests)
	}
}

func TestUDFFOnTheWire(t *testing.T) {
	t.Parallel()
	fs := analyze(
		get("https://www.facebook.com/tr/?id=55&ev=PageView"),
		get("https://www.facebook.com/tr/?id=55&ev=Lead&udff[em]=aa&udff[zp]=bb"),
		post("https://www.facebook.com/tr/", "application/x-www-form-urlencoded", "id=55&ev=Lead&udff%5Bct%5D=cc"),
	)
	am := findingsOf(fs, FindingAutomaticMatching)
	if len(am) != 1 {
		t.Fatalf("findings = %+v", am)
	}
	f := am[0]
	if f.Account != "55" || detail(f, "keys") != "ct,em,zp" || detail(f, "source") != "wire" ||
		!reflect.DeepEqual(f.Requests, []int{1, 2}) {
		t.Errorf("finding = %+v", f)
	}
}

func TestIdentifierLike(t *testing.T) {
	t.Parallel()
	cases := map[string]bool{
		"GA1.1.1784540141.1682453443":          true,
		"fb.1.1682453443999.657330272":         true,
		"2aa51ea0056a11ee96a95750c53da99a":     true,
		"7be5a370-a49a-45f4-b194-aff6c534d14a": true,
		"true":                                 false,
		"1":                                    false,
		"1685396013":                           false, // a timestamp
		"1685396013574":                        false,
		"aaaaaaaaaaaa":                         false,
		"en-US":                                false,
		"https://a.example/x":                  false,
		`{"necessary":true}`:                   false,
	}
	for v, want := range cases {
		if got := identifierLike(v); got != want {
			t.Errorf("identifierLike(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestThirdPartyCookies(t *testing.T) {
	t.Parallel()
	r := get("https://ads.tracker.example/px?x=1")
	r.Headers = traffic.Headers{{Name: "Cookie", Value: "uid=Zx8kQ2mP9vL4tR7w; opt=1"}}
	r.Response = &traffic.Response{Status: 200, Headers: traffic.Headers{
		{Name: "Set-Cookie", Value: "tid=Qm9vL4tR7wZx8kQ2; Path=/; SameSite=None; Secure"},
		{Name: "Set-Cookie", Value: "seen=true; Path=/"}}}
	first := get("https://shop.example/app.js")
	first.Headers = traffic.Headers{{Name: "Cookie", Value: "session=abc"}}
	fs := analyze(first, r)
	tp := findingsOf(fs, FindingThirdPartyCookie)
	if len(tp) != 1 || tp[0].Domain != "tracker.example" || detail(tp[0], "set") != "seen,tid" ||
		detail(tp[0], "sent") != "opt,uid" || !reflect.DeepEqual(tp[0].Requests, []int{1}) {
		t.Errorf("third-party cookie findings = %+v", tp)
	}
	id := findingsOf(fs, FindingIdentifierCookie)
	if len(id) != 1 || detail(id[0], "cookies") != "tid,uid" {
		t.Errorf("identifier findings = %+v", id)
	}
}

func TestCookieSync(t *testing.T) {
	t.Parallel()
	site := get("https://shop.example/")
	site.Cookies = []traffic.Cookie{{Name: "_shop_uid", Value: "Zx8kQ2mP9vL4tR7w"}, {Name: "ts", Value: "1685396013574"},
		{Name: "name", Value: "shopexample"}, {Name: "_ref", Value: "Hq7Lm2Xv9Pw3Kd8R"}}
	tracker := get("https://sync.tracker.example/pixel?x=1")
	tracker.Response = &traffic.Response{Status: 200, Cookies: []traffic.Cookie{{Name: "tuid", Value: "a81f-77Qd-Kp02-zz19"}}}
	send := get("https://match.broker.example/sync?partner=tracker&puid=a81f-77Qd-Kp02-zz19&fp=Zx8kQ2mP9vL4tR7w&t=1685396013574")
	// A cookie value that is also part of the page URL identifies nobody
	// by itself being sent on: not a sync, wherever it appears.
	pageOnly := get("https://cdn.other.example/p?dl=https%3A%2F%2Fshop.example%2Faccount%3Fref%3DHq7Lm2Xv9Pw3Kd8R&r=Hq7Lm2Xv9Pw3Kd8R")
	a := NewAnalyzer()
	page := "https://shop.example/account?ref=Hq7Lm2Xv9Pw3Kd8R"
	for i, r := range []*traffic.Request{site, tracker, send, pageOnly} {
		r.Index = i
		a.Request(r, testParty(page, r.URL), page)
	}
	got := findingsOf(a.Findings(), FindingCookieSync)
	if len(got) != 2 {
		t.Fatalf("cookie-sync findings = %+v", got)
	}
	want := map[string]string{"_shop_uid": "first-party", "tuid": "third-party"}
	for _, f := range got {
		kind, ok := want[detail(f, "cookie")]
		if !ok || detail(f, "giver_kind") != kind || f.Domain != "broker.example" ||
			!reflect.DeepEqual(f.Requests, []int{2}) {
			t.Errorf("finding = %+v", f)
		}
	}
}

func TestSessionReplay(t *testing.T) {
	t.Parallel()
	rrweb := `[{"type":2,"data":{"node":{"id":1}},"timestamp":1685396013574},{"type":3,"data":{"source":5,"text":"221B Baker Street"},"timestamp":1685396013600}]`
	fs := analyze(
		post("https://rec.unknown-replay.example/ingest", "application/json", rrweb),
		post("https://k.clarity.ms/collect", "application/json", `{"e":["0.7",1,0,1,"p","u","s",1,1,0],"a":[],"p":[]}`),
		get("https://www.clarity.ms/tag/abc"), // the loader script is not replay traffic
		post("https://us.i.posthog.com/e/", "application/json",
			`{"event":"$snapshot","properties":{"$snapshot_data":{"type":3,"data":{},"timestamp":1}}}`),
		post("https://api.segment.io/v1/t", "application/json", `{"type":"track","event":"x","timestamp":"2023"}`),
	)
	got := findingsOf(fs, FindingSessionReplay)
	vendors := map[string][]int{}
	for _, f := range got {
		vendors[f.Vendor] = f.Requests
	}
	want := map[string][]int{"rec.unknown-replay.example": {0}, "Microsoft Clarity": {1}, "PostHog": {3}}
	if !reflect.DeepEqual(vendors, want) {
		t.Errorf("session-replay findings by vendor = %v, want %v", vendors, want)
	}
}

func TestHotjarReplayConfig(t *testing.T) {
	t.Parallel()
	body := `window.hjSiteSettings = {"site_id":1,"record":true,"recording_capture_keystrokes":true,"anonymize_digits":true,"anonymize_emails":false};`
	fs := analyze(withResponse(get("https://static.hotjar.com/c/hotjar-1.js?sv=6"),
		&traffic.Response{Status: 200, Body: []byte(body)}))
	cfg := findingsOf(fs, FindingPixelConfig)
	if len(cfg) != 1 || cfg[0].Vendor != "Hotjar" || !strings.Contains(cfg[0].Summary, "keystrokes are recorded") ||
		!strings.Contains(cfg[0].Summary, "email addresses are not masked") || detail(cfg[0], "anonymize_digits") != "true" {
		t.Errorf("findings = %+v", cfg)
	}
}

func TestFingerprintingAndBeacons(t *testing.T) {
	t.Parallel()
	gif := []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
	img := func(u string, body []byte) *traffic.Request {
		return withResponse(get(u), &traffic.Response{Status: 200, MIME: "image/gif", Body: body, BodySize: int64(len(body))})
	}
	big := append([]byte("GIF89a\x20\x00\x20\x00"), make([]byte, 100)...)
	fs := analyze(
		get("https://api.fpjs.io/?ci=js/3.8.1"),
		get("https://cdn.shop.example/vendor/fingerprint2.min.js"),
		img("https://px.unknown.example/b.gif?uid=1&evt=view", gif),
		img("https://px.unknown.example/b.gif?uid=2", gif),
		img("https://px.unknown.example/logo.gif?w=32", big), // not 1×1
		img("https://px.unknown.example/b.gif", gif),         // no query
		img("https://shop.example/b.gif?x=1", gif),           // first party
		img("https://www.facebook.com/tr/?id=1&ev=PageView", gif),
	)
	fp := findingsOf(fs, FindingFingerprinting)
	if len(fp) != 2 || fp[0].Host != "api.fpjs.io" || fp[1].Host != "cdn.shop.example" {
		t.Errorf("fingerprinting findings = %+v", fp)
	}
	bc := findingsOf(fs, FindingUnknownBeacon)
	if len(bc) != 1 || bc[0].Host != "px.unknown.example" || !reflect.DeepEqual(bc[0].Requests, []int{2, 3}) ||
		detail(bc[0], "parameters") != "evt,uid" {
		t.Errorf("beacon findings = %+v", bc)
	}
}

func TestFindingsDeterministic(t *testing.T) {
	t.Parallel()
	reqs := loadHAR(t, "health-shop-mylabbox.har")
	page := harPageURL(t, "health-shop-mylabbox.har")
	run := func() []Finding {
		a := NewAnalyzer()
		for _, r := range reqs {
			a.Request(r, testParty(page, r.URL), page)
		}
		return a.Findings()
	}
	first := run()
	for i := 0; i < 3; i++ {
		if got := run(); !reflect.DeepEqual(got, first) {
			t.Fatal("findings differ between runs")
		}
	}
	for _, f := range first {
		if f.Summary == "" || len(f.Requests) == 0 || f.Type == "" {
			t.Errorf("incomplete finding %+v", f)
		}
	}
}

// TestAnalyzerKeepsNoRequest: after Request returns, the request can be
// garbage collected.
func TestAnalyzerKeepsNoRequest(t *testing.T) {
	a := NewAnalyzer()
	freed := make(chan struct{})
	func() {
		r := post("https://www.facebook.com/tr/?id=9&ev=Lead&udff[em]=aa", "text/plain", strings.Repeat("x", 1<<20))
		r.Headers = traffic.Headers{{Name: "Cookie", Value: "uid=Zx8kQ2mP9vL4tR7w"}}
		r.Response = &traffic.Response{Status: 200, Body: []byte(signalsConfigOn)}
		runtime.SetFinalizer(r, func(*traffic.Request) { close(freed) })
		a.Request(r, testParty(testPage, r.URL), testPage)
	}()
	for i := 0; i < 20; i++ {
		runtime.GC()
		select {
		case <-freed:
			if len(a.Findings()) == 0 {
				t.Error("no findings recorded")
			}
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Error("the Analyzer keeps the request alive")
}

func TestPostHogReplayConfig(t *testing.T) {
	t.Parallel()
	body := `{"sessionRecording":{"endpoint":"/s/","consoleLogRecordingEnabled":true,` +
		`"networkPayloadCapture":{"recordBody":true,"recordHeaders":false},"masking":{"maskAllInputs":false}}}`
	fs := analyze(withResponse(post("https://us.i.posthog.com/decide/?v=3", "application/json", `{"token":"phc_x"}`),
		&traffic.Response{Status: 200, Body: []byte(body)}))
	cfg := findingsOf(fs, FindingPixelConfig)
	if len(cfg) != 1 || cfg[0].Vendor != "PostHog" {
		t.Fatalf("findings = %+v", cfg)
	}
	for _, want := range []string{"console logs are recorded", "network request bodies are recorded", "input values are recorded"} {
		if !strings.Contains(cfg[0].Summary, want) {
			t.Errorf("summary %q lacks %q", cfg[0].Summary, want)
		}
	}
	if strings.Contains(cfg[0].Summary, "headers") || detail(cfg[0], "recordHeaders") != "false" {
		t.Errorf("recordHeaders false reported as off: %+v", cfg[0])
	}
}

func TestReplayOverWebSocket(t *testing.T) {
	t.Parallel()
	ws := get("wss://ws.hotjar.com/api/v2/client/ws")
	ws.WebSocket = []traffic.WebSocketFrame{
		{Sent: true, Opcode: 1, Data: []byte(`{"site_id":99,"events":[{"type":3,"data":{"text":"221B Baker Street"},"timestamp":1}]}`)},
		{Sent: false, Opcode: 1, Data: []byte(`{"ok":true}`)},
		{Sent: true, Opcode: 2, Data: []byte{0, 1, 2}},
	}
	hits := Decode(ws)
	if len(hits) != 1 || !hasField(hits[0].Fields, wantField{"frame0>events.0.data.text", "221B Baker Street", CustomData}) ||
		!hasField(hits[0].Fields, wantField{"frame1", "\x00\x01\x02", Raw}) {
		t.Fatalf("hits = %+v", hits)
	}
	fs := findingsOf(analyze(ws), FindingSessionReplay)
	if len(fs) != 1 || fs[0].Vendor != "Hotjar" || !strings.Contains(detail(fs[0], "evidence"), "rrweb") {
		t.Errorf("findings = %+v", fs)
	}
}
