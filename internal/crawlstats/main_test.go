package crawlstats_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/report"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pgtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// pg is the test binary's throwaway PostgreSQL (nil with pgErr when it
// could not start, or under -short).
var (
	pg    *pgtest.Server
	pgErr error
)

func TestMain(m *testing.M) { pgtest.Main(m, &pg, &pgErr) }

// personas are the values the testers typed into the captured sites'
// forms (realworld/README.md, truth.json) and the health-shop checkout.
const personas = `
- name: form-tester
  email: test@test.org
  phone: "212-555-1212"
- name: blacklight
  email: blacklight-headless@themarkup.org
- name: shop-tester
  email: test@gmail.com
`

// crawlSite is one site of the test crawl: a real capture analysed by the
// real pipeline, or a failure as a worker records it.
type crawlSite struct {
	site, capture, err string
	rank               int
	lab                func() *traffic.Capture
}

var crawlSites = []crawlSite{
	{site: "unitedwaynefl.org", capture: "realworld/chrome-devtools-unitedwaynefl-contact-form.har.gz", rank: 1},
	{site: "211palmbeach.org", capture: "realworld/chrome-devtools-211palmbeach-contact-form.har.gz", rank: 2},
	{site: "gryphon.org", capture: "realworld/chrome-devtools-gryphon-contact-form.har.gz", rank: 3},
	{site: "usmint.gov", capture: "realworld/chrome-har-usmint.har.gz", rank: 4},
	{site: "mylabbox.com", capture: "har/health-shop-mylabbox.har", rank: 5},
	{site: "kynect.ky.gov", capture: "realworld/chrome-har-kynect.har.gz", rank: 6},
	{site: "crisis-center.org", capture: "realworld/chrome-devtools-crisis-center-contact.har.gz", rank: 7},
	{site: "shop.example", lab: consentLab, rank: 11},
	{site: "dead.example", err: "navigate https://dead.example/: net::ERR_NAME_NOT_RESOLVED", rank: 8},
	{site: "slow.example", err: "site budget 2m0s: context deadline exceeded", rank: 9},
	{site: "slower.example", err: "site budget 2m0s: context deadline exceeded", rank: 10},
}

// crawlOnce holds the test crawl's results, analysed once per binary.
var crawlOnce struct {
	sync.Once
	res []store.CrawlResult
	err error
}

func analyseCrawl(dir string) ([]store.CrawlResult, error) {
	ps, err := leak.ParsePersonas([]byte(personas), "test personas")
	if err != nil {
		return nil, err
	}
	pool, _ := leak.NewPool(ps)
	ctx := context.Background()
	cl, err := party.NewClassifier(ctx, party.Options{})
	if err != nil {
		return nil, err
	}
	finished := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	var out []store.CrawlResult
	for i, c := range crawlSites {
		r := store.CrawlResult{Site: c.site, Rank: c.rank, State: store.Failed, Error: c.err, Attempt: 1,
			Worker: "w1", Finished: finished.Add(time.Duration(i) * time.Second)}
		var capture *traffic.Capture
		switch {
		case c.lab != nil:
			capture = c.lab()
		case c.capture != "":
			if capture, err = har.ReadFile(ctx, filepath.Join(dir, c.capture), har.Options{}); err != nil {
				return nil, fmt.Errorf("%s: %w", c.capture, err)
			}
			capture.Source = filepath.Base(c.capture)
		}
		if capture != nil {
			if r.Report, err = analyse(ctx, capture, cl, pool); err != nil {
				return nil, fmt.Errorf("%s: %w", c.site, err)
			}
			r.State = store.Done
		}
		out = append(out, r)
	}
	return out, nil
}

// analyse runs the pipeline on a capture and returns the JSON report as
// `leakwatch analyze -f json` writes it.
func analyse(ctx context.Context, c *traffic.Capture, cl *party.Classifier, pool *leak.Pool) ([]byte, error) {
	rep, err := audit.Run(ctx, audit.Options{Classifier: cl, Pool: pool, Workers: 1,
		Tool: audit.Tool{Name: "leakwatch", Version: "test"}}, c)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := report.Render(&b, rep, "json", report.Options{}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// crawl returns the test crawl's results, skipping without shared data.
func crawl(t testing.TB) []store.CrawlResult {
	t.Helper()
	dir := sharedtest.Dir(t) // skips (fails in CI) when the shared data is absent
	crawlOnce.Do(func() { crawlOnce.res, crawlOnce.err = analyseCrawl(dir) })
	if crawlOnce.err != nil {
		t.Fatal(crawlOnce.err)
	}
	return crawlOnce.res
}

// storeRun stores the results as a run in a new store on dsn.
func storeRun(t *testing.T, dsn string, results []store.CrawlResult) (store.Store, store.Run) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn, store.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	run, err := st.CreateRun(ctx, store.Run{Name: "test crawl", Total: len(results) + 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		r.RunID = run.ID
		if _, err := st.PutCrawlResult(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	return st, run
}

func sqliteDSN(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "db") + "/" }

// consentLab is a lab capture of a shop behind OneTrust whose Google
// Analytics hit declares ad storage denied (Consent Mode gcs=G100) yet
// carries the typed email: a consent-conflict finding and a leak.
func consentLab() *traffic.Capture {
	t0 := time.Date(2026, 12, 6, 11, 0, 0, 0, time.UTC)
	page := "https://www.shop.example/checkout"
	ga := "https://www.google-analytics.com/g/collect?v=2&tid=G-LAB1&en=begin_checkout&gcs=G100&dl=" +
		url.QueryEscape(page) + "&ep.user_email=" + url.QueryEscape("test@test.org")
	reqs := []*traffic.Request{
		{URL: page, Method: "GET", ResourceType: "document"},
		{URL: "https://cdn.cookielaw.org/scripttemplates/otSDKStub.js", Method: "GET", ResourceType: "script"},
		{URL: ga, Method: "POST", ResourceType: "ping"},
	}
	for i, r := range reqs {
		r.Index, r.PageID, r.Started = i, "p1", t0.Add(time.Duration(i)*time.Second)
	}
	return &traffic.Capture{Source: "lab-shop", Pages: []*traffic.Page{{ID: "p1", URL: page, Started: t0}}, Requests: reqs}
}
