package audit

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// consentCapture is a page with a consent banner the scan answered at
// request 2: a Meta pixel hit before, a Pinterest hit with the email after.
func consentCapture(mode string, gpc bool) *traffic.Capture {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	page := "https://www.shop.example/"
	meta := "https://www.facebook.com/tr/?id=1234567890&ev=PageView&dl=" + url.QueryEscape(page)
	pin := "https://ct.pinterest.com/v3/?tid=2612345678901&event=pagevisit&pd[em]=" + url.QueryEscape("dana.whitfield@example.com")
	c := &traffic.Capture{Source: "scan", Consent: mode,
		Pages: []*traffic.Page{{ID: "p1", URL: page, Started: t0, Consent: []traffic.ConsentAction{{
			Platform: "Lab CMP", Action: mode, Index: 2, Result: traffic.ConsentAnswered, Time: t0.Add(time.Second),
			Detail: "api: __ppcmp.rejectAll()"}}}},
		Requests: []*traffic.Request{
			{Index: 0, PageID: "p1", URL: page, Method: "GET", ResourceType: "document", Started: t0},
			{Index: 1, PageID: "p1", URL: meta, Method: "GET", ResourceType: "image", Started: t0},
			{Index: 2, PageID: "p1", URL: "https://www.shop.example/app.js", Method: "GET", ResourceType: "script", Started: t0.Add(2 * time.Second)},
			{Index: 3, PageID: "p1", URL: pin, Method: "GET", ResourceType: "image", Started: t0.Add(3 * time.Second)},
		}}
	if mode == "" {
		c.Pages[0].Consent = nil
	}
	if mode == traffic.ConsentNone {
		c.Pages[0].Consent[0].Result = traffic.ConsentShown
	}
	if gpc {
		c.OptOut = &traffic.OptOut{GPC: true}
	}
	return c
}

// TestLiveConsentFindings: what each company received before the choice,
// after reject and while GPC was sent, one finding per company and state.
func TestLiveConsentFindings(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		mode string
		gpc  bool
		want []string // "type company: summary substring"
	}{
		{traffic.ConsentReject, false, []string{
			"before-choice Meta: received 1 tracking hit in 1 request",
			"after-reject Pinterest: received the persona's email and 1 tracking hit in 1 request"}},
		{traffic.ConsentAccept, false, []string{"before-choice Meta: received 1 tracking hit"}},
		{traffic.ConsentNone, false, []string{"before-choice Meta: Before any consent choice",
			"before-choice Pinterest: received the persona's email and 1 tracking hit"}},
		{traffic.ConsentNone, true, []string{"before-choice Meta", "before-choice Pinterest",
			"despite-gpc Meta: While every request carried Global Privacy Control", "despite-gpc Pinterest: received the persona's email"}},
		{"", false, nil},
	} {
		pool, _ := leak.NewPool(shopPersona())
		r, err := Run(context.Background(), Options{Classifier: classifier(t), Pool: pool}, consentCapture(c.mode, c.gpc))
		if err != nil {
			t.Fatal(err)
		}
		var got []Finding
		for _, f := range r.Findings {
			if f.Type == TypeBeforeChoice || f.Type == TypeAfterReject || f.Type == TypeDespiteGPC {
				got = append(got, f)
			}
		}
		if len(got) != len(c.want) {
			t.Errorf("mode %q gpc %v: %d findings, want %d: %+v", c.mode, c.gpc, len(got), len(c.want), got)
			continue
		}
		for _, w := range c.want {
			head, sub, _ := strings.Cut(w, ": ")
			typ, company, _ := strings.Cut(head, " ")
			if !slices.ContainsFunc(got, func(f Finding) bool {
				return f.Type == typ && f.Receiver.Company == company && strings.Contains(f.Summary, sub)
			}) {
				t.Errorf("mode %q gpc %v: no %s finding for %s saying %q in %+v", c.mode, c.gpc, typ, company, sub, got)
			}
		}
		if c.mode != "" && (r.Sources[0].Consent == nil || r.Sources[0].Consent.Mode != c.mode) {
			t.Errorf("source consent %+v", r.Sources[0].Consent)
		}
	}
}

// TestConsentComparison: captures of several consent states in one report
// are set side by side, company by company.
func TestConsentComparison(t *testing.T) {
	t.Parallel()
	pool, _ := leak.NewPool(shopPersona())
	none, reject := consentCapture(traffic.ConsentNone, false), consentCapture(traffic.ConsentReject, false)
	gpc := consentCapture(traffic.ConsentNone, true)
	r, err := Run(context.Background(), Options{Classifier: classifier(t), Pool: pool}, none, reject, gpc)
	if err != nil {
		t.Fatal(err)
	}
	if r.Consent == nil || r.Consent.Comparison == nil {
		t.Fatalf("no comparison: %+v", r.Consent)
	}
	c := r.Consent.Comparison
	if got := strings.Join(c.States, ","); got != "none,reject,none+gpc" {
		t.Errorf("states %q", got)
	}
	want := map[string]string{
		"Meta":      "tracking hits|tracking hits|tracking hits",
		"Pinterest": "email,tracking hits|email,tracking hits|email,tracking hits",
	}
	for _, row := range c.Rows {
		var cells []string
		for _, k := range row.Received {
			cells = append(cells, strings.Join(k, ","))
		}
		if got := strings.Join(cells, "|"); got != want[row.Company] {
			t.Errorf("%s: %q, want %q", row.Company, got, want[row.Company])
		}
	}
	if len(c.Rows) != len(want) {
		t.Errorf("%d rows, want %d", len(c.Rows), len(want))
	}
	one, _ := Run(context.Background(), Options{Classifier: classifier(t), Pool: pool}, reject)
	if one.Consent != nil && one.Consent.Comparison != nil {
		t.Errorf("a single capture has a comparison")
	}
}

// TestGrantedBeforeChoice: a Google hit declaring ad storage granted
// before the scan answered the banner contradicts the consent state; the
// same hit after the answer (accept) does not.
func TestGrantedBeforeChoice(t *testing.T) {
	t.Parallel()
	ga := "https://www.google-analytics.com/g/collect?v=2&tid=G-ABC&en=page_view&gcs=G111&dl=" + url.QueryEscape("https://www.shop.example/")
	for _, c := range []struct {
		index int
		want  int
	}{{1, 1}, {3, 0}} {
		capture := consentCapture(traffic.ConsentAccept, false)
		capture.Requests[c.index].URL = ga
		pool, _ := leak.NewPool(shopPersona())
		r, err := Run(context.Background(), Options{Classifier: classifier(t), Pool: pool}, capture)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range r.Findings {
			if f.Type == TypeConsentConflict {
				got = append(got, f.Summary)
			}
		}
		if len(got) != c.want || c.want == 1 && !strings.Contains(got[0], "declares ad_storage granted (gcs=G111) before the scan answered Lab CMP's banner") {
			t.Errorf("hit at request %d: conflicts %q, want %d", c.index, got, c.want)
		}
	}
}
