package crawl_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/crawl"
)

// BenchmarkCrawl crawls a 13-page local site (a home page and 12 pages, each
// with a tag script, a pixel and a beacon) with 1, 2 and 4 tabs, with the
// default network-quiet wait (500ms per page, after scrolling).
func BenchmarkCrawl(b *testing.B) {
	br := env.Need(b)
	for _, tabs := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("tabs=%d", tabs), func(b *testing.B) {
			o := crawl.Options{Start: []string{site("/bench/index.html")}, Depth: 1, MaxPages: 12,
				Tabs: tabs}
			pages := 0
			start := time.Now()
			for i := 0; i < b.N; i++ {
				c, err := crawl.Run(context.Background(), br, o)
				if err != nil {
					b.Fatal(err)
				}
				if len(c.Pages) != 13 {
					b.Fatalf("visited %d pages, want 13", len(c.Pages))
				}
				pages += len(c.Pages)
			}
			b.ReportMetric(float64(pages)/time.Since(start).Minutes(), "pages/min")
		})
	}
}
