package main

import (
	"context"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/lab"
)

// Chromium reports the response of the demo's LinkedIn /wa/ keepalive
// fetch but never its end, like real tags' beacons on real sites. Such a
// request must not hold every page visit up to the stall limit (2s).
func TestPageQuietDespiteUnfinishedKeepalive(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	site, err := lab.Start(ctx, lab.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	b := browsertest.Launch(t, ctx, browser.Options{Args: site.ChromeArgs()})
	tab, err := b.NewTab(ctx)
	if err != nil {
		t.Fatal(err)
	}
	best := time.Hour
	for range 3 {
		if err := tab.Navigate(ctx, site.URL); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := tab.WaitQuiet(ctx, 400*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		best = min(best, time.Since(start))
	}
	if best >= 1900*time.Millisecond {
		t.Errorf("network quiet took %v at best: an unfinished request held the page to the stall limit", best)
	}
}
