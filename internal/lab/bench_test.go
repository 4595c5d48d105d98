package lab

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

func benchLab(b *testing.B) *Site {
	b.Helper()
	s, err := Start(context.Background(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s
}

func benchGet(b *testing.B, c *http.Client, u string, want int) {
	resp, err := c.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		b.Fatalf("%s: %d", u, resp.StatusCode)
	}
}

// BenchmarkTrackingPage serves the tracking page (template with every tag
// snippet) over HTTPS on loopback.
func BenchmarkTrackingPage(b *testing.B) {
	s := benchLab(b)
	c := s.Client()
	u := "https://" + SiteHost + "/track?tn=" + demoAccount.Parcel
	b.ResetTimer()
	for b.Loop() {
		benchGet(b, c, u, http.StatusOK)
	}
}

// BenchmarkMetaCollectorHit records one realistic Meta PageView hit.
func BenchmarkMetaCollectorHit(b *testing.B) {
	s := benchLab(b)
	c := s.Client()
	u := "https://www.facebook.com/tr/?id=" + MetaPixelID + "&ev=PageView&dl=https%3A%2F%2Fwww.parcelpost.test%2Ftrack%3Ftn%3D" +
		demoAccount.Parcel + "&rl=&if=false&ts=1795887770449&udff%5Bzp%5D=c180c6e14ba3bea8964540416e99fe0a85350eec935db064728846ce4cd440c9" +
		"&sw=800&sh=600&v=2.9.179&r=stable&ec=0&o=4126&fbp=fb.1.1795887769686.1242941774&it=1795887770441&coo=false&rqm=GET"
	b.ResetTimer()
	for b.Loop() {
		benchGet(b, c, u, http.StatusOK)
	}
}

// BenchmarkChromiumTrackingVisit measures one headless Chromium visit of the
// tracking page, recorded by leakwatch's browser, until all six vendors'
// page-view hits have arrived.
func BenchmarkChromiumTrackingVisit(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	s := benchLab(b)
	br := launchChromium(b, ctx, s)
	page := newPage(b, ctx, br)
	u := "https://" + SiteHost + "/track?tn=" + demoAccount.Parcel
	hosts := []string{"www.facebook.com", "px.ads.linkedin.com", "tr.snapchat.com", "bat.bing.com", "region1.google-analytics.com", "ct.pinterest.com"}
	b.ResetTimer()
	for b.Loop() {
		before := len(s.Hits())
		// Page.navigate alone, as the benchmark always did: Tab.Navigate
		// would first leave the previous page and wait for its quiet.
		page.Call("Page.navigate", map[string]any{"url": u}, nil)
		deadline := time.Now().Add(20 * time.Second)
		for !allHostsHit(s.Hits()[before:], hosts) {
			if time.Now().After(deadline) {
				b.Fatal("vendors' hits did not all arrive")
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

func allHostsHit(hits []traffic.Request, hosts []string) bool {
	for _, host := range hosts {
		found := false
		for _, h := range hits {
			if h.Headers.Get("Host") == host {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
