package crawl_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/crawl"
	"github.com/leakwatch/leakwatch/internal/lab"
)

// received records every request the lab's server got, from its debug log.
type received struct {
	mu   sync.Mutex
	hits []string // "METHOD host path"
}

func (r *received) Enabled(context.Context, slog.Level) bool { return true }
func (r *received) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *received) WithGroup(string) slog.Handler            { return r }
func (r *received) Handle(_ context.Context, rec slog.Record) error {
	if rec.Message != "lab request" {
		return nil
	}
	var m, h, p string
	rec.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "method":
			m = a.Value.String()
		case "host":
			h = a.Value.String()
		case "path":
			p = a.Value.String()
		}
		return true
	})
	r.mu.Lock()
	r.hits = append(r.hits, m+" "+h+" "+p)
	r.mu.Unlock()
	return nil
}

// TestMeasureLabScan scans the lab (all six vendors) the way the demo does,
// then crawls its links, and reports pages per minute, the share of the
// requests the lab received that the capture holds, and the requests of
// hosts the lab does not serve (the browser's own). It is a measurement,
// run with LEAKWATCH_MEASURE=1.
func TestMeasureLabScan(t *testing.T) {
	if os.Getenv("LEAKWATCH_MEASURE") == "" {
		t.Skip("set LEAKWATCH_MEASURE=1 to measure")
	}
	var pages []string
	for i := 0; i < 12; i++ {
		pages = append(pages, fmt.Sprintf("https://%s/track?tn=94001118995614820%05d", lab.SiteHost, i))
	}
	for _, run := range []struct {
		name  string
		tabs  int
		steps bool
	}{{"demo steps + crawl", 1, true}, {"demo steps + crawl", 4, true}, {"12 track pages", 1, false}, {"12 track pages", 4, false}} {
		o := crawl.Options{Start: pages, Tabs: run.tabs}
		if run.steps {
			o = crawl.Options{Start: []string{lab.SiteHost}, Depth: 2, MaxPages: 30, Tabs: run.tabs}
		}
		t.Logf("%s, tabs %d: %s", run.name, run.tabs, measure(t, o, run.steps))
	}
}

// measure runs one crawl of a fresh lab and compares what it captured with
// what the lab received.
func measure(t *testing.T, o crawl.Options, steps bool) string {
	rec := &received{}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	site, err := lab.Start(ctx, lab.Options{Logger: slog.New(rec)})
	if err != nil {
		t.Fatal(err)
	}
	b := browsertest.Launch(t, ctx, browser.Options{Args: site.ChromeArgs()})
	if steps {
		if o.Steps, err = crawl.ParseSteps(site.Steps()); err != nil {
			t.Fatal(err)
		}
		o.Start = []string{site.URL}
	}
	start := time.Now()
	c, err := crawl.Run(ctx, b, o)
	elapsed := time.Since(start)
	b.Close()
	time.Sleep(500 * time.Millisecond)
	hits := site.Hits()
	site.Close()
	if err != nil {
		t.Fatal(err)
	}
	sameBody := 0
	for _, h := range hits {
		for _, r := range c.Requests {
			if r.URL == h.URL && r.Method == h.Method && bytes.Equal(r.Body, h.Body) {
				sameBody++
				break
			}
		}
	}
	var captured []string
	for _, r := range c.Requests {
		if u, err := url.Parse(r.URL); err == nil {
			captured = append(captured, r.Method+" "+strings.ToLower(u.Hostname())+" "+u.Path)
		}
	}
	rec.mu.Lock()
	got := append([]string(nil), rec.hits...)
	rec.mu.Unlock()
	matched, own := 0, 0
	var missing []string
	for _, h := range got {
		if !slices.Contains(lab.Hosts(), strings.Fields(h)[1]) {
			own++
			t.Logf("browser's own: %s", h)
			continue
		}
		if i := slices.Index(captured, h); i >= 0 {
			matched++
			captured = slices.Delete(captured, i, i+1)
		} else {
			missing = append(missing, h)
		}
	}
	return fmt.Sprintf("%d pages in %s = %.1f pages/min; lab received %d requests of served hosts, capture holds %d (%.3f); "+
		"of %d collector hits %d captured with the same URL and body; browser's own %d; missing %v",
		len(c.Pages), elapsed.Round(time.Millisecond), float64(len(c.Pages))/elapsed.Minutes(),
		len(got)-own, matched, float64(matched)/float64(max(len(got)-own, 1)), len(hits), sameBody, own, missing)
}
