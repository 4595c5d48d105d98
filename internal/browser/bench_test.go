package browser_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
)

// BenchmarkVisit compares a recorded leakwatch page visit (navigate to the
// load event, every target attached and recorded, bodies read, storage of
// the page left read) with a bare navigation of the same page in a second
// Chromium with the same flags, over the same transport, recording nothing. The
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
	page := barePage(b)
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
		nctx, cancel = context.WithTimeout(ctx, 30*time.Second)
		if err := page.Navigate(nctx, url); err != nil {
			b.Fatal(err)
		}
		cancel()
		t2 := time.Now()
		lw, bare = lw+t1.Sub(t0), bare+t2.Sub(t1)
		ratios = append(ratios, float64(t1.Sub(t0))/float64(t2.Sub(t1)))
	}
	b.StopTimer()
	sort.Float64s(ratios)
	b.ReportMetric(float64(lw.Milliseconds())/float64(b.N), "leakwatch-ms/visit")
	b.ReportMetric(float64(bare.Milliseconds())/float64(b.N), "bare-ms/visit")
	b.ReportMetric(ratios[len(ratios)/2], "median-ratio")
	c, err := bc.Capture(ctx)
	if err != nil || len(c.Requests) < 5*b.N {
		b.Fatalf("capture: %d requests for %d visits, %v", len(c.Requests), b.N, err)
	}
}

// barePage opens a page in a second Chromium with the same flags and no
// recording.
func barePage(b *testing.B) *browser.BarePage {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := browser.NewBarePage(ctx, env.Args)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(p.Close)
	return p
}
