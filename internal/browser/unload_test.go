package browser_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Beacons and keepalive fetches sent while a page goes away (pagehide,
// visibilitychange, beforeunload, a popup's window.close) must all be in
// the capture, with the bodies the server received.
func TestUnloadRequestsAreCaptured(t *testing.T) {
	t.Parallel()
	run := fmt.Sprint(time.Now().UnixNano())
	tab := open(t, "site.test", false, "/unload.html?run="+run)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := tab.Click(ctx, "#open"); err != nil {
		t.Fatal(err)
	}
	waitRequest(t, tab, "from the closing popup", urlHas("run="+run, "on=close"))
	bc := tab.Context()
	if err := tab.Close(); err != nil {
		t.Fatal(err)
	}
	wants := []string{"beacon/close", "keepalive/close", "beacon/pagehide", "keepalive/pagehide",
		"formdata/pagehide", "blob/pagehide", "binaryblob/pagehide"}
	// Late requests reach the server when they do: wait for every kind.
	hits := waitHits(t, run, func(got map[string]bool) bool {
		for _, w := range wants {
			if !got[w] {
				return false
			}
		}
		return true
	})
	c, err := bc.Capture(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, h := range hits {
		got[hitKey(h)] = true
		if r := captured(c, h); r == nil {
			t.Errorf("server got %s %s?%s (body %q), capture lacks it", h.Method, h.Path, h.Query, h.Body)
		}
	}
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, want := range wants {
		if !got[want] {
			t.Errorf("server never got %s; got %v", want, keys)
		}
	}
	t.Logf("server got %v\n%s", keys, describe(c))
}

// waitHits polls the server's /collect hits of this run until done says
// they are all there, or a generous deadline passes, and returns them.
func waitHits(t *testing.T, run string, done func(kinds map[string]bool) bool) []browsertest.Hit {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var hits []browsertest.Hit
		kinds := map[string]bool{}
		for _, h := range env.Server.Hits("/collect") {
			if strings.Contains(h.Query, "run="+run) {
				hits = append(hits, h)
				kinds[hitKey(h)] = true
			}
		}
		if done(kinds) || time.Now().After(deadline) {
			return hits
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// hitKey is a beacon's kind and the event that sent it, e.g. "beacon/pagehide".
func hitKey(h browsertest.Hit) string {
	q, _ := url.ParseQuery(h.Query)
	return q.Get("kind") + "/" + q.Get("on")
}

// captured finds the captured request matching a server hit, body included.
func captured(c *traffic.Capture, h browsertest.Hit) *traffic.Request {
	for _, r := range c.Requests {
		u, err := url.Parse(r.URL)
		if err == nil && u.Path == h.Path && u.RawQuery == h.Query && r.Method == h.Method &&
			bytes.Equal(r.Body, h.Body) {
			return r
		}
	}
	return nil
}

// Navigating a tab to the next page (as the crawler does) records what the
// page it leaves sends on its way out.
func TestUnloadRequestsOnNavigation(t *testing.T) {
	t.Parallel()
	run := fmt.Sprint(time.Now().UnixNano())
	tab := open(t, "site.test", false, "/unload.html?run="+run)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// A cross-site next page: Chromium moves the tab to another renderer.
	if err := tab.Navigate(ctx, env.Server.URL("other.test", true, "/top.html")); err != nil {
		t.Fatal(err)
	}
	hits := waitHits(t, run, func(kinds map[string]bool) bool { return len(kinds) >= 4 })
	c, err := tab.Context().Capture(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, h := range hits {
		n++
		if r := captured(c, h); r == nil {
			t.Errorf("server got %s?%s, capture lacks it", h.Path, h.Query)
		} else if r.PageID != c.Pages[0].ID {
			t.Errorf("%s?%s is on page %s, want the page left (%s)", h.Path, h.Query, r.PageID, c.Pages[0].ID)
		}
	}
	if n < 4 {
		t.Errorf("server got %d unload requests, want pagehide and more", n)
	}
}
