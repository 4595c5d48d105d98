package audit

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// TestConsentConflicts: a Google hit that declares ad storage or ad user
// data denied is a conflict when it carries the persona's data or an ad
// click ID, and only then; a hit that declares them granted never is.
func TestConsentConflicts(t *testing.T) {
	t.Parallel()
	page := "https://www.shop.example/cart"
	ga := func(gcs, extra string) string {
		return "https://www.google-analytics.com/g/collect?v=2&tid=G-ABC&en=page_view&gcs=" + gcs +
			"&dl=" + url.QueryEscape(page) + extra
	}
	for _, c := range []struct {
		name, url string
		want      []string // substrings of the one conflict finding; nil: none
	}{
		{"denied with the email", ga("G100", "&ep.user_email="+url.QueryEscape("dana.whitfield@example.com")),
			[]string{"ad_storage denied (gcs=G100)", "the persona's email"}},
		{"denied with a click ID in the page URL", ga("G100", "") + url.QueryEscape("?gclid=Cj0KCQabc123"),
			[]string{"the ad click ID gclid=Cj0KCQabc123"}},
		{"denied, nothing personal", ga("G100", ""), nil},
		{"granted with the email", ga("G111", "&ep.user_email="+url.QueryEscape("dana.whitfield@example.com")), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
			capture := &traffic.Capture{Source: "shop.har",
				Pages: []*traffic.Page{{ID: "p1", URL: page, Started: t0}},
				Requests: []*traffic.Request{
					{Index: 0, PageID: "p1", URL: page, Method: "GET", ResourceType: "document", Started: t0},
					{Index: 1, PageID: "p1", URL: c.url, Method: "POST", ResourceType: "ping", Started: t0.Add(time.Second)},
				}}
			pool, _ := leak.NewPool(shopPersona())
			r, err := Run(context.Background(), Options{Classifier: classifier(t), Pool: pool}, capture)
			if err != nil {
				t.Fatal(err)
			}
			var got []Finding
			for _, f := range r.Findings {
				if f.Type == TypeConsentConflict {
					got = append(got, f)
				}
			}
			if len(got) != min(len(c.want), 1) {
				t.Fatalf("%d conflict findings, want %d: %+v", len(got), min(len(c.want), 1), got)
			}
			for _, w := range c.want {
				if !strings.Contains(got[0].Summary, w) {
					t.Errorf("summary %q lacks %q", got[0].Summary, w)
				}
			}
			if len(got) == 1 && (got[0].Receiver == nil || got[0].Receiver.Company != "Google" || got[0].Request.Index != 1) {
				t.Errorf("finding not attributed to the request and Google: %+v", got[0])
			}
			if r.Consent == nil || len(r.Consent.Signals) == 0 || r.Consent.Signals[0].Reading == "" {
				t.Errorf("no consent section: %+v", r.Consent)
			}
		})
	}
}
