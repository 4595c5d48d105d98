package crawl_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/consent"
	"github.com/leakwatch/leakwatch/internal/crawl"
	"github.com/leakwatch/leakwatch/internal/lab"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// labRule is the lab CMP as a crawl rule; withAPI false leaves only the
// buttons (inside the banner's shadow root) to answer it by.
func labRule(withAPI bool) crawl.ConsentRule {
	p := lab.ConsentPlatform()
	r := crawl.ConsentRule{Name: p.Name, Globals: []string{p.Global}, Banner: []string{p.Banner}, Cookies: p.Cookies,
		Reject: crawl.ConsentAnswer{Selectors: []string{p.RejectSelector}},
		Accept: crawl.ConsentAnswer{Selectors: []string{p.AcceptSelector}}}
	if withAPI {
		r.Reject.API, r.Accept.API = p.RejectAPI, p.AcceptAPI
	}
	return r
}

// labScan crawls the lab's home page, then its login page, in a fresh
// Chromium with bopts, and returns the capture and the lab's hits.
func labScan(t *testing.T, o crawl.Options, bopts browser.Options) (*traffic.Capture, *lab.Site, *browser.Browser) {
	t.Helper()
	env.Need(t) // skips without Chromium or with -short
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	site, err := lab.Start(ctx, lab.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = site.Close() })
	bopts.Args = append(bopts.Args, site.ChromeArgs()...)
	b, err := browser.Launch(ctx, bopts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	o.Start = []string{site.URL, site.URL + "login"}
	o.Quiet = 300 * time.Millisecond
	c, err := crawl.Run(ctx, b, o)
	if err != nil {
		t.Fatal(err)
	}
	return c, site, b
}

// collectorHosts are the hosts of vendor collectors in reqs.
func collectorHosts(reqs []*traffic.Request) map[string]bool {
	collectors := map[string]bool{"www.facebook.com": true, "px.ads.linkedin.com": true, "tr.snapchat.com": true,
		"bat.bing.com": true, "region1.google-analytics.com": true, "googleads.g.doubleclick.net": true, "ct.pinterest.com": true}
	out := map[string]bool{}
	for _, r := range reqs {
		u, err := url.Parse(r.URL)
		if err == nil && collectors[u.Hostname()] && !strings.HasSuffix(u.Path, ".js") {
			out[u.Hostname()] = true
		}
	}
	return out
}

func tcCookie(t *testing.T, c *traffic.Capture) *consent.TCString {
	t.Helper()
	for _, k := range c.Cookies {
		if k.Name == "euconsent-v2" {
			tc, err := consent.ParseTC(k.Value)
			if err != nil {
				t.Fatalf("euconsent-v2 %q: %v", k.Value, err)
			}
			return tc
		}
	}
	return nil
}

// TestConsentModesLab answers the lab banner in each mode, by API and by
// a click in its shadow root: the cookie's TC string holds the choice, and
// after a reject only the tag that ignores it (Pinterest) sends, each of
// its requests after the recorded choice.
func TestConsentModesLab(t *testing.T) {
	tests := []struct {
		name, mode string
		api        bool
		purposes   []int // nil: no cookie
		detail     string
	}{
		{"none", traffic.ConsentNone, true, nil, ""},
		{"reject by api", traffic.ConsentReject, true, []int{}, "api: __ppcmp.rejectAll()"},
		{"accept by click in shadow root", traffic.ConsentAccept, false, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, "click: #pp-cmp-accept"},
		{"reject by click in shadow root", traffic.ConsentReject, false, []int{}, "click: #pp-cmp-reject"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _, _ := labScan(t, crawl.Options{Consent: tc.mode, ConsentRules: []crawl.ConsentRule{labRule(tc.api)}}, browser.Options{})
			if c.Consent != tc.mode || len(c.Pages) < 2 {
				t.Fatalf("capture consent %q, %d pages", c.Consent, len(c.Pages))
			}
			first := c.Pages[0].Consent
			if len(first) != 1 {
				t.Fatalf("home page consent actions %+v, want one", first)
			}
			act := first[0]
			tcs := tcCookie(t, c)
			switch {
			case tc.purposes == nil:
				if act.Result != traffic.ConsentShown || tcs != nil {
					t.Errorf("mode none: action %+v, TC string %+v", act, tcs)
				}
				if n := len(collectorHosts(c.Requests)); n != 7 {
					t.Errorf("mode none: %d collectors got hits, want 7", n)
				}
				return
			case act.Result != traffic.ConsentAnswered || !strings.HasPrefix(act.Detail, tc.detail) || act.Action != tc.mode:
				t.Fatalf("action %+v, want answered by %q", act, tc.detail)
			case tcs == nil:
				t.Fatal("no euconsent-v2 cookie after the choice")
			case len(tcs.PurposesConsent) != len(tc.purposes):
				t.Errorf("TC string purposes %v, want %v", tcs.PurposesConsent, tc.purposes)
			}
			if before := collectorHosts(c.Requests[:act.Index]); len(before) != 7 {
				t.Errorf("before the choice: collectors %v, want all 7 (the lab's tags send until told no)", before)
			}
			after := collectorHosts(c.Requests[act.Index:])
			if tc.mode == traffic.ConsentAccept {
				if len(after) != 7 {
					t.Errorf("after accept: collectors %v, want all 7", after)
				}
				return
			}
			if len(after) != 1 || !after["ct.pinterest.com"] {
				t.Errorf("after reject: collectors %v, want only ct.pinterest.com (the tag that ignores reject)", after)
			}
			for _, r := range c.Requests[act.Index:] {
				if strings.Contains(r.URL, "ct.pinterest.com/v3/") && r.Started.Before(act.Time) {
					t.Errorf("request %d at %s is before the choice at %s", r.Index, r.Started, act.Time)
				}
			}
			for _, p := range c.Pages[1:] {
				for _, a := range p.Consent {
					if a.Result != traffic.ConsentNotShown {
						t.Errorf("page %s after the choice: %+v, want not-shown", p.URL, a)
					}
				}
			}
		})
	}
}

