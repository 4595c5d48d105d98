package browser_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/launcher/flags"
	"github.com/go-rod/rod/lib/proto"

	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
)

// BenchmarkVisit compares a recorded leakwatch page visit (navigate to the
// load event, every target attached and recorded, bodies read, storage of
// the page left read) with a bare go-rod navigation of the same page in a
// second Chromium with the same site isolation and no instrumentation. The
// two alternate in one loop so that the load of a shared machine hits both
// alike; it reports both means and the median of the per-visit ratios.
func BenchmarkVisit(b *testing.B) {
	br := env.Need(b)
	url := env.Server.URL("site.test", true, "/bench/page.html")
	ctx := context.Background()
	bc, err := br.NewContext(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer bc.Close(ctx)
	tab, err := bc.NewTab(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer tab.Close()
	page := rodPage(b)
	var lw, bare time.Duration
	ratios := make([]float64, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		nctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		if err := tab.Navigate(nctx, url); err != nil {
			b.Fatal(err)
		}
		cancel()
		t1 := time.Now()
		if err := page.Navigate(url); err != nil {
			b.Fatal(err)
		}
		if err := page.WaitLoad(); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		lw, bare = lw+t1.Sub(t0), bare+t2.Sub(t1)
		ratios = append(ratios, float64(t1.Sub(t0))/float64(t2.Sub(t1)))
	}
	b.StopTimer()
	sort.Float64s(ratios)
	b.ReportMetric(float64(lw.Milliseconds())/float64(b.N), "leakwatch-ms/visit")
	b.ReportMetric(float64(bare.Milliseconds())/float64(b.N), "rod-ms/visit")
	b.ReportMetric(ratios[len(ratios)/2], "median-ratio")
	c, err := bc.Capture(ctx)
	if err != nil || len(c.Requests) < 5*b.N {
		b.Fatalf("capture: %d requests for %d visits, %v", len(c.Requests), b.N, err)
	}
}

// rodPage launches a Chromium through rod's launcher (never downloading:
// the binary is given) with leakwatch's site isolation, and opens a page.
func rodPage(b *testing.B) *rod.Page {
	b.Helper()
	l := launcher.New().Bin(browsertest.Chromium(b)).Leakless(false).Headless(true).NoSandbox(true).
		Delete("disable-features").Delete("disable-site-isolation-trials").Delete("enable-features").
		Set("disable-gpu").Set("disable-quic")
	for _, a := range env.Args {
		name, val, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		l = l.Set(flags.Flag(name), val)
	}
	u, err := l.Launch()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Kill(); l.Cleanup() })
	rb := rod.New().ControlURL(u)
	if err := rb.Connect(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = rb.Close() })
	page, err := rb.Page(proto.TargetCreateTarget{URL: "about:blank"})
	if err != nil {
		b.Fatal(err)
	}
	return page
}
