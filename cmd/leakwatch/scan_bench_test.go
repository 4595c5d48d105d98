package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/crawl"
	"github.com/leakwatch/leakwatch/internal/lab"
)

// BenchmarkScanLab scans twelve pages of the demo site (home, login and ten
// tracking pages, each firing the six vendors' tags to the local endpoints)
// with 1, 2 and 4 tabs and reports pages per minute. Each iteration is a
// whole scan in a fresh browser context; Chromium is launched once.
func BenchmarkScanLab(b *testing.B) {
	browsertest.Chromium(b)
	ctx := context.Background()
	site, err := lab.Start(ctx, lab.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer site.Close()
	br := browsertest.Launch(b, ctx, browser.Options{Args: site.ChromeArgs()})
	start := []string{site.URL, site.URL + "login"}
	for i := range 10 {
		start = append(start, fmt.Sprintf("%strack?tn=94001118995614820377%02d", site.URL, i))
	}
	for _, tabs := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("tabs=%d", tabs), func(b *testing.B) {
			pages, began := 0, time.Now()
			for b.Loop() {
				c, err := crawl.Run(ctx, br, crawl.Options{Start: start, Tabs: tabs})
				if err != nil {
					b.Fatal(err)
				}
				pages += len(c.Pages)
			}
			b.ReportMetric(float64(pages)/time.Since(began).Minutes(), "pages/min")
			b.ReportMetric(float64(pages)/float64(b.N), "pages/crawl")
		})
	}
}
