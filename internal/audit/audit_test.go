package audit

import (
	"context"
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

func classifier(t *testing.T) *party.Classifier {
	t.Helper()
	c, err := party.NewClassifier(context.Background(), party.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// shopCapture is a small visit of a shop: its page, a first-party API call
// carrying the email, a Meta pixel hit with the hashed email and the page
// URL with a tracking number, and a GA hit.
func shopCapture() *traffic.Capture {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	page := "https://www.shop.example/track?tn=9400111899561482037727"
	meta := "https://www.facebook.com/tr/?id=1234567890&ev=PageView&dl=" + url.QueryEscape(page) +
		"&ud[em]=16142c4ad90ac327005193d9505c2b91ca9b4e19aea0c3249111fa02bbe97020"
	return &traffic.Capture{
		Source: "shop.har",
		Pages:  []*traffic.Page{{ID: "p1", URL: page, Title: "Tracking", Started: t0}},
		Requests: []*traffic.Request{
			{Index: 0, PageID: "p1", URL: page, Method: "GET", ResourceType: "document", Started: t0},
			{Index: 1, PageID: "p1", URL: "https://api.shop.example/me", Method: "POST", ResourceType: "fetch",
				Body: []byte(`{"email":"dana.whitfield@example.com"}`), BodyMIME: "application/json", Started: t0},
			{Index: 2, PageID: "p1", URL: meta, Method: "GET", ResourceType: "image", Started: t0.Add(time.Second),
				Initiator: traffic.Initiator{Type: "script", Stack: []traffic.StackFrame{{URL: "https://connect.facebook.net/en_US/fbevents.js"}}}},
			{Index: 3, PageID: "p1", URL: "https://www.google-analytics.com/g/collect?v=2&tid=G-ABC&en=page_view&dl=" + url.QueryEscape(page),
				Method: "POST", ResourceType: "ping", Started: t0.Add(2 * time.Second)},
		},
	}
}

func shopPersona() []leak.Persona {
	return []leak.Persona{{Name: "dana", Email: "dana.whitfield@example.com", TrackingNumbers: []string{"9400111899561482037727"}}}
}

func runShop(t *testing.T, opts Options) *Report {
	t.Helper()
	opts.Classifier = classifier(t)
	if opts.Pool == nil {
		opts.Pool, _ = leak.NewPool(shopPersona())
	}
	r, err := Run(context.Background(), opts, shopCapture())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRunFindsLeaksToThirdPartiesOnly(t *testing.T) {
	t.Parallel()
	r := runShop(t, Options{})
	if r.Schema != Schema {
		t.Errorf("schema %q", r.Schema)
	}
	got := map[string]bool{}
	for _, f := range r.Findings {
		if f.Type != TypeLeak {
			continue
		}
		if f.Receiver.Domain == "shop.example" {
			t.Errorf("first-party request reported as a leak: %+v", f)
		}
		got[f.Receiver.Company+"/"+f.Field] = true
		if f.Request == nil || f.Page == "" {
			t.Errorf("finding without request or page: %+v", f)
		}
	}
	for _, want := range []string{"Meta/email", "Meta/tracking_numbers", "Google/tracking_numbers"} {
		if !got[want] {
			t.Errorf("missing leak %s; got %v", want, got)
		}
	}
	var meta *Finding
	for i, f := range r.Findings {
		if f.Type == TypeLeak && f.Field == "email" && f.Receiver.Company == "Meta" {
			meta = &r.Findings[i]
		}
	}
	if meta == nil {
		t.Fatal("no Meta email finding")
	}
	if meta.Location != "ud[em]" || meta.Meaning != "hashed_email" || meta.Channel != "query" ||
		meta.Initiator != "https://connect.facebook.net/en_US/fbevents.js" || meta.Request.Index != 2 {
		t.Errorf("Meta email finding lacks evidence: %+v", meta)
	}
	if r.FirstParty.Domains[0] != "shop.example" {
		t.Errorf("first party %v", r.FirstParty.Domains)
	}
	if r.Summary.CompaniesWithData != 2 || r.ThirdParties[0].Company != "Meta" {
		t.Errorf("summary %+v, first company %q", r.Summary, r.ThirdParties[0].Company)
	}
}

func TestIncludeFirstParty(t *testing.T) {
	t.Parallel()
	r := runShop(t, Options{IncludeFirstParty: true})
	found := false
	for _, f := range r.Findings {
		found = found || (f.Type == TypeLeak && f.Receiver.Domain == "shop.example")
	}
	if !found {
		t.Error("--include-first-party did not report the first-party email")
	}
}

func TestNoPersonaNoLeaks(t *testing.T) {
	t.Parallel()
	pool, _ := leak.NewPool([]leak.Persona{{Email: "someone.else@example.org", TrackingNumbers: []string{"EC123456785US"}}})
	r := runShop(t, Options{Pool: pool})
	for _, f := range r.Findings {
		if f.Type == TypeLeak {
			t.Errorf("leak of a value that was never sent: %+v", f)
		}
	}
}

func TestReportIsDeterministic(t *testing.T) {
	t.Parallel()
	var first []byte
	for i := range 5 {
		r := runShop(t, Options{Workers: 1 + i%3})
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b
		} else if string(b) != string(first) {
			t.Fatalf("run %d differs from run 0", i)
		}
	}
}

func TestSiteDecision(t *testing.T) {
	t.Parallel()
	html := func(status int) *traffic.Response { return &traffic.Response{Status: status, MIME: "text/html"} }
	ref := func(u string) traffic.Headers { return traffic.Headers{{Name: "Referer", Value: u}} }
	tests := []struct {
		name     string
		pages    []*traffic.Page
		reqs     []*traffic.Request
		wantSite string
		wantPage string // page URL of the last request
	}{
		{"page URL recorded as such", []*traffic.Page{{ID: "a", URL: "https://a.example/", Title: "A"}},
			[]*traffic.Request{{PageID: "a", URL: "https://t.example/x"}}, "a.example", "https://a.example/"},
		{"URL in title (Chrome export), confirmed by a Referer", []*traffic.Page{{ID: "a", URL: "https://a.example/t", Title: "https://a.example/t"}},
			[]*traffic.Request{{PageID: "a", URL: "https://t.example/x", Headers: ref("https://a.example/t")}}, "a.example", "https://a.example/t"},
		{"stale title, Referers name the site", []*traffic.Page{{ID: "a", URL: "https://old.example/", Title: "https://old.example/"}},
			[]*traffic.Request{{PageID: "a", URL: "https://t.example/x", Headers: ref("https://new.example/contact")},
				{PageID: "a", URL: "https://new.example/api", Headers: ref("https://new.example/contact")}}, "new.example", "https://new.example/"},
		{"navigation beats a busy iframe's Referers", []*traffic.Page{{ID: "a", Title: "Home"}},
			[]*traffic.Request{{PageID: "a", URL: "https://a.example/", ResourceType: "document", Response: html(200)},
				{PageID: "a", URL: "https://news.example/video", Response: html(200), Headers: ref("https://a.example/")},
				{PageID: "a", URL: "https://t.example/1", Headers: ref("https://news.example/video")},
				{PageID: "a", URL: "https://t.example/2", Headers: ref("https://news.example/video")}}, "a.example", "https://a.example/"},
		{"redirect: the page that answered", nil,
			[]*traffic.Request{{URL: "http://old.example/", Response: html(301)},
				{URL: "https://new.example/home", Response: html(200)}, {URL: "https://t.example/x"}}, "new.example", "https://new.example/home"},
		{"leftover ping of the previous site first", nil,
			[]*traffic.Request{{URL: "https://prev.example/ping", Method: "POST", Headers: ref("https://prev.example/")},
				{URL: "https://a.example/", ResourceType: "document", Response: html(200)},
				{URL: "https://t.example/x", Headers: ref("https://a.example/")}}, "a.example", "https://a.example/"},
		{"ad document is not the page", nil,
			[]*traffic.Request{{URL: "https://securepubads.g.doubleclick.net/gampad/ads", ResourceType: "document", Response: html(200)},
				{URL: "https://a.example/", ResourceType: "document", Response: html(200)}}, "a.example", "https://a.example/"},
		{"no pages, no document: origin", nil,
			[]*traffic.Request{{URL: "https://t.example/x", Headers: traffic.Headers{{Name: "Origin", Value: "https://o.example"}}}}, "o.example", "https://o.example/"},
		{"only third-party requests: the Referer", nil,
			[]*traffic.Request{{URL: "https://www.facebook.com/tr/?id=1", Headers: ref("https://r.example/")}}, "r.example", "https://r.example/"},
	}
	cl := classifier(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := newSiteDecider(cl, nil)
			for _, p := range tt.pages {
				d.pages[p.ID] = p
			}
			for _, r := range tt.reqs {
				d.observe(r)
				d.pending = append(d.pending, r)
			}
			d.decide()
			if d.site != tt.wantSite {
				t.Errorf("site %q, want %q", d.site, tt.wantSite)
			}
			if got := d.pageFor(tt.reqs[len(tt.reqs)-1]).url; got != tt.wantPage {
				t.Errorf("page %q, want %q", got, tt.wantPage)
			}
		})
	}
}

func TestMapStringsReachesEveryString(t *testing.T) {
	t.Parallel()
	r := runShop(t, Options{})
	r.Policy = &PolicyResult{Rules: []RuleResult{{Violations: []string{"dana.whitfield@example.com"}}}}
	r.Warnings = []string{"dana.whitfield@example.com"}
	r.MapStrings(func(s string) string { return "" })
	// After mapping every string to "", no captured value may remain.
	b, _ := json.Marshal(r)
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				if s, ok := y.(string); ok && s != "" && capturedField[k] {
					t.Errorf("field %q still holds %q", k, s)
				}
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	var m any
	json.Unmarshal(b, &m)
	walk(m)
	if !reflect.DeepEqual(r.Schema, Schema) {
		t.Error("MapStrings changed the schema")
	}
}

// capturedField are the JSON fields that hold captured data.
var capturedField = map[string]bool{"url": true, "title": true, "page": true, "value": true,
	"evidence": true, "body": true, "summary": true}

func TestRequestDetailCutsTextAtARuneBoundary(t *testing.T) {
	t.Parallel()
	body := []byte(strings.Repeat("é", maxDetailBody)) // 2 bytes each: the cut lands mid-rune half the time
	for _, extra := range []int{0, 1} {
		r := &traffic.Request{URL: "https://t.example/", Method: "POST", Body: append([]byte(strings.Repeat("x", extra)), body...)}
		d := requestDetail(r, reqMeta{})
		if !d.BodyTruncated || strings.HasPrefix(d.Body, "base64:") || !utf8.ValidString(d.Body) {
			t.Errorf("offset %d: truncated=%v, body starts %.20q", extra, d.BodyTruncated, d.Body)
		}
	}
}

// A request a service worker answered never reached the network: no
// receiver, no leak; the worker's own request, when there is one, is.
func TestServiceWorkerAnswersAreNotSent(t *testing.T) {
	t.Parallel()
	c := shopCapture()
	for _, r := range c.Requests[2:] {
		r.Response = &traffic.Response{Status: 200, FromServiceWorker: true}
	}
	pool, _ := leak.NewPool(shopPersona())
	r, err := Run(context.Background(), Options{Classifier: classifier(t), Pool: pool}, c)
	if err != nil {
		t.Fatal(err)
	}
	if r.Summary.Requests != 4 || r.Summary.ThirdPartyRequests != 0 || r.Summary.Leaks != 0 || len(r.Pixels) != 0 {
		t.Errorf("summary %+v, %d pixels: answered requests were counted as sent", r.Summary, len(r.Pixels))
	}
}