// TestConsentUnanswerable: a banner shown with no button the rule knows is
// recorded as not-found and warned about, never silently passed over.
func TestConsentUnanswerable(t *testing.T) {
	r := labRule(false)
	r.Reject = crawl.ConsentAnswer{API: "__nosuchcmp.rejectAll()", Selectors: []string{"#no-such-button"}}
	c, _, _ := labScan(t, crawl.Options{Consent: traffic.ConsentReject, ConsentRules: []crawl.ConsentRule{r}}, browser.Options{})
	act := c.Pages[0].Consent
	if len(act) != 1 || act[0].Result != traffic.ConsentNotFound || !strings.Contains(act[0].Detail, "#no-such-button") {
		t.Fatalf("actions %+v, want not-found naming the selector", act)
	}
	if !strings.Contains(strings.Join(c.Warnings, "\n"), "not answered (not-found)") {
		t.Errorf("warnings %q, want the unanswered banner", c.Warnings)
	}
}

// TestGPCLab: with GPC the lab's server gets Sec-GPC: 1, the page sees
// navigator.globalPrivacyControl, gpc.json is recorded, and of the tags
// only the one that ignores GPC (Snap) sends.
func TestGPCLab(t *testing.T) {
	c, site, b := labScan(t, crawl.Options{ConsentRules: []crawl.ConsentRule{labRule(true)}}, browser.Options{GPC: true, DNT: true})
	if c.OptOut == nil || !c.OptOut.GPC || !c.OptOut.DNT || len(c.OptOut.WellKnown) != 1 {
		t.Fatalf("opt-out %+v", c.OptOut)
	}
	if w := c.OptOut.WellKnown[0]; w.Origin != "https://"+lab.SiteHost || w.Status != 200 || w.GPC == nil || !*w.GPC {
		t.Errorf("gpc.json %+v", w)
	}
	hits := site.Hits()
	if len(hits) == 0 {
		t.Fatal("no collector hits")
	}
	for _, h := range hits {
		if h.Headers.Get("Sec-GPC") != "1" || h.Headers.Get("DNT") != "1" {
			t.Errorf("hit %s without Sec-GPC/DNT: %v", h.URL, h.Headers)
		}
	}
	// The capture shows the headers too (documents and the gpc.json fetch:
	// scripts may come from the cache, where nothing is sent).
	checked := 0
	for _, r := range c.Requests {
		if r.ResourceType != "document" && !strings.HasSuffix(r.URL, "/.well-known/gpc.json") {
			continue
		}
		checked++
		if r.Headers.Get("Sec-GPC") != "1" || r.Headers.Get("DNT") != "1" {
			t.Errorf("captured request %d %s %s without Sec-GPC/DNT: %v", r.Index, r.Method, r.URL, r.Headers)
		}
	}
	if checked < 3 { // two documents and gpc.json
		t.Errorf("%d documents and gpc.json fetches captured, want 3", checked)
	}
	if got := collectorHosts(c.Requests); len(got) != 1 || !got["tr.snapchat.com"] {
		t.Errorf("collectors %v, want only tr.snapchat.com (the tag that ignores GPC)", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tab, err := b.NewTab(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Navigate(ctx, site.URL); err != nil {
		t.Fatal(err)
	}
	raw, err := tab.Eval(ctx, `[navigator.globalPrivacyControl, navigator.doNotTrack, 'globalPrivacyControl' in navigator]`)
	if err != nil || string(raw) != `[true,"1",true]` {
		t.Errorf("page sees %s (%v), want [true,\"1\",true]", raw, err)
	}
}

// TestConsentInFrame answers a banner that lives in an iframe: a cross-site
// one through the frame's own target, a same-site one from the page.
func TestConsentInFrame(t *testing.T) {
	t.Parallel()
	rule := crawl.ConsentRule{Name: "Frame CMP", Globals: []string{"__xcmp"}, Banner: []string{"#xcmp-frame"},
		Cookies: []string{"xcmp"},
		Reject:  crawl.ConsentAnswer{Selectors: []string{"#xcmp-reject"}, Frame: "#xcmp-frame"},
		Accept:  crawl.ConsentAnswer{Selectors: []string{"#xcmp-accept"}, Frame: "#xcmp-frame"}}
	tests := []struct {
		name, page, mode, api, detail string
	}{
		{"cross-site frame", "/consent-xframe.html", traffic.ConsentReject, "", "click in cross-origin frame: #xcmp-reject in http://other.test"},
		{"same-site frame", "/consent-xframe.html?same", traffic.ConsentAccept, "", "click: #xcmp-accept; cookie xcmp set"},
		{"api without effect, then the button", "/consent-xframe.html?same", traffic.ConsentAccept, "__xcmp.version",
			"api: __xcmp.version (no effect); click: #xcmp-accept; cookie xcmp set"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := rule
			r.Accept.API = tc.api
			c := run(t, crawl.Options{Start: []string{site(tc.page)}, Consent: tc.mode, ConsentRules: []crawl.ConsentRule{r},
				ConsentWait: time.Second})
			if len(c.Pages) == 0 || len(c.Pages[0].Consent) != 1 {
				t.Fatalf("pages %+v", c.Pages)
			}
			a := c.Pages[0].Consent[0]
			if a.Result != traffic.ConsentAnswered || !strings.HasPrefix(a.Detail, tc.detail) {
				t.Errorf("action %+v, want answered: %s", a, tc.detail)
			}
		})
	}
}

// TestConsentHostilePage: a page whose timers never fire, whose TCF API
// never answers and whose reject button does nothing costs bounded time
// and is reported: failed, not-shown with a warning, never a hang.
func TestConsentHostilePage(t *testing.T) {
	t.Parallel()
	tcf := crawl.ConsentRule{Name: "IAB TCF v2", Globals: []string{"__tcfapi"}}
	cmp := crawl.ConsentRule{Name: "Hostile CMP", Globals: []string{"__hcmp"}, Banner: []string{"#hbanner"},
		Cookies: []string{"hcmp"}, Reject: crawl.ConsentAnswer{Selectors: []string{"#hbutton"}}}
	tests := []struct {
		name   string
		rules  []crawl.ConsentRule
		result string
		warn   string
	}{
		{"button without effect", []crawl.ConsentRule{tcf, cmp}, traffic.ConsentFailed, "not answered (failed)"},
		// The probe only reads __hcmp, which stops the timers first.
		{"TCF API that never answers", []crawl.ConsentRule{tcf, {Name: "probe", Globals: []string{"__hcmp"}}},
			traffic.ConsentNotShown, "TCF API"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			c := run(t, crawl.Options{Start: []string{site("/consent-hostile.html")}, Consent: traffic.ConsentReject,
				ConsentRules: tc.rules, ConsentWait: time.Second})
			if d := time.Since(start); d > 25*time.Second {
				t.Errorf("took %s", d)
			}
			if len(c.Pages) == 0 || len(c.Pages[0].Consent) == 0 {
				t.Fatalf("pages %+v, want consent actions", c.Pages)
			}
			for _, a := range c.Pages[0].Consent {
				if a.Result != tc.result {
					t.Errorf("action %+v, want %s", a, tc.result)
				}
			}
			if !strings.Contains(strings.Join(c.Warnings, "\n"), tc.warn) {
				t.Errorf("warnings %q, want %q", c.Warnings, tc.warn)
			}
		})
	}
}
